/* GSM 03.38 (3GPP TS 23.038) character rules of an SMS: see sms_text.h.
 * static/sms_text.js is the same code in JavaScript; change both together. */
#include "sms_text.h"

#include "http.h" /* utf8_valid */

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static int in_list_u32(const uint32_t *list, size_t n, uint32_t cp)
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
		return "This message has characters that " SMS_SPECIAL_SAID
		       " (e.g. emoji or curly quotes). Remove them.";
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

int sms_refusal_message(char *buf, size_t size, const char *utf8, int advanced)
{
	struct sms_count c;
	enum sms_verdict v = sms_check(utf8, advanced, &c);
	if (v != SMS_SPECIAL_REFUSED)
		return sms_verdict_message(buf, size, v, advanced, &c);
	/* the special characters that remain once look-alikes are replaced
	 * (the look-alike offer speaks of those): none, the sentence above */
	size_t n = strlen(utf8) + 1;
	char *replaced = malloc(n), names[64];
	if (!replaced)
		return -1;
	int rc = sms_lookalike_replace(utf8, replaced, n) < 0 ||
		 sms_special_names(replaced, names, sizeof names) < 0 ? -1 : 0;
	free(replaced);
	if (rc < 0 || !names[0])
		return sms_verdict_message(buf, size, v, advanced, &c);
	/* one name has no space; several (or "etc.") have */
	int k = snprintf(buf, size, "%s " SMS_SPECIAL_SAID ". %s.", names,
			 strchr(names, ' ') ? SMS_REMOVE_THEM : SMS_REMOVE_IT);
	return k < 0 || (size_t)k >= size ? -1 : 0;
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

/* ---- look-alike characters
 *
 * Characters outside the GSM 03.38 tables that stand for one inside them,
 * and that people rarely mean as different: what a word processor or a
 * phone's keyboard types for quotes, dashes and spaces. Each becomes the
 * GSM-7 character it looks like; an invisible one becomes nothing. No
 * replacement is longer in UTF-8 than its character (a unit test checks),
 * so a replaced text never needs more room than the text.
 * static/sms_text.js holds the same table. */
static const struct lookalike {
	uint16_t cp;
	const char *gsm;    /* what it becomes */
	const char *shown;  /* how the offer names it; NULL: the character itself */
} lookalikes[] = {
	/* apostrophes and single quotes */
	{ 0x0060, "'", NULL },                 /* ` grave accent, typed for ' (GSM has none) */
	{ 0x00b4, "'", NULL },                 /* ´ acute accent */
	{ 0x02bc, "'", NULL },                 /* ʼ modifier letter apostrophe */
	{ 0x2018, "'", NULL },                 /* ‘ left single quotation mark */
	{ 0x2019, "'", NULL },                 /* ’ right single quotation mark, the curly apostrophe */
	{ 0x201a, "'", NULL },                 /* ‚ single low-9 quotation mark */
	{ 0x201b, "'", NULL },                 /* ‛ single high-reversed-9 quotation mark */
	{ 0x2032, "'", NULL },                 /* ′ prime (feet, minutes) */
	{ 0x2039, "'", NULL },                 /* ‹ single left-pointing angle quotation mark */
	{ 0x203a, "'", NULL },                 /* › single right-pointing angle quotation mark */
	/* double quotes */
	{ 0x00ab, "\"", NULL },                /* « left-pointing double angle quotation mark */
	{ 0x00bb, "\"", NULL },                /* » right-pointing double angle quotation mark */
	{ 0x201c, "\"", NULL },                /* “ left double quotation mark */
	{ 0x201d, "\"", NULL },                /* ” right double quotation mark */
	{ 0x201e, "\"", NULL },                /* „ double low-9 quotation mark */
	{ 0x201f, "\"", NULL },                /* ‟ double high-reversed-9 quotation mark */
	{ 0x2033, "\"", NULL },                /* ″ double prime (inches, seconds) */
	/* hyphens, dashes and the minus sign */
	{ 0x2010, "-", NULL },                 /* ‐ hyphen */
	{ 0x2011, "-", NULL },                 /* ‑ non-breaking hyphen */
	{ 0x2012, "-", NULL },                 /* ‒ figure dash */
	{ 0x2013, "-", NULL },                 /* – en dash */
	{ 0x2014, "-", NULL },                 /* — em dash */
	{ 0x2015, "-", NULL },                 /* ― horizontal bar */
	{ 0x2212, "-", NULL },                 /* − minus sign */
	/* punctuation */
	{ 0x2022, "*", NULL },                 /* • bullet */
	{ 0x2026, "...", NULL },               /* … horizontal ellipsis */
	/* spaces */
	{ 0x00a0, " ", "no-break space" },
	{ 0x2002, " ", "en space" },
	{ 0x2003, " ", "em space" },
	{ 0x2004, " ", "three-per-em space" },
	{ 0x2005, " ", "four-per-em space" },
	{ 0x2006, " ", "six-per-em space" },
	{ 0x2007, " ", "figure space" },
	{ 0x2008, " ", "punctuation space" },
	{ 0x2009, " ", "thin space" },
	{ 0x200a, " ", "hair space" },
	{ 0x202f, " ", "narrow no-break space" },
	{ 0x205f, " ", "medium mathematical space" },
	/* invisible: they go */
	{ 0x00ad, "", "soft hyphen" },
	{ 0x200b, "", "zero-width space" },
	{ 0x2060, "", "word joiner" },
	{ 0xfeff, "", "zero-width no-break space" },
};

static const struct lookalike *lookalike_of(uint32_t cp)
{
	for (size_t i = 0; i < COUNT_OF(lookalikes); i++)
		if (lookalikes[i].cp == cp)
			return &lookalikes[i];
	return NULL;
}

static int put(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o + n >= size)
		return -1;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

long sms_lookalike_replace(const char *utf8, char *out, size_t size)
{
	if (!out || size == 0)
		return -1;
	out[0] = '\0';
	size_t n = utf8 ? strlen(utf8) : 0, i = 0, o = 0;
	if (n && !utf8_valid(utf8, n))
		return -1;
	long replaced = 0;
	const unsigned char *s = (const unsigned char *)utf8;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(s + i, &cp);
		const struct lookalike *l = lookalike_of(cp);
		int rc = l ? put(out, size, &o, l->gsm, strlen(l->gsm))
			   : put(out, size, &o, utf8 + i, len);
		if (rc < 0) {
			out[0] = '\0';
			return -1;
		}
		replaced += l != NULL;
		i += len;
	}
	return replaced;
}

enum sms_offer sms_lookalike_offer(const char *utf8, int advanced, char *out, size_t size,
				   struct sms_lookalikes *l)
{
	struct sms_lookalikes unused;
	if (!l)
		l = &unused;
	memset(l, 0, sizeof *l);
	enum sms_verdict before = sms_check(utf8, advanced, &l->before);
	long n = sms_lookalike_replace(utf8, out, size);
	if (n <= 0 || before == SMS_BAD_TEXT || before == SMS_EMPTY)
		return l->offer = SMS_OFFER_NONE;
	l->replaced = (size_t)n;
	enum sms_verdict after = sms_check(out, advanced, &l->after);
	if (l->after.special)
		return l->offer = advanced ? SMS_OFFER_NONE : SMS_OFFER_OTHERS;
	if (after != SMS_OK)
		return l->offer = SMS_OFFER_NONE;
	if (!advanced)
		return l->offer = before == SMS_SPECIAL_REFUSED ? SMS_OFFER_REPLACE : SMS_OFFER_NONE;
	return l->offer = l->after.billed < l->before.billed ? SMS_OFFER_REPLACE : SMS_OFFER_NONE;
}

const char *sms_offer_name(enum sms_offer o)
{
	return o == SMS_OFFER_REPLACE ? "replace" : o == SMS_OFFER_OTHERS ? "others" : "none";
}

/* The distinct characters of a text that pick() names (NULL: not listed),
 * in text order, space separated, at most SMS_NAMES_MAX then " etc.". */
static int list_names(const char *utf8, char *buf, size_t size,
		      const char *(*pick)(uint32_t cp, const char *at, size_t len, char *one))
{
	if (!buf || size == 0)
		return -1;
	buf[0] = '\0';
	size_t n = utf8 ? strlen(utf8) : 0, i = 0, o = 0, listed = 0;
	if (n && !utf8_valid(utf8, n))
		return -1;
	uint32_t seen[SMS_NAMES_MAX];
	const unsigned char *s = (const unsigned char *)utf8;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(s + i, &cp);
		char one[5];
		const char *name = pick(cp, utf8 + i, len, one);
		i += len;
		if (!name || in_list_u32(seen, listed < SMS_NAMES_MAX ? listed : SMS_NAMES_MAX, cp))
			continue;
		if (listed == SMS_NAMES_MAX) {
			if (put(buf, size, &o, " etc.", 5) < 0)
				goto small;
			break;
		}
		if ((listed && put(buf, size, &o, " ", 1) < 0) || put(buf, size, &o, name, strlen(name)) < 0)
			goto small;
		assert(listed < SMS_NAMES_MAX);
		seen[listed++] = cp;
	}
	return 0;
small:
	buf[0] = '\0';
	return -1;
}

static const char *as_itself(const char *at, size_t len, char *one)
{
	assert(len >= 1 && len <= 4);  /* one UTF-8 character into one[5] */
	memcpy(one, at, len);
	one[len] = '\0';
	return one;
}

static const char *pick_lookalike(uint32_t cp, const char *at, size_t len, char *one)
{
	const struct lookalike *l = lookalike_of(cp);
	if (!l)
		return NULL;
	return l->shown ? l->shown : as_itself(at, len, one);
}

static const char *pick_special(uint32_t cp, const char *at, size_t len, char *one)
{
	return gsm_class_of(cp) == GSM_SPECIAL ? as_itself(at, len, one) : NULL;
}

int sms_lookalike_names(const char *utf8, char *buf, size_t size)
{
	return list_names(utf8, buf, size, pick_lookalike);
}

int sms_special_names(const char *utf8, char *buf, size_t size)
{
	return list_names(utf8, buf, size, pick_special);
}
