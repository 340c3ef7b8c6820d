/* GET /media/ID: an inbound image's stored bytes, to those who may see
 * it; everyone else gets the same 404 as for an id that does not exist.
 * ?download=1 makes it an attachment. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "media.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

struct media_row {
	long long id, size, lead_id, user_id;
	int agent_mms_enabled;
	const char *type;
};

/* The row's facts, or 404/503. Only fetched images of the viewer's
 * organization are candidates. */
static int media_read(struct req *r, long long id, struct media_row *out)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT mm.id, mm.size, COALESCE(m.lead_id, 0), COALESCE(m.user_id, 0),"
		     " COALESCE(u.mms_enabled, 0), mm.content_type"
		     " FROM message_media mm JOIN messages m ON m.id = mm.message_id"
		     " LEFT JOIN users u ON u.id = m.user_id"
		     " WHERE mm.id = ? AND m.org_id = ? AND m.direction = 'inbound'"
		     " AND mm.status = 'fetched'",
		     "ii", id, r->session->org_id) < 0)
		return 503;
	if (rows.n != 1 || !db_get(&rows, 0, 5))
		return 404;
	out->id = db_get_ll(&rows, 0, 0);
	out->size = db_get_ll(&rows, 0, 1);
	out->lead_id = db_get_ll(&rows, 0, 2);
	out->user_id = db_get_ll(&rows, 0, 3);
	out->agent_mms_enabled = db_get_ll(&rows, 0, 4) != 0;
	out->type = db_get(&rows, 0, 5);
	return 0;
}

/* Who may see the message the image came with: whoever sees its lead; for
 * an unmatched text, the agent whose number received it or an admin. */
static int media_visible(struct req *r, const struct media_row *m)
{
	const struct session *s = r->session;
	if (m->lead_id) {
		int rc = access_lead(r, m->lead_id, NULL);
		if (rc)
			return rc;
	} else if (m->user_id != s->user_id && s->role != ROLE_ADMIN) {
		return 404;
	}
	return rules_image_shown(m->agent_mms_enabled, s->display_images) ? 0 : 404;
}

int page_media(struct req *r)
{
	struct media_row m;
	int rc = media_read(r, r->ids[0], &m);
	if (rc == 0)
		rc = media_visible(r, &m);
	if (rc)
		return rc;
	char type[129];
	/* stored only after the same check; checked again because it goes
	 * into a header line */
	if (media_image_type(m.type, type, sizeof type) < 0 || strcmp(type, m.type) != 0)
		return 404;

	const char *download = params_get(&r->query, "download");
	int attachment = download && strcmp(download, "1") == 0;
	char disposition[96];
	snprintf(disposition, sizeof disposition, "%s; filename=\"image-%lld.%s\"",
		 attachment ? "attachment" : "inline", m.id, media_extension(type));
	char length[24];
	snprintf(length, sizeof length, "%lld", m.size);

	if (strcmp(r->method, "HEAD") != 0) {
		struct db_rows rows;
		if (db_query(r->db, r->a, &rows, "SELECT bytes FROM message_media WHERE id = ?"
						 " AND status = 'fetched'", "i", m.id) < 0)
			return 503;
		if (rows.n != 1 || !db_get(&rows, 0, 0))
			return 404;
		buf_clear(r->out);
		buf_append(r->out, db_get(&rows, 0, 0), rows.len[0]);
		snprintf(length, sizeof length, "%zu", rows.len[0]);
	}
	r->status = 200;
	r->content_type_out = arena_strdup(r->a, type);
	resp_header(r, "Content-Length", length);
	resp_header(r, "Content-Disposition", disposition);
	resp_header(r, "X-Content-Type-Options", "nosniff");
	resp_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
	resp_header(r, "Cache-Control", "private");
	return 0;
}
