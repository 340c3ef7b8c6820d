/* Numbered SQL files in schema/, each applied once, in order. */
#ifndef SMSDESK_MIGRATE_H
#define SMSDESK_MIGRATE_H
struct db;
/* Applies what is missing; prints one line per applied file. 0 or -1. */
int migrate_run(struct db *db, const char *dir);
#endif
