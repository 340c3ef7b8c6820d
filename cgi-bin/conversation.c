#include "conversation.h"

#include "arena.h"
#include "consent.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "inbox.h"
#include "rules.h"
#include "sending.h"
#include "tz.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the contacts, with their consents and the newest incoming text */

/* The newest incoming text of agent (the second ?) on lead (the first).
 * Its index is named: MariaDB optimizes a prepared statement again on
 * every execution, and weighed each of messages' indexes that the
 * conditions name every time (as for SQL_MESSAGES below). */
#define LAST_IN_ID \
	"(SELECT id FROM messages FORCE INDEX (messages_lead_agent_in)" \
	" WHERE lead_id = ? AND user_id = ? AND direction = 'inbound'" \
	" ORDER BY created_at DESC, id DESC LIMIT 1)"

/* One entry per contact with each contact's consent for the agent's number
 * (the circles; partners: the organization's, SQL_CONSENT_COVERS), and in
 * the same round trip the newest incoming text of the agent's
 * conversations (its id found once by messages_lead_agent_in, the rest
 * read by primary key; on every row, read from the first) and the
 * viewer's assignment to the lead for the sending rules. */
enum { C_ID, C_ROLE, C_NAME, C_NUMBER, C_ROLE_TEXT, C_CONSENT, C_LAST_IN, C_LAST_IN_CONTACT,
       C_LAST_IN_AT, C_ASSIGNMENT, C_NCOLS };
#define SQL_CONTACTS \
	"SELECT c.id, c.role, COALESCE(p.name, c.name), " SQL_CONTACT_MOBILE "," \
	" CASE c.role WHEN 'borrower' THEN 'Borrower' WHEN 'co_borrower' THEN 'Co-borrower'" \
	" ELSE COALESCE(p.role, 'External contact') END, k.status," \
	" li.id, li.contact_id, li.created_at," \
	" " SQL_SENDER_ASSIGNMENT("?", "?") \
	" FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id" \
	" LEFT JOIN consents k ON k.org_id = ? AND k.contact_number = " SQL_CONTACT_MOBILE \
	" AND " SQL_CONSENT_COVERS("k", "c", "?") \
	" LEFT JOIN messages li ON li.id = " LAST_IN_ID \
	" WHERE c.lead_id = ?" \
	" ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id"

/* For a lead without contacts: the newest incoming text on its own. */
enum { L_ID, L_CONTACT, L_AT, L_NCOLS };
#define SQL_LAST_IN "SELECT id, contact_id, created_at FROM messages WHERE id = " LAST_IN_ID

static long long get_ll_or_0(const struct db_rows *rows, size_t i, size_t col)
{
	return db_get(rows, i, col) ? db_get_ll(rows, i, col) : 0;
}

static int last_incoming(struct db *db, struct arena *a, long long lead_id, long long agent_id,
			 struct conv_last_in *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_LAST_IN, "ii", lead_id, agent_id) < 0)
		return 503;
	if (rows.n != 1)
		return 0;
	assert(rows.cols == L_NCOLS);
	out->id = db_get_ll(&rows, 0, L_ID);
	out->contact_id = get_ll_or_0(&rows, 0, L_CONTACT);
	out->at = db_get(&rows, 0, L_AT);
	return 0;
}

int conversation_contacts(struct db *db, struct arena *a, long long lead_id, long long org_id,
			  long long viewer_id, long long agent_id, const char *agent_number,
			  struct conv_contacts *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	if (db_query(db, a, &rows, SQL_CONTACTS, "iiisiii", lead_id, viewer_id, org_id,
		     agent_number, lead_id, agent_id, lead_id) < 0)
		return 503;
	if (rows.n == 0)  /* no contact to carry it */
		return last_incoming(db, a, lead_id, agent_id, &out->last_in);
	assert(rows.cols == C_NCOLS);
	if (db_get(&rows, 0, C_LAST_IN)) {
		out->last_in.id = db_get_ll(&rows, 0, C_LAST_IN);
		out->last_in.contact_id = get_ll_or_0(&rows, 0, C_LAST_IN_CONTACT);
		out->last_in.at = db_get(&rows, 0, C_LAST_IN_AT);
	}
	out->sender_assignment = db_get_ll(&rows, 0, C_ASSIGNMENT);
	out->v = arena_calloc(a, rows.n, sizeof *out->v);
	out->n = rows.n;
	for (size_t i = 0; i < rows.n; i++) {
		struct conv_contact *c = &out->v[i];
		c->id = db_get_ll(&rows, i, C_ID);
		c->role = db_get(&rows, i, C_ROLE);
		c->name = db_get(&rows, i, C_NAME);
		c->number = db_get(&rows, i, C_NUMBER);
		c->role_text = db_get(&rows, i, C_ROLE_TEXT);
		c->consent = consent_parse(db_get(&rows, i, C_CONSENT));
	}
	return 0;
}

/* ---- the agents */

/* assigned ones first, in the order they were assigned, then former ones
 * by name */
static int agent_order(const void *pa, const void *pb)
{
	const struct conv_agent *a = pa, *b = pb;
	if (a->assigned != b->assigned)
		return b->assigned - a->assigned;
	int c = a->assigned ? strcmp(a->assigned_at, b->assigned_at) : strcmp(a->name, b->name);
	if (c)
		return c;
	long long x = a->assigned ? a->assignment : a->id, y = b->assigned ? b->assignment : b->id;
	return (x > y) - (x < y);
}

/* The assigned agents, then former agents with a conversation here
 * (schema/0022), in one round trip of two index lookups: a UNION ALL
 * without ORDER BY, so no temporary table; the order and the former
 * agents' duplicates (one row a conversation) are done in C. */
enum { A_ASSIGNED, A_ID, A_NAME, A_NUMBER, A_ASSIGNED_AT, A_ASSIGNMENT, A_NCOLS };
#define SQL_AGENTS \
	"SELECT 1, u.id, u.name, u.sms_number, a.assigned_at, a.id" \
	" FROM assignments a JOIN users u ON u.id = a.user_id" \
	" WHERE a.lead_id = ? AND a.unassigned_at IS NULL" \
	" UNION ALL" \
	" SELECT 0, u.id, u.name, u.sms_number, '', 0" \
	" FROM conversations cv JOIN users u ON u.id = cv.user_id WHERE cv.lead_id = ?"

int conversation_agents(struct db *db, struct arena *a, long long lead_id,
			struct conv_agent **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_AGENTS, "ii", lead_id, lead_id) < 0)
		return 503;
	assert(rows.n == 0 || rows.cols == A_NCOLS);
	struct conv_agent *v = arena_calloc(a, rows.n + 1, sizeof *v);
	size_t k = 0;
	for (int assigned = 1; assigned >= 0; assigned--)
		for (size_t i = 0; i < rows.n; i++) {
			if ((db_get_ll(&rows, i, A_ASSIGNED) == 1) != assigned)
				continue;
			long long id = db_get_ll(&rows, i, A_ID);
			size_t j = 0;
			while (j < k && v[j].id != id)
				j++;
			if (j < k)
				continue;  /* assigned, or another conversation of theirs */
			v[k++] = (struct conv_agent){
				.assigned = assigned, .id = id,
				.name = db_get(&rows, i, A_NAME), .number = db_get(&rows, i, A_NUMBER),
				.assigned_at = db_get(&rows, i, A_ASSIGNED_AT),
				.assignment = db_get_ll(&rows, i, A_ASSIGNMENT),
			};
		}
	qsort(v, k, sizeof *v, agent_order);
	*out = v;
	*n = k;
	return 0;
}

/* ---- the messages and their images */

/* The contacts' ids and names are known (conversation_contacts), so the
 * texts are read from messages alone, newest first down
 * messages_lead_agent_id (lead_id, user_id, id), without a sort, stopping
 * at the page's LIMIT: a page costs the same however long the
 * conversation. The index is named (FORCE INDEX) so that optimizing the
 * statement, on every execution, does not weigh the others. */
enum { M_DIRECTION, M_KIND, M_BODY, M_STATUS, M_ERROR_CODE, M_ERROR_MESSAGE, M_CREATED,
       M_SENDER, M_CONTACT, M_ID, M_NUM_MEDIA, M_MMS, M_OPT_OUT, M_NOW, M_SENSITIVE,
       M_ANYWAY, M_HOLD, M_HOLD_UNTIL, M_SENDER_ZONE, M_CONTACT_NUMBER, M_USER,
       M_SHORTENER, M_RESENT, M_NCOLS };
#define SQL_MESSAGES \
	"SELECT m.direction, m.kind, m.body, m.status, m.error_code, m.error_message," \
	" m.created_at, u.name, m.contact_id, m.id," \
	" m.num_media, u.mms_enabled, m.possible_opt_out, UTC_TIMESTAMP()," \
	" m.sensitive_kind, m.sent_anyway_by IS NOT NULL," \
	" o.hold, UNIX_TIMESTAMP(o.next_attempt_at), u.time_zone, m.contact_number," \
	" m.user_id, m.link_shortener, rs.resent_id" \
	" FROM messages m FORCE INDEX (messages_lead_agent_id)" \
	" LEFT JOIN users u ON u.id = m.user_id" \
	" LEFT JOIN outbox o ON o.message_id = m.id" \
	" LEFT JOIN message_resends rs ON rs.message_id = m.id" \
	" WHERE m.lead_id = ? AND m.user_id = ? AND FIND_IN_SET(m.contact_id, ?) AND m.id < ?" \
	" ORDER BY m.id DESC LIMIT ?"

#define CONVERSATION \
	" FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id" \
	" JOIN messages m ON m.lead_id = c.lead_id AND m.contact_id = c.id AND m.user_id = ?" \
	" LEFT JOIN users u ON u.id = m.user_id" \
	" LEFT JOIN outbox o ON o.message_id = m.id" \
	" WHERE c.lead_id = ? AND " SQL_CONTACT_MOBILE " = ? AND m.id BETWEEN ? AND ?"
enum { I_MESSAGE, I_ID, I_STATUS, I_ERROR, I_NCOLS };
#define SQL_MEDIA \
	"SELECT mm.message_id, mm.id, mm.status, mm.error FROM message_media mm" \
	" WHERE mm.message_id IN (SELECT m.id" CONVERSATION " AND m.num_media > 0)" \
	" ORDER BY mm.message_id, mm.idx"

static void message_from_row(const struct db_rows *rows, size_t i, struct conv_message *m)
{
	*m = (struct conv_message){
		.id = db_get_ll(rows, i, M_ID),
		.outbound = strcmp(db_get(rows, i, M_DIRECTION), "outbound") == 0,
		.kind = db_get(rows, i, M_KIND),
		.body = db_get(rows, i, M_BODY),
		.status = db_get(rows, i, M_STATUS),
		.error_code = db_get(rows, i, M_ERROR_CODE),
		.error_number = get_ll_or_0(rows, i, M_ERROR_CODE),
		.error_message = db_get(rows, i, M_ERROR_MESSAGE),
		.created_local = db_get(rows, i, M_CREATED),
		.now_local = db_get(rows, i, M_NOW),
		.sender = db_get(rows, i, M_SENDER),
		.contact_id = db_get_ll(rows, i, M_CONTACT),
		.user_id = db_get_ll(rows, i, M_USER),
		.num_media = db_get_ll(rows, i, M_NUM_MEDIA),
		.agent_mms = db_get_ll(rows, i, M_MMS) == 1,
		.possible_opt_out = db_get_ll(rows, i, M_OPT_OUT) == 1,
		.sensitive_kind = db_get(rows, i, M_SENSITIVE),
		.sent_anyway = db_get_ll(rows, i, M_ANYWAY) == 1,
		.hold = db_get(rows, i, M_HOLD),
		.hold_until = db_get_ll(rows, i, M_HOLD_UNTIL),
		.sender_zone = db_get(rows, i, M_SENDER_ZONE),
		.contact_number = db_get(rows, i, M_CONTACT_NUMBER),
		.link_shortener = db_get(rows, i, M_SHORTENER),
		.resent_id = get_ll_or_0(rows, i, M_RESENT),
	};
}

/* The images of the texts shown (v, n > 0: one page of the conversation),
 * each attached to its text (both lists in message id order). */
static int load_media(struct db *db, struct arena *a, long long lead_id, long long agent_id,
		      const char *number, struct conv_message *v, size_t n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, SQL_MEDIA, "iisii", agent_id, lead_id, number, v[0].id,
		     v[n - 1].id) < 0)
		return 503;
	assert(rows.n == 0 || rows.cols == I_NCOLS);
	struct conv_media *all = arena_calloc(a, rows.n + 1, sizeof *all);
	for (size_t k = 0; k < rows.n; k++)
		all[k] = (struct conv_media){
			.message_id = db_get_ll(&rows, k, I_MESSAGE), .id = db_get(&rows, k, I_ID),
			.status = db_get(&rows, k, I_STATUS), .error = db_get(&rows, k, I_ERROR),
		};
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		while (k < rows.n && all[k].message_id < v[i].id)
			k++;
		v[i].media = &all[k];
		while (k < rows.n && all[k].message_id == v[i].id) {
			v[i].nmedia++;
			k++;
		}
	}
	return 0;
}

int conversation_messages(struct db *db, struct arena *a, long long lead_id, long long agent_id,
			  const long long *contact_ids, size_t ncontacts, const char *number,
			  const char *zone, long long before_id, long long limit,
			  struct conv_message **out, size_t *n, int *earlier)
{
	struct buf ids = { 0 };
	for (size_t i = 0; i < ncontacts; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", contact_ids[i]);
	struct db_rows rows;
	/* one more than the page: whether earlier texts remain */
	int rc = db_query(db, a, &rows, SQL_MESSAGES, "iisii", lead_id, agent_id, ids.p ? ids.p : "",
			  before_id > 0 ? before_id : (long long)INT64_MAX, limit + 1);
	buf_free(&ids);
	if (rc < 0)
		return 503;
	assert(rows.n == 0 || rows.cols == M_NCOLS);
	*earlier = rows.n > (size_t)limit;
	size_t shown = *earlier ? (size_t)limit : rows.n;
	/* times in the viewer's zone (tz.cc), today's date too for the headings */
	tz_local_column(a, zone, &rows, M_CREATED);
	tz_local_column(a, zone, &rows, M_NOW);
	struct conv_message *v = arena_calloc(a, shown + 1, sizeof *v);
	int any_media = 0;
	for (size_t i = 0; i < shown; i++) {  /* read newest first, shown oldest first */
		message_from_row(&rows, shown - 1 - i, &v[i]);
		any_media |= v[i].num_media > 0;
	}
	*out = v;
	*n = shown;
	return any_media ? load_media(db, a, lead_id, agent_id, number, v, shown) : 0;
}

/* ---- the box's drafts */

enum { D_BODY, D_ERROR, D_SEND_AT, D_NCOLS };
#define SQL_DRAFT \
	"SELECT body, error, send_at FROM sms_drafts WHERE session_id = ? AND lead_id = ?" \
	" AND contact_id = ?"

int conversation_draft(struct db *db, struct arena *a, long long session_id, long long lead_id,
		       long long contact_id, struct conv_draft *out)
{
	struct db_rows rows;
	memset(out, 0, sizeof *out);
	if (db_query(db, a, &rows, SQL_DRAFT, "iii", session_id, lead_id, contact_id) < 0)
		return 503;
	if (rows.n != 1)
		return 0;
	assert(rows.cols == D_NCOLS);
	out->body = db_get(&rows, 0, D_BODY);
	out->error = db_get(&rows, 0, D_ERROR);
	out->send_at = db_get(&rows, 0, D_SEND_AT);
	return 0;
}

long long conversation_draft_keep(struct db *db, long long session_id, long long lead_id,
				  long long contact_id, const char *body, const char *error,
				  const char *send_at)
{
	return db_exec(db, "INSERT INTO sms_drafts (session_id, lead_id, contact_id, body, error, send_at)"
			   " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE body = VALUES(body),"
			   " error = VALUES(error), send_at = VALUES(send_at), created_at = NOW()",
		       "iiisss", session_id, lead_id, contact_id, body, error, send_at);
}

long long conversation_draft_drop(struct db *db, long long session_id, long long lead_id,
				  long long contact_id)
{
	return db_exec(db, "DELETE FROM sms_drafts WHERE session_id = ? AND lead_id = ?"
			   " AND contact_id = ?", "iii", session_id, lead_id, contact_id);
}

/* ---- a user's conversations: the header's dropdown and /notifications */

/* The user's conversations, most recent first, with each one's unread
 * count of the epoch given. Each conversation carries its names and its
 * last text (schema/0026-conversation-preview.sql): one index range, no
 * join. */
enum { CS_LEAD, CS_CONTACT, CS_LEAD_NAME, CS_CONTACT_NAME, CS_DIRECTION, CS_BODY, CS_AT,
       CS_UNREAD, CS_MEDIA, CS_NEEDS, CS_WAITING, CS_NCOLS };
#define SQL_CONVERSATIONS \
	"SELECT cv.lead_id, cv.contact_id, cv.lead_name, cv.contact_name," \
	" cv.last_direction, cv.last_body, cv.last_at," \
	" IF(cv.unread_epoch = ?, cv.unread, 0), cv.last_media," \
	" cv.needs_reply, " SQL_WAITING_SINCE("cv") \
	" FROM conversations cv" \
	" WHERE cv.user_id = ? ORDER BY cv.last_at DESC, cv.last_message_id DESC" \
	" LIMIT ? OFFSET ?"

int conversation_list_rows(struct db *db, struct arena *a, long long epoch, long long user_id,
			   long long limit, long long offset, struct db_rows *out)
{
	return db_query(db, a, out, SQL_CONVERSATIONS, "iiii", epoch, user_id, limit, offset) < 0
		       ? -1 : 0;
}

struct conv_summary *conversation_summaries(struct arena *a, const char *zone,
					    struct db_rows *rows)
{
	assert(rows->n == 0 || rows->cols == CS_NCOLS);
	struct conv_summary *out = arena_calloc(a, rows->n + 1, sizeof *out);
	long long now = clock_now();
	for (size_t i = 0; i < rows->n; i++) {
		struct shown_time at = format_utc(a, zone, db_get(rows, i, CS_AT), now, 1);
		out[i] = (struct conv_summary){
			.lead_id = db_get_ll(rows, i, CS_LEAD),
			.contact_id = db_get_ll(rows, i, CS_CONTACT),
			.lead_name = db_get(rows, i, CS_LEAD_NAME),
			.contact_name = db_get(rows, i, CS_CONTACT_NAME),
			.outbound = strcmp(db_get(rows, i, CS_DIRECTION), "outbound") == 0,
			.last_body = db_get(rows, i, CS_BODY),
			.last_at = at.text,
			.last_iso = at.iso,
			.unread = db_get_ll(rows, i, CS_UNREAD),
			.last_media = db_get_ll(rows, i, CS_MEDIA) != 0,
			.needs_reply = db_get_ll(rows, i, CS_NEEDS) != 0,
			.waiting_s = inbox_waited(db_get(rows, i, CS_WAITING)),
		};
	}
	return out;
}

/* ---- the user's unread texts (sms_notify, kept by the messages
 * triggers: schema/triggers/messages.sql) */

int conversation_notify_create(struct db *db, long long user_id, long long session_id)
{
	return db_exec(db, "INSERT IGNORE INTO sms_notify (user_id, session_id) VALUES (?, ?)",
		       "ii", user_id, session_id) < 0 ? -1 : 0;
}

int conversation_notify_new_session(struct db *db, long long user_id, long long session_id)
{
	return db_exec(db, "UPDATE sms_notify SET epoch = epoch + 1, session_id = ? WHERE user_id = ?",
		       "ii", session_id, user_id) < 0 ? -1 : 0;
}

int conversation_notify_seen(struct db *db, long long user_id, long long epoch, long long unread)
{
	return db_exec(db, "UPDATE sms_notify SET epoch = epoch + 1 WHERE user_id = ?"
			   " AND epoch = ? AND unread = ? AND unread_epoch = epoch",
		       "iii", user_id, epoch, unread) < 0 ? -1 : 0;
}
