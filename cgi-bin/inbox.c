/* The inbox's statements: see inbox.h. */
#include "inbox.h"

#include "access.h"
#include "arena.h"
#include "consent.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "rules.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* One statement per filter, so that each reads its own index: Needs reply
 * conversations_org_needs (org_id, needs_reply, last_at), All
 * conversations_org_recent (org_id, last_at), Mine and one agent's
 * conversations_recent (user_id, last_at). The contact, partner, agent and
 * consent are read by key for the rows of the page only. */
enum { I_LEAD, I_CONTACT, I_AGENT, I_LEAD_NAME, I_CONTACT_NAME, I_ROLE, I_AGENT_NAME,
       I_AGENT_NUMBER, I_DIRECTION, I_BODY, I_MEDIA, I_AT, I_NEEDS, I_WAITING, I_CONSENT,
       I_NCOLS };
#define INBOX_COLUMNS \
	"cv.lead_id, cv.contact_id, cv.user_id, cv.lead_name, cv.contact_name," \
	" CASE c.role WHEN 'borrower' THEN 'Borrower' WHEN 'co_borrower' THEN 'Co-borrower'" \
	" ELSE COALESCE(p.role, 'External contact') END, u.name, u.sms_number," \
	" cv.last_direction, cv.last_body, cv.last_media, cv.last_at, cv.needs_reply," \
	" " SQL_WAITING_SINCE("cv") "," \
	" k.status"
#define INBOX_JOINS \
	" JOIN contacts c ON c.id = cv.contact_id" \
	" LEFT JOIN partners p ON p.id = c.partner_id" \
	" JOIN users u ON u.id = cv.user_id" \
	" LEFT JOIN consents k ON k.org_id = cv.org_id AND k.contact_number = " SQL_CONTACT_MOBILE \
	" AND " SQL_CONSENT_COVERS("k", "c", "u.sms_number")
#define SQL_INBOX(where, order_index) \
	"SELECT " INBOX_COLUMNS \
	" FROM conversations cv FORCE INDEX (" order_index ")" \
	INBOX_JOINS \
	" WHERE cv.org_id = ? AND " where " AND " \
	SQL_SEES_LEAD("cv.lead_id", "?", "?") \
	" ORDER BY cv.last_at DESC, cv.last_message_id DESC LIMIT ? OFFSET ?"

/* An agent's Needs reply: the conversations of the agent's leads, read
 * lead by lead as the header counts them (SQL_AGENT_NEEDS_FROM, inbox.h),
 * sorted by their keys alone, and only the page's rows joined to their
 * contacts, agents and consents. Walking the organization's conversations
 * that need a reply checked each against the agent's assignments: about a
 * hundred rows read for each one shown when the agent has one lead in a
 * hundred. */
#define SQL_INBOX_AGENT_NEEDS \
	"SELECT " INBOX_COLUMNS \
	" FROM (SELECT nr_cv.user_id, nr_cv.lead_id, nr_cv.contact_id, nr_cv.last_at," \
	" nr_cv.last_message_id" \
	SQL_AGENT_NEEDS_FROM("?") " AND nr_cv.org_id = ?" \
	" ORDER BY nr_cv.last_at DESC, nr_cv.last_message_id DESC LIMIT ? OFFSET ?) pg" \
	" JOIN conversations cv ON cv.user_id = pg.user_id AND cv.lead_id = pg.lead_id" \
	" AND cv.contact_id = pg.contact_id" \
	INBOX_JOINS \
	" ORDER BY pg.last_at DESC, pg.last_message_id DESC"

static const char *const inbox_sql[] = {
	[INBOX_NEEDS] = SQL_INBOX("cv.needs_reply = 1 AND ? = ?", "conversations_org_needs"),
	[INBOX_MINE] = SQL_INBOX("cv.user_id = ? AND ? = ?", "conversations_recent"),
	[INBOX_ALL] = SQL_INBOX("? = ?", "conversations_org_recent"),
	[INBOX_AGENT] = SQL_INBOX("cv.user_id = ? AND ? = ?", "conversations_recent"),
};

int inbox_list(struct db *db, struct arena *a, const struct inbox_viewer *v,
	       enum inbox_filter filter, long long agent_id, long long limit, long long offset,
	       struct inbox_row **out, size_t *n)
{
	struct db_rows rows;
	int rc;
	*out = NULL;
	*n = 0;
	/* every statement takes the same parameters: "? = ?" stands for the
	 * filter's missing one, always true */
	switch (filter) {
	case INBOX_MINE:
		rc = db_query(db, a, &rows, inbox_sql[filter], "iiiiiiii", v->org_id, v->user_id, 1LL,
			      1LL, (long long)(v->sees_all != 0), v->user_id, limit, offset);
		break;
	case INBOX_AGENT:
		rc = db_query(db, a, &rows, inbox_sql[filter], "iiiiiiii", v->org_id, agent_id, 1LL,
			      1LL, (long long)(v->sees_all != 0), v->user_id, limit, offset);
		break;
	case INBOX_NEEDS:
		if (!v->sees_all) {
			rc = db_query(db, a, &rows, SQL_INBOX_AGENT_NEEDS, "iiii", v->user_id,
				      v->org_id, limit, offset);
			break;
		}
		/* fall through */
	case INBOX_ALL:
	default:
		rc = db_query(db, a, &rows, inbox_sql[filter == INBOX_ALL ? INBOX_ALL : INBOX_NEEDS],
			      "iiiiiii", v->org_id, 1LL, 1LL, (long long)(v->sees_all != 0), v->user_id,
			      limit, offset);
		break;
	}
	if (rc < 0)
		return 503;
	assert(rows.n == 0 || rows.cols == I_NCOLS);
	struct inbox_row *r = arena_calloc(a, rows.n + 1, sizeof *r);
	long long now = clock_now();
	for (size_t i = 0; i < rows.n; i++) {
		struct shown_time at = format_utc(a, v->zone, db_get(&rows, i, I_AT), now, 1);
		r[i] = (struct inbox_row){
			.lead_id = db_get_ll(&rows, i, I_LEAD),
			.contact_id = db_get_ll(&rows, i, I_CONTACT),
			.agent_id = db_get_ll(&rows, i, I_AGENT),
			.lead_name = db_get(&rows, i, I_LEAD_NAME),
			.contact_name = db_get(&rows, i, I_CONTACT_NAME),
			.contact_role = db_get(&rows, i, I_ROLE),
			.agent_name = db_get(&rows, i, I_AGENT_NAME),
			.agent_number = db_get(&rows, i, I_AGENT_NUMBER),
			.outbound = strcmp(db_get(&rows, i, I_DIRECTION), "outbound") == 0,
			.last_body = db_get(&rows, i, I_BODY),
			.last_media = db_get_ll(&rows, i, I_MEDIA) != 0,
			.last_at = at.text,
			.last_iso = at.iso,
			.needs_reply = db_get_ll(&rows, i, I_NEEDS) != 0,
			.waiting_s = inbox_waited(db_get(&rows, i, I_WAITING)),
			.consent = consent_parse(db_get(&rows, i, I_CONSENT)),
		};
	}
	*out = r;
	*n = rows.n;
	return 0;
}

enum { A_ID, A_NAME, A_NCOLS };
#define SQL_AGENTS \
	"SELECT id, name FROM users WHERE org_id = ? AND active = 1 AND sms_number IS NOT NULL" \
	" AND role <> 'superadmin' ORDER BY name, id"

int inbox_agents(struct db *db, struct arena *a, long long org_id,
		 struct inbox_agent **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_AGENTS, "i", org_id) < 0)
		return 503;
	assert(rows.n == 0 || rows.cols == A_NCOLS);
	struct inbox_agent *v = arena_calloc(a, rows.n + 1, sizeof *v);
	for (size_t i = 0; i < rows.n; i++)
		v[i] = (struct inbox_agent){ db_get_ll(&rows, i, A_ID), db_get(&rows, i, A_NAME) };
	*out = v;
	*n = rows.n;
	return 0;
}

/* The conversation, when the viewer may see it (by its primary key). */
#define SQL_VISIBLE \
	"SELECT 1 FROM conversations cv WHERE cv.user_id = ? AND cv.lead_id = ? AND cv.contact_id = ?" \
	" AND cv.org_id = ? AND " SQL_SEES_LEAD("cv.lead_id", "?", "?")
/* Done: the newest text is answered as far as Needs reply goes; a newer
 * text from the contact (last_message_id above it) brings it back. */
#define SQL_DONE \
	"UPDATE conversations SET done_message_id = last_message_id" \
	" WHERE user_id = ? AND lead_id = ? AND contact_id = ?"
/* Mark unread: needs a reply until a newer text (an answer) or Done; its
 * wait starts now unless the contact's text was already waiting. */
#define SQL_UNREAD \
	"UPDATE conversations SET" \
	" waiting_since = IF(last_direction = 'inbound' AND waiting_since IS NOT NULL," \
	" waiting_since, NOW(6))," \
	" reopened_at = NOW(6), reopened_message_id = last_message_id, done_message_id = 0" \
	" WHERE user_id = ? AND lead_id = ? AND contact_id = ?"

int inbox_mark(struct db *db, struct arena *a, const struct inbox_viewer *v, long long agent_id,
	       long long lead_id, long long contact_id, int done)
{
	struct db_rows rows;
	if (agent_id <= 0 || lead_id <= 0 || contact_id <= 0)
		return 404;
	if (db_query(db, a, &rows, SQL_VISIBLE, "iiiiii", agent_id, lead_id, contact_id, v->org_id,
		     (long long)(v->sees_all != 0), v->user_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	if (db_exec(db, done ? SQL_DONE : SQL_UNREAD, "iii", agent_id, lead_id, contact_id) < 0)
		return 503;
	return 0;
}

long long inbox_waited(const char *since)
{
	if (!since)
		return 0;
	long long s = (long long)clock_now() - atoll(since);
	return s > 0 ? s : 0;
}

const char *inbox_waiting_text(struct arena *a, long long s)
{
	if (s < 60)
		return "waiting under a minute";
	if (s < 3600)
		return arena_printf(a, "waiting %lld min", s / 60);
	if (s < 86400)
		return arena_printf(a, "waiting %lld h", s / 3600);
	long long d = s / 86400;
	return arena_printf(a, "waiting %lld day%s", d, d == 1 ? "" : "s");
}
