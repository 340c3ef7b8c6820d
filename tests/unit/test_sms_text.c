/* The SMS character rules (cgi-bin/sms_text.c) against tests/sms_vectors.json,
 * the vectors tests/js/sms_text.test.js runs on static/sms_text.js, plus what
 * JSON cannot carry: invalid UTF-8, NUL bytes. Run from the repository root. */
#include "unit.h"

#include "sms_text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VECTORS_PATH "tests/sms_vectors.json"

static json_t *vectors_doc;

static int load_vectors(void **state)
{
	(void)state;
	json_error_t err;
	vectors_doc = json_load_file(VECTORS_PATH, 0, &err);
	if (!vectors_doc)
		print_error("%s:%d: %s\n", VECTORS_PATH, err.line, err.text);
	return 0; /* a missing file fails each vector test, by name */
}

static int free_vectors(void **state)
{
	(void)state;
	json_decref(vectors_doc);
	vectors_doc = NULL;
	return 0;
}

static json_t *vectors(void)
{
	json_t *v = json_object_get(vectors_doc, "vectors");
	if (!json_is_array(v) || json_array_size(v) < 50)
		fail_msg("cannot read the vectors in %s (run from the repository root)", VECTORS_PATH);
	return v;
}

/* Appends part (n bytes) repeat times to a malloc'd buffer. */
static int append_repeated(char **buf, size_t *len, const char *part, size_t n, size_t repeat)
{
	if (repeat > 100000 || n > 100000)
		return -1;
	char *p = realloc(*buf, *len + n * repeat + 1);
	if (!p)
		return -1;
	for (size_t i = 0; i < repeat; i++, *len += n)
		memcpy(p + *len, part, n);
	p[*len] = '\0';
	*buf = p;
	return 0;
}

/* A vector's text (field text_field, or parts_field: [[string, repeat],
 * ...]), malloc'd and NUL-terminated; NULL when the vector is malformed. */
static char *vector_field_text(const json_t *v, const char *text_field, const char *parts_field,
			       size_t *len)
{
	char *buf = NULL;
	*len = 0;
	const json_t *text = json_object_get(v, text_field);
	const json_t *parts = json_object_get(v, parts_field);
	if (json_is_string(text)) {
		if (append_repeated(&buf, len, json_string_value(text), json_string_length(text), 1) < 0)
			goto fail;
		return buf;
	}
	if (!json_is_array(parts))
		goto fail;
	size_t i;
	const json_t *part;
	json_array_foreach(parts, i, part) {
		const json_t *s = json_array_get(part, 0), *r = json_array_get(part, 1);
		if (!json_is_string(s) || !json_is_integer(r) || json_integer_value(r) < 0 ||
		    append_repeated(&buf, len, json_string_value(s), json_string_length(s),
				    (size_t)json_integer_value(r)) < 0)
			goto fail;
	}
	if (!buf && append_repeated(&buf, len, "", 0, 1) < 0)
		goto fail;
	return buf;
fail:
	free(buf);
	return NULL;
}

/* The vector's text ("text", or "parts"). */
static char *vector_text(const json_t *v, size_t *len)
{
	return vector_field_text(v, "text", "parts", len);
}

static const char *vector_name(const json_t *v)
{
	const char *name = json_string_value(json_object_get(v, "name"));
	return name ? name : "(unnamed vector)";
}

/* Each checks one vector and returns how many expectations failed. */
typedef int (*vector_check)(const json_t *v, const char *text, size_t len);

static int for_every_vector(vector_check check)
{
	int failures = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(vectors(), i, v) {
		size_t len;
		char *text = vector_text(v, &len);
		if (!text) {
			print_error("vector \"%s\": no text or parts\n", vector_name(v));
			failures++;
			continue;
		}
		failures += check(v, text, len);
		free(text);
	}
	return failures;
}

static int want_int(const json_t *v, const char *field, long long got)
{
	const json_t *want = json_object_get(v, field);
	long long w = json_is_boolean(want) ? json_is_true(want) : json_integer_value(want);
	if ((json_is_integer(want) || json_is_boolean(want)) && w == got)
		return 0;
	print_error("vector \"%s\": %s is %lld, want %lld\n", vector_name(v), field, got, w);
	return 1;
}

static int want_string(const json_t *v, const char *field, const char *got)
{
	const char *want = json_string_value(json_object_get(v, field));
	if (want && strcmp(want, got) == 0)
		return 0;
	print_error("vector \"%s\": %s is \"%s\", want \"%s\"\n", vector_name(v), field, got,
		    want ? want : "(missing)");
	return 1;
}

static int check_count(const json_t *v, const char *text, size_t len)
{
	struct sms_count c;
	if (sms_count(text, len, &c) != 0) {
		print_error("vector \"%s\": sms_count failed\n", vector_name(v));
		return 1;
	}
	return want_string(v, "encoding", sms_encoding_name(c.encoding)) +
	       want_int(v, "special", c.special) +
	       want_int(v, "length", (long long)c.length) +
	       want_int(v, "billed", c.billed);
}

static int same_count(const struct sms_count *a, const struct sms_count *b)
{
	return a->encoding == b->encoding && a->special == b->special &&
	       a->length == b->length && a->billed == b->billed;
}

static int check_verdicts(const json_t *v, const char *text, size_t len)
{
	(void)len;
	int failures = 0;
	for (int advanced = 0; advanced <= 1; advanced++) {
		struct sms_count c, counted;
		enum sms_verdict got = sms_check(text, advanced, &c);
		failures += want_string(v, advanced ? "advanced" : "standard", sms_verdict_name(got));
		/* sms_check fills the count as sms_count does */
		if (sms_count(text, len, &counted) != 0 || !same_count(&c, &counted)) {
			print_error("vector \"%s\": sms_check's count differs\n", vector_name(v));
			failures++;
		}
	}
	return failures;
}

static int check_messages(const json_t *v, const char *text, size_t len)
{
	(void)len;
	const json_t *messages = json_object_get(v, "messages");
	int failures = 0;
	for (int advanced = 0; advanced <= 1; advanced++) {
		const char *level = advanced ? "advanced" : "standard";
		if (!json_object_get(messages, level))
			continue;
		struct sms_count c;
		char buf[200];
		enum sms_verdict verdict = sms_check(text, advanced, &c);
		if (sms_verdict_message(buf, sizeof buf, verdict, advanced, &c) != 0) {
			print_error("vector \"%s\": sms_verdict_message failed\n", vector_name(v));
			failures++;
			continue;
		}
		failures += want_string(messages, level, buf);
	}
	return failures;
}

/* sms_refusal_message: the refusal naming what the standard level refuses */
static int check_refusals(const json_t *v, const char *text, size_t len)
{
	(void)len;
	const json_t *refusals = json_object_get(v, "refusals");
	int failures = 0;
	for (int advanced = 0; advanced <= 1; advanced++) {
		const char *level = advanced ? "advanced" : "standard";
		if (!json_object_get(refusals, level))
			continue;
		char buf[256];
		if (sms_refusal_message(buf, sizeof buf, text, advanced) != 0) {
			print_error("vector \"%s\": sms_refusal_message failed\n", vector_name(v));
			failures++;
			continue;
		}
		failures += want_string(refusals, level, buf);
	}
	return failures;
}

static void vectors_count(void **state)
{
	(void)state;
	assert_int_equal(for_every_vector(check_count), 0);
}

static void vectors_check_both_levels(void **state)
{
	(void)state;
	assert_int_equal(for_every_vector(check_verdicts), 0);
}

static void vectors_messages(void **state)
{
	(void)state;
	assert_int_equal(for_every_vector(check_messages), 0);
}

static void vectors_refusals(void **state)
{
	(void)state;
	assert_int_equal(for_every_vector(check_refusals), 0);
	/* too small a buffer is an error, not a cut sentence */
	char small[20];
	assert_int_equal(sms_refusal_message(small, sizeof small, "Thanks \xf0\x9f\x98\x80", 0), -1);
}

/* ---- what the JSON file cannot carry */

static void invalid_utf8_is_bad_text(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xc3",                     /* truncated */
		"caf\xc3",                  /* truncated at the end */
		"\xf0\x9f\x98",             /* truncated emoji */
		"\xc0\xaf",                 /* overlong '/' */
		"\xe0\x80\xaf",             /* overlong, 3 bytes */
		"\xed\xa0\x80",             /* surrogate */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 emoji */
		"\xf4\x90\x80\x80",         /* past U+10FFFF */
		"\xff", "\xfe",
		"a\x80", "\x80", "\xbf",    /* lone continuation bytes */
		"Hello \xe9 world",         /* Latin-1, not UTF-8 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sms_count c = { SMS_UCS2, 1, 99, 99 };
		assert_int_equal(sms_count(bad[i], strlen(bad[i]), &c), -1);
		assert_int_equal(c.length, 0);
		assert_int_equal(c.billed, 0);
		assert_int_equal(sms_check(bad[i], 0, &c), SMS_BAD_TEXT);
		assert_int_equal(sms_check(bad[i], 1, &c), SMS_BAD_TEXT);
	}
}

/* Encodes a code point as UTF-8; returns the number of bytes. */
static size_t utf8_encode(unsigned cp, char out[5])
{
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | cp >> 18);
		out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	out[n] = '\0';
	return n;
}

static void control_characters_are_bad_text(void **state)
{
	(void)state;
	for (unsigned cp = 1; cp <= 0x9f; cp++) {
		if (cp >= 0x20 && cp < 0x7f)
			continue;
		char ch[5], text[16];
		utf8_encode(cp, ch);
		snprintf(text, sizeof text, "a%sb", ch);
		int allowed = cp == '\n' || cp == '\r' || cp == '\f';
		struct sms_count c;
		if (sms_check(text, 1, &c) != (allowed ? SMS_OK : SMS_BAD_TEXT))
			fail_msg("U+%04X: wrong verdict", cp);
		if (sms_check(ch, 0, &c) != (allowed ? SMS_EMPTY : SMS_BAD_TEXT))
			fail_msg("U+%04X alone: wrong verdict", cp);
	}
}

static void nul_bytes(void **state)
{
	(void)state;
	struct sms_count c;
	/* sms_count sees NUL as a (special) control character... */
	assert_int_equal(sms_count("a\0b", 3, &c), 0);
	assert_int_equal(c.encoding, SMS_UCS2);
	assert_int_equal(c.length, 3);
	/* ...sms_check reads a C string, which ends there */
	assert_int_equal(sms_check("a\0b", 0, &c), SMS_OK);
	assert_int_equal(c.length, 1);
}

/* Hand-written from 3GPP TS 23.038 §6.2.1, independent of sms_text.c's
 * code point tables: the basic table in GSM order (0x00-0x7F without ESC,
 * 0x1B), then the extension table. */
static const char *const basic_table[] = {
	"@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
	"Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "Æ", "æ", "ß", "É",
	" ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
	"¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
	"P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
	"¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
	"p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
};
static const char *const extension_table[] = {
	"\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€",
};
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static void expect_single(const char *ch, enum sms_encoding enc, size_t length)
{
	struct sms_count c;
	if (sms_count(ch, strlen(ch), &c) != 0 || c.encoding != enc ||
	    c.special != (enc == SMS_UCS2) || c.length != length || c.billed != 1)
		fail_msg("\"%s\" (%zu bytes): got %s, length %zu, billed %u; want %s, length %zu",
			 ch, strlen(ch), sms_encoding_name(c.encoding), c.length, c.billed,
			 sms_encoding_name(enc), length);
}

static void every_table_character(void **state)
{
	(void)state;
	assert_int_equal(COUNT_OF(basic_table), 127);
	assert_int_equal(COUNT_OF(extension_table), 10);
	for (size_t i = 0; i < COUNT_OF(basic_table); i++)
		expect_single(basic_table[i], SMS_GSM7, 1);
	for (size_t i = 0; i < COUNT_OF(extension_table); i++)
		expect_single(extension_table[i], SMS_GSM7, 2);
}

static int in_tables(const char *ch)
{
	for (size_t i = 0; i < COUNT_OF(basic_table); i++)
		if (strcmp(basic_table[i], ch) == 0)
			return 1;
	for (size_t i = 0; i < COUNT_OF(extension_table); i++)
		if (strcmp(extension_table[i], ch) == 0)
			return 1;
	return 0;
}

static void every_other_character_is_special(void **state)
{
	(void)state;
	char ch[5];
	size_t gsm = 0;
	for (unsigned cp = 1; cp < 0x10000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		utf8_encode(cp, ch);
		if (in_tables(ch))
			gsm++;
		else
			expect_single(ch, SMS_UCS2, 1);
	}
	assert_int_equal(gsm, 137);
	for (unsigned cp = 0x10000; cp <= 0x10ffff; cp += 0xfff) {
		utf8_encode(cp, ch);
		expect_single(ch, SMS_UCS2, 2);
	}
	expect_single("\xf4\x8f\xbf\xbf", SMS_UCS2, 2); /* U+10FFFF */
	expect_single("😀", SMS_UCS2, 2);
}

static void long_texts(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'a', n);
	s[n] = '\0';
	struct sms_count c;
	assert_int_equal(sms_check(s, 1, &c), SMS_TOO_LONG);
	assert_int_equal(c.length, n);
	assert_int_equal(c.billed, 625);
	char buf[200];
	assert_int_equal(sms_verdict_message(buf, sizeof buf, SMS_TOO_LONG, 1, &c), 0);
	assert_string_equal(buf, "This message is 99360 characters too long (at most 640).");
	free(s);
}

static void null_and_empty(void **state)
{
	(void)state;
	struct sms_count c = { SMS_UCS2, 1, 5, 5 };
	assert_int_equal(sms_count(NULL, 0, &c), 0);
	assert_int_equal(c.encoding, SMS_GSM7);
	assert_int_equal(c.length, 0);
	assert_int_equal(c.billed, 0);
	assert_int_equal(sms_count(NULL, 1, &c), -1);
	assert_int_equal(sms_check(NULL, 0, &c), SMS_EMPTY);
	assert_int_equal(sms_check("", 1, &c), SMS_EMPTY);
	assert_int_equal(sms_check("Hi", 0, NULL), SMS_OK);
}

static void verdict_texts(void **state)
{
	(void)state;
	static const enum sms_verdict all[] = {
		SMS_OK, SMS_EMPTY, SMS_TOO_LONG, SMS_SPECIAL_REFUSED, SMS_BAD_TEXT,
	};
	static const char *const names[] = {
		"ok", "empty", "too_long", "special_refused", "bad_text",
	};
	for (size_t i = 0; i < COUNT_OF(all); i++) {
		assert_string_equal(sms_verdict_name(all[i]), names[i]);
		for (int advanced = 0; advanced <= 1; advanced++) {
			const char *t = sms_verdict_text(all[i], advanced);
			assert_true(strncmp(t, "This message ", 13) == 0);
			char buf[200];
			assert_int_equal(sms_verdict_message(buf, sizeof buf, all[i], advanced, NULL), 0);
			assert_string_equal(buf, t);
		}
	}
	assert_string_equal(sms_verdict_text(SMS_TOO_LONG, 0),
			    "This message is too long: at most 160 characters on the standard SMS level.");
	char tiny[8];
	assert_int_equal(sms_verdict_message(tiny, sizeof tiny, SMS_EMPTY, 0, NULL), -1);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

/* ---- look-alike characters: the same vectors as tests/js/sms_text.test.js */

static int check_lookalike(const json_t *v)
{
	size_t len, want_len;
	char *text = vector_text(v, &len);
	char *want = vector_field_text(v, "replaced", "replaced_parts", &want_len);
	int failures = 0;
	if (!text || !want) {
		print_error("look-alike vector \"%s\": no text or replaced text\n", vector_name(v));
		free(text);
		free(want);
		return 1;
	}
	char *out = malloc(len + 1), names[400];
	assert_non_null(out);
	for (int advanced = 0; advanced <= 1; advanced++) {
		struct sms_lookalikes l;
		struct sms_count before, after;
		enum sms_offer offer = sms_lookalike_offer(text, advanced, out, len + 1, &l);
		failures += want_string(v, advanced ? "advanced" : "standard", sms_offer_name(offer));
		failures += l.offer != offer;
		if (strcmp(out, want) != 0) {
			print_error("look-alike vector \"%s\": replaced \"%s\", want \"%s\"\n",
				    vector_name(v), out, want);
			failures++;
		}
		sms_count(text, len, &before);
		sms_count(want, want_len, &after);
		if (!same_count(&l.before, &before) || (offer != SMS_OFFER_NONE && !same_count(&l.after, &after))) {
			print_error("look-alike vector \"%s\": the counts before and after\n", vector_name(v));
			failures++;
		}
	}
	if (sms_lookalike_replace(text, out, len + 1) < 0 || strcmp(out, want) != 0)
		failures++;
	failures += sms_lookalike_names(text, names, sizeof names) != 0 || want_string(v, "found", names);
	failures += sms_special_names(want, names, sizeof names) != 0 || want_string(v, "others", names);
	free(out);
	free(text);
	free(want);
	return failures;
}

static void lookalike_vectors(void **state)
{
	(void)state;
	json_t *list = json_object_get(vectors_doc, "lookalikes");
	assert_true(json_is_array(list) && json_array_size(list) > 25);
	int failures = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v)
		failures += check_lookalike(v);
	assert_int_equal(failures, 0);
}

/* Every BMP character alone: replaced as the hand-written table says, or
 * kept; a replacement is GSM-7 and never longer than its character. */
static void lookalike_table(void **state)
{
	(void)state;
	json_t *table = json_object_get(vectors_doc, "lookalike_table");
	assert_true(json_is_object(table));
	assert_int_equal(json_object_size(table), 42);
	size_t replaced = 0;
	for (unsigned cp = 1; cp < 0x10000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		char ch[5], out[5];
		size_t n = utf8_encode(cp, ch);
		long got = sms_lookalike_replace(ch, out, sizeof out);
		const char *want = json_string_value(json_object_get(table, ch));
		if (got < 0 || strcmp(out, want ? want : ch) != 0 || got != (want != NULL))
			fail_msg("U+%04X: replaced by \"%s\" (%ld)", cp, out, got);
		if (!want)
			continue;
		replaced++;
		struct sms_count c;
		if (strlen(want) > n || sms_count(want, strlen(want), &c) != 0 || c.special ||
		    sms_count(ch, n, &c) != 0 || !c.special)
			fail_msg("U+%04X: not special, or its replacement is not GSM-7 or longer", cp);
	}
	assert_int_equal(replaced, 42);
}

static void lookalike_edges(void **state)
{
	(void)state;
	char out[8], names[16];
	/* too small: -1 and "" */
	assert_int_equal(sms_lookalike_replace("\u201cHello\u201d", out, 4), -1);
	assert_string_equal(out, "");
	assert_int_equal(sms_lookalike_replace("abc", out, 0), -1);
	assert_int_equal(sms_lookalike_replace("abc", out, 3), -1);
	assert_int_equal(sms_lookalike_replace("abc", out, 4), 0);
	/* invalid UTF-8: -1, no offer */
	assert_int_equal(sms_lookalike_replace("\xe2\x80", out, sizeof out), -1);
	struct sms_lookalikes l;
	assert_int_equal(sms_lookalike_offer("\xe2\x80\x9c\xff", 0, out, sizeof out, &l), SMS_OFFER_NONE);
	assert_int_equal(sms_lookalike_offer(NULL, 0, out, sizeof out, NULL), SMS_OFFER_NONE);
	assert_int_equal(sms_lookalike_names("\xff", names, sizeof names), -1);
	assert_string_equal(names, "");
	/* a list that does not fit: -1 and "" */
	assert_int_equal(sms_lookalike_names("\u00a0\u2009", names, sizeof names), -1);
	assert_string_equal(names, "");
	assert_int_equal(sms_special_names("\xf0\x9f\x98\x80", names, 5), 0);
	assert_string_equal(names, "\xf0\x9f\x98\x80");
	assert_int_equal(sms_special_names("\xf0\x9f\x98\x80", names, 4), -1);
	assert_string_equal(sms_offer_name(SMS_OFFER_OTHERS), "others");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_count),
		cmocka_unit_test(vectors_check_both_levels),
		cmocka_unit_test(vectors_messages),
		cmocka_unit_test(vectors_refusals),
		cmocka_unit_test(invalid_utf8_is_bad_text),
		cmocka_unit_test(control_characters_are_bad_text),
		cmocka_unit_test(nul_bytes),
		cmocka_unit_test(every_table_character),
		cmocka_unit_test(every_other_character_is_special),
		cmocka_unit_test(long_texts),
		cmocka_unit_test(null_and_empty),
		cmocka_unit_test(verdict_texts),
		cmocka_unit_test(lookalike_vectors),
		cmocka_unit_test(lookalike_table),
		cmocka_unit_test(lookalike_edges),
	};
	return cmocka_run_group_tests_name("sms_text", tests, load_vectors, free_vectors);
}
