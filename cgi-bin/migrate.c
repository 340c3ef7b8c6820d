#include "migrate.h"

#include "arena.h"
#include "db.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/* each applied file's SHA-256 (hex); NULL for those applied before it was
 * kept, until the next run records it */
static const char add_checksum[] =
	"ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum CHAR(64) NULL";

/* each trigger file's SHA-256 when it was last applied, and the triggers
 * it made then (space-separated) */
static const char create_triggers_table[] =
	"CREATE TABLE IF NOT EXISTS schema_triggers ("
	" table_name VARCHAR(64) NOT NULL PRIMARY KEY,"
	" checksum CHAR(64) NOT NULL,"
	" triggers VARCHAR(4000) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "0001-accounts.sql" -> 1; anything else is not a migration. */
static long version_of(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);
	size_t n = strlen(name);
	if (end == name || *end != '-' || v <= 0 || n < 5 || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	return v;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.p ? b.p : xstrdup("");
}

/* SHA-256 of data as 64 hex digits into hex; 0 or -1 */
static int sha256_hex(const char *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* A file's text and checksum: 0, or -1 with a message */
static int load(const char *path, char **sql, size_t *len, char hex[65])
{
	*sql = read_file(path, len);
	if (!*sql) {
		fprintf(stderr, "migrate: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (sha256_hex(*sql, *len, hex) < 0) {
		fprintf(stderr, "migrate: cannot hash %s\n", path);
		free(*sql);
		*sql = NULL;
		return -1;
	}
	return 0;
}

/* ---- trigger files: schema/triggers/TABLE.sql */

static int word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '$';
}

/* The next word of sql from *i (comments, quoted text and punctuation
 * skipped) into w; 0 at the end. */
static int next_word(const char *sql, size_t len, size_t *i, char *w, size_t wcap)
{
	while (*i < len) {
		char c = sql[*i];
		if (c == '-' && *i + 1 < len && sql[*i + 1] == '-') {
			while (*i < len && sql[*i] != '\n')
				(*i)++;
		} else if (c == '#') {
			while (*i < len && sql[*i] != '\n')
				(*i)++;
		} else if (c == '/' && *i + 1 < len && sql[*i + 1] == '*') {
			*i += 2;
			while (*i + 1 < len && !(sql[*i] == '*' && sql[*i + 1] == '/'))
				(*i)++;
			*i += 2;
		} else if (c == '\'' || c == '"' || c == '`') {
			(*i)++;
			if (c == '`') {  /* a quoted identifier is a word */
				size_t n = 0;
				while (*i < len && sql[*i] != '`') {
					if (n + 1 < wcap)
						w[n++] = sql[*i];
					(*i)++;
				}
				(*i)++;
				w[n] = '\0';
				return 1;
			}
			while (*i < len && sql[*i] != c) {
				if (sql[*i] == '\\')
					(*i)++;
				(*i)++;
			}
			(*i)++;
		} else if (word_char((unsigned char)c)) {
			size_t n = 0;
			while (*i < len && word_char((unsigned char)sql[*i])) {
				if (n + 1 < wcap)
					w[n++] = sql[*i];
				(*i)++;
			}
			w[n] = '\0';
			return 1;
		} else {
			(*i)++;
		}
	}
	return 0;
}

static int plain_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

int migrate_trigger_names(const char *sql, size_t len, const char *table,
			  char names[][65], int max, char *err, size_t errlen)
{
	size_t i = 0;
	int n = 0;
	char w[128], prev[128] = "";
	while (next_word(sql, len, &i, w, sizeof w)) {
		if (strcasecmp(prev, "CREATE") != 0) {
			snprintf(prev, sizeof prev, "%s", w);
			continue;
		}
		prev[0] = '\0';
		if (strcasecmp(w, "TRIGGER") == 0) {
			snprintf(err, errlen, "CREATE TRIGGER without OR REPLACE (a trigger is replaced in one"
				 " step, never dropped and made again)");
			return -1;
		}
		if (strcasecmp(w, "OR") != 0)
			continue;
		char name[128], timing[128], event[128], on[128], subject[128];
		if (!next_word(sql, len, &i, w, sizeof w) || strcasecmp(w, "REPLACE") != 0 ||
		    !next_word(sql, len, &i, w, sizeof w) || strcasecmp(w, "TRIGGER") != 0 ||
		    !next_word(sql, len, &i, name, sizeof name) ||
		    !next_word(sql, len, &i, timing, sizeof timing) ||
		    !next_word(sql, len, &i, event, sizeof event) ||
		    !next_word(sql, len, &i, on, sizeof on) || strcasecmp(on, "ON") != 0 ||
		    !next_word(sql, len, &i, subject, sizeof subject)) {
			snprintf(err, errlen, "a CREATE OR REPLACE that is not CREATE OR REPLACE TRIGGER"
				 " name BEFORE|AFTER event ON table");
			return -1;
		}
		if (!plain_name(name)) {
			snprintf(err, errlen, "trigger name %.64s: use a-z, 0-9 and _", name);
			return -1;
		}
		if (strcmp(subject, table) != 0) {
			snprintf(err, errlen, "trigger %s is on %.64s, not on %.64s", name, subject, table);
			return -1;
		}
		for (int k = 0; k < n; k++)
			if (strcmp(names[k], name) == 0) {
				snprintf(err, errlen, "trigger %s is made twice", name);
				return -1;
			}
		if (n == max) {
			snprintf(err, errlen, "more than %d triggers", max);
			return -1;
		}
		memcpy(names[n++], name, strlen(name) + 1);  /* plain_name: at most 64 */
	}
	return n;
}

#define MAX_TRIGGERS 64

/* TABLE of "TABLE.sql" into table[65]: 0, or -1 said on stderr. */
static int trigger_file_table(const char *dir, const char *file, char table[65])
{
	size_t flen = strlen(file);
	if (flen - 4 > 64) {
		fprintf(stderr, "migrate: %s/%s: the name is too long\n", dir, file);
		return -1;
	}
	memcpy(table, file, flen - 4);
	table[flen - 4] = '\0';
	if (!plain_name(table)) {
		fprintf(stderr, "migrate: %s/%s: a trigger file is named after its table (a-z, 0-9, _)\n",
			dir, file);
		return -1;
	}
	return 0;
}

/* Is the table there, and are the file's triggers applied as they stand
 * (its checksum recorded, none of them missing)? *was gets what it
 * recorded last time (checksum, trigger names). 0 or -1. */
static int trigger_file_state(struct db *db, struct arena *a, const char *table, const char *hex,
			      char names[][65], int n, int *exists, int *current, struct db_rows *was)
{
	struct db_rows rows, there;
	if (db_query(db, a, &rows, "SELECT COUNT(*) FROM information_schema.TABLES"
				   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", "s", table) < 0)
		return -1;
	*exists = db_get_ll(&rows, 0, 0) != 0;
	*current = 0;
	if (!*exists)
		return 0;
	if (db_query(db, a, was, "SELECT checksum, triggers FROM schema_triggers WHERE table_name = ?",
		     "s", table) < 0 ||
	    db_query(db, a, &there, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS"
				    " WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?",
		     "s", table) < 0)
		return -1;
	int missing = 0;
	for (int k = 0; k < n; k++) {
		int found = 0;
		for (size_t j = 0; j < there.n; j++)
			found |= strcmp(db_get(&there, j, 0), names[k]) == 0;
		missing |= !found;
	}
	*current = was->n == 1 && strcmp(db_get(was, 0, 0), hex) == 0 && !missing;
	return 0;
}

/* Runs the file's CREATE OR REPLACE TRIGGERs, waiting at most 10 s for
 * the table's lock, three times. 0 or -1. */
static int run_trigger_script(struct db *db, const char *path, const char *sql, size_t len)
{
	if (db_exec(db, "SET SESSION lock_wait_timeout = 10", "") < 0)
		return -1;
	int done = -1;
	for (int attempt = 0; attempt < 3 && done < 0; attempt++) {
		if (attempt)
			sleep(1);
		done = db_exec_script(db, sql, len);
	}
	if (done < 0)
		fprintf(stderr, "migrate: %s failed (see the log line above); its table keeps"
				" the triggers it had\n", path);
	return db_exec(db, "SET SESSION lock_wait_timeout = DEFAULT", "") < 0 || done < 0 ? -1 : 0;
}

/* Drops the triggers the file made before (was) and makes no more, then
 * records its checksum and names. 0 or -1. */
static int record_trigger_file(struct db *db, struct arena *a, const char *table, const char *hex,
			       char names[][65], int n, const struct db_rows *was)
{
	struct buf list = { 0 };
	for (int k = 0; k < n; k++) {
		if (k)
			buf_puts(&list, " ");
		buf_puts(&list, names[k]);
	}
	buf_append(&list, "", 1);
	const char *old = was->n == 1 ? db_get(was, 0, 1) : "";
	char w[128];
	size_t i = 0, olen = strlen(old);
	while (next_word(old, olen, &i, w, sizeof w)) {
		int kept = 0;
		for (int k = 0; k < n; k++)
			kept |= strcmp(names[k], w) == 0;
		if (kept || !plain_name(w))
			continue;
		if (db_exec(db, arena_printf(a, "DROP TRIGGER IF EXISTS `%s`", w), "") < 0) {
			buf_free(&list);
			return -1;
		}
		printf("dropped trigger %s\n", w);
	}
	long long r = db_exec(db, "INSERT INTO schema_triggers (table_name, checksum, triggers) VALUES (?, ?, ?)"
				  " ON DUPLICATE KEY UPDATE checksum = VALUES(checksum),"
				  " triggers = VALUES(triggers), applied_at = NOW()",
			      "sss", table, hex, list.p);
	buf_free(&list);
	return r < 0 ? -1 : 0;
}

/* Applies schema/triggers/TABLE.sql when it changed since it was last
 * applied (its SHA-256 in schema_triggers), or when a trigger it makes is
 * missing. Each CREATE OR REPLACE TRIGGER swaps one trigger in one step
 * under the table's metadata lock, so no statement on another connection
 * or host runs between an old trigger and its new form; the wait for that
 * lock is short (a long transaction on the table makes migrate fail and
 * leaves the old triggers working, rather than stall every writer queued
 * behind it), and is tried again. Triggers the file made before and no
 * longer makes are dropped. A table that does not exist yet is left for
 * later (final: an error). */
static int apply_trigger_file(struct db *db, struct arena *a, const char *dir, const char *file,
			      int final)
{
	char table[65];
	if (trigger_file_table(dir, file, table) < 0)
		return -1;
	char *path = arena_printf(a, "%s/%s", dir, file);
	char *sql, hex[65];
	size_t len;
	if (load(path, &sql, &len, hex) < 0)
		return -1;
	int rc = -1, exists, current;
	char names[MAX_TRIGGERS][65], err[256];
	struct db_rows was = { 0 };
	int n = migrate_trigger_names(sql, len, table, names, MAX_TRIGGERS, err, sizeof err);
	if (n < 0)
		fprintf(stderr, "migrate: %s: %s\n", path, err);
	else if (trigger_file_state(db, a, table, hex, names, n, &exists, &current, &was) < 0)
		;
	else if (!exists) {
		if (final)
			fprintf(stderr, "migrate: %s: there is no table %s\n", path, table);
		rc = final ? -1 : 0;
	} else if (current)
		rc = 0;
	else if (run_trigger_script(db, path, sql, len) == 0 &&
		 record_trigger_file(db, a, table, hex, names, n, &was) == 0) {
		printf("applied triggers/%s (%d triggers)\n", file, n);
		rc = 0;
	}
	free(sql);
	return rc;
}

/* Every file of schema/triggers (none: nothing to do). */
static int apply_triggers(struct db *db, struct arena *a, const char *schema, int final)
{
	char *dir = arena_printf(a, "%s/triggers", schema);
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "migrate: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l <= 4 || e->d_name[0] == '.' || strcmp(e->d_name + l - 4, ".sql") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = arena_strdup(a, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = apply_trigger_file(db, a, dir, names[i], final);
	free(names);
	return rc;
}

/* ---- numbered migrations */

/* A migration whose statements need the current triggers in place first
 * (a backfill of what they keep, written after them so that nothing
 * written meanwhile is missed) holds this line. */
static const char triggers_first[] = "-- migrate: triggers first";

static int apply(struct db *db, struct arena *a, const char *dir, const char *name, long v)
{
	char *path = arena_printf(a, "%s/%s", dir, name);
	size_t len;
	char *sql, hex[65];
	if (load(path, &sql, &len, hex) < 0)
		return -1;
	if (memmem(sql, len, triggers_first, sizeof triggers_first - 1) &&
	    apply_triggers(db, a, dir, 0) < 0) {
		free(sql);
		return -1;
	}
	int rc = db_exec_script(db, sql, len);
	free(sql);
	if (rc < 0) {
		fprintf(stderr, "migrate: %s failed (see the log line above)\n", name);
		return -1;
	}
	if (db_exec(db, "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
		    "iss", (long long)v, name, hex) < 0)
		return -1;
	printf("applied %s\n", name);
	return 0;
}

/* The applied migrations' files are as they were applied: each one's
 * SHA-256 is recorded (for those applied before checksums were kept, on
 * this first run) and compared. 0, or -1 naming every changed file. */
static int check_applied(struct db *db, struct arena *a, const char *dir, char **names, size_t n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT version, checksum FROM schema_migrations", "") < 0)
		return -1;
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		long v = version_of(names[i]);
		const char *sum = NULL;
		int applied = 0;
		for (size_t j = 0; j < rows.n; j++)
			if (db_get_ll(&rows, j, 0) == v) {
				applied = 1;
				sum = db_get(&rows, j, 1);
			}
		if (!applied)
			continue;
		char *path = arena_printf(a, "%s/%s", dir, names[i]);
		size_t len;
		char *sql, hex[65];
		if (load(path, &sql, &len, hex) < 0)
			return -1;
		free(sql);
		if (!sum) {
			if (db_exec(db, "UPDATE schema_migrations SET checksum = ? WHERE version = ?"
					" AND checksum IS NULL", "si", hex, (long long)v) < 0)
				return -1;
		} else if (strcmp(sum, hex) != 0) {
			fprintf(stderr, "migrate: %s was applied and has changed since (SHA-256 %s then,"
					" %s now): a migration that has landed is never edited; put it back"
					" and add a new one\n", path, sum, hex);
			changed = 1;
		}
	}
	return changed ? -1 : 0;
}

static int bootstrap(struct db *db, struct arena *a)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT COUNT(*) FROM information_schema.COLUMNS"
				   " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_migrations'"
				   " AND COLUMN_NAME = 'checksum'", "") < 0)
		return -1;
	if (db_get_ll(&rows, 0, 0) == 0 &&
	    db_exec_script(db, add_checksum, sizeof add_checksum - 1) < 0)
		return -1;
	return db_exec_script(db, create_triggers_table, sizeof create_triggers_table - 1);
}

int migrate_run(struct db *db, const char *dir)
{
	struct arena a;
	arena_init(&a);
	int rc = -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct db_rows rows;
	int locked = 0;

	if (db_exec_script(db, create_table, sizeof create_table - 1) < 0)
		goto out;
	/* several hosts may run migrate at once: one at a time */
	if (db_query(db, &a, &rows, "SELECT GET_LOCK('smsdesk_migrate', 60)", "") < 0 ||
	    rows.n != 1 || !db_get(&rows, 0, 0) || strcmp(db_get(&rows, 0, 0), "1") != 0) {
		fprintf(stderr, "migrate: another migration holds the lock\n");
		goto out;
	}
	locked = 1;
	if (bootstrap(db, &a) < 0)
		goto out;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "migrate: cannot open %s: %s\n", dir, strerror(errno));
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (version_of(e->d_name) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = arena_strdup(&a, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 1; i < n; i++)
		if (version_of(names[i]) == version_of(names[i - 1])) {
			fprintf(stderr, "migrate: %s and %s share a number\n", names[i - 1], names[i]);
			goto out;
		}
	if (check_applied(db, &a, dir, names, n) < 0)
		goto out;
	struct db_rows applied;
	if (db_query(db, &a, &applied, "SELECT version FROM schema_migrations", "") < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		long v = version_of(names[i]);
		int done = 0;
		for (size_t j = 0; j < applied.n; j++)
			done |= db_get_ll(&applied, j, 0) == v;
		if (!done && apply(db, &a, dir, names[i], v) < 0)
			goto out;
	}
	if (apply_triggers(db, &a, dir, 1) < 0)
		goto out;
	rc = 0;
out:
	if (locked)
		db_query(db, &a, &rows, "SELECT RELEASE_LOCK('smsdesk_migrate')", "");
	free(names);
	arena_free(&a);
	return rc;
}
