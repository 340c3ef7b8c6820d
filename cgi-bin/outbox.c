#include "outbox.h"

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "place.h"
#include "rules.h"

#include <assert.h>
#include <string.h>

long long outbox_quiet_send_at(const char *kind, const char *number, const char *quiet_hours,
			       const char *org_zone, long long due)
{
	if (!rules_quiet_hours_apply(kind))
		return due;
	struct quiet_window w;
	if (rules_quiet_hours_parse(quiet_hours, &w) < 0 &&
	    rules_quiet_hours_parse(QUIET_HOURS_DEFAULT, &w) < 0)
		return -1;
	struct place p;
	place_of_number(number, &p);
	const char *org[] = { org_zone && *org_zone ? org_zone : "America/Chicago" };
	w = rules_quiet_window(w, p.state);
	return p.nzones ? rules_quiet_send_at(due, w, p.zones, p.nzones)
			: rules_quiet_send_at(due, w, org, 1);
}

/* When the text may go: now, the agent's time, or the window's opening. */
static int send_time(struct db *db, const struct outbound *m, long long *at, const char **hold)
{
	long long due = m->send_at > 0 ? m->send_at : clock_now();
	*at = due;
	*hold = m->send_at > 0 ? "send_later" : "none";
	if (!rules_quiet_hours_apply(m->kind))
		return 0;
	if (m->org_known) {
		long long t = outbox_quiet_send_at(m->kind, m->contact_number, m->quiet_hours,
						   m->org_zone, due);
		if (t < 0)
			return -1;
		if (t > due) {
			*at = t;
			*hold = "quiet_hours";
		}
		return 0;
	}
	struct arena a;
	struct db_rows rows;
	arena_init(&a);
	int rc = -1;
	if (db_query(db, &a, &rows, "SELECT quiet_hours, time_zone FROM organizations WHERE id = ?",
		     "i", m->org_id) == 0 && rows.n == 1) {
		assert(rows.cols == 2);
		long long t = outbox_quiet_send_at(m->kind, m->contact_number, db_get(&rows, 0, 0),
						   db_get(&rows, 0, 1), due);
		if (t >= 0) {
			if (t > due) {
				*at = t;
				*hold = "quiet_hours";
			}
			rc = 0;
		}
	}
	arena_free(&a);
	return rc;
}

long long outbox_enqueue(struct db *db, const struct outbound *m)
{
	long long at;
	const char *hold;
	if (send_time(db, m, &at, &hold) < 0)
		return -1;
	long long rc = db_exec(db, "INSERT INTO messages (org_id, lead_id, contact_id, user_id,"
			       " direction, kind, agent_number, contact_number, body, encoding, length,"
			       " billed, status, submit_token, send_at)"
			       " VALUES (?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, 'queued', ?,"
			       " IF(? > 0, FROM_UNIXTIME(?), NULL))",
			       "iiiisssssiisii", m->org_id, m->lead_id, m->contact_id, m->user_id,
			       m->kind, m->agent_number, m->contact_number, m->body,
			       sms_encoding_name(m->count.encoding), (long long)m->count.length,
			       (long long)m->count.billed, m->submit_token, m->send_at, m->send_at);
	if (rc == DB_DUP)
		return DB_DUP;
	if (rc < 0)
		return -1;
	long long id = db_insert_id(db);
	/* held: at the second it may go (the session's time zone is UTC) */
	if (db_exec(db, "INSERT INTO outbox (message_id, next_attempt_at, hold)"
			" VALUES (?, IF(? = 'none', NOW(6), FROM_UNIXTIME(?)), ?)",
		    "isis", id, hold, at, hold) < 0)
		return -1;
	return id;
}

static int status_rank(const char *s)
{
	static const struct {
		const char *name;
		int rank;
	} ranks[] = {
		{ "queued", 0 }, { "accepted", 1 }, { "sending", 1 }, { "sent", 2 },
		{ "delivered", 3 }, { "undelivered", 3 }, { "failed", 3 },
	};
	for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++)
		if (strcmp(ranks[i].name, s) == 0)
			return ranks[i].rank;
	return -1;
}

const char *message_status_after(const char *current, const char *reported)
{
	int now = status_rank(current), next = status_rank(reported);
	if (next < 0 || next <= now)
		return current;
	/* the carrier's own queue is our "sending": it has the message */
	if (strcmp(reported, "accepted") == 0 || strcmp(reported, "queued") == 0)
		return "sending";
	return reported;
}

/* ---- Resend: a failed text sent again, once */

enum { R_LEAD, R_CONTACT, R_BODY, R_STATUS, R_ERROR, R_KIND, R_RESENT, R_NCOLS };
#define SQL_RESEND_SOURCE \
	"SELECT m.lead_id, m.contact_id, m.body, m.status, COALESCE(m.error_code, 0), m.kind," \
	" rs.resent_id FROM messages m LEFT JOIN message_resends rs ON rs.message_id = m.id" \
	" WHERE m.id = ? AND m.user_id = ? AND m.org_id = ? AND m.direction = 'outbound'" \
	" AND m.lead_id IS NOT NULL AND m.contact_id IS NOT NULL"

int outbox_resend_source(struct db *db, struct arena *a, long long id, long long user_id,
			 long long org_id, struct resend_source *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_RESEND_SOURCE, "iii", id, user_id, org_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	assert(rows.cols == R_NCOLS);
	out->id = id;
	out->lead_id = db_get_ll(&rows, 0, R_LEAD);
	out->contact_id = db_get_ll(&rows, 0, R_CONTACT);
	out->body = db_get(&rows, 0, R_BODY);
	out->status = db_get(&rows, 0, R_STATUS);
	out->error_code = db_get_ll(&rows, 0, R_ERROR);
	out->kind = db_get(&rows, 0, R_KIND);
	out->resent_id = db_get(&rows, 0, R_RESENT) ? db_get_ll(&rows, 0, R_RESENT) : 0;
	return 0;
}

long long outbox_resend_link(struct db *db, long long failed_id, long long resent_id,
			     long long user_id)
{
	return db_exec(db, "INSERT INTO message_resends (message_id, resent_id, user_id) VALUES (?, ?, ?)",
		       "iii", failed_id, resent_id, user_id);
}

long long outbox_sent_anyway(struct db *db, long long id, const struct send_warnings *w,
			     long long user_id)
{
	if (!w->sensitive && !w->shortener)
		return 0;
	return db_exec(db, "UPDATE messages SET sensitive_kind = ?, link_shortener = ?,"
			   " sent_anyway_by = ? WHERE id = ?",
		       "ssii", w->sensitive, w->shortener, user_id, id);
}

long long outbox_hurry_number(struct db *db, long long org_id, const char *number)
{
	return db_exec(db, "UPDATE outbox o JOIN messages m ON m.id = o.message_id"
			   " SET o.next_attempt_at = NOW(6) WHERE m.org_id = ? AND m.contact_number = ?"
			   " AND o.in_doubt = 0", "is", org_id, number);
}

/* ---- Cancel: a text still waiting, never sent */

enum { K_LEAD, K_USER, K_NCOLS };
#define SQL_CANCEL_TARGET \
	"SELECT lead_id, user_id FROM messages WHERE id = ? AND org_id = ?" \
	" AND direction = 'outbound' AND lead_id IS NOT NULL"

int outbox_cancel_target(struct db *db, struct arena *a, long long id, long long org_id,
			 struct cancel_target *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_CANCEL_TARGET, "ii", id, org_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	assert(rows.cols == K_NCOLS);
	out->lead_id = db_get_ll(&rows, 0, K_LEAD);
	out->user_id = db_get_ll(&rows, 0, K_USER);
	return 0;
}

int outbox_cancel_lock(struct db *db, struct arena *a, long long id)
{
	struct db_rows held;
	if (db_query(db, a, &held,
		     "SELECT 1 FROM outbox o JOIN messages m ON m.id = o.message_id"
		     " WHERE o.message_id = ? AND o.hold <> 'none' AND o.in_doubt = 0"
		     " AND m.status = 'queued' FOR UPDATE", "i", id) < 0)
		return -1;
	return held.n == 1;
}

int outbox_cancel(struct db *db, long long id, long long user_id)
{
	if (db_exec(db, "UPDATE messages SET status = 'cancelled', cancelled_by = ?,"
			" updated_at = NOW(6) WHERE id = ? AND status = 'queued'",
		    "ii", user_id, id) != 1 ||
	    db_exec(db, "DELETE FROM outbox WHERE message_id = ?", "i", id) != 1)
		return -1;
	return 0;
}
