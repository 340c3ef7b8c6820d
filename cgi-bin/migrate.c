#include "migrate.h"

#include "arena.h"
#include "db.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
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

static int apply(struct db *db, struct arena *a, const char *dir, const char *name, long v)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT 1 FROM schema_migrations WHERE version = ?",
		     "i", (long long)v) < 0)
		return -1;
	if (rows.n)
		return 0;
	char *path = arena_printf(a, "%s/%s", dir, name);
	size_t len;
	char *sql = read_file(path, &len);
	if (!sql) {
		fprintf(stderr, "migrate: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = db_exec_script(db, sql, len);
	free(sql);
	if (rc < 0) {
		fprintf(stderr, "migrate: %s failed (see the log line above)\n", name);
		return -1;
	}
	if (db_exec(db, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
		    "is", (long long)v, name) < 0)
		return -1;
	printf("applied %s\n", name);
	return 0;
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
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && version_of(names[i]) == version_of(names[i - 1])) {
			fprintf(stderr, "migrate: %s and %s share a number\n", names[i - 1], names[i]);
			goto out;
		}
		if (apply(db, &a, dir, names[i], version_of(names[i])) < 0)
			goto out;
	}
	rc = 0;
out:
	if (locked)
		db_query(db, &a, &rows, "SELECT RELEASE_LOCK('smsdesk_migrate')", "");
	free(names);
	arena_free(&a);
	return rc;
}
