/* The dispatcher thread: claims due outbox rows with SELECT ... FOR UPDATE
 * SKIP LOCKED (so several processes and hosts can run one each), sends them
 * through the carrier outside any transaction, then records the outcomes.
 * A claim is a lease marked in_doubt: if the process dies or the send times
 * out, whoever sends next asks the carrier first, so a message is sent once. */
#include "dispatcher.h"

#include "arena.h"
#include "carrier.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "log.h"
#include "outbox.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define BATCH 32
#define POLL_MS 1000
#define LEASE_EXTRA_S 30

struct job {
	long long id, org_id, attempts;
	int in_doubt;
	const char *to, *from, *body, *created_date;
	struct carrier_result res;
	int looked_up;
};

static const struct config *cfg;
static const struct carrier_driver *driver = &carrier_twilio;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int wake_pending, stopping, running;

void dispatcher_wake(void)
{
	pthread_mutex_lock(&lock);
	wake_pending = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static int should_stop(void)
{
	pthread_mutex_lock(&lock);
	int s = stopping;
	pthread_mutex_unlock(&lock);
	return s;
}

/* Capped exponential backoff with jitter, in milliseconds. */
static long long backoff_ms(long long attempts, long retry_after_s)
{
	long long ms = cfg->carrier_retry_base_ms;
	for (long long i = 1; i < attempts && ms < cfg->carrier_retry_max_ms; i++)
		ms *= 2;
	if (ms > cfg->carrier_retry_max_ms)
		ms = cfg->carrier_retry_max_ms;
	unsigned short r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = 32768;
	ms = ms / 2 + (ms / 2) * r / 65535; /* between half and all of it */
	if (retry_after_s > 0 && ms < retry_after_s * 1000LL)
		ms = retry_after_s * 1000LL;
	return ms;
}

/* Takes the per-number turn; 1 when this number may send now. */
static int take_turn(struct db *db, struct arena *a, const char *number)
{
	if (cfg->carrier_rate_per_number == 0)
		return 1;
	struct db_rows rows;
	if (db_exec(db, "INSERT IGNORE INTO number_rate (number, next_send_at)"
			" VALUES (?, '1970-01-01')", "s", number) < 0 ||
	    db_query(db, a, &rows, "SELECT next_send_at <= NOW(6) FROM number_rate"
				   " WHERE number = ? FOR UPDATE SKIP LOCKED", "s", number) < 0)
		return -1;
	if (rows.n != 1 || db_get_ll(&rows, 0, 0) != 1)
		return 0;
	long long gap_us = 1000000LL / cfg->carrier_rate_per_number;
	return db_exec(db, "UPDATE number_rate SET next_send_at = NOW(6) + INTERVAL ? MICROSECOND"
			   " WHERE number = ?", "is", gap_us, number) < 0 ? -1 : 1;
}

/* Claims up to BATCH due messages; returns how many, or -1. */
static int claim(struct db *db, struct arena *a, struct job *jobs)
{
	struct db_rows rows;
	int n = 0;
	if (db_begin(db) < 0)
		return -1;
	if (db_query(db, a, &rows,
		     "SELECT o.message_id, m.org_id, o.attempts, o.in_doubt, m.contact_number,"
		     " m.agent_number, m.body, DATE_FORMAT(m.created_at, '%Y-%m-%d')"
		     " FROM outbox o JOIN messages m ON m.id = o.message_id"
		     " WHERE o.next_attempt_at <= NOW(6)"
		     " ORDER BY o.next_attempt_at, o.message_id LIMIT 32 FOR UPDATE SKIP LOCKED", "") < 0)
		goto fail;
	long long lease_s = cfg->carrier_timeout_ms / 1000 + LEASE_EXTRA_S;
	for (size_t i = 0; i < rows.n && n < BATCH; i++) {
		int turn = take_turn(db, a, db_get(&rows, i, 5));
		if (turn < 0)
			goto fail;
		if (!turn)
			continue;
		struct job *j = &jobs[n++];
		memset(j, 0, sizeof *j);
		j->id = db_get_ll(&rows, i, 0);
		j->org_id = db_get_ll(&rows, i, 1);
		j->attempts = db_get_ll(&rows, i, 2) + 1;
		j->in_doubt = db_get_ll(&rows, i, 3) != 0;
		j->to = db_get(&rows, i, 4);
		j->from = db_get(&rows, i, 5);
		j->body = db_get(&rows, i, 6);
		j->created_date = db_get(&rows, i, 7);
		if (db_exec(db, "UPDATE outbox SET attempts = attempts + 1, in_doubt = 1,"
				" next_attempt_at = NOW(6) + INTERVAL ? SECOND WHERE message_id = ?",
			    "ii", lease_s, j->id) < 0 ||
		    db_exec(db, "UPDATE messages SET status = 'sending', updated_at = NOW(6)"
				" WHERE id = ? AND status = 'queued'", "i", j->id) < 0)
			goto fail;
	}
	if (db_commit(db) < 0)
		return -1;
	return n;
fail:
	db_rollback(db);
	return -1;
}

struct known_ctx {
	struct db *db;
	struct arena *a;
};

/* A sid some message of ours already has is not this message's. */
static int sid_known(void *ctx, const char *sid)
{
	struct known_ctx *k = ctx;
	struct db_rows rows;
	if (db_query(k->db, k->a, &rows, "SELECT 1 FROM messages WHERE carrier_sid = ?",
		     "s", sid) < 0)
		return 1; /* cannot tell: do not claim it */
	return rows.n > 0;
}

static void send_one(struct carrier *c, struct db *db, struct arena *a, struct job *j)
{
	char *callback = arena_printf(a, "%s/webhooks/twilio/status", cfg->public_url);
	struct carrier_message m = { .to = j->to, .from = j->from, .body = j->body,
				     .status_callback = callback, .created_date = j->created_date };
	if (j->in_doubt) {
		/* the last attempt may have reached the carrier: ask first */
		struct known_ctx k = { db, a };
		int found = driver->lookup(c, &m, sid_known, &k, &j->res);
		if (found == 1) {
			j->looked_up = 1;
			log_info("dispatch", "message %lld was already at the carrier (%s)", j->id,
				 j->res.sid);
			return;
		}
		if (found < 0) {
			j->res.outcome = CARRIER_UNKNOWN;
			snprintf(j->res.error_message, sizeof j->res.error_message,
				 "could not ask the carrier whether the last attempt arrived");
			return;
		}
	}
	driver->send(c, &m, &j->res);
}

/* Applies callbacks that arrived before the sid was known. */
static int apply_early_events(struct db *db, struct arena *a, struct job *j)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT status FROM message_events WHERE carrier_sid = ?"
				   " AND message_id IS NULL ORDER BY id", "s", j->res.sid) < 0)
		return -1;
	if (rows.n == 0)
		return 0;
	const char *status = "sending";
	for (size_t i = 0; i < rows.n; i++)
		status = message_status_after(status, db_get(&rows, i, 0));
	return db_exec(db, "UPDATE messages SET status = ? WHERE id = ?", "si", status, j->id) < 0 ||
	       db_exec(db, "UPDATE message_events SET message_id = ?, applied = 1"
			   " WHERE carrier_sid = ? AND message_id IS NULL", "is", j->id, j->res.sid) < 0
		       ? -1 : 0;
}

static int record(struct db *db, struct arena *a, struct job *j)
{
	struct carrier_result *r = &j->res;
	switch (r->outcome) {
	case CARRIER_ACCEPTED:
		if (db_exec(db, "UPDATE messages SET carrier_sid = ?, error_code = NULL,"
				" error_message = NULL, updated_at = NOW(6) WHERE id = ?",
			    "si", r->sid, j->id) < 0 ||
		    apply_early_events(db, a, j) < 0)
			return -1;
		return db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0 ? -1 : 0;
	case CARRIER_REJECTED:
		log_warn("dispatch", "message %lld refused by the carrier: %d %s", j->id,
			 r->error_code, r->error_message);
		if (db_exec(db, "UPDATE messages SET status = 'failed', error_code = ?,"
				" error_message = ?, updated_at = NOW(6) WHERE id = ?",
			    "isi", (long long)r->error_code, r->error_message, j->id) < 0 ||
		    db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0)
			return -1;
		/* 21610: the recipient opted out at the carrier; so do we */
		if (r->error_code == 21610)
			return consent_withdraw_number(db, a, j->org_id, j->to, "carrier", j->id,
						       "carrier error 21610: recipient opted out");
		return 0;
	case CARRIER_RETRY:
	case CARRIER_UNKNOWN:
		break;
	}
	if (j->attempts >= cfg->carrier_max_attempts && r->outcome == CARRIER_RETRY) {
		log_warn("dispatch", "message %lld: giving up after %lld attempts: %s", j->id,
			 j->attempts, r->error_message);
		return db_exec(db, "UPDATE messages SET status = 'failed', error_code = ?,"
				   " error_message = ?, updated_at = NOW(6) WHERE id = ?",
			       "isi", (long long)r->error_code,
			       arena_printf(a, "gave up after %lld attempts: %s", j->attempts,
					    r->error_message), j->id) < 0 ||
		       db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0 ? -1 : 0;
	}
	long long wait = backoff_ms(j->attempts, r->retry_after);
	log_info("dispatch", "message %lld: attempt %lld %s (%s); next in %lld ms", j->id,
		 j->attempts, r->outcome == CARRIER_UNKNOWN ? "unconfirmed" : "not sent",
		 r->error_message, wait);
	return db_exec(db, "UPDATE outbox SET next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND,"
			   " in_doubt = ?, last_error = LEFT(?, 255) WHERE message_id = ?",
		       "iisi", wait * 1000, (long long)(r->outcome == CARRIER_UNKNOWN),
		       r->error_message, j->id) < 0 ||
	       db_exec(db, "UPDATE messages SET status = 'queued' WHERE id = ? AND status = 'sending'",
		       "i", j->id) < 0 ? -1 : 0;
}

/* Records every outcome of a round in one transaction. If that fails, the
 * leases expire and the rows come back in doubt: looked up, not resent. */
static int record_all(struct db *db, struct arena *a, struct job *jobs, int n)
{
	if (db_begin(db) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (record(db, a, &jobs[i]) < 0) {
			db_rollback(db);
			return -1;
		}
	return db_commit(db);
}

static int round_once(struct carrier *c, struct db *db, struct arena *a)
{
	struct job jobs[BATCH];
	arena_reset(a);
	db_request_begin(db, "dispatch");
	int n = claim(db, a, jobs);
	if (n <= 0)
		return n;
	for (int i = 0; i < n; i++)
		send_one(c, db, a, &jobs[i]);
	db_request_begin(db, "dispatch");
	if (record_all(db, a, jobs, n) < 0) {
		log_error("dispatch", "could not record %d outcomes; they will be looked up", n);
		return -1;
	}
	return n;
}

static void wait_for_work(long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lock);
	while (!wake_pending && !stopping)
		if (pthread_cond_timedwait(&cond, &lock, &until) == ETIMEDOUT)
			break;
	wake_pending = 0;
	pthread_mutex_unlock(&lock);
}


static void *dispatcher_main(void *arg)
{
	(void)arg;
	struct db *db = db_new(cfg);
	struct carrier *c = driver->open(cfg, should_stop);
	struct arena a;
	arena_init(&a);
	if (!c) {
		log_error("dispatch", "cannot start the carrier driver");
	} else {
		while (!should_stop()) {
			int n = round_once(c, db, &a);
			if (n < 0)
				wait_for_work(POLL_MS); /* MariaDB trouble: do not spin */
			else if (n == 0)
				wait_for_work(POLL_MS); /* other hosts' rows and retries */
		}
	}
	driver->close(c);
	arena_free(&a);
	db_free(db);
	return NULL;
}

int dispatcher_start(const struct config *config)
{
	cfg = config;
	if (!cfg->dispatcher)
		return 0;
	if (pthread_create(&thread, NULL, dispatcher_main, NULL) != 0)
		return -1;
	running = 1;
	return 0;
}

void dispatcher_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
}
