/* CSV downloads (RFC 4180): every cell quoted, quotes doubled, and a cell
 * that a spreadsheet would run as a formula (starting with = + - or @)
 * prefixed with an apostrophe so that it is shown instead. */
#ifndef SMSDESK_CSV_H
#define SMSDESK_CSV_H
struct buf;

/* Appends one cell (NULL: empty); last ends the row with CRLF. */
void csv_cell(struct buf *b, const char *value, int last);
#endif
