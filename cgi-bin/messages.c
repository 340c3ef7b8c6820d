/* Texts as the pages read them (messages.h). */
#include "messages.h"

#include "arena.h"
#include "db.h"
#include "tz.h"

/* ---- Unmatched */

/* The list's columns, and the one text's: the same and its agent. */
#define UNMATCHED_COLUMNS \
	"SELECT m.id, m.contact_number, m.body, m.created_at, u.name, m.num_media"
enum { UM_ID, UM_FROM, UM_BODY, UM_CREATED, UM_AGENT_NAME, UM_NUM_MEDIA, UM_AGENT_ID };

static void unmatched_from_row(const struct db_rows *rows, size_t i, struct unmatched_text *t)
{
	*t = (struct unmatched_text){
		.id = db_get_ll(rows, i, UM_ID),
		.from_number = db_get(rows, i, UM_FROM),
		.body = db_get(rows, i, UM_BODY),
		.received_local = db_get(rows, i, UM_CREATED),
		.agent_name = db_get(rows, i, UM_AGENT_NAME),
		.num_media = db_get_ll(rows, i, UM_NUM_MEDIA),
		.agent_id = rows->cols > UM_AGENT_ID ? db_get_ll(rows, i, UM_AGENT_ID) : 0,
	};
}

int messages_unmatched_list(struct db *db, struct arena *a, const struct unmatched_query *q,
			    long long limit, long long offset, struct unmatched_text **out,
			    size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     UNMATCHED_COLUMNS " FROM messages m JOIN users u ON u.id = m.user_id"
		     " WHERE m.org_id = ? AND m.lead_id IS NULL AND m.direction = 'inbound'"
		     " AND (? = 1 OR m.user_id = ?) ORDER BY m.id DESC LIMIT ? OFFSET ?",
		     "iiiii", q->org_id, (long long)q->all, q->user_id, limit, offset) < 0)
		return -1;
	tz_local_column(a, q->zone, &rows, UM_CREATED);
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++)
		unmatched_from_row(&rows, i, &(*out)[i]);
	*n = rows.n;
	return 0;
}

int messages_unmatched_get(struct db *db, struct arena *a, const struct unmatched_query *q,
			   long long id, struct unmatched_text *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     UNMATCHED_COLUMNS ", m.user_id FROM messages m JOIN users u ON u.id = m.user_id"
		     " WHERE m.id = ? AND m.org_id = ? AND m.direction = 'inbound' AND m.lead_id IS NULL"
		     " AND (? = 1 OR m.user_id = ?)",
		     "iiii", id, q->org_id, (long long)q->all, q->user_id) < 0)
		return -1;
	if (rows.n != 1)
		return 1;
	tz_local_column(a, q->zone, &rows, UM_CREATED);
	unmatched_from_row(&rows, 0, out);
	return 0;
}

int messages_unmatched_file(struct db *db, const struct unmatched_filing *f)
{
	return db_exec(db, "UPDATE messages m JOIN messages first ON first.id = ?"
			   " SET m.lead_id = ?, m.contact_id = ?, m.filed_by = ?, m.filed_at = NOW(6)"
			   " WHERE m.org_id = ? AND m.user_id = ? AND m.lead_id IS NULL"
			   " AND m.contact_number = first.contact_number AND m.agent_number = first.agent_number",
		       "iiiiii", f->message_id, f->lead_id, f->contact_id, f->filed_by, f->org_id,
		       f->agent_id) < 0 ? -1 : 0;
}

