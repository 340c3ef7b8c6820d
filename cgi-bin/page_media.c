/* GET /media/ID: an inbound image's stored bytes, to those who may see
 * it; everyone else gets the same 404 as for an id that does not exist.
 * ?download=1 makes it an attachment. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "media.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* The request, read once: the image and whether it is a download. */
struct media_request {
	long long id;
	int attachment;     /* ?download=1 */
	int head;           /* HEAD: the headers without the bytes */
};

static void media_request_read(const struct req *r, struct media_request *q)
{
	const char *download = params_get(&r->query, "download");
	q->id = r->ids[0];
	q->attachment = download && strcmp(download, "1") == 0;
	q->head = strcmp(r->method, "HEAD") == 0;
}

/* The row's facts, or 404/503. Only fetched images of the viewer's
 * organization are candidates. */
static int media_read(struct req *r, long long id, struct media_image *out)
{
	int found = media_image_find(r->db, r->a, id, r->session->org_id, out);
	return found < 0 ? 503 : found ? 0 : 404;
}

/* Who may see the message the image came with: whoever sees its lead; for
 * an unmatched text, the agent whose number received it or an admin. */
static int media_visible(struct req *r, const struct media_image *m)
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
	struct media_request q;
	media_request_read(r, &q);
	struct media_image m;
	int rc = media_read(r, q.id, &m);
	if (rc == 0)
		rc = media_visible(r, &m);
	if (rc)
		return rc;
	char type[129];
	/* stored only after the same check; checked again because it goes
	 * into a header line */
	if (media_image_type(m.type, type, sizeof type) < 0 || strcmp(type, m.type) != 0)
		return 404;

	char disposition[96];
	snprintf(disposition, sizeof disposition, "%s; filename=\"image-%lld.%s\"",
		 q.attachment || !media_shown_inline(type) ? "attachment" : "inline", m.id,
		 media_extension(type));
	char length[24];
	snprintf(length, sizeof length, "%lld", m.size);

	if (!q.head) {
		const char *bytes;
		size_t len;
		int found = media_image_bytes(r->db, r->a, m.id, &bytes, &len);
		if (found < 0)
			return 503;
		if (!found)
			return 404;
		buf_clear(r->out);
		buf_append(r->out, bytes, len);
		snprintf(length, sizeof length, "%zu", len);
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
