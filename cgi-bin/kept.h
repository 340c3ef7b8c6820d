/* Rows kept between requests. A page whose rows change far less often
 * than it is loaded keeps what it read, under a key naming exactly what
 * was read: whose rows (a user's, a lead's), the version of them the
 * request read in a round trip it makes anyway (with the session, with
 * the lead), and the page's own arguments. A later request finds the copy
 * only when every part of its key is the same, so a copy is never used
 * once a writer on any host moved the version (the version columns and
 * their triggers: schema/0028-lead-list-version.sql,
 * schema/triggers/).
 *
 * One copy per slot (the id modulo KEPT_SLOTS), shared by the workers
 * under one lock; a new copy replaces the slot's. */
#ifndef SMSDESK_KEPT_H
#define SMSDESK_KEPT_H
#include <pthread.h>

#define KEPT_SLOTS 64

struct arena;
struct db_rows;
struct kept_copy;

struct kept_key {
	long long id, version, a, b;  /* whose rows, their version, the page's arguments */
};

struct kept_rows {
	pthread_mutex_t lock;
	struct kept_copy *slot[KEPT_SLOTS];
};
#define KEPT_ROWS_INIT { PTHREAD_MUTEX_INITIALIZER, { 0 } }

/* The rows kept under key, copied into the arena: 1, or 0 when none are. */
int kept_get(struct kept_rows *k, const struct kept_key *key, struct arena *a,
	     struct db_rows *out);
/* Keeps a copy of rows under key (nothing is kept when memory is short). */
void kept_put(struct kept_rows *k, const struct kept_key *key, const struct db_rows *rows);
/* Frees every copy. */
void kept_clear(struct kept_rows *k);
#endif
