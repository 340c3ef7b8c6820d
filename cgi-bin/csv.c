#include "csv.h"

#include "arena.h"

void csv_cell(struct buf *b, const char *v, int last)
{
	buf_puts(b, "\"");
	if (v && (*v == '=' || *v == '+' || *v == '-' || *v == '@'))
		buf_puts(b, "'");
	for (const char *p = v ? v : ""; *p; p++)
		buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	buf_puts(b, last ? "\"\r\n" : "\",");
}
