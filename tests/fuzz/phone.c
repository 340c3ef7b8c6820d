/* Phone numbers (cgi-bin/phone.cc through libphonenumber): a number as
 * people type it. Property: a parsed number formats back to the same
 * number (phone_display, then phone_normalize, gives the E.164 again),
 * and E.164 is '+' and at most 15 digits. */
#include "fuzz.h"

#include "validate.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	char e164[E164_MAX + 1], shown[PHONE_DISPLAY_MAX], again[E164_MAX + 1];
	if (phone_normalize(s, e164) == 0) {
		size_t len = strlen(e164);
		FUZZ_CHECK(e164[0] == '+' && len >= 2 && len <= E164_MAX &&
			   strspn(e164 + 1, "0123456789") == len - 1);
		FUZZ_CHECK(phone_display(e164, shown, sizeof shown) == 0);
		FUZZ_CHECK(phone_normalize(shown, again) == 0);
		FUZZ_CHECK(strcmp(again, e164) == 0);
		FUZZ_CHECK(phone_normalize(e164, again) == 0 && strcmp(again, e164) == 0);
	}
	/* whatever is stored is shown without overflowing */
	(void)phone_display(s, shown, sizeof shown);
	free(s);
}
