/* The dispatcher thread: claims due outbox rows with SELECT ... FOR UPDATE
 * SKIP LOCKED (so several processes and hosts can run one each), sends them
 * through the carrier outside any transaction, then records the outcomes.
 * A claim is a lease marked in_doubt: if the process dies or the send times
 * out, whoever sends next asks the carrier first, so a message is sent once.
 * Inbound images are fetched by the media worker's own thread
 * (media_worker.c), started and stopped with this one: a slow media host
 * never holds up a text. */
#include "dispatcher.h"

#include "arena.h"
#include "carrier.h"
#include "clock.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "log.h"
#include "media_worker.h"
#include "outbox.h"
#include "rules.h"
#include "words.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
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
	const char *refusal;      /* no longer allowed to go: why (not sent) */
	const char *to, *from, *body;
	struct carrier_result res;
	int looked_up;
};

static const struct config *cfg;
static const struct carrier_driver *driver = &carrier_twilio;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int wake_pending, stopping, running;
static volatile sig_atomic_t stop_signalled;  /* dispatcher_run_once */

void dispatcher_wake(void)
{
	pthread_mutex_lock(&lock);
	wake_pending = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	media_worker_wake();  /* an inbound image may be waiting too */
}

static int should_stop(void)
{
	pthread_mutex_lock(&lock);
	int s = stopping;
	pthread_mutex_unlock(&lock);
	return s || stop_signalled;
}

long long dispatcher_backoff_ms(const struct config *c, long long attempts, long retry_after_s)
{
	long long ms = c->carrier_retry_base_ms;
	for (long long i = 1; i < attempts && ms < c->carrier_retry_max_ms; i++)
		ms *= 2;
	if (ms > c->carrier_retry_max_ms)
		ms = c->carrier_retry_max_ms;
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

/* Why a user's text may no longer go out, or NULL: the rules of sending
 * (rules.c) hold until the carrier has it, not only when it was queued.
 * Consent requests and automatic answers have their own rules. */
static const char *refusal_of(const struct db_rows *rows, size_t i)
{
	const char *kind = db_get(rows, i, 8);
	int opted_out = db_get_ll(rows, i, 16) == 1;
	if (strcmp(kind, "automatic") == 0)
		return NULL;  /* answers to the contact's own keyword, the opt-out's included */
	if (strcmp(kind, "image_notice") == 0)  /* answers an image, maybe from no application */
		return opted_out ? rules_refusal_late_text("opted_out") : NULL;
	struct send_facts f = {
		.org_sms_enabled = db_get_ll(rows, i, 9) == 1,
		.sender_permitted = db_get_ll(rows, i, 10) == 1,
		.sender_has_number = db_get_ll(rows, i, 11) == 1,
		.own_conversation = 1,   /* a text is queued by its own sender */
		.assigned = db_get_ll(rows, i, 12) == 1,
		.has_contact = db_get_ll(rows, i, 13) == 1,
		.has_mobile = db_get_ll(rows, i, 14) == 1,
		.consent = consent_parse(db_get(rows, i, 15)),
	};
	/* a consent request: the sender's rules, and no opt-out meanwhile */
	if (strcmp(kind, "consent_request") == 0)
		return rules_refusal_late_text(rules_consent_request_refusal(&f, opted_out, 0));
	return rules_refusal_late_text(rules_send_refusal(&f));
}

/* Quiet hours, checked again as the text goes (the window may have
 * changed, or a text sent later come due at night): outside the
 * recipient's window the row waits for its opening, its attempts
 * untouched. 1 when held, 0 when it may go, -1 on a database error. */
static int hold_for_quiet_hours(struct db *db, const struct db_rows *rows, size_t i, long long now)
{
	long long id = db_get_ll(rows, i, 0);
	long long at = outbox_quiet_send_at(db_get(rows, i, 8), db_get(rows, i, 4),
					    db_get(rows, i, 17), db_get(rows, i, 18), now);
	if (at == now)
		return 0;
	if (at < 0) {
		log_error("dispatch", "message %lld: no time in its quiet hours window; looking again in an hour", id);
		at = now + 3600;
	}
	log_info("dispatch", "message %lld: outside the recipient's quiet hours window; held", id);
	return db_exec(db, "UPDATE outbox SET next_attempt_at = FROM_UNIXTIME(?), hold = 'quiet_hours'"
			   " WHERE message_id = ?", "ii", at, id) < 0 ? -1 : 1;
}

/* Claims up to BATCH due messages under one token; returns how many, or -1.
 * Each row's lease covers the sends queued before it in this round (a
 * look-up and a send for a row in doubt), so no row's lease runs out while
 * it still waits its turn here. */
static int claim(struct db *db, struct arena *a, struct job *jobs, unsigned long long token)
{
	struct db_rows rows;
	int n = 0;
	if (db_begin(db) < 0)
		return -1;
	if (db_query(db, a, &rows,
		     "SELECT o.message_id, m.org_id, o.attempts, o.in_doubt, m.contact_number,"
		     " m.agent_number, m.body, DATE_FORMAT(m.created_at, '%Y-%m-%d'), m.kind,"
		     " (SELECT g.sms_enabled FROM organizations g WHERE g.id = m.org_id),"
		     " (SELECT u.active AND u.sms_permission FROM users u WHERE u.id = m.user_id),"
		     " (SELECT u.sms_number <=> m.agent_number FROM users u WHERE u.id = m.user_id),"
		     " EXISTS (SELECT 1 FROM assignments s WHERE s.lead_id = m.lead_id"
		     "  AND s.user_id = m.user_id AND s.unassigned_at IS NULL),"
		     " EXISTS (SELECT 1 FROM contacts c WHERE c.id = m.contact_id AND c.lead_id = m.lead_id),"
		     " EXISTS (SELECT 1 FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id"
		     "  WHERE c.id = m.contact_id AND " SQL_CONTACT_MOBILE " = m.contact_number),"
		     " (SELECT k.status FROM consents k JOIN contacts c ON c.id = m.contact_id"
		     "  WHERE k.org_id = m.org_id AND k.contact_number = m.contact_number"
		     "  AND " SQL_CONSENT_COVERS("k", "c", "m.agent_number") "),"
		     " " SQL_OPTED_OUT("m.org_id", "m.contact_number") ","
		     " (SELECT g.quiet_hours FROM organizations g WHERE g.id = m.org_id),"
		     " (SELECT g.time_zone FROM organizations g WHERE g.id = m.org_id)"
		     " FROM outbox o JOIN messages m ON m.id = o.message_id"
		     " LEFT JOIN number_rate r ON r.number = m.agent_number AND ? > 0"
		     " WHERE o.next_attempt_at <= NOW(6)"
		     " AND (r.next_send_at IS NULL OR r.next_send_at <= NOW(6))"
		     " ORDER BY o.next_attempt_at, o.message_id LIMIT 32 FOR UPDATE SKIP LOCKED",
		     "i", (long long)cfg->carrier_rate_per_number) < 0)
		goto fail;
	/* the columns refusal_of and hold_for_quiet_hours read, 0 to 18 */
	assert(rows.cols == 19);
	long long timeout_ms = cfg->carrier_timeout_ms, queued_ms = 0, now = clock_now();
	for (size_t i = 0; i < rows.n && n < BATCH; i++) {
		const char *refusal = refusal_of(&rows, i);
		if (!refusal) {
			int held = hold_for_quiet_hours(db, &rows, i, now);
			if (held < 0)
				goto fail;
			if (held)
				continue;
		}
		int turn = refusal ? 1 : take_turn(db, a, db_get(&rows, i, 5));
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
		j->refusal = refusal;
		if (!refusal)
			queued_ms += timeout_ms * (j->in_doubt ? 2 : 1);
		long long lease_ms = queued_ms + LEASE_EXTRA_S * 1000LL;
		if (db_exec(db, "UPDATE outbox SET attempts = attempts + 1, in_doubt = 1, claim_token = ?,"
				" next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND, hold = 'none'"
				" WHERE message_id = ?",
			    "iii", (long long)token, lease_ms * 1000, j->id) < 0 ||
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
	const struct job *jobs;   /* this round's, whose sids are taken too */
	int njobs;
};

/* 1 when the sid is already another message's (ours, or one found earlier
 * in this round), 0 when free, -1 when MariaDB cannot say. */
static int sid_known(void *ctx, const char *sid)
{
	struct known_ctx *k = ctx;
	assert(k->njobs >= 0 && k->njobs < BATCH);  /* the jobs before the one looked up */
	for (int i = 0; i < k->njobs; i++)
		if (k->jobs[i].res.outcome == CARRIER_ACCEPTED && strcmp(k->jobs[i].res.sid, sid) == 0)
			return 1;
	struct db_rows rows;
	if (db_query(k->db, k->a, &rows, "SELECT 1 FROM messages WHERE carrier_sid = ?",
		     "s", sid) < 0)
		return -1;
	return rows.n > 0;
}

static void send_one(struct carrier *c, struct db *db, struct arena *a, struct job *jobs, int idx)
{
	struct job *j = &jobs[idx];
	if (j->refusal) {
		j->res.outcome = CARRIER_REJECTED;
		snprintf(j->res.error_message, sizeof j->res.error_message, "%s", j->refusal);
		return;
	}
	char *callback = arena_printf(a, "%s/webhooks/twilio/status", cfg->public_url);
	struct carrier_message m = { .to = j->to, .from = j->from, .body = j->body,
				     .status_callback = callback };
	if (j->in_doubt) {
		/* the last attempt may have reached the carrier: ask first */
		struct known_ctx k = { db, a, jobs, idx };
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

static long long monotonic_ms(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000LL + now.tv_nsec / 1000000;
}

/* Applies the callbacks kept unattached for SID (they arrived before the
 * sid was recorded) to message ID, whose status is FROM, as the status
 * webhook would have: forward only, the carrier's error kept, and an
 * opt-out (21610) withdrawing consent for TO. Runs in the caller's
 * transaction, which holds the message's row. 1: callbacks were attached,
 * 0: there were none, -1: MariaDB failed. */
static int apply_unattached(struct db *db, struct arena *a, long long id, const char *sid,
			    const char *from, long long org_id, const char *to)
{
	struct db_rows rows;
	/* a locking read: it sees callbacks committed after this transaction began */
	if (db_query(db, a, &rows, "SELECT status, COALESCE(error_code, 0) FROM message_events"
				   " WHERE carrier_sid = ? AND message_id IS NULL ORDER BY id FOR UPDATE",
		     "s", sid) < 0)
		return -1;
	if (rows.n == 0)
		return 0;
	const char *status = from;
	long long error = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const char *next = message_status_after(status, db_get(&rows, i, 0));
		if (next != status && db_get_ll(&rows, i, 1))
			error = db_get_ll(&rows, i, 1);
		status = next;
	}
	if ((status != from &&
	     db_exec(db, "UPDATE messages SET status = ?, error_code = NULLIF(?, 0),"
			 " error_message = IF(? = 0, NULL, CONCAT('carrier error ', ?)),"
			 " updated_at = NOW(6) WHERE id = ?",
		     "siiii", status, error, error, error, id) < 0) ||
	    db_exec(db, "UPDATE message_events SET message_id = ?, applied = 1"
			" WHERE carrier_sid = ? AND message_id IS NULL", "is", id, sid) < 0)
		return -1;
	if (error == 21610 &&
	    consent_withdraw_number(db, a, org_id, to, "carrier", id, 0,
				    "carrier error 21610: recipient opted out") < 0)
		return -1;
	return 1;
}

static int apply_early_events(struct db *db, struct arena *a, struct job *j)
{
	return apply_unattached(db, a, j->id, j->res.sid, "sending", j->org_id, j->to) < 0 ? -1 : 0;
}

/* Callbacks left unattached although their text has its sid. On one
 * MariaDB the status webhook's locking read and apply_early_events' wait
 * for each other (gap locks), so one of them always sees the other. Galera
 * certifies rows written, not gaps: a callback committed on one node while
 * the dispatcher recorded the sid on another can miss it both ways, and
 * would wait for ever (the text's status stale, an opt-out not applied).
 * So an idle dispatcher looks for them every SWEEP_MS and applies them,
 * each text in its own transaction, from the text's current status. */
#define SWEEP_MS 5000
static int sweep_unattached(struct db *db, struct arena *a)
{
	struct db_rows sids;
	arena_reset(a);
	db_request_begin(db, "dispatch");
	if (db_query(db, a, &sids, "SELECT DISTINCT e.carrier_sid FROM message_events e"
				   " JOIN messages m ON m.carrier_sid = e.carrier_sid"
				   " WHERE e.message_id IS NULL LIMIT 100", "") < 0)
		return -1;
	int applied = 0;
	for (size_t i = 0; i < sids.n; i++) {
		const char *sid = db_get(&sids, i, 0);
		for (int attempt = 0;; attempt++) {
			struct db_rows m;
			int rc = db_begin(db), attached = 0;
			if (rc == 0) {
				rc = db_query(db, a, &m, "SELECT id, status, org_id, contact_number"
							 " FROM messages WHERE carrier_sid = ? FOR UPDATE",
					      "s", sid);
				if (rc == 0 && m.n == 1)
					rc = attached = apply_unattached(db, a, db_get_ll(&m, 0, 0), sid,
									 db_get(&m, 0, 1), db_get_ll(&m, 0, 2),
									 db_get(&m, 0, 3));
				if (rc >= 0)
					rc = db_commit(db);
				else
					db_rollback(db);
			}
			if (rc == 0 || !db_conflict(db) || attempt == DB_CONFLICT_RETRIES) {
				if (rc < 0)
					return -1;
				/* another host (or the record of the sid) may have been first */
				applied += attached == 1;
				break;
			}
			db_conflict_pause(attempt + 1);
		}
	}
	if (applied)
		log_warn("dispatch", "%d status callbacks were left unattached to their texts;"
				     " applied now", applied);
	return applied;
}

static int record(struct db *db, struct arena *a, struct job *j, unsigned long long token)
{
	struct carrier_result *r = &j->res;
	struct db_rows mine;
	if (db_query(db, a, &mine, "SELECT 1 FROM outbox WHERE message_id = ? AND claim_token = ?"
				   " FOR UPDATE", "ii", j->id, (long long)token) < 0)
		return -1;
	if (mine.n == 0) {
		/* our lease ran out and another dispatcher claimed the row */
		log_warn("dispatch", "message %lld: claim lost before its outcome (%s) was recorded",
			 j->id, r->outcome == CARRIER_ACCEPTED ? r->sid : "not accepted");
		return 0;
	}
	switch (r->outcome) {
	case CARRIER_ACCEPTED:
		if (db_exec(db, "UPDATE messages SET carrier_sid = ?, error_code = NULL,"
				" error_message = NULL, updated_at = NOW(6) WHERE id = ?",
			    "si", r->sid, j->id) < 0 ||
		    apply_early_events(db, a, j) < 0)
			return -1;
		return db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0 ? -1 : 0;
	case CARRIER_REJECTED:
		log_warn("dispatch", "message %lld not sent: %s%d %s", j->id,
			 j->refusal ? "" : "refused by the carrier: ", r->error_code, r->error_message);
		if (db_exec(db, "UPDATE messages SET status = 'failed', error_code = NULLIF(?, 0),"
				" error_message = LEFT(?, 255), updated_at = NOW(6) WHERE id = ?",
			    "isi", (long long)r->error_code, r->error_message, j->id) < 0 ||
		    db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0)
			return -1;
		/* 21610: the recipient opted out at the carrier; so do we */
		if (r->error_code == 21610)
			return consent_withdraw_number(db, a, j->org_id, j->to, "carrier", j->id, 0,
						       "carrier error 21610: recipient opted out");
		return 0;
	case CARRIER_RETRY:
	case CARRIER_UNKNOWN:
		break;
	}
	/* every failure ends after the configured attempts; one whose last
	 * attempt may have reached the carrier says so */
	if (j->attempts >= cfg->carrier_max_attempts) {
		const char *why = arena_printf(a, "gave up after %lld attempts: %s%s", j->attempts,
					       r->error_message, r->outcome == CARRIER_UNKNOWN ?
					       " (the carrier never confirmed it: it may have been sent)" : "");
		log_warn("dispatch", "message %lld: %s", j->id, why);
		return db_exec(db, "UPDATE messages SET status = 'failed', error_code = NULLIF(?, 0),"
				   " error_message = LEFT(?, 255), updated_at = NOW(6) WHERE id = ?",
			       "isi", (long long)r->error_code, why, j->id) < 0 ||
		       db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", j->id) < 0 ? -1 : 0;
	}
	long long wait = dispatcher_backoff_ms(cfg, j->attempts, r->retry_after);
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

/* Records every outcome of a round in one transaction; should one row fail
 * to record, each is recorded on its own so the others are not held back.
 * What cannot be recorded comes back when its lease ends, in doubt: it is
 * looked up, not sent again. */
static int record_one(struct db *db, struct arena *a, struct job *j, unsigned long long token)
{
	for (int attempt = 0;; attempt++) {
		int rc = db_begin(db);
		if (rc == 0 && (rc = record(db, a, j, token)) < 0)
			db_rollback(db);
		if (rc == 0)
			rc = db_commit(db);
		/* a conflict (a status callback for the same message committed on
		 * another Galera node) rolled it back whole: record it again */
		if (rc == 0 || !db_conflict(db) || attempt == DB_CONFLICT_RETRIES)
			return rc;
		db_conflict_pause(attempt + 1);
	}
}

static int record_all(struct db *db, struct arena *a, struct job *jobs, int n,
		      unsigned long long token)
{
	if (db_begin(db) < 0)
		return -1;
	int i;
	for (i = 0; i < n; i++)
		if (record(db, a, &jobs[i], token) < 0)
			break;
	if (i == n && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	int failed = 0;
	for (i = 0; i < n; i++)
		if (record_one(db, a, &jobs[i], token) < 0) {
			log_error("dispatch", "message %lld: outcome not recorded; it will be looked up",
				  jobs[i].id);
			failed = 1;
		}
	return failed ? -1 : 0;
}

static int round_once(struct carrier *c, struct db *db, struct arena *a)
{
	struct job jobs[BATCH];
	unsigned long long token = 0;
	if (getrandom(&token, sizeof token, 0) != (ssize_t)sizeof token)
		return -1;
	token = (token >> 1) | 1; /* fits a signed bind, never 0 */
	arena_reset(a);
	db_request_begin(db, "dispatch");
	int n = claim(db, a, jobs, token);
	if (n <= 0)
		return n;
	assert(n <= BATCH);
	for (int i = 0; i < n; i++)
		send_one(c, db, a, jobs, i);
	db_request_begin(db, "dispatch");
	if (record_all(db, a, jobs, n, token) < 0)
		return -1;
	return n;
}

/* One batch of the texts queued for the word index (words.h), when no
 * text waits to be sent: how many texts it took, 0 or -1. A conflict with
 * another host's batch (Galera) leaves the texts for the next round. */
static int index_words(struct db *db, struct arena *a)
{
	arena_reset(a);
	db_request_begin(db, "words");
	int n = words_index_batch(db, a);
	if (n < 0 && !db_conflict(db))
		log_error("words", "texts not added to the word index (the search reads them meanwhile)");
	return n;
}

static void wait_for_work(long ms)
{
	struct timespec until = clock_deadline(ms);
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
	int conflicts = 0;  /* in a row */
	long long swept = monotonic_ms();
	if (!c) {
		log_error("dispatch", "cannot start the carrier driver");
	} else {
		while (!should_stop()) {
			int n = round_once(c, db, &a);
			/* a claim that lost a conflict (on Galera: another node's
			 * dispatcher claimed the same rows and committed first;
			 * nothing was sent) is tried again after a pause */
			conflicts = n < 0 && db_conflict(db) ? conflicts + 1 : 0;
			if (conflicts) {
				db_conflict_pause(conflicts);
				continue;
			}
			if (n == 0 && monotonic_ms() - swept >= SWEEP_MS) {
				swept = monotonic_ms();
				if (sweep_unattached(db, &a) < 0)
					log_error("dispatch", "unattached status callbacks not looked for");
			}
			/* a full batch of words: the next one at once, after the outbox */
			if (n == 0 && index_words(db, &a) == WORDS_BATCH)
				continue;
			if (n <= 0)
				/* MariaDB trouble (do not spin); or other hosts' rows and retries */
				wait_for_work(POLL_MS);
		}
	}
	driver->close(c);
	arena_free(&a);
	db_free(db);
	return NULL;
}

/* Outbox rows due now that this round did not take: held back by the
 * per-number rate, or claimed just now by another dispatcher. */
static int outbox_due(struct db *db, struct arena *a)
{
	struct db_rows rows;
	db_request_begin(db, "dispatch");
	if (db_query(db, a, &rows, "SELECT EXISTS (SELECT 1 FROM outbox WHERE next_attempt_at <= NOW(6))",
		     "") < 0 || rows.n != 1)
		return -1;
	return db_get_ll(&rows, 0, 0) == 1;
}

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_signalled = 1;
}

long long dispatcher_run_once(const struct config *config, long long wait_ms)
{
	cfg = config;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0) {
		log_error("dispatch", "cannot set up SIGTERM");
		return -1;
	}
	struct db *db = db_new(cfg);
	struct carrier *c = driver->open(cfg, should_stop);
	/* the images, in a thread of their own, beside the texts */
	int media = media_worker_start(cfg, should_stop) == 0;
	struct arena a;
	arena_init(&a);
	long long handled = 0, start = monotonic_ms();
	if (!c) {
		log_error("dispatch", "cannot start the carrier driver");
		handled = -1;
	}
	int conflicts = 0;
	while (handled >= 0 && !should_stop()) {
		int n = round_once(c, db, &a);
		conflicts = n < 0 && db_conflict(db) ? conflicts + 1 : 0;
		if (conflicts) {
			db_conflict_pause(conflicts);  /* a claim that lost a conflict */
			continue;
		}
		if (n < 0) {
			handled = -1;   /* MariaDB trouble: the next run sends what is left */
			break;
		}
		handled += n;
		if (n > 0)
			continue;
		int due = outbox_due(db, &a);
		if (due < 0) {
			handled = -1;
			break;
		}
		if (!due && monotonic_ms() - start >= wait_ms)
			break;
		/* a number's next turn comes within a second at any rate >= 1/s */
		wait_for_work(due ? 100 : POLL_MS);
	}
	if (handled >= 0 && sweep_unattached(db, &a) < 0)
		handled = -1;
	/* the words of the texts queued by now */
	while (handled >= 0 && !should_stop() && index_words(db, &a) == WORDS_BATCH)
		;
	/* the images due by now are fetched before the run ends */
	if (media)
		media_worker_stop(1);
	else
		handled = -1;
	if (c)
		driver->close(c);
	arena_free(&a);
	db_free(db);
	return handled;
}

int dispatcher_start(const struct config *config)
{
	cfg = config;
	if (!cfg->dispatcher)
		return 0;
	if (pthread_create(&thread, NULL, dispatcher_main, NULL) != 0)
		return -1;
	running = 1;
	if (media_worker_start(cfg, NULL) < 0) {
		dispatcher_stop();
		return -1;
	}
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
	media_worker_stop(0);
}
