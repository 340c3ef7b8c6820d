#include "access.h"

#include "auth.h"
#include "db.h"
#include "tz.h"
#include "http.h"

static int access_lead_load(struct req *r, long long lead_id, struct lead *out);

int access_sees_all_leads(const struct req *r)
{
	return r->session && (r->session->role == ROLE_ADMIN || r->session->role == ROLE_MANAGER);
}

/* What access_lead answered in this request, by lead: a page that shows
 * a lead and its chatbox, and every link to that chatbox, ask once. */
struct access_seen {
	long long lead_id;
	int rc;
	struct lead lead;
	struct access_seen *next;
};

int access_lead(struct req *r, long long lead_id, struct lead *out)
{
	const struct session *s = r->session;
	if (!s || s->role == ROLE_SUPERADMIN || lead_id <= 0)
		return 404;
	for (const struct access_seen *m = r->access_seen; m; m = m->next)
		if (m->lead_id == lead_id) {
			if (out && m->rc == 0)
				*out = m->lead;
			return m->rc;
		}
	struct access_seen *m = arena_calloc(r->a, 1, sizeof *m);
	m->lead_id = lead_id;
	int rc = access_lead_load(r, lead_id, &m->lead);
	if (rc == 503)
		return rc;
	m->rc = rc;
	m->next = r->access_seen;
	r->access_seen = m;
	if (out && rc == 0)
		*out = m->lead;
	return rc;
}

static int access_lead_load(struct req *r, long long lead_id, struct lead *out)
{
	const struct session *s = r->session;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT l.id, l.name, l.status, l.updated_at, COALESCE(v.people, 0)"
		     " FROM leads l LEFT JOIN lead_versions v ON v.lead_id = l.id"
		     " WHERE l.id = ? AND l.org_id = ? AND " SQL_SEES_LEAD("l.id", "?", "? = 1"),
		     "iiii", lead_id, s->org_id, (long long)access_sees_all_leads(r), s->user_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	out->id = db_get_ll(&rows, 0, 0);
	out->name = db_get(&rows, 0, 1);
	out->status = db_get(&rows, 0, 2);
	out->updated_at = db_get(&rows, 0, 3);
	out->people_version = db_get_ll(&rows, 0, 4);
	return 0;
}

int access_contact(struct req *r, long long lead_id, long long contact_id)
{
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT 1 FROM contacts WHERE id = ? AND lead_id = ?",
		     "ii", contact_id, lead_id) < 0)
		return 503;
	return rows.n == 1 ? 0 : 404;
}

int access_org_user(struct req *r, long long user_id)
{
	const struct session *s = r->session;
	if (!s || s->role == ROLE_SUPERADMIN || user_id <= 0)
		return 404;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT 1 FROM users WHERE id = ? AND org_id = ?",
		     "ii", user_id, s->org_id) < 0)
		return 503;
	return rows.n == 1 ? 0 : 404;
}

int access_org_user_active(struct req *r, long long user_id, int *active)
{
	const struct session *s = r->session;
	if (!s || s->role == ROLE_SUPERADMIN || user_id <= 0)
		return 404;
	enum { USER_ACTIVE };
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT active FROM users WHERE id = ? AND org_id = ?",
		     "ii", user_id, s->org_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	*active = db_get_ll(&rows, 0, USER_ACTIVE) == 1;
	return 0;
}
