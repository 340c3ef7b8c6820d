/* /leads: the leads the user may see, newest first, 50 a page, with Quick
 * Action Tools per row. Admins create leads here. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "db.h"
#include "kept.h"
#include "tz.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

#define LEADS_PER_PAGE 50

/* One query, an index walk that stops at the LIMIT: for managers and
 * admins the organization's leads by leads_org_updated, for agents their
 * current assignments by agent_leads_order (which carries each lead's
 * updated_at). Each lead's borrower's name and current agents' names are
 * kept in lead_names, so a row costs two primary-key reads. Both tables
 * are kept by triggers (schema/triggers/, migration 0031). No sort, no
 * temporary table, no subquery, whatever the number of leads. Times are
 * shown in the viewer's zone. */
#define LEAD_COLUMNS \
	"SELECT l.id, l.name, l.status, l.updated_at, n.borrower_name, n.agent_names"

/* An agent's list is kept (kept.h) with the version of it the session
 * read (sms_notify.list_version, moved by triggers on every change to
 * what it shows: schema/triggers/), the page and the
 * organization. */
static struct kept_rows agent_lists = KEPT_ROWS_INIT;

static int query_page(struct req *r, struct db_rows *rows, long long page)
{
	const struct session *s = r->session;
	long long offset = (page - 1) * LEADS_PER_PAGE;
	/* one row more than a page tells whether there is a next page */
	long long limit = LEADS_PER_PAGE + 1;
	if (access_sees_all_leads(r))
		return db_query(r->db, r->a, rows,
				LEAD_COLUMNS " FROM leads l LEFT JOIN lead_names n ON n.lead_id = l.id"
				" WHERE l.org_id = ?"
				" ORDER BY l.updated_at DESC, l.id DESC LIMIT ? OFFSET ?",
				"iii", s->org_id, limit, offset);
	struct kept_key key = { s->user_id, s->list_version, page, s->org_id };
	if (s->has_notify && kept_get(&agent_lists, &key, r->a, rows))
		return 0;
	if (db_query(r->db, r->a, rows,
		     LEAD_COLUMNS " FROM agent_leads a JOIN leads l ON l.id = a.lead_id"
		     " LEFT JOIN lead_names n ON n.lead_id = a.lead_id"
		     " WHERE a.user_id = ? AND l.org_id = ?"
		     " ORDER BY a.lead_updated_at DESC, a.lead_id DESC LIMIT ? OFFSET ?",
		     "iiii", s->user_id, s->org_id, limit, offset) < 0)
		return -1;
	if (s->has_notify)
		kept_put(&agent_lists, &key, rows);
	return 0;
}

int page_leads(struct req *r)
{
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > 100000)
		return 404;
	struct db_rows rows;
	if (query_page(r, &rows, page) < 0)
		return 503;
	tz_local_column(r->a, r->session->time_zone, &rows, 3);
	tmpl_dict *d = page_begin(r, "Leads", "leads.tpl");
	tmpl_set(d, "TIME_ZONE", r->session->time_zone);
	size_t shown = rows.n > LEADS_PER_PAGE ? LEADS_PER_PAGE : rows.n;
	for (size_t i = 0; i < shown; i++) {
		tmpl_dict *row = tmpl_section(d, "LEAD");
		tmpl_set(row, "ID", db_get(&rows, i, 0));
		tmpl_set(row, "NAME", db_get(&rows, i, 1));
		tmpl_set(row, "STATUS", db_get(&rows, i, 2));
		tmpl_set(row, "UPDATED", db_get(&rows, i, 3));
		const char *borrower = db_get(&rows, i, 4), *agents = db_get(&rows, i, 5);
		tmpl_set(row, "BORROWER", borrower ? borrower : "—");
		tmpl_set(row, "AGENTS", agents ? agents : "Unassigned");
		/* opens this lead's chatbox beside those already open */
		tmpl_set(row, "SMS_URL", chat_open_url(r, db_get_ll(&rows, i, 0)));
	}
	if (shown == 0)
		tmpl_show(d, "NO_LEADS");
	tmpl_set_int(d, "PAGE", page);
	if (page > 1)
		tmpl_set_int(tmpl_section(d, "PREV"), "PREV_PAGE", page - 1);
	if (rows.n > LEADS_PER_PAGE)
		tmpl_set_int(tmpl_section(d, "NEXT"), "NEXT_PAGE", page + 1);
	if (r->session->role == ROLE_ADMIN)
		tmpl_set(tmpl_section(d, "CREATE"), "CSRF", r->session->csrf);
	int rc = chat_render_all(r, d);
	if (rc)
		return rc;
	return page_finish(r);
}

int page_leads_create(struct req *r)
{
	char *name = text_trim(r->a, params_get(&r->form, "name"));
	char *status = text_trim(r->a, params_get(&r->form, "status"));
	if (!text_valid(name, 200)) {
		resp_redirect(r, "/leads?error=bad_name");
		return 0;
	}
	if (!text_valid(status, 50))
		status = "New";
	if (db_exec(r->db, "INSERT INTO leads (org_id, name, status, created_at, updated_at)"
			   " VALUES (?, ?, ?, NOW(), NOW())",
		    "iss", r->session->org_id, name, status) < 0)
		return 503;
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?done=created", db_insert_id(r->db)));
	return 0;
}
