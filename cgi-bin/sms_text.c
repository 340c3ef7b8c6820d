/* GSM 03.38 (3GPP TS 23.038) character rules of an SMS: see sms_text.h.
 * static/sms_text.js is the same code in JavaScript; change both together. */
#include "sms_text.h"

#include "http.h" /* utf8_valid */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* How many GSM-7 septets a character takes; 0 means "special". */
enum gsm_class { GSM_SPECIAL = 0, GSM_BASIC = 1, GSM_EXTENSION = 2 };

/* Printable ASCII that the basic table lacks: the extension table's
 * characters and the grave accent (GSM 0x60 is an inverted question mark). */
static const char gsm_ascii_extension[] = "^{}\\[~]|";
/* The basic table's characters outside ASCII, sorted. 0x09 is the capital C
 * cedilla as in ETSI's table (some old mappings say small c cedilla). */
static const uint16_t gsm_basic_non_ascii[] = {
	0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf, /* ¡ £ ¤ ¥ § ¿ */
	0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c9, 0x00d1, /* Ä Å Æ Ç É Ñ */
	0x00d6, 0x00d8, 0x00dc, 0x00df, 0x00e0, 0x00e4, /* Ö Ø Ü ß à ä */
	0x00e5, 0x00e6, 0x00e8, 0x00e9, 0x00ec, 0x00f1, /* å æ è é ì ñ */
	0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc,         /* ò ö ø ù ü */
	0x0393, 0x0394, 0x0398, 0x039b, 0x039e,         /* Γ Δ Θ Λ Ξ */
	0x03a0, 0x03a3, 0x03a6, 0x03a8, 0x03a9,         /* Π Σ Φ Ψ Ω */
};
#define GSM_FORM_FEED 0x000c
#define GSM_EURO 0x20ac

/* Unicode White_Space outside the control characters (those are refused
 * before blankness is asked), plus LF, CR and form feed. */
static const uint16_t white_space[] = {
	0x000a, 0x000c, 0x000d, 0x0020, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
	0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
	0x2029, 0x202f, 0x205f, 0x3000,
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const uint16_t *list, size_t n, uint32_t cp)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == cp)
			return 1;
	return 0;
}

static enum gsm_class gsm_class_of(uint32_t cp)
{
	if (cp == '\n' || cp == '\r')
		return GSM_BASIC;
	if (cp == GSM_FORM_FEED || cp == GSM_EURO)
		return GSM_EXTENSION;
	if (cp >= 0x20 && cp < 0x7f) {
		if (memchr(gsm_ascii_extension, (int)cp, sizeof gsm_ascii_extension - 1))
			return GSM_EXTENSION;
		return cp == '`' ? GSM_SPECIAL : GSM_BASIC;
	}
	return in_list(gsm_basic_non_ascii, COUNT_OF(gsm_basic_non_ascii), cp)
		? GSM_BASIC : GSM_SPECIAL;
}

/* C0 and C1 controls and DEL, except the ones the tables hold. */
static int is_refused_control(uint32_t cp)
{
	if (cp == '\n' || cp == '\r' || cp == GSM_FORM_FEED)
		return 0;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Decodes one character of text already checked by utf8_valid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		      (s[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return 4;
}

struct scan {
	size_t septets;  /* GSM-7 length, meaningful without special characters */
	size_t units;    /* UTF-16 code units */
	int special;
	int control;     /* a refused control character */
	int blank;       /* nothing but white space (or nothing) */
};

static int scan_text(const char *utf8, size_t n, struct scan *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->blank = 1;
	if (n == 0)
		return 0;
	if (!utf8 || !utf8_valid(utf8, n))
		return -1;
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		i += utf8_next(s + i, &cp);
		enum gsm_class cls = gsm_class_of(cp);
		sc->septets += (size_t)cls;
		sc->units += cp >= 0x10000 ? 2 : 1;
		sc->special |= cls == GSM_SPECIAL;
		sc->control |= is_refused_control(cp);
		if (!in_list(white_space, COUNT_OF(white_space), cp))
			sc->blank = 0;
	}
	return 0;
}

static unsigned billed_for(size_t length, int special)
{
	size_t per = special ? 70 : 160;
	return (unsigned)((length + per - 1) / per);
}

static void count_from_scan(const struct scan *sc, struct sms_count *out)
{
	out->special = sc->special;
	out->encoding = sc->special ? SMS_UCS2 : SMS_GSM7;
	out->length = sc->special ? sc->units : sc->septets;
	out->billed = billed_for(out->length, sc->special);
}

int sms_count(const char *utf8, size_t n, struct sms_count *out)
{
	struct scan sc;
	int rc = scan_text(utf8, n, &sc);
	if (rc < 0)
		memset(&sc, 0, sizeof sc);
	count_from_scan(&sc, out);
	return rc;
}

enum sms_verdict sms_check(const char *utf8, int advanced, struct sms_count *out)
{
	struct sms_count unused;
	if (!out)
		out = &unused;
	struct scan sc;
	int rc = scan_text(utf8, utf8 ? strlen(utf8) : 0, &sc);
	if (rc < 0)
		memset(&sc, 0, sizeof sc);
	count_from_scan(&sc, out);
	if (rc < 0 || sc.control)
		return SMS_BAD_TEXT;
	if (sc.blank)
		return SMS_EMPTY;
	if (sc.special && !advanced)
		return SMS_SPECIAL_REFUSED;
	if (out->length > (advanced ? SMS_ADVANCED_MAX : SMS_STANDARD_MAX))
		return SMS_TOO_LONG;
	return SMS_OK;
}

const char *sms_verdict_text(enum sms_verdict v, int advanced)
{
	switch (v) {
	case SMS_OK:
		return "This message can be sent.";
	case SMS_EMPTY:
		return "This message is empty.";
	case SMS_TOO_LONG:
		return advanced
			? "This message is too long: at most 640 characters."
			: "This message is too long: at most 160 characters on the standard SMS level.";
	case SMS_SPECIAL_REFUSED:
		return "This message has characters that need the advanced SMS level"
		       " (e.g. emoji or curly quotes).";
	case SMS_BAD_TEXT:
		return "This message has characters that cannot be sent by SMS"
		       " (control characters or invalid text).";
	}
	return "This message cannot be sent.";
}

int sms_verdict_message(char *buf, size_t size, enum sms_verdict v, int advanced,
			const struct sms_count *c)
{
	size_t max = advanced ? SMS_ADVANCED_MAX : SMS_STANDARD_MAX;
	int n;
	if (v == SMS_TOO_LONG && c && c->length > max) {
		size_t over = c->length - max;
		n = snprintf(buf, size, "This message is %zu character%s too long (at most %zu%s).",
			     over, over == 1 ? "" : "s", max,
			     advanced ? "" : " on the standard SMS level");
	} else {
		n = snprintf(buf, size, "%s", sms_verdict_text(v, advanced));
	}
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

const char *sms_verdict_name(enum sms_verdict v)
{
	switch (v) {
	case SMS_OK:
		return "ok";
	case SMS_EMPTY:
		return "empty";
	case SMS_TOO_LONG:
		return "too_long";
	case SMS_SPECIAL_REFUSED:
		return "special_refused";
	case SMS_BAD_TEXT:
		return "bad_text";
	}
	return "bad_text";
}

const char *sms_encoding_name(enum sms_encoding e)
{
	return e == SMS_UCS2 ? "ucs2" : "gsm7";
}
