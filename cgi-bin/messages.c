/* Texts as the pages read them (messages.h). */
#include "messages.h"

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "tz.h"

#include <string.h>

/* ---- Unmatched */

/* The list's columns, and the one text's: the same and its agent. */
#define UNMATCHED_COLUMNS \
	"SELECT m.id, m.contact_number, m.body, m.created_at, u.name, m.num_media"
enum { UM_ID, UM_FROM, UM_BODY, UM_CREATED, UM_AGENT_NAME, UM_NUM_MEDIA, UM_AGENT_ID };

static void unmatched_from_row(struct arena *a, const char *zone, long long now,
			       const struct db_rows *rows, size_t i, struct unmatched_text *t)
{
	struct shown_time at = format_utc(a, zone, db_get(rows, i, UM_CREATED), now, 1);
	*t = (struct unmatched_text){
		.id = db_get_ll(rows, i, UM_ID),
		.from_number = db_get(rows, i, UM_FROM),
		.body = db_get(rows, i, UM_BODY),
		.received = at.text,
		.received_iso = at.iso,
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
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	long long now = clock_now();
	for (size_t i = 0; i < rows.n; i++)
		unmatched_from_row(a, q->zone, now, &rows, i, &(*out)[i]);
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
	unmatched_from_row(a, q->zone, clock_now(), &rows, 0, out);
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

int messages_unmatched_lock(struct db *db, struct arena *a, long long org_id, long long id,
			    long long *lead)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT COALESCE(lead_id, 0) FROM messages"
				   " WHERE id = ? AND org_id = ? FOR UPDATE",
		     "ii", id, org_id) < 0)
		return -1;
	if (rows.n == 0)
		return 1;
	*lead = db_get_ll(&rows, 0, 0);
	return 0;
}

long long messages_filed_by(struct db *db, struct arena *a, long long org_id, long long id,
			    long long user)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT COALESCE(lead_id, 0) FROM messages"
				   " WHERE id = ? AND org_id = ? AND filed_by = ?",
		     "iii", id, org_id, user) < 0)
		return -1;
	return rows.n ? db_get_ll(&rows, 0, 0) : 0;
}

/* ---- the loan file */

/* A DATETIME (UTC) to the second: the loan file's times (the zone's are
 * computed from it, tz.h). */
#define UTC_SECONDS(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"

#define LEAD_TEXTS \
	"SELECT m.id, " UTC_SECONDS("m.created_at") ", m.direction, m.kind, u.name," \
	" m.agent_number, COALESCE(p.name, c.name), m.contact_number, m.status, " \
	UTC_SECONDS("m.updated_at") ", m.error_code, m.error_message, m.body, m.sensitive_kind," \
	" sa.name, m.link_shortener" \
	" FROM messages m LEFT JOIN users u ON u.id = m.user_id" \
	" LEFT JOIN contacts c ON c.id = m.contact_id" \
	" LEFT JOIN partners p ON p.id = c.partner_id" \
	" LEFT JOIN users sa ON sa.id = m.sent_anyway_by" \
	" WHERE m.lead_id = ? AND m.org_id = ? ORDER BY m.created_at, m.id"
enum { LT_ID, LT_UTC, LT_DIRECTION, LT_KIND, LT_AGENT, LT_AGENT_NUMBER, LT_CONTACT,
       LT_CONTACT_NUMBER, LT_STATUS, LT_STATUS_UTC, LT_ERROR_CODE, LT_ERROR_MESSAGE, LT_BODY,
       LT_SENSITIVE, LT_ANYWAY_BY, LT_SHORTENER };

/* The images of the lead's texts, in the texts' order. */
#define LEAD_IMAGES \
	"SELECT mm.message_id, mm.id, mm.status, COALESCE(mm.content_type, mm.declared_type)," \
	" mm.size, mm.sha256, mm.error FROM messages m" \
	" JOIN message_media mm ON mm.message_id = m.id" \
	" WHERE m.lead_id = ? AND m.org_id = ? AND m.num_media > 0" \
	" ORDER BY m.created_at, m.id, mm.idx"
enum { LI_MESSAGE, LI_ID, LI_STATUS, LI_TYPE, LI_SIZE, LI_SHA256, LI_ERROR };

static void lead_text_from_row(struct arena *a, const char *zone, const struct db_rows *rows,
			       size_t i, struct lead_text *t)
{
	const char *utc = db_get(rows, i, LT_UTC), *direction = db_get(rows, i, LT_DIRECTION);
	*t = (struct lead_text){
		.id = db_get_ll(rows, i, LT_ID),
		.at_utc = utc,
		.at_local = tz_local_seconds(a, zone, utc),
		.outbound = strcmp(direction, "outbound") == 0,
		.direction = direction,
		.kind = db_get(rows, i, LT_KIND),
		.agent = db_get(rows, i, LT_AGENT),
		.agent_number = db_get(rows, i, LT_AGENT_NUMBER),
		.contact = db_get(rows, i, LT_CONTACT),
		.contact_number = db_get(rows, i, LT_CONTACT_NUMBER),
		.status = db_get(rows, i, LT_STATUS),
		.status_local = tz_local_seconds(a, zone, db_get(rows, i, LT_STATUS_UTC)),
		.error_code = db_get(rows, i, LT_ERROR_CODE),
		.error_message = db_get(rows, i, LT_ERROR_MESSAGE),
		.body = db_get(rows, i, LT_BODY),
		.sensitive = db_get(rows, i, LT_SENSITIVE),
		.sent_anyway_by = db_get(rows, i, LT_ANYWAY_BY),
		.shortener = db_get(rows, i, LT_SHORTENER),
	};
}

/* The images of rows, each text's a run of images in the texts' order. */
static void attach_images(struct arena *a, const struct db_rows *rows, struct lead_text *texts,
			  size_t n)
{
	struct lead_text_image *images = arena_calloc(a, rows->n + 1, sizeof *images);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		texts[i].images = &images[k];
		for (; k < rows->n && db_get_ll(rows, k, LI_MESSAGE) == texts[i].id; k++)
			images[k] = (struct lead_text_image){
				.id = db_get_ll(rows, k, LI_ID),
				.status = db_get(rows, k, LI_STATUS),
				.type = db_get(rows, k, LI_TYPE),
				.size = db_get(rows, k, LI_SIZE),
				.sha256 = db_get(rows, k, LI_SHA256),
				.error = db_get(rows, k, LI_ERROR),
			};
		texts[i].nimages = (size_t)(&images[k] - texts[i].images);
	}
}

int messages_of_lead(struct db *db, struct arena *a, long long org_id, long long lead_id,
		     const char *zone, struct lead_text **out, size_t *n)
{
	struct db_rows texts, images;
	if (db_query(db, a, &texts, LEAD_TEXTS, "ii", lead_id, org_id) < 0 ||
	    db_query(db, a, &images, LEAD_IMAGES, "ii", lead_id, org_id) < 0)
		return -1;
	*out = arena_calloc(a, texts.n + 1, sizeof **out);
	for (size_t i = 0; i < texts.n; i++)
		lead_text_from_row(a, zone, &texts, i, &(*out)[i]);
	attach_images(a, &images, *out, texts.n);
	*n = texts.n;
	return 0;
}
