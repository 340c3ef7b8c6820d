// The only C++ in smsdesk: a thin extern "C" layer over ctemplate.
#include "tmpl.h"

#include <ctemplate/template.h>
#include <ctemplate/template_emitter.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <new>
#include <string>
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
	D(d)->SetValue(key, value ? value : "");
}

extern "C" void tmpl_set_int(tmpl_dict *d, const char *key, long long value)
{
	char s[32];
	snprintf(s, sizeof s, "%lld", value);
	D(d)->SetValue(key, s);
}

extern "C" void tmpl_show(tmpl_dict *d, const char *section)
{
	D(d)->ShowSection(section);
}

extern "C" tmpl_dict *tmpl_section(tmpl_dict *d, const char *section)
{
	return reinterpret_cast<tmpl_dict *>(D(d)->AddSectionDictionary(section));
}

extern "C" tmpl_dict *tmpl_include(tmpl_dict *d, const char *name, const char *file)
{
	TemplateDictionary *inc = D(d)->AddIncludeDictionary(name);
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
