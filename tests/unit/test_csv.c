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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cells_and_rows),
		cmocka_unit_test(formulas_are_neutralised),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
