/* CSV downloads (the consent ledger, the loan file): RFC 4180, every cell
 * quoted, quotes doubled, CRLF line ends; a cell a spreadsheet would run
 * as a formula (starting with =, +, - or @) starts with an apostrophe. */
#ifndef SMSDESK_CSV_H
#define SMSDESK_CSV_H
#include "arena.h"

/* Appends one cell (NULL is empty); last ends the row. */
void csv_cell(struct buf *b, const char *v, int last);
/* Appends a row of n cells. */
void csv_row(struct buf *b, const char *const *cells, size_t n);
#endif
