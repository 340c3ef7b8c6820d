/* Saved replies' merge fields (cgi-bin/merge.c): every field merged, a
 * field with no value shown as its marker, unknown fields and unbalanced
 * braces refused with the field named, results cut to the buffer on a
 * character boundary, and no read past the given length (each body is
 * copied into a heap block of exactly its length, so ASan sees any). */
#include "unit.h"

#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct merge_values all = { {
	[MERGE_FIRST_NAME] = "Ana",
	[MERGE_LAST_NAME] = "Ruiz",
	[MERGE_AGENT_NAME] = "Dana Kim",
	[MERGE_AGENT_FIRST_NAME] = "Dana",
	[MERGE_AGENT_PHONE] = "(512) 555-0136",
	[MERGE_NMLS_ID] = "123456",
	[MERGE_ORG_NAME] = "Hill Country Lending",
	[MERGE_APPLICATION] = "Ruiz purchase",
} };

/* The body in a block of exactly its length (no NUL after it). */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static long merged(const char *body, const struct merge_values *v, char *out, size_t cap,
		   unsigned *missing)
{
	size_t n = strlen(body);
	char *b = exact(body, n);
	long got = merge_apply(b, n, v, out, cap, missing);
	free(b);
	return got;
}

static void every_field(void **state)
{
	(void)state;
	char out[512];
	unsigned missing = 99;
	long n = merged("Hi {first_name} {last_name}, {agent_name} ({agent_first_name}) at "
			"{agent_phone}, NMLS {nmls_id}, {org_name}: {application}.",
			&all, out, sizeof out, &missing);
	const char *want = "Hi Ana Ruiz, Dana Kim (Dana) at (512) 555-0136, NMLS 123456, "
			   "Hill Country Lending: Ruiz purchase.";
	assert_string_equal(out, want);
	assert_int_equal(n, (long)strlen(want));
	assert_int_equal(missing, 0);
	for (int f = 0; f < MERGE_FIELD_COUNT; f++) {
		char body[64];
		snprintf(body, sizeof body, "<{%s}>", merge_field_name((enum merge_field)f));
		assert_true(merged(body, &all, out, sizeof out, NULL) > 0);
		char want1[128];
		snprintf(want1, sizeof want1, "<%s>", all.v[f]);
		assert_string_equal(out, want1);
	}
}

static void missing_value_is_marker(void **state)
{
	(void)state;
	struct merge_values v = all;
	v.v[MERGE_NMLS_ID] = NULL;
	v.v[MERGE_LAST_NAME] = "";
	char out[256];
	unsigned missing = 0;
	merged("NMLS {nmls_id} for {first_name} {last_name}", &v, out, sizeof out, &missing);
	assert_string_equal(out, "NMLS [NMLS ID] for Ana [Last name]");
	assert_int_equal(missing, (1u << MERGE_NMLS_ID) | (1u << MERGE_LAST_NAME));
	enum merge_field f = MERGE_FIRST_NAME;
	assert_int_equal(merge_find_marker(out, strlen(out), &f), 1);
	assert_int_equal(f, MERGE_NMLS_ID);
	/* no values at all: every field is its marker */
	merged("{agent_phone}", NULL, out, sizeof out, &missing);
	assert_string_equal(out, "[Agent phone]");
	assert_int_equal(missing, 1u << MERGE_AGENT_PHONE);
}

static void find_marker(void **state)
{
	(void)state;
	assert_int_equal(merge_find_marker("plain text [NMLS", 16, NULL), 0);
	assert_int_equal(merge_find_marker("[NMLS ID", 8, NULL), 0);
	assert_int_equal(merge_find_marker("x [NMLS ID]", 11, NULL), 1);
	/* the marker past len is not seen */
	assert_int_equal(merge_find_marker("x [NMLS ID]", 10, NULL), 0);
	assert_int_equal(merge_find_marker(NULL, 0, NULL), 0);
	assert_int_equal(merge_find_marker("[nmls id]", 9, NULL), 0);
}

static void check_named(const char *body, enum merge_problem want, const char *field)
{
	size_t n = strlen(body);
	char *b = exact(body, n);
	struct merge_error e;
	enum merge_problem got = merge_check(b, n, &e);
	char out[64] = "x";
	long m = merge_apply(b, n, &all, out, sizeof out, NULL);
	free(b);
	if (got != want || e.problem != want || strcmp(e.field, field) != 0) {
		print_error("body \"%s\": got %d \"%s\", want %d \"%s\"\n", body, got, e.field,
			    want, field);
		fail();
	}
	assert_int_equal(m, want == MERGE_OK ? m : -1);
	if (want != MERGE_OK)
		assert_string_equal(out, "");
}

static void refused(void **state)
{
	(void)state;
	check_named("Hi {first_name}", MERGE_OK, "");
	check_named("", MERGE_OK, "");
	check_named("Hi {First_Name}", MERGE_UNKNOWN_FIELD, "First_Name");
	check_named("Hi {loan_amount} and {first_name}", MERGE_UNKNOWN_FIELD, "loan_amount");
	check_named("Hi {first_name} {}", MERGE_UNKNOWN_FIELD, "");
	check_named("Hi { first_name}", MERGE_UNKNOWN_FIELD, " first_name");
	check_named("Hi {a{first_name}", MERGE_UNKNOWN_FIELD, "a{first_name");
	check_named("Hi {first_name", MERGE_UNBALANCED, "first_name");
	check_named("Hi {", MERGE_UNBALANCED, "");
	check_named("Hi first_name}", MERGE_UNBALANCED, "}");
	check_named("{first_name}}", MERGE_UNBALANCED, "}");
	/* a long unknown name is cut to fit, on a character boundary */
	char body[200] = "{";
	for (int i = 0; i < 40; i++)
		strcat(body, "é");
	strcat(body, "}");
	size_t n = strlen(body);
	char *b = exact(body, n);
	struct merge_error e;
	assert_int_equal(merge_check(b, n, &e), MERGE_UNKNOWN_FIELD);
	free(b);
	assert_int_equal(strlen(e.field), 62);
	assert_int_equal(e.offset, 0);
}

static void length_is_honoured(void **state)
{
	(void)state;
	/* "{first_name}" cut before its brace closes is unbalanced */
	const char *body = "Hi {first_name}";
	char *b = exact(body, 14);
	char out[64];
	assert_int_equal(merge_check(b, 14, NULL), MERGE_UNBALANCED);
	assert_int_equal(merge_apply(b, 14, &all, out, sizeof out, NULL), -1);
	free(b);
	/* a NUL inside is an ordinary byte */
	const char nul[] = "a\0{first_name}";
	b = exact(nul, sizeof nul - 1);
	assert_int_equal(merge_apply(b, sizeof nul - 1, &all, out, sizeof out, NULL), 5);
	assert_memory_equal(out, "a\0Ana", 6);
	free(b);
	assert_int_equal(merge_check(NULL, 0, NULL), MERGE_OK);
}

static void cut_to_buffer(void **state)
{
	(void)state;
	struct merge_values v = all;
	v.v[MERGE_FIRST_NAME] = "Zoë";
	char out[6];
	/* "Hi Zoë!" is 8 bytes; 5 fit, and "ë" (2 bytes) must not be split */
	long n = merged("Hi {first_name}!", &v, out, sizeof out, NULL);
	assert_int_equal(n, 8);
	assert_string_equal(out, "Hi Zo");
	char small[5];
	n = merged("Hi {first_name}!", &v, small, sizeof small, NULL);
	assert_string_equal(small, "Hi Z");
	assert_int_equal(merged("abc", &v, NULL, 0, NULL), 3);
	char one[1];
	assert_int_equal(merged("abc", &v, one, 1, NULL), 3);
	assert_string_equal(one, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(missing_value_is_marker),
		cmocka_unit_test(find_marker),
		cmocka_unit_test(refused),
		cmocka_unit_test(length_is_honoured),
		cmocka_unit_test(cut_to_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
