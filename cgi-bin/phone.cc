// Phone numbers through Google's libphonenumber, reached from C through
// this small extern "C" bridge (like tmpl.cc for ctemplate): every number
// that enters is parsed and validated by it and stored in E.164, and shown
// the way people write it.
#include "validate.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" int phone_normalize(const char *in, char out[E164_MAX + 1])
{
	if (!in)
		return -1;
	// digits, a leading '+' and the usual separators only: no letters
	// (vanity numbers), no extensions
	size_t n = std::strlen(in);
	if (n == 0 || n > 40 || std::strspn(in, "0123456789+ -.()") != n)
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

extern "C" int phone_display(const char *e164, char *out, size_t size)
{
	std::string shown;
	PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber pn;
	if (!e164 || util->Parse(e164, "US", &pn) != PhoneNumberUtil::NO_PARSING_ERROR ||
	    !util->IsValidNumber(pn)) {
		shown = e164 ? e164 : "";
	} else {
		std::string region;
		util->GetRegionCodeForNumber(pn, &region);
		util->Format(pn, region == "US" ? PhoneNumberUtil::NATIONAL
						: PhoneNumberUtil::INTERNATIONAL, &shown);
	}
	if (shown.size() + 1 > size)
		return -1;
	std::memcpy(out, shown.c_str(), shown.size() + 1);
	return 0;
}
