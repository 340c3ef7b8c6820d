/* CSV downloads (the consent ledger, the loan file, the usage report):
 * RFC 4180, every cell quoted, quotes doubled, CRLF line ends; a cell a
 * spreadsheet would run as a formula starts with an apostrophe: OWASP's
 * list (=, +, -, @, TAB, CR) and LF, which some spreadsheets also skip
 * before a formula. A phone number is written as people write it:
 * "(512) 555-0136" for a North American number, E.164 otherwise (its '+'
 * guarded like any other cell's). */
#ifndef SMSDESK_CSV_H
#define SMSDESK_CSV_H
#include "arena.h"

/* True when a cell starting like v would be run as a formula. */
int csv_formula_start(const char *v);
/* Appends one cell (NULL is empty); last ends the row. */
void csv_cell(struct buf *b, const char *v, int last);
/* A stored E.164 number for a CSV cell: "(512) 555-0136" when it is a
 * valid +1 number, else the number as stored (csv_cell guards it). NULL
 * stays NULL. */
const char *csv_phone(struct arena *a, const char *e164);
/* Appends a row of n cells. */
void csv_row(struct buf *b, const char *const *cells, size_t n);
#endif
