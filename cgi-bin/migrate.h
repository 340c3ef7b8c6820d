/* The schema: numbered SQL files in schema/, each applied once, in order,
 * and never edited once applied (their SHA-256 is recorded and checked);
 * then the triggers, one file per table in schema/triggers/, applied again
 * whenever a file changed (schema/README.md). */
#ifndef SMSDESK_MIGRATE_H
#define SMSDESK_MIGRATE_H
#include <stddef.h>

struct db;
/* Refuses (-1, naming the file) when an applied migration's file changed;
 * otherwise applies what is missing and the trigger files that changed,
 * printing one line for each. 0 or -1. */
int migrate_run(struct db *db, const char *dir);

/* The triggers a trigger file makes: the names of its CREATE OR REPLACE
 * TRIGGER statements (comments and quoted text skipped) into names, at
 * most max, each shorter than 65 bytes. Returns how many, or -1 with a
 * message in err when a trigger is not on table, a CREATE TRIGGER lacks
 * OR REPLACE, or a name is not [a-z0-9_]. */
int migrate_trigger_names(const char *sql, size_t len, const char *table,
			  char names[][65], int max, char *err, size_t errlen);
#endif
