/* MariaDB access: one connection per thread, prepared statements only,
 * cached per connection by their text and re-prepared after a reconnect. */
#ifndef SMSDESK_DB_H
#define SMSDESK_DB_H
#include <assert.h>
#include <stddef.h>

struct arena;
struct config;

enum {
	/* Any failure. It is logged where it happens; once the connection
	 * failed in a request, later calls return DB_ERR without a new line. */
	DB_ERR = -1,
	DB_DUP = -2,   /* a UNIQUE key refused the row */
};

struct db_rows {
	size_t n, cols;
	char **cell;            /* n * cols values, NULL for SQL NULL */
	unsigned long *len;
};

struct db;

/* Process-wide set-up and tear-down of the client library (before threads). */
int db_library_init(void);
void db_library_end(void);

struct db *db_new(const struct config *cfg);
void db_free(struct db *db);
/* Marks the start of a request: allows one connection attempt, clears the
 * per-request flags and names the request in log lines. */
void db_request_begin(struct db *db, const char *rid);
/* True when the connection was lost or could not be made in this request. */
int db_unavailable(const struct db *db);
/* True when the last failure was a deadlock or, on Galera, a certification
 * conflict with another node (error 1213): the transaction was rolled back
 * and nothing of it kept, so it may be run again. */
int db_conflict(const struct db *db);
/* How many times work that lost a conflict runs again (a request, an
 * outcome the dispatcher records), each after db_conflict_pause. Galera
 * refuses more than a deadlock-free InnoDB: an inbound text writes its
 * conversation's and its user's rows (sms_notify, usage_monthly), and a
 * carrier's acceptance the user's usage_monthly row, which other nodes
 * write too. */
#define DB_CONFLICT_RETRIES 8
/* The pause before running again after the attempt-th conflict (1, 2, ...):
 * a random 5 to 50 ms times attempt (capped at DB_CONFLICT_RETRIES), so
 * that the two sides part instead of meeting again at once. */
void db_conflict_pause(int attempt);
/* True when this request committed a write (it must not be retried). */
int db_committed(const struct db *db);
/* Database round trips made on this connection since db_new, counted for
 * the request log (`log.debug`): a request sent to the server whose answer
 * is awaited. Each counts one: a statement's prepare (a cache miss, or a
 * prepare again after ER_NEED_REPREPARE), its execute together with the
 * rows it returns (they are read whole with the answer: fetching them
 * afterwards is local), START TRANSACTION, COMMIT, ROLLBACK, and each of
 * the three steps of db_exec_script. A connection made (a first one, or
 * a reconnect) counts two: the authentication and the session's SET; an
 * attempt that fails counts one. A statement closed (evicted from the
 * cache, or at disconnect) is a packet without an answer and counts none. The counter only grows: take the difference. */
unsigned long long db_round_trips(const struct db *db);
/* Drops the connection so that the next call connects again. */
void db_disconnect(struct db *db);
int db_connect(struct db *db);

/* Parameter types: 'i' long long, 's' const char * (NULL binds SQL NULL),
 * 'b' const void *, size_t (a blob). Every value comes back as text. */
int db_query(struct db *db, struct arena *a, struct db_rows *out,
	     const char *sql, const char *types, ...);
/* Returns the number of affected rows, or DB_ERR / DB_DUP. */
long long db_exec(struct db *db, const char *sql, const char *types, ...);
long long db_insert_id(struct db *db);
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* 0 when MariaDB answers a statement (SELECT 1, one round trip on a
 * connection that has prepared it), -1 otherwise: /healthz. */
int db_alive(struct db *db, struct arena *a);
/* Runs a script of statements without parameters (migrations only). */
int db_exec_script(struct db *db, const char *sql, size_t len);

static inline const char *db_get(const struct db_rows *r, size_t row, size_t col)
{
	/* a column the statement has, inside the cells fetch_rows allocated
	 * (n * cols + 1: row 0, column 0 of no rows reads NULL) */
	assert(col < r->cols && row * r->cols + col <= r->n * r->cols);
	return r->cell[row * r->cols + col];
}
long long db_get_ll(const struct db_rows *r, size_t row, size_t col);
#endif
