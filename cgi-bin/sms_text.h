/* The character rules of an SMS (docs/behaviour.md, "Character count and billing"):
 * GSM 03.38 basic and extension tables, "special" characters, length, the
 * standard and advanced limits and the billed count. static/sms_text.js
 * mirrors this file exactly; tests/sms_vectors.json drives both. */
#ifndef SMSDESK_SMS_TEXT_H
#define SMSDESK_SMS_TEXT_H
#include <stddef.h>

#define SMS_STANDARD_MAX 160
#define SMS_ADVANCED_MAX 640

enum sms_encoding { SMS_GSM7, SMS_UCS2 };

struct sms_count {
	enum sms_encoding encoding; /* UCS2 when any character is special */
	int special;                /* a character outside the GSM 03.38 tables */
	size_t length;              /* GSM-7 characters (extension ones count 2),
				       or UTF-16 code units when special */
	unsigned billed;            /* ceil(length / 160), or ceil(length / 70) */
};

enum sms_verdict {
	SMS_OK,
	SMS_EMPTY,             /* nothing but white space */
	SMS_TOO_LONG,          /* over the level's limit */
	SMS_SPECIAL_REFUSED,   /* a special character on the standard level */
	SMS_BAD_TEXT,          /* invalid UTF-8 or a control character */
};

/* Counts a UTF-8 text; -1 when it is not valid UTF-8. */
int sms_count(const char *utf8, size_t n, struct sms_count *out);
/* Checks a NUL-terminated text against the organization's level (advanced
 * or not), in this order: BAD_TEXT (invalid UTF-8, or a C0/C1 control or DEL
 * other than LF, CR and form feed, which the GSM tables hold), EMPTY (only
 * white space: LF, CR, form feed and Unicode White_Space; NULL counts as ""),
 * SPECIAL_REFUSED (standard level), TOO_LONG. Fills *out (may be NULL)
 * whenever the text is valid UTF-8, zeroes it otherwise. */
enum sms_verdict sms_check(const char *utf8, int advanced, struct sms_count *out);
/* A sentence for the user explaining a verdict. */
const char *sms_verdict_text(enum sms_verdict v, int advanced);
/* The same sentence, saying by how much a text is too long when c is given
 * ("This message is 3 characters too long (at most 160 ...)."); -1 when buf
 * is too small. static/sms_text.js SmsText.message gives the same text. */
int sms_verdict_message(char *buf, size_t size, enum sms_verdict v, int advanced,
			const struct sms_count *c);
/* "ok", "empty", "too_long", "special_refused", "bad_text" (as the JS). */
const char *sms_verdict_name(enum sms_verdict v);
const char *sms_encoding_name(enum sms_encoding e); /* "gsm7", "ucs2" */
#endif
