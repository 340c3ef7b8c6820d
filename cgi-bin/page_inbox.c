/* GET /inbox: the conversations the user may see, newest activity first,
 * 50 a page, filtered by links (Needs reply, Mine, All and per agent for
 * managers and admins); a non-empty ?q= is a search (page_search.c).
 * POST /inbox/done and /inbox/unread: Done and Mark unread on one
 * conversation (inbox.h), then back to the local path the form names. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "clock.h"
#include "consent.h"
#include "format.h"
#include "inbox.h"
#include "validate.h"

#include <string.h>

#define INBOX_PAGE_ROWS 50
#define INBOX_PAGE_MAX 10000

/* The filter the query string asks for, read once at the door. */
struct inbox_query {
	enum inbox_filter filter;
	long long agent;         /* INBOX_AGENT's agent */
	long long page;
	const char *base;        /* the filter's own address, for the pager */
};

static int read_query(struct req *r, struct inbox_query *q)
{
	const char *show = params_get(&r->query, "show");
	int sees_all = access_sees_all_leads(r);
	q->agent = params_id(&r->query, "agent");
	q->page = params_id(&r->query, "page");
	if (q->page <= 0)
		q->page = 1;
	if (q->page > INBOX_PAGE_MAX)
		return 404;
	if (q->agent) {
		if (!sees_all)
			return 404;
		q->filter = INBOX_AGENT;
		q->base = arena_printf(r->a, "/inbox?agent=%lld", q->agent);
		return 0;
	}
	if (!show || !*show)
		q->filter = sees_all ? INBOX_ALL : INBOX_NEEDS;
	else if (strcmp(show, "needs") == 0)
		q->filter = INBOX_NEEDS;
	else if (strcmp(show, "mine") == 0)
		q->filter = INBOX_MINE;
	else if (strcmp(show, "all") == 0 && sees_all)
		q->filter = INBOX_ALL;
	else
		return 404;
	static const char *const names[] = { [INBOX_NEEDS] = "needs", [INBOX_MINE] = "mine",
					     [INBOX_ALL] = "all", [INBOX_AGENT] = "agent" };
	q->base = arena_printf(r->a, "/inbox?show=%s", names[q->filter]);
	return 0;
}

static void filter_link(tmpl_dict *d, const char *label, const char *url, int current)
{
	tmpl_dict *f = tmpl_section(d, "FILTER");
	tmpl_set(f, "LABEL", label);
	tmpl_set(f, "URL", url);
	if (current)
		tmpl_show(f, "CURRENT");
}

/* The filter links; managers and admins get All and one per agent (the
 * agent asked for must be one of them). 0, 404 or 503. */
static int filters(struct req *r, tmpl_dict *d, const struct inbox_query *q)
{
	filter_link(d, "Needs reply", "/inbox?show=needs", q->filter == INBOX_NEEDS);
	filter_link(d, "Mine", "/inbox?show=mine", q->filter == INBOX_MINE);
	if (!access_sees_all_leads(r))
		return 0;
	filter_link(d, "All", "/inbox?show=all", q->filter == INBOX_ALL);
	struct inbox_agent *agents;
	size_t n;
	if (inbox_agents(r->db, r->a, r->session->org_id, &agents, &n))
		return 503;
	int found = q->filter != INBOX_AGENT;
	for (size_t i = 0; i < n; i++) {
		int current = q->filter == INBOX_AGENT && agents[i].id == q->agent;
		found |= current;
		filter_link(d, agents[i].name, arena_printf(r->a, "/inbox?agent=%lld", agents[i].id),
			    current);
	}
	return found ? 0 : 404;
}

static const char *consent_text(int c)
{
	return c == CONSENT_GRANTED ? "Consented" : c == CONSENT_PENDING ? "Pending consent"
									 : "No consent";
}

static void row_fill(struct req *r, tmpl_dict *d, const struct inbox_row *c, const char *back)
{
	const struct session *s = r->session;
	tmpl_dict *row = tmpl_section(d, "ROW");
	const char *name = c->contact_name && *c->contact_name ? c->contact_name : "Unnamed contact";
	tmpl_set(row, "CONTACT_NAME", name);
	tmpl_set(row, "CONTACT_ROLE", c->contact_role);
	tmpl_set(row, "LEAD_NAME", c->lead_name);
	tmpl_set(row, "AGENT_NAME", c->agent_name);
	tmpl_set(row, "AGENT_NUMBER", c->agent_number ? phone_shown(r->a, c->agent_number) : "no number");
	tmpl_set(row, "WHO", c->outbound ? (c->agent_id == s->user_id ? "You" : c->agent_name) : name);
	tmpl_set(row, "LAST_TEXT", c->last_body && *c->last_body ? c->last_body :
				   c->last_media ? "(image)" : "(empty text)");
	tmpl_set(row, "WHEN", c->last_at);
	tmpl_set(row, "WHEN_ISO", c->last_iso);
	tmpl_set(row, "CONSENT_COLOR", consent_color(c->consent));
	tmpl_set(row, "CONSENT_TEXT", consent_text(c->consent));
	tmpl_set(row, "URL", arena_printf(r->a, "/leads/%lld?chat=%lld&agent_%lld=%lld&contact_%lld=%lld",
					  c->lead_id, c->lead_id, c->lead_id, c->agent_id,
					  c->lead_id, c->contact_id));
	tmpl_dict *f = tmpl_section(row, c->needs_reply ? "DONE_FORM" : "UNREAD_FORM");
	tmpl_set(f, "CSRF", s->csrf);
	tmpl_set_int(f, "AGENT", c->agent_id);
	tmpl_set_int(f, "LEAD", c->lead_id);
	tmpl_set_int(f, "CONTACT", c->contact_id);
	tmpl_set(f, "BACK", back);
	tmpl_set(f, "CONTACT_NAME", name);
	if (c->needs_reply) {
		tmpl_show(row, "NEEDS");
		tmpl_set(tmpl_section(row, "NEEDS_REPLY"), "WAITING",
			 inbox_waiting_text(r->a, c->waiting_s));
	}
}

int page_inbox(struct req *r)
{
	const char *search = params_get(&r->query, "q");
	if (search && *search)
		return page_inbox_search(r);
	struct inbox_query q;
	int rc = read_query(r, &q);
	if (rc)
		return rc;
	const struct session *s = r->session;
	struct inbox_viewer v = { s->org_id, s->user_id, access_sees_all_leads(r), s->time_zone };
	struct inbox_row *rows;
	size_t n;
	if (inbox_list(r->db, r->a, &v, q.filter, q.agent, INBOX_PAGE_ROWS + 1,
		       (q.page - 1) * INBOX_PAGE_ROWS, &rows, &n))
		return 503;
	tmpl_dict *d = page_begin(r, "Inbox", "inbox.tpl");
	if ((rc = filters(r, d, &q)))
		return rc;
	const char *back = r->query_string && *r->query_string
				   ? arena_printf(r->a, "/inbox?%s", r->query_string) : "/inbox";
	size_t shown = n > INBOX_PAGE_ROWS ? INBOX_PAGE_ROWS : n;
	for (size_t i = 0; i < shown; i++)
		row_fill(r, d, &rows[i], back);
	if (shown == 0)
		tmpl_show(d, q.filter == INBOX_NEEDS ? "NOTHING_NEEDS" : "NO_CONVERSATIONS");
	tmpl_set_int(d, "PAGE", q.page);
	if (q.page > 1)
		tmpl_set(tmpl_section(d, "NEWER"), "URL",
			 arena_printf(r->a, "%s&page=%lld", q.base, q.page - 1));
	if (n > INBOX_PAGE_ROWS)
		tmpl_set(tmpl_section(d, "OLDER"), "URL",
			 arena_printf(r->a, "%s&page=%lld", q.base, q.page + 1));
	return page_finish(r);
}

/* POST /inbox/done and /inbox/unread (agent, lead, contact, back). */
static int mark(struct req *r, int done)
{
	const struct session *s = r->session;
	struct inbox_viewer v = { s->org_id, s->user_id, access_sees_all_leads(r), s->time_zone };
	const char *back = params_get(&r->form, "back");
	if (!back || strlen(back) > 2048 || !local_path_ok(back))
		back = "/inbox";
	int rc = inbox_mark(r->db, r->a, &v, params_id(&r->form, "agent"), params_id(&r->form, "lead"),
			    params_id(&r->form, "contact"), done);
	if (rc)
		return rc;
	resp_redirect(r, back);
	return 0;
}

int page_inbox_done(struct req *r)
{
	return mark(r, 1);
}

int page_inbox_unread(struct req *r)
{
	return mark(r, 0);
}
