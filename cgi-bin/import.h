/* smsdeskctl import: a whole data set from one JSON file (docs/import.md),
 * and the user rules the command line tool shares with it. */
#ifndef SMSDESK_IMPORT_H
#define SMSDESK_IMPORT_H
#include <stdio.h>

struct arena;
struct db;

/* Validates the file completely, then writes it in one transaction and
 * prints the map of its keys to database ids as one line of JSON on out.
 * On any error prints one line naming the offending entry on err, writes
 * nothing to the database or to out, and returns -1. */
int import_file(struct db *db, const char *path, FILE *out, FILE *err);

/* The reading and checking half of import_file over a file's text (name
 * names it in the messages): no password is hashed and nothing written.
 * 0, or -1 with the same one line on err. For tests/fuzz/import.c. */
int import_check(const char *text, size_t len, const char *name, FILE *err);

/* An email as stored: trimmed and in lower case; NULL when not valid. */
char *import_email(struct arena *a, const char *s);
#endif
