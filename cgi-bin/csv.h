/* CSV downloads (the consent ledger, the loan file, the usage report):
 * RFC 4180, every cell quoted, quotes doubled, CRLF line ends; a cell a
 * spreadsheet would run as a formula starts with an apostrophe: OWASP's
 * list (=, +, -, @, TAB, CR) and LF, which some spreadsheets also skip
 * before a formula. */
#ifndef SMSDESK_CSV_H
#define SMSDESK_CSV_H
#include "arena.h"

/* True when a cell starting like v would be run as a formula. */
int csv_formula_start(const char *v);
/* Appends one cell (NULL is empty); last ends the row. */
void csv_cell(struct buf *b, const char *v, int last);
/* Appends a row of n cells. */
void csv_row(struct buf *b, const char *const *cells, size_t n);
#endif
