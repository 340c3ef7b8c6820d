#include "csv.h"

#include <string.h>

int csv_formula_start(const char *v)
{
	return v && *v && strchr("=+-@\t\r\n", *v) != NULL;
}

void csv_cell(struct buf *b, const char *v, int last)
{
	buf_puts(b, "\"");
	if (csv_formula_start(v))
		buf_puts(b, "'");
	for (const char *p = v ? v : ""; *p;) {
		const char *q = p;
		while (*q && *q != '"')
			q++;
		buf_append(b, p, (size_t)(q - p));
		if (*q == '"') {
			buf_puts(b, "\"\"");
			q++;
		}
		p = q;
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

void csv_row(struct buf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_cell(b, cells[i], i + 1 == n);
}
