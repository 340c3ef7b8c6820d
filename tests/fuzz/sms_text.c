/* The SMS text rules (cgi-bin/sms_text.c): GSM-7 or UCS-2, length and
 * billed segments, the verdict on both levels, look-alike characters.
 * Properties: a text never bills fewer segments than its characters need
 * (160 a segment in GSM-7, 70 in UCS-2, each character at least one);
 * replacing look-alikes never makes a text longer in bytes, and what is
 * offered as a replacement is never costlier than the text. */
#include "fuzz.h"

#include "http.h"
#include "sms_text.h"

/* Code points of valid UTF-8, counted apart from sms_text.c. */
static size_t code_points(const char *s, size_t n)
{
	size_t cp = 0;
	for (size_t i = 0; i < n; i++)
		cp += ((unsigned char)s[i] & 0xc0) != 0x80;
	return cp;
}

static void segments_ok(const char *s, size_t n, const struct sms_count *c)
{
	size_t per = c->encoding == SMS_GSM7 ? 160 : 70;
	FUZZ_CHECK(c->encoding == (c->special ? SMS_UCS2 : SMS_GSM7));
	size_t cp = code_points(s, n);
	FUZZ_CHECK(c->length >= cp);
	FUZZ_CHECK((size_t)c->billed >= (cp + per - 1) / per);
	FUZZ_CHECK((size_t)c->billed * per >= c->length);
	FUZZ_CHECK(c->length == 0 || c->billed >= 1);
}

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	size_t len = strlen(s);
	struct sms_count c;
	int valid = utf8_valid(s, len);
	if (sms_count(s, len, &c) == 0) {
		FUZZ_CHECK(valid);
		segments_ok(s, len, &c);
	} else {
		FUZZ_CHECK(!valid);
	}
	char msg[512], names[256], tiny[8];
	for (int advanced = 0; advanced <= 1; advanced++) {
		enum sms_verdict v = sms_check(s, advanced, &c);
		FUZZ_CHECK(sms_verdict_name(v) && sms_verdict_text(v, advanced));
		if (v != SMS_BAD_TEXT)
			segments_ok(s, len, &c);
		FUZZ_CHECK(sms_verdict_message(msg, sizeof msg, v, advanced, &c) == 0);
		if (v == SMS_OK)
			FUZZ_CHECK(c.length <= (size_t)(advanced ? SMS_ADVANCED_MAX : SMS_STANDARD_MAX) &&
				   (advanced || !c.special));

		char *out = malloc(len + 1);
		if (!out)
			abort();
		struct sms_lookalikes l;
		enum sms_offer o = sms_lookalike_offer(s, advanced, out, len + 1, &l);
		FUZZ_CHECK(sms_offer_name(o));
		if (o == SMS_OFFER_REPLACE) {
			FUZZ_CHECK(l.replaced > 0);
			FUZZ_CHECK(strlen(out) <= len);
			FUZZ_CHECK(l.after.billed <= l.before.billed);
			FUZZ_CHECK(sms_check(out, advanced, NULL) == SMS_OK);
		}
		long r = sms_lookalike_replace(s, out, len + 1);
		if (r >= 0) {
			FUZZ_CHECK(valid);
			FUZZ_CHECK(strlen(out) <= len);
			FUZZ_CHECK(utf8_valid(out, strlen(out)));
			/* replaced once, nothing is left to replace */
			char *twice = malloc(len + 1);
			if (!twice)
				abort();
			FUZZ_CHECK(sms_lookalike_replace(out, twice, len + 1) == 0);
			FUZZ_CHECK(strcmp(twice, out) == 0);
			free(twice);
		} else {
			FUZZ_CHECK(!valid && out[0] == '\0');
		}
		free(out);
	}
	if (sms_lookalike_names(s, names, sizeof names) < 0)
		FUZZ_CHECK(names[0] == '\0');
	if (sms_special_names(s, names, sizeof names) < 0)
		FUZZ_CHECK(names[0] == '\0');
	/* too small a buffer is refused, never overrun */
	if (sms_lookalike_names(s, tiny, sizeof tiny) < 0)
		FUZZ_CHECK(tiny[0] == '\0');
	(void)sms_special_names(s, tiny, sizeof tiny);
	free(s);
}
