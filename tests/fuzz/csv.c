/* The CSV writer (cgi-bin/csv.c): the input's lines are the cells of a
 * row. Property: a row written and read back as RFC 4180 gives every cell
 * again, with the apostrophe before a cell a spreadsheet would run. */
#include "fuzz.h"

#include "csv.h"

#define CELLS 8

/* Reads one quoted cell at *p (RFC 4180), into out; 0, or -1. */
static int read_cell(const char **p, const char *end, struct buf *out)
{
	const char *s = *p;
	if (s >= end || *s != '"')
		return -1;
	for (s++; s < end; s++) {
		if (*s == '"') {
			if (s + 1 < end && s[1] == '"') {
				buf_append(out, "\"", 1);
				s++;
				continue;
			}
			*p = s + 1;
			return 0;
		}
		buf_append(out, s, 1);
	}
	return -1;
}

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *cells[CELLS];
	int ncells = 1;
	for (size_t i = 0; i < n; i++)
		ncells += data[i] == '\n' && ncells < CELLS;
	for (int i = 0; i < ncells; i++)
		cells[i] = fuzz_field(data, n, i);
	struct buf row = { 0 };
	csv_row(&row, (const char *const *)cells, (size_t)ncells);
	const char *p = row.p, *end = row.p + row.len;
	for (int i = 0; i < ncells; i++) {
		struct buf cell = { 0 };
		buf_puts(&cell, "");
		FUZZ_CHECK(read_cell(&p, end, &cell) == 0);
		const char *want = cells[i];
		if (csv_formula_start(want)) {
			FUZZ_CHECK(cell.len >= 1 && cell.p[0] == '\'');
			FUZZ_CHECK(cell.len - 1 == strlen(want) && memcmp(cell.p + 1, want, cell.len - 1) == 0);
		} else {
			FUZZ_CHECK(cell.len == strlen(want) && memcmp(cell.p, want, cell.len) == 0);
		}
		buf_free(&cell);
		if (i + 1 < ncells) {
			FUZZ_CHECK(p < end && *p == ',');
			p++;
		}
	}
	FUZZ_CHECK(end - p == 2 && p[0] == '\r' && p[1] == '\n');
	buf_free(&row);
	for (int i = 0; i < ncells; i++)
		free(cells[i]);
}
