// libphonenumber's offline geocoder, for the unit tests and for
// tools/gen-area-codes.c only: the server does not link it. Its library
// relocates some 14 MB of built-in data when a program starts, so the
// server reads the area code's state from cgi-bin/area_codes.inc, which
// tools/gen-area-codes.c makes from this geocoder and test_quiet checks
// against it, area code by area code.
#include "validate.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" int phone_geo_description(const char *e164, char *out, size_t size)
{
	// loaded once, on first use; the geocoder locks its own caches
	static const PhoneNumberOfflineGeocoder *geocoder = new PhoneNumberOfflineGeocoder();
	static const icu::Locale english("en", "US");
	std::string where;
	PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	PhoneNumber pn;
	if (e164 && util->Parse(e164, "US", &pn) == PhoneNumberUtil::NO_PARSING_ERROR &&
	    util->IsValidNumber(pn))
		where = geocoder->GetDescriptionForValidNumber(pn, english);
	if (where.size() + 1 > size)
		return -1;
	std::memcpy(out, where.c_str(), where.size() + 1);
	return 0;
}
