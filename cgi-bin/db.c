#include "db.h"

#include "arena.h"
#include "clock.h"
#include "config.h"
#include "log.h"

#include <assert.h>
#include <errno.h>
#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define MAX_PARAMS 48
/* Prepared statements kept per connection; beyond it the least recently
 * used is closed, so that no caller can exhaust the server's
 * max_prepared_stmt_count. The program has about a hundred statements. */
#define MAX_STMTS 256

struct stmt_entry {
	char *sql;            /* a copy of the text: the statement's identity */
	size_t len;
	unsigned long hash;
	unsigned long long used;   /* when it last ran, for eviction */
	MYSQL_STMT *st;
};

struct db {
	const struct config *cfg;
	MYSQL *conn;
	struct stmt_entry *stmts;
	size_t nstmts, capstmts;
	unsigned long long clock;  /* counts statement look-ups */
	const char *rid;
	int tried_connect;     /* a connection attempt was made in this request */
	int unavailable;       /* lost or refused in this request */
	int conflict;          /* the last failure rolled the transaction back (1213) */
	int committed;
	int in_tx;
	int now_pending;       /* the session's time is to be set before the next statement */
	int now_moved;         /* this connection's session timestamp is set (clock.h) */
	unsigned long long round_trips;  /* see db_round_trips() in db.h */
};

int db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) ? -1 : 0;
}

void db_library_end(void)
{
	mysql_library_end();
}

struct db *db_new(const struct config *cfg)
{
	struct db *db = xmalloc(sizeof *db);
	memset(db, 0, sizeof *db);
	db->cfg = cfg;
	return db;
}

static void stmt_close(struct stmt_entry *e)
{
	mysql_stmt_close(e->st);
	free(e->sql);
}

void db_disconnect(struct db *db)
{
	for (size_t i = 0; i < db->nstmts; i++)
		stmt_close(&db->stmts[i]);
	db->nstmts = 0;
	if (db->conn)
		mysql_close(db->conn);
	db->conn = NULL;
	db->in_tx = 0;
}

void db_free(struct db *db)
{
	if (!db)
		return;
	db_disconnect(db);
	free(db->stmts);
	free(db);
}

void db_request_begin(struct db *db, const char *rid)
{
	db->rid = rid;
	db->tried_connect = 0;
	db->unavailable = 0;
	db->conflict = 0;
	db->committed = 0;
	db->now_pending = clock_movable();
}

int db_conflict(const struct db *db)
{
	return db->conflict;
}

int db_unavailable(const struct db *db)
{
	return db->unavailable;
}

int db_committed(const struct db *db)
{
	return db->committed;
}

unsigned long long db_round_trips(const struct db *db)
{
	return db->round_trips;
}

int db_connect(struct db *db)
{
	const struct config *c = db->cfg;
	db_disconnect(db);
	db->tried_connect = 1;
	MYSQL *m = mysql_init(NULL);
	if (!m) {
		log_error(db->rid, "db: mysql_init failed");
		db->unavailable = 1;
		return DB_ERR;
	}
	unsigned int connect_timeout = 3, rw_timeout = 15;
	my_bool no = 0;
	if (mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4") ||
	    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout) ||
	    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &rw_timeout) ||
	    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout) ||
	    mysql_optionsv(m, MYSQL_OPT_RECONNECT, &no) ||
	    mysql_optionsv(m, MYSQL_INIT_COMMAND,
			   "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,"
			   "NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'")) {
		log_error(db->rid, "db: cannot set connection options");
		mysql_close(m);
		db->unavailable = 1;
		return DB_ERR;
	}
	const char *sock = *c->db_socket ? c->db_socket : NULL;
	db->round_trips++;   /* the attempt: the authentication exchange */
	const char *host = sock ? NULL : (*c->db_host ? c->db_host : "127.0.0.1");
	if (!mysql_real_connect(m, host, c->db_user, c->db_password, c->db_name,
				sock ? 0 : (unsigned)c->db_port, sock, CLIENT_FOUND_ROWS)) {
		log_error(db->rid, "db: cannot connect to %s: %s", sock ? sock : host,
			  mysql_error(m));
		mysql_close(m);
		db->unavailable = 1;
		return DB_ERR;
	}
	db->round_trips++;   /* MYSQL_INIT_COMMAND's SET */
	db->conn = m;
	db->now_moved = 0;
	return 0;
}

static int fail(struct db *db, unsigned int err, const char *msg, const char *sql);

/* The movable clock (tests only): NOW(), UTC_TIMESTAMP() and
 * CURRENT_TIMESTAMP follow clock_now_us() for the rest of the request. A
 * production configuration cannot set test.clock_file (config.c), so
 * this costs production no round trip. */
static int sync_now(struct db *db)
{
	db->now_pending = 0;
	int moved = clock_offset_s() != 0;
	long long now = clock_now_us();
	if (!moved && !db->now_moved)
		return 0;
	char sql[64];
	if (moved)
		snprintf(sql, sizeof sql, "SET timestamp = %lld.%06lld", now / 1000000, now % 1000000);
	else
		snprintf(sql, sizeof sql, "SET timestamp = DEFAULT");
	db->round_trips++;   /* tests only */
	if (mysql_real_query(db->conn, sql, strlen(sql)))
		return fail(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	db->now_moved = moved;
	return 0;
}

static int ready(struct db *db)
{
	if (!db->conn) {
		if (db->tried_connect) {
			db->unavailable = 1;
			return DB_ERR;
		}
		if (db_connect(db) < 0)
			return DB_ERR;
		db->now_pending = clock_movable();
	}
	return db->now_pending ? sync_now(db) : 0;
}

static int is_connection_error(unsigned int e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	       e == CR_SERVER_LOST_EXTENDED || e == CR_ERR_NET_READ ||
	       e == CR_ERR_NET_WRITE || e == ER_CONNECTION_KILLED ||
	       e == ER_SERVER_SHUTDOWN || e == 4031 /* idle client timed out */;
}

/* Classifies a failure; a lost connection is dropped so the next request
 * (or the retry of this one) connects afresh. */
static int fail(struct db *db, unsigned int err, const char *msg, const char *sql)
{
	if (err == ER_DUP_ENTRY)
		return DB_DUP;
	db->conflict = err == ER_LOCK_DEADLOCK;
	if (db->conflict) {
		/* InnoDB rolled the whole transaction back; on Galera this is also
		 * a certification conflict with another node's commit */
		log_info(db->rid, "db: conflict (%u %s) in: %.120s", err, msg, sql);
	} else if (is_connection_error(err)) {
		log_warn(db->rid, "db: connection lost (%u %s)", err, msg);
		db_disconnect(db);
		db->unavailable = 1;
	} else {
		log_error(db->rid, "db: error %u %s in: %.120s", err, msg, sql);
	}
	return DB_ERR;
}

void db_conflict_pause(int attempt)
{
	unsigned char r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = 0;
	if (attempt < 1)
		attempt = 1;
	if (attempt > DB_CONFLICT_RETRIES)
		attempt = DB_CONFLICT_RETRIES;
	long ms = (5 + r % 45) * (long)attempt;
	struct timespec t = { 0, ms * 1000000L };
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static unsigned long sql_hash(const char *sql, size_t len)
{
	unsigned long h = 2166136261u;  /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)sql[i]) * 16777619u;
	return h;
}

/* The cache is keyed by the statement's text, never by its address: a
 * string built at run time is found again by its text, and a buffer
 * reused for another text does not run the statement it held before. */
static MYSQL_STMT *prepare(struct db *db, const char *sql)
{
	size_t len = strlen(sql);
	unsigned long hash = sql_hash(sql, len);
	db->clock++;
	for (size_t i = 0; i < db->nstmts; i++) {
		struct stmt_entry *e = &db->stmts[i];
		if (e->hash == hash && e->len == len && memcmp(e->sql, sql, len) == 0) {
			e->used = db->clock;
			return e->st;
		}
	}
	if (db->nstmts == MAX_STMTS) {
		size_t lru = 0;
		for (size_t i = 1; i < db->nstmts; i++)
			if (db->stmts[i].used < db->stmts[lru].used)
				lru = i;
		stmt_close(&db->stmts[lru]);
		db->stmts[lru] = db->stmts[--db->nstmts];
	}
	MYSQL_STMT *st = mysql_stmt_init(db->conn);
	if (!st) {
		fail(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
		return NULL;
	}
	db->round_trips++;
	if (mysql_stmt_prepare(st, sql, len)) {
		fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		mysql_stmt_close(st);
		return NULL;
	}
	my_bool on = 1;
	if (mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on)) {
		log_error(db->rid, "db: cannot set STMT_ATTR_UPDATE_MAX_LENGTH for: %.120s", sql);
		mysql_stmt_close(st);
		return NULL;
	}
	if (db->nstmts == db->capstmts) {
		db->capstmts = db->capstmts ? db->capstmts * 2 : 32;
		db->stmts = xrealloc(db->stmts, db->capstmts * sizeof *db->stmts);
	}
	struct stmt_entry *e = &db->stmts[db->nstmts++];
	e->sql = xmalloc(len + 1);
	memcpy(e->sql, sql, len + 1);
	e->len = len;
	e->hash = hash;
	e->used = db->clock;
	e->st = st;
	return st;
}

static void forget(struct db *db, MYSQL_STMT *st)
{
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].st == st) {
			stmt_close(&db->stmts[i]);
			db->stmts[i] = db->stmts[--db->nstmts];
			return;
		}
}

static int bind_params(MYSQL_BIND *b, long long *ints, const char *types, va_list ap)
{
	size_t n = strlen(types);
	if (n > MAX_PARAMS)
		return -1;
	memset(b, 0, n * sizeof *b);
	for (size_t i = 0; i < n; i++) {
		switch (types[i]) {
		case 'i':
			ints[i] = va_arg(ap, long long);
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &ints[i];
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s) {
				b[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)s;
			b[i].buffer_length = strlen(s);
			break;
		}
		case 'b':
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)va_arg(ap, const void *);
			b[i].buffer_length = va_arg(ap, size_t);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int fetch_rows(struct db *db, MYSQL_STMT *st, MYSQL_RES *meta,
		      struct arena *a, struct db_rows *out, const char *sql)
{
	if (mysql_stmt_store_result(st))
		return fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
	size_t cols = mysql_num_fields(meta);
	size_t rows = (size_t)mysql_stmt_num_rows(st);
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
	MYSQL_BIND *b = arena_calloc(a, cols ? cols : 1, sizeof *b);
	unsigned long *lens = arena_calloc(a, cols ? cols : 1, sizeof *lens);
	my_bool *nulls = arena_calloc(a, cols ? cols : 1, sizeof *nulls);
	my_bool *errs = arena_calloc(a, cols ? cols : 1, sizeof *errs);
	for (size_t c = 0; c < cols; c++) {
		b[c].buffer_type = MYSQL_TYPE_STRING;
		b[c].buffer_length = f[c].max_length + 1 > 32 ? f[c].max_length + 1 : 32;
		b[c].buffer = arena_alloc(a, b[c].buffer_length);
		b[c].length = &lens[c];
		b[c].is_null = &nulls[c];
		b[c].error = &errs[c];
	}
	out->n = rows;
	out->cols = cols;
	out->cell = arena_calloc(a, rows * cols + 1, sizeof *out->cell);
	out->len = arena_calloc(a, rows * cols + 1, sizeof *out->len);
	int rc = 0;
	if (cols && mysql_stmt_bind_result(st, b)) {
		rc = fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		goto out;
	}
	for (size_t r = 0; r < rows; r++) {
		int frc = mysql_stmt_fetch(st);
		if (frc == 1 || frc == MYSQL_NO_DATA) {
			rc = fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
			goto out;
		}
		for (size_t c = 0; c < cols; c++) {
			size_t i = r * cols + c;
			if (nulls[c])
				continue;
			char *v = arena_alloc(a, lens[c] + 1);
			if (lens[c] < b[c].buffer_length) {
				memcpy(v, b[c].buffer, lens[c]);
			} else {
				/* longer than the buffer: fetch this column again */
				MYSQL_BIND one = {0};
				unsigned long len2 = 0;
				one.buffer_type = MYSQL_TYPE_STRING;
				one.buffer = v;
				one.buffer_length = lens[c] + 1;
				one.length = &len2;
				if (mysql_stmt_fetch_column(st, &one, (unsigned)c, 0)) {
					rc = fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
					goto out;
				}
				/* the whole value, as long as the first fetch said */
				assert(len2 == lens[c]);
			}
			v[lens[c]] = '\0';
			out->cell[i] = v;
			out->len[i] = lens[c];
		}
	}
out:
	mysql_stmt_free_result(st);
	return rc;
}

static long long run(struct db *db, struct arena *a, struct db_rows *out,
		     const char *sql, const char *types, va_list ap)
{
	MYSQL_BIND params[MAX_PARAMS];
	long long ints[MAX_PARAMS];
	if (out)
		memset(out, 0, sizeof *out);
	if (bind_params(params, ints, types, ap) < 0) {
		log_error(db->rid, "db: bad parameter types '%s' for: %.120s", types, sql);
		return DB_ERR;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		if (ready(db) < 0)
			return DB_ERR;
		MYSQL_STMT *st = prepare(db, sql);
		if (!st)
			return DB_ERR;
		if (mysql_stmt_param_count(st) != strlen(types)) {
			log_error(db->rid, "db: %lu parameters expected, %zu given: %.120s",
				  mysql_stmt_param_count(st), strlen(types), sql);
			return DB_ERR;
		}
		if (*types && mysql_stmt_bind_param(st, params))
			return fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		/* a write outside a transaction may take effect even if its answer
		 * is lost: from here on the request must not be run again */
		if (!db->in_tx && mysql_stmt_field_count(st) == 0)
			db->committed = 1;
		db->round_trips++;   /* the execute and its stored result */
		if (mysql_stmt_execute(st)) {
			unsigned int e = mysql_stmt_errno(st);
			/* the server forgot the statement (e.g. a table changed), or
			 * a trigger created since it was prepared names a table it
			 * cannot open (MariaDB 10.11, a multi-table UPDATE prepared
			 * before a migration): nothing ran, so prepare it afresh;
			 * a table really missing then fails the prepare */
			if (e == ER_NEED_REPREPARE || e == ER_UNKNOWN_STMT_HANDLER ||
			    e == ER_NO_SUCH_TABLE) {
				forget(db, st);
				continue;
			}
			return fail(db, e, mysql_stmt_error(st), sql);
		}
		MYSQL_RES *meta = mysql_stmt_result_metadata(st);
		if (meta) {
			int rc = out ? fetch_rows(db, st, meta, a, out, sql) : 0;
			if (!out)
				mysql_stmt_free_result(st);
			mysql_free_result(meta);
			return rc;
		}
		return (long long)mysql_stmt_affected_rows(st);
	}
	log_error(db->rid, "db: the statement had to be prepared again twice: %.120s", sql);
	return DB_ERR;
}

int db_query(struct db *db, struct arena *a, struct db_rows *out,
	     const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	long long rc = run(db, a, out, sql, types, ap);
	va_end(ap);
	return rc < 0 ? (int)rc : 0;
}

long long db_exec(struct db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	long long rc = run(db, NULL, NULL, sql, types, ap);
	va_end(ap);
	return rc;
}

long long db_insert_id(struct db *db)
{
	return db->conn ? (long long)mysql_insert_id(db->conn) : 0;
}

int db_exec_script(struct db *db, const char *sql, size_t len)
{
	if (ready(db) < 0)
		return DB_ERR;
	db->round_trips += 3;   /* option on, the script, option off */
	if (mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_ON))
		return fail(db, mysql_errno(db->conn), mysql_error(db->conn), "multi statements");
	int rc = 0;
	if (mysql_real_query(db->conn, sql, len)) {
		rc = fail(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	} else {
		/* every statement's result must be read to find a failing one */
		int more;
		do {
			MYSQL_RES *res = mysql_store_result(db->conn);
			if (res)
				mysql_free_result(res);
			more = mysql_next_result(db->conn);
		} while (more == 0);
		if (more > 0)
			rc = fail(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	}
	if (db->conn && mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF))
		return fail(db, mysql_errno(db->conn), mysql_error(db->conn), "multi statements");
	return rc;
}

int db_begin(struct db *db)
{
	static const char sql[] = "START TRANSACTION";
	if (ready(db) < 0)
		return DB_ERR;
	db->round_trips++;
	if (mysql_real_query(db->conn, sql, sizeof sql - 1))
		return fail(db, mysql_errno(db->conn), mysql_error(db->conn), sql);
	db->in_tx = 1;
	return 0;
}

int db_commit(struct db *db)
{
	if (!db->conn) {
		log_error(db->rid, "db: COMMIT without a connection (lost earlier in the transaction)");
		return DB_ERR;
	}
	db->in_tx = 0;
	/* Once COMMIT is sent the outcome may be unknown; never retry after it,
	 * unless it was refused as a conflict: then nothing of it was kept. */
	int before = db->committed;
	db->committed = 1;
	db->round_trips++;
	if (mysql_commit(db->conn)) {
		int rc = fail(db, mysql_errno(db->conn), mysql_error(db->conn), "COMMIT");
		if (db->conflict)
			db->committed = before;
		return rc;
	}
	return 0;
}

void db_rollback(struct db *db)
{
	db->in_tx = 0;
	if (!db->conn)
		return;
	db->round_trips++;
	if (mysql_rollback(db->conn))
		fail(db, mysql_errno(db->conn), mysql_error(db->conn), "ROLLBACK");
}

long long db_get_ll(const struct db_rows *r, size_t row, size_t col)
{
	const char *v = db_get(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

int db_alive(struct db *db, struct arena *a)
{
	struct db_rows rows;
	return db_query(db, a, &rows, "SELECT 1", "") < 0 || rows.n != 1 ? -1 : 0;
}
