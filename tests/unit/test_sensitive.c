/* The sensitive-data rules (cgi-bin/sensitive.c) against
 * tests/sensitive_vectors.json, the vectors tests/js/sensitive.test.js runs
 * on static/sensitive.js, plus what only C has: byte offsets, NULL, names,
 * long texts. Run from the repository root. */
#include "unit.h"

#include "rules.h"
#include "sensitive.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VECTORS_PATH "tests/sensitive_vectors.json"

static json_t *vectors_doc;

static int load_vectors(void **state)
{
	(void)state;
	json_error_t err;
	vectors_doc = json_load_file(VECTORS_PATH, 0, &err);
	if (!vectors_doc)
		print_error("%s:%d: %s\n", VECTORS_PATH, err.line, err.text);
	return 0; /* a missing file fails the vector tests, by name */
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
	if (!json_is_array(v) || json_array_size(v) < 60)
		fail_msg("cannot read the vectors in %s (run from the repository root)", VECTORS_PATH);
	return v;
}

/* Every vector: the kind, and the number found, byte for byte. */
static void vectors_match(void **state)
{
	(void)state;
	size_t i, failures = 0, caught = 0, let_through = 0;
	json_t *v;
	json_array_foreach(vectors(), i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *text = json_string_value(json_object_get(v, "text"));
		const char *kind = json_string_value(json_object_get(v, "kind"));
		const char *want = json_string_value(json_object_get(v, "found"));
		if (!name || !text || !kind || (strcmp(kind, "none") != 0 && !want)) {
			print_error("vector %zu is malformed\n", i);
			failures++;
			continue;
		}
		struct sensitive_match m;
		enum sensitive_kind k = sensitive_find(text, &m);
		const char *got = sensitive_kind_name(k);
		if (strcmp(got, kind) != 0) {
			print_error("%s: got %s, want %s\n", name, got, kind);
			failures++;
			continue;
		}
		if (k == SENSITIVE_NONE) {
			let_through++;
			if (m.len != 0) {
				print_error("%s: nothing found but a span of %zu\n", name, m.len);
				failures++;
			}
			continue;
		}
		caught++;
		if (m.start + m.len > strlen(text) || m.len != strlen(want) ||
		    memcmp(text + m.start, want, m.len) != 0) {
			print_error("%s: found \"%.*s\", want \"%s\"\n", name, (int)m.len,
				    m.start + m.len <= strlen(text) ? text + m.start : "", want);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
	assert_true(caught >= 25);
	assert_true(let_through >= 40);
}

static void byte_offsets(void **state)
{
	(void)state;
	struct sensitive_match m;
	/* "é" is two bytes: offsets are bytes */
	assert_int_equal(sensitive_find("é 536-22-4718", &m), SENSITIVE_SSN);
	assert_int_equal(m.start, 3);
	assert_int_equal(m.len, 11);
	assert_int_equal(sensitive_find("Routing 021000021, account 123456789012", &m),
			 SENSITIVE_BANK_ACCOUNT);
	assert_int_equal(m.start, 8);
	assert_int_equal(m.len, 9);
}

/* SENSITIVE_ACCOUNT_REACH characters between them, not bytes: 40 two-byte
 * letters still count as 40. */
static void account_reach_counts_characters(void **state)
{
	(void)state;
	char text[256];
	char gap[128] = "";
	for (int i = 0; i < SENSITIVE_ACCOUNT_REACH - 2; i++)
		strcat(gap, "é");
	snprintf(text, sizeof text, "021000021 %s 123456789012", gap);
	assert_int_equal(sensitive_find(text, NULL), SENSITIVE_BANK_ACCOUNT);
	snprintf(text, sizeof text, "021000021 %sé 123456789012", gap);
	assert_int_equal(sensitive_find(text, NULL), SENSITIVE_NONE);
	snprintf(text, sizeof text, "123456789012 %s 021000021", gap);
	assert_int_equal(sensitive_find(text, NULL), SENSITIVE_BANK_ACCOUNT);
	snprintf(text, sizeof text, "123456789012 %sé 021000021", gap);
	assert_int_equal(sensitive_find(text, NULL), SENSITIVE_NONE);
}

static void null_and_names(void **state)
{
	(void)state;
	struct sensitive_match m = { SENSITIVE_CARD, 3, 4 };
	assert_int_equal(sensitive_find(NULL, &m), SENSITIVE_NONE);
	assert_int_equal(m.kind, SENSITIVE_NONE);
	assert_int_equal(m.len, 0);
	assert_int_equal(sensitive_find("536-22-4718", NULL), SENSITIVE_SSN);
	static const enum sensitive_kind all[] = {
		SENSITIVE_NONE, SENSITIVE_SSN, SENSITIVE_CARD, SENSITIVE_BANK_ACCOUNT,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_int_equal(sensitive_kind_from_name(sensitive_kind_name(all[i])), all[i]);
		assert_non_null(sensitive_kind_words(all[i]));
	}
	assert_string_equal(sensitive_kind_name(SENSITIVE_BANK_ACCOUNT), "bank_account");
	assert_string_equal(sensitive_kind_words(SENSITIVE_SSN), "a Social Security number");
	assert_int_equal(sensitive_kind_from_name("SSN"), SENSITIVE_NONE);
	assert_int_equal(sensitive_kind_from_name(NULL), SENSITIVE_NONE);
}

/* Long texts of digits and separators end, and find what is at their end. */
static void long_texts(void **state)
{
	(void)state;
	size_t n = 200000;
	char *s = malloc(n + 32);
	assert_non_null(s);
	for (size_t i = 0; i < n; i += 2)
		memcpy(s + i, "1 ", 2);
	s[n] = '\0';
	assert_int_equal(sensitive_find(s, NULL), SENSITIVE_NONE);
	memset(s, '7', n);
	assert_int_equal(sensitive_find(s, NULL), SENSITIVE_NONE);
	for (size_t i = 0; i < n; i += 4)
		memcpy(s + i, "12- ", 4);
	strcpy(s + n, ".4111111111111111");
	struct sensitive_match m;
	assert_int_equal(sensitive_find(s, &m), SENSITIVE_CARD);
	assert_int_equal(m.start, n + 1);
	free(s);
}

/* The refusal codes the send handler keeps a draft under (rules.c). */
static void refusals(void **state)
{
	(void)state;
	assert_null(rules_sensitive_refusal(NULL, 0, 0));
	assert_null(rules_sensitive_refusal("none", 1, 0));
	assert_string_equal(rules_sensitive_refusal("ssn", 0, 0), "sensitive_ssn");
	assert_null(rules_sensitive_refusal("ssn", 0, 1));
	assert_string_equal(rules_sensitive_refusal("card", 1, 1), "sensitive_card_blocked");
	assert_string_equal(rules_sensitive_refusal("bank_account", 1, 0), "sensitive_bank_account_blocked");
	static const enum sensitive_kind kinds[] = { SENSITIVE_SSN, SENSITIVE_CARD, SENSITIVE_BANK_ACCOUNT };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const char *name = sensitive_kind_name(kinds[i]);
		const char *warn = rules_sensitive_refusal(name, 0, 0);
		const char *block = rules_sensitive_refusal(name, 1, 0);
		assert_true(rules_refusal_overridable(warn));
		assert_false(rules_refusal_overridable(block));
		/* the sentence says what was found */
		char want[128];
		snprintf(want, sizeof want, "This text looks like it contains %s.", sensitive_kind_words(kinds[i]));
		assert_true(strncmp(rules_refusal_text(warn), want, strlen(want)) == 0);
		assert_true(strncmp(rules_refusal_text(block), want, strlen(want)) == 0);
		assert_non_null(strstr(rules_refusal_text(warn), "Send anyway"));
		assert_null(strstr(rules_refusal_text(block), "Send anyway"));
	}
	assert_false(rules_refusal_overridable("no_consent"));
	assert_false(rules_refusal_overridable(NULL));
}

/* The warnings the agent confirms (rules.c): their order, one Send anyway
 * for all, the organization's block, and the codes shown together. */
static void warnings(void **state)
{
	(void)state;
	struct send_warnings none = { 0 }, all = { "ssn", "bit.ly", 1 };
	struct send_warnings link = { NULL, "bit.ly", 1 }, looks = { NULL, NULL, 1 };
	assert_null(rules_warning_refusal(&none, 0, 0));
	assert_null(rules_warning_refusal(&none, 1, 1));
	assert_string_equal(rules_warning_refusal(&all, 0, 0), "sensitive_ssn");
	assert_string_equal(rules_warning_refusal(&all, 1, 1), "sensitive_ssn_blocked");
	assert_null(rules_warning_refusal(&all, 0, 1));
	assert_string_equal(rules_warning_refusal(&link, 1, 0), "link_shortener");
	assert_null(rules_warning_refusal(&link, 1, 1));  /* block is for sensitive data only */
	assert_string_equal(rules_warning_refusal(&looks, 0, 0), "lookalikes_cost");
	assert_null(rules_warning_refusal(&looks, 0, 1));
	const char *codes[3];
	assert_int_equal(rules_warning_codes(&none, codes), 0);
	assert_int_equal(rules_warning_codes(&all, codes), 3);
	assert_string_equal(codes[0], "sensitive_ssn");
	assert_string_equal(codes[1], "link_shortener");
	assert_string_equal(codes[2], "lookalikes_cost");
	for (size_t i = 0; i < 3; i++) {
		assert_true(rules_refusal_overridable(codes[i]));
		assert_non_null(strstr(rules_refusal_text(codes[i]), "Send anyway"));
	}
	assert_false(rules_refusal_overridable("lookalikes_changed"));
	assert_non_null(rules_refusal_text("lookalikes_changed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_match),
		cmocka_unit_test(byte_offsets),
		cmocka_unit_test(account_reach_counts_characters),
		cmocka_unit_test(null_and_names),
		cmocka_unit_test(long_texts),
		cmocka_unit_test(refusals),
		cmocka_unit_test(warnings),
	};
	return cmocka_run_group_tests_name("sensitive", tests, load_vectors, free_vectors);
}
