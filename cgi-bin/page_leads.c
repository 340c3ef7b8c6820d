/* /leads: the leads the user may see, newest first, 50 a page, with Quick
 * Action Tools per row. Admins create leads here. What is read and
 * written is leads.c's (the list's statements and why they stay cheap are
 * described there). Times are shown in the viewer's zone. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "leads.h"
#include "validate.h"

#define LEADS_PER_PAGE 50

static void fill_rows(struct req *r, tmpl_dict *d, const struct lead_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *row = tmpl_section(d, "LEAD");
		tmpl_set_int(row, "ID", rows[i].id);
		tmpl_set(row, "NAME", rows[i].name);
		tmpl_set(row, "STATUS", rows[i].status);
		tmpl_set(row, "UPDATED", rows[i].updated);
		tmpl_set(row, "UPDATED_ISO", rows[i].updated_iso);
		tmpl_set(row, "BORROWER", rows[i].borrower_name ? rows[i].borrower_name : "—");
		tmpl_set(row, "AGENTS", rows[i].agent_names ? rows[i].agent_names : "Unassigned");
		/* opens this lead's chatbox beside those already open */
		tmpl_set(row, "SMS_URL", chat_open_url(r, rows[i].id));
	}
	if (n == 0)
		tmpl_show(d, "NO_LEADS");
}

int page_leads(struct req *r)
{
	const struct session *s = r->session;
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > 100000)
		return 404;
	struct leads_list_query q = {
		.org_id = s->org_id, .user_id = s->user_id, .sees_all = access_sees_all_leads(r),
		.has_version = s->has_notify, .list_version = s->list_version,
		.page = page, .per_page = LEADS_PER_PAGE, .zone = s->time_zone,
	};
	struct lead_row *rows;
	size_t n;
	int more;
	if (leads_list(r->db, r->a, &q, &rows, &n, &more) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Leads", "leads.tpl");
	fill_rows(r, d, rows, n);
	tmpl_set_int(d, "PAGE", page);
	if (page > 1)
		tmpl_set_int(tmpl_section(d, "PREV"), "PREV_PAGE", page - 1);
	if (more)
		tmpl_set_int(tmpl_section(d, "NEXT"), "NEXT_PAGE", page + 1);
	if (s->role == ROLE_ADMIN)
		tmpl_set(tmpl_section(d, "CREATE"), "CSRF", s->csrf);
	int rc = chat_render_all(r, d);
	if (rc)
		return rc;
	return page_finish(r);
}

/* A new lead, as the form sent it. */
struct lead_form {
	char *name, *status;
};

int page_leads_create(struct req *r)
{
	struct lead_form f = {
		.name = text_trim(r->a, params_get(&r->form, "name")),
		.status = text_trim(r->a, params_get(&r->form, "status")),
	};
	if (!text_valid(f.name, 200)) {
		resp_redirect(r, "/leads?error=bad_name");
		return 0;
	}
	if (!text_valid(f.status, 50))
		f.status = "New";
	long long id = leads_create(r->db, r->session->org_id, f.name, f.status);
	if (id < 0)
		return 503;
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?done=created", id));
	return 0;
}
