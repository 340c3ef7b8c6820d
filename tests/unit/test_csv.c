/* The CSV writer (cgi-bin/csv.c): RFC 4180 quoting and formula neutralising. */
#include "unit.h"

#include "csv.h"

#include <string.h>

static void cells_and_rows(void **state)
{
	(void)state;
	struct buf b = { 0 };
	const char *row[] = { "plain", "say \"hi\"", NULL, "a,b\r\nc", "é😀" };
	csv_row(&b, row, sizeof row / sizeof row[0]);
	assert_string_equal(b.p, "\"plain\",\"say \"\"hi\"\"\",\"\",\"a,b\r\nc\",\"é😀\"\r\n");
	buf_free(&b);
}

static void formulas_are_neutralised(void **state)
{
	(void)state;
	struct buf b = { 0 };
	const char *row[] = { "=1+1", "+15125550112", "-2", "@SUM(A1)", "\"=x", " =y" };
	csv_row(&b, row, sizeof row / sizeof row[0]);
	assert_string_equal(b.p, "\"'=1+1\",\"'+15125550112\",\"'-2\",\"'@SUM(A1)\",\"\"\"=x\",\" =y\"\r\n");
	buf_free(&b);
}

/* OWASP's list and LF: each first character, alone and before a formula */
static void every_formula_start_is_neutralised(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "=1+1", "\"'=1+1\"\r\n" }, { "+1", "\"'+1\"\r\n" }, { "-1", "\"'-1\"\r\n" },
		{ "@A1", "\"'@A1\"\r\n" }, { "\t=cmd", "\"'\t=cmd\"\r\n" },
		{ "\r=cmd", "\"'\r=cmd\"\r\n" }, { "\n=cmd", "\"'\n=cmd\"\r\n" },
		{ "a=1", "\"a=1\"\r\n" }, { " =1", "\" =1\"\r\n" }, { "", "\"\"\r\n" },
		{ "(512) 555-0136", "\"(512) 555-0136\"\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = { 0 };
		csv_cell(&b, cases[i].in, 1);
		assert_string_equal(b.p, cases[i].out);
		buf_free(&b);
	}
	assert_false(csv_formula_start(NULL));
}

/* numbers as people write them; others stay E.164, still guarded */
static void phone_numbers(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(csv_phone(&a, "+15125550136"), "(512) 555-0136");
	assert_string_equal(csv_phone(&a, "+14165550101"), "(416) 555-0101");  /* Toronto */
	assert_string_equal(csv_phone(&a, "+442071838750"), "+442071838750");
	assert_string_equal(csv_phone(&a, "+11235550136"), "+11235550136");    /* no such area */
	assert_string_equal(csv_phone(&a, "=1+1"), "=1+1");
	assert_null(csv_phone(&a, NULL));
	struct buf b = { 0 };
	const char *row[] = { csv_phone(&a, "+15125550136"), csv_phone(&a, "+442071838750") };
	csv_row(&b, row, 2);
	assert_string_equal(b.p, "\"(512) 555-0136\",\"'+442071838750\"\r\n");
	buf_free(&b);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cells_and_rows),
		cmocka_unit_test(formulas_are_neutralised),
		cmocka_unit_test(every_formula_start_is_neutralised),
		cmocka_unit_test(phone_numbers),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
