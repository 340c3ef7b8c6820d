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
/* The refusal of a text on the organization's level, naming the special
 * characters the standard level refuses and offering the fix, the words the
 * chatbox shows as the agent types (static/sms_text.js SmsText.refusal):
 * "😀 can't be sent on your plan's standard texts. Remove it." Without
 * special characters other than look-alikes (their offer says it), and for
 * the other verdicts, sms_verdict_message's sentence. -1 when buf is too
 * small or the text is not valid UTF-8. */
int sms_refusal_message(char *buf, size_t size, const char *utf8, int advanced);
#define SMS_SPECIAL_SAID "can't be sent on your plan's standard texts"
#define SMS_REMOVE_IT "Remove it"
#define SMS_REMOVE_THEM "Remove them"
/* "ok", "empty", "too_long", "special_refused", "bad_text" (as the JS). */
const char *sms_verdict_name(enum sms_verdict v);
const char *sms_encoding_name(enum sms_encoding e); /* "gsm7", "ucs2" */

/* ---- look-alike characters: curly quotes, long dashes, the ellipsis,
 * unusual spaces and a few more (the table in sms_text.c) that make a
 * text special only because a word processor or a phone typed them. */

enum sms_offer {
	SMS_OFFER_NONE,     /* nothing to offer */
	SMS_OFFER_REPLACE,  /* replacing them changes the outcome: offer it */
	SMS_OFFER_OTHERS,   /* standard level: other special characters remain
			       after replacing them, so it would not help: say so */
};

struct sms_lookalikes {
	enum sms_offer offer;
	size_t replaced;               /* look-alike characters in the text */
	struct sms_count before, after;
};

/* Copies a NUL-terminated UTF-8 text into out (size bytes) with every
 * look-alike replaced by its GSM-7 equivalent. strlen(utf8) + 1 bytes
 * always suffice: no replacement is longer than what it replaces. Returns
 * how many characters were replaced; -1 (out holds "") on invalid UTF-8
 * or when out is too small. */
long sms_lookalike_replace(const char *utf8, char *out, size_t size);
/* The offer for a text on the organization's level (advanced or not),
 * with the replaced text in out as sms_lookalike_replace writes it:
 * - REPLACE when the replaced text can be sent and the text cannot (the
 *   standard level refuses its special characters), or (advanced) bills
 *   fewer messages than the text;
 * - OTHERS on the standard level when special characters other than
 *   look-alikes remain;
 * - NONE otherwise: no look-alikes, an empty or invalid text, a replaced
 *   text still too long, or an advanced text that bills the same.
 * Fills *l (may be NULL); returns l->offer. */
enum sms_offer sms_lookalike_offer(const char *utf8, int advanced, char *out, size_t size,
				   struct sms_lookalikes *l);
/* "none", "replace", "others" (as the JS). */
const char *sms_offer_name(enum sms_offer o);
/* The distinct look-alikes of a text in text order, as the offer names
 * them, separated by spaces ("“ ” … no-break space"); at most
 * SMS_NAMES_MAX, then " etc.". 0, or -1 when buf is too small or the text
 * invalid (buf then holds ""). */
int sms_lookalike_names(const char *utf8, char *buf, size_t size);
/* The same for the special characters of a text (each as itself). */
int sms_special_names(const char *utf8, char *buf, size_t size);
#define SMS_NAMES_MAX 6
#endif
