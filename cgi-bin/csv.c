#include "csv.h"

#include "validate.h"

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

const char *csv_phone(struct arena *a, const char *e164)
{
	if (!e164)
		return NULL;
	/* +1 and ten digits that libphonenumber calls a valid number */
	if (strncmp(e164, "+1", 2) != 0 || strlen(e164) != 12 ||
	    strspn(e164 + 2, "0123456789") != 10)
		return e164;
	char shown[PHONE_DISPLAY_MAX];
	if (phone_display(e164, shown, sizeof shown) < 0 || strcmp(shown, e164) == 0)
		return e164;
	const char *d = e164 + 2;
	return arena_printf(a, "(%.3s) %.3s-%.4s", d, d + 3, d + 6);
}
