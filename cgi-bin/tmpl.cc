// The only C++ in smsdesk: a thin extern "C" layer over ctemplate.
#include "tmpl.h"

#include <cassert>
#include <ctemplate/template.h>
#include <ctemplate/template_emitter.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include "arena.h"
}

using ctemplate::TemplateDictionary;


static TemplateDictionary *D(tmpl_dict *d) { return reinterpret_cast<TemplateDictionary *>(d); }

namespace {
class BufEmitter : public ctemplate::ExpandEmitter {
public:
	explicit BufEmitter(struct buf *b) : b_(b) {}
	void Emit(char c) override { buf_append(b_, &c, 1); }
	void Emit(const std::string &s) override { buf_append(b_, s.data(), s.size()); }
	void Emit(const char *s) override { buf_puts(b_, s); }
	void Emit(const char *s, size_t n) override { buf_append(b_, s, n); }
private:
	struct buf *b_;
};

const char kPragma[] = "{{%AUTOESCAPE context=\"HTML\"}}";

bool starts_with_pragma(const std::string &path)
{
	FILE *f = fopen(path.c_str(), "r");
	if (!f)
		return false;
	char head[sizeof kPragma] = {0};
	size_t n = fread(head, 1, sizeof kPragma - 1, f);
	fclose(f);
	return n == sizeof kPragma - 1 && memcmp(head, kPragma, n) == 0;
}
}

/* ---- keys
 *
 * ctemplate files every key (a variable's or a section's name) in a global
 * id-to-name map, under a global lock, on every SetValue and every section
 * added, unless the key comes with its id: a StaticTemplateString. The
 * keys are a fixed set of names written in the program, so each is made a
 * StaticTemplateString once for the process (kept in `registered`, never
 * freed) and each thread finds it again in its own small table, without a
 * lock. A key beyond the bounds goes to ctemplate as it is. */
namespace {
using ctemplate::StaticTemplateString;
using ctemplate::TemplateString;

const size_t kMaxKeys = 4096;        /* the program has a few hundred */
const size_t kSlots = 1024;          /* each thread's table, a power of two */
const size_t kMaxKeyLength = 128;
static_assert((kSlots & (kSlots - 1)) == 0, "key_of masks with kSlots - 1");

std::mutex registered_lock;
std::unordered_map<std::string, const StaticTemplateString *> *registered;

const StaticTemplateString *register_key(const char *key, size_t len)
{
	assert(len <= kMaxKeyLength);  /* key_of refuses longer keys */
	std::lock_guard<std::mutex> hold(registered_lock);
	if (!registered)
		registered = new std::unordered_map<std::string, const StaticTemplateString *>();
	std::string name(key, len);
	auto it = registered->find(name);
	if (it != registered->end())
		return it->second;
	if (registered->size() >= kMaxKeys)
		return nullptr;
	char *copy = new char[len + 1];
	memcpy(copy, key, len + 1);
	StaticTemplateString *sts = new StaticTemplateString{ { copy, len, 0 } };
	ctemplate::StaticTemplateStringInitializer sets_the_id(sts);
	registered->emplace(std::move(name), sts);
	return sts;
}

thread_local const StaticTemplateString *slots[kSlots];

TemplateString key_of(const char *key)
{
	if (!key)
		return TemplateString(key);
	size_t len = strnlen(key, kMaxKeyLength + 1);
	if (len > kMaxKeyLength)
		return TemplateString(key);
	uint64_t h = 1469598103934665603ULL;  /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	for (size_t probe = 0; probe < 8; probe++) {
		const StaticTemplateString *&slot = slots[(h + probe) & (kSlots - 1)];
		if (!slot) {
			try {
				slot = register_key(key, len);
			} catch (const std::bad_alloc &) {
				return TemplateString(key);
			}
			return slot ? TemplateString(*slot) : TemplateString(key);
		}
		const auto &k = slot->do_not_use_directly_;
		if (k.length_ == len && memcmp(k.ptr_, key, len) == 0)
			return TemplateString(*slot);
	}
	return TemplateString(key);
}
}  // namespace

extern "C" int tmpl_load_all(const char *dir, char *err, size_t errlen)
{
	try {
		ctemplate::TemplateCache *cache = ctemplate::mutable_default_template_cache();
		std::string root(dir);
		if (!cache->SetTemplateRootDirectory(root)) {
			snprintf(err, errlen, "templates: cannot use directory %s", dir);
			return -1;
		}
		DIR *dh = opendir(dir);
		if (!dh) {
			snprintf(err, errlen, "templates: cannot open %s", dir);
			return -1;
		}
		std::vector<std::string> names;
		while (struct dirent *e = readdir(dh)) {
			size_t n = strlen(e->d_name);
			if (n > 4 && strcmp(e->d_name + n - 4, ".tpl") == 0)
				names.push_back(e->d_name);
		}
		closedir(dh);
		std::sort(names.begin(), names.end());
		if (names.empty()) {
			snprintf(err, errlen, "templates: no .tpl files in %s", dir);
			return -1;
		}
		for (const std::string &name : names) {
			if (!starts_with_pragma(root + "/" + name)) {
				snprintf(err, errlen, "templates: %s does not begin with %s",
					 name.c_str(), kPragma);
				return -1;
			}
			if (!cache->LoadTemplate(name, ctemplate::STRIP_BLANK_LINES)) {
				snprintf(err, errlen, "templates: %s does not parse", name.c_str());
				return -1;
			}
		}
		cache->Freeze();
		return 0;
	} catch (const std::exception &e) {
		snprintf(err, errlen, "templates: %s", e.what());
		return -1;
	}
}

extern "C" void tmpl_set_global(const char *key, const char *value)
{
	TemplateDictionary::SetGlobalValue(key, value);
}

extern "C" tmpl_dict *tmpl_dict_new(const char *name)
{
	try {
		return reinterpret_cast<tmpl_dict *>(new TemplateDictionary(name));
	} catch (const std::bad_alloc &) {
		abort();
	}
}

extern "C" void tmpl_dict_free(tmpl_dict *d)
{
	delete D(d);
}

extern "C" void tmpl_set(tmpl_dict *d, const char *key, const char *value)
{
	D(d)->SetValue(key_of(key), value ? value : "");
}

extern "C" void tmpl_set_int(tmpl_dict *d, const char *key, long long value)
{
	char s[32];
	snprintf(s, sizeof s, "%lld", value);
	D(d)->SetValue(key_of(key), s);
}

extern "C" void tmpl_show(tmpl_dict *d, const char *section)
{
	D(d)->ShowSection(key_of(section));
}

extern "C" tmpl_dict *tmpl_section(tmpl_dict *d, const char *section)
{
	return reinterpret_cast<tmpl_dict *>(D(d)->AddSectionDictionary(key_of(section)));
}

extern "C" tmpl_dict *tmpl_include(tmpl_dict *d, const char *name, const char *file)
{
	TemplateDictionary *inc = D(d)->AddIncludeDictionary(key_of(name));
	inc->SetFilename(file);
	return reinterpret_cast<tmpl_dict *>(inc);
}

extern "C" int tmpl_expand(const char *file, const tmpl_dict *d, struct buf *out)
{
	try {
		BufEmitter e(out);
		const TemplateDictionary *td = reinterpret_cast<const TemplateDictionary *>(d);
		return ctemplate::ExpandTemplate(file, ctemplate::STRIP_BLANK_LINES, td, &e) ? 0 : -1;
	} catch (const std::exception &) {
		return -1;
	}
}
