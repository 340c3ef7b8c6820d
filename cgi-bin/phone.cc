// Phone numbers through Google's libphonenumber, reached from C through
// this small extern "C" bridge (like tmpl.cc for ctemplate): every number
// that enters is parsed and validated by it and stored in E.164, and shown
// the way people write it.
#include "validate.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// the longest phone number as people write it, separators included
#define WRITTEN_MAX 40

extern "C" int phone_normalize(const char *in, char out[E164_MAX + 1])
{
	if (!in)
		return -1;
	// digits, a leading '+' and the usual separators only: no letters
	// (vanity numbers), no extensions
	size_t n = std::strlen(in);
	if (n == 0 || n > WRITTEN_MAX || std::strspn(in, "0123456789+ -.()") != n)
		return -1;
	const char *plus = std::strchr(in, '+');
	if (plus && (std::strchr(plus + 1, '+') || std::strspn(in, " ") != (size_t)(plus - in)))
		return -1;
	PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber pn;
	// a number written without its country code is a US one
	if (util->Parse(in, "US", &pn) != PhoneNumberUtil::NO_PARSING_ERROR ||
	    !util->IsValidNumber(pn))
		return -1;
	std::string e164;
	util->Format(pn, PhoneNumberUtil::E164, &e164);
	if (e164.size() > E164_MAX)
		return -1;
	std::memcpy(out, e164.c_str(), e164.size() + 1);
	return 0;
}

// What phone_display made of the last numbers this thread showed: a page
// shows the same few numbers on many rows (the inbox's agent on each of 50),
// and libphonenumber's parse, validation and format take tens of
// microseconds a number. A number's display depends on the number alone.
namespace {
const size_t kShownSlots = 64;       // a power of two
const size_t kShownMax = 48;
struct shown_slot {
	char e164[E164_MAX + 1];         // "": empty slot
	char shown[kShownMax];
};
thread_local shown_slot shown_memo[kShownSlots];

shown_slot *shown_slot_of(const char *e164, size_t len)
{
	uint32_t h = 2166136261u;       // FNV-1a
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)e164[i]) * 16777619u;
	return &shown_memo[h & (kShownSlots - 1)];
}
}  // namespace

static std::string display(const char *e164)
{
	std::string shown;
	PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber pn;
	// longer than any number as written: as it is, unparsed (libphonenumber
	// takes most of a second over a few thousand digits; make fuzz found it)
	if (!e164 || std::strlen(e164) > WRITTEN_MAX ||
	    util->Parse(e164, "US", &pn) != PhoneNumberUtil::NO_PARSING_ERROR ||
	    !util->IsValidNumber(pn)) {
		shown = e164 ? e164 : "";
	} else {
		std::string region;
		util->GetRegionCodeForNumber(pn, &region);
		util->Format(pn, region == "US" ? PhoneNumberUtil::NATIONAL
						: PhoneNumberUtil::INTERNATIONAL, &shown);
	}
	return shown;
}

extern "C" int phone_display(const char *e164, char *out, size_t size)
{
	size_t len = e164 ? std::strlen(e164) : 0;
	shown_slot *slot = e164 && len > 0 && len <= E164_MAX ? shown_slot_of(e164, len) : nullptr;
	if (slot && std::strcmp(slot->e164, e164) == 0) {
		size_t n = std::strlen(slot->shown);
		if (n + 1 > size)
			return -1;
		std::memcpy(out, slot->shown, n + 1);
		return 0;
	}
	std::string shown = display(e164);
	if (slot && shown.size() < kShownMax) {
		std::memcpy(slot->e164, e164, len + 1);
		std::memcpy(slot->shown, shown.c_str(), shown.size() + 1);
	}
	if (shown.size() + 1 > size)
		return -1;
	std::memcpy(out, shown.c_str(), shown.size() + 1);
	return 0;
}
