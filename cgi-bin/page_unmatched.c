/* /unmatched: inbound texts from senders on no application of the
 * organization, kept for the agent whose number received them (nothing
 * received is dropped). The agent, or an admin, files one to an
 * application: it then shows in that application's chatbox. Agents see
 * their own; admins and managers the organization's. The texts and the
 * filing are messages.c's, the candidate applications leads.c's. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "leads.h"
#include "messages.h"
#include "validate.h"

#include <string.h>

#define UNMATCHED_PER_PAGE 50
#define CANDIDATES_MAX 20

/* Whose unmatched texts the viewer sees (to_file: may file). */
static struct unmatched_query whose(const struct req *r, int to_file)
{
	const struct session *s = r->session;
	return (struct unmatched_query){
		.org_id = s->org_id, .user_id = s->user_id, .zone = s->time_zone,
		.all = to_file ? s->role == ROLE_ADMIN : access_sees_all_leads(r),
	};
}

/* An unmatched inbound text the viewer may file: 0, 404 (absent, filed
 * already, or not the viewer's), 503. */
static int load_unmatched(struct req *r, long long id, struct unmatched_text *t)
{
	struct unmatched_query q = whose(r, 1);
	int rc = messages_unmatched_get(r->db, r->a, &q, id, t);
	return rc < 0 ? 503 : rc ? 404 : 0;
}

static void fill_message(struct req *r, tmpl_dict *row, const struct unmatched_text *t)
{
	tmpl_set_int(row, "ID", t->id);
	tmpl_set(row, "FROM", phone_shown(r->a, t->from_number));
	tmpl_set(row, "BODY", t->body);
	tmpl_set(row, "WHEN", t->received);
	tmpl_set(row, "WHEN_ISO", t->received_iso);
	tmpl_set(row, "AGENT", t->agent_name);
	if (t->num_media > 0)
		tmpl_set_int(tmpl_section(row, "IMAGES"), "NUM_MEDIA", t->num_media);
}

int page_unmatched(struct req *r)
{
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > 100000)
		return 404;
	struct unmatched_query q = whose(r, 0);
	struct unmatched_text *texts;
	size_t n;
	if (messages_unmatched_list(r->db, r->a, &q, UNMATCHED_PER_PAGE + 1,
				    (page - 1) * UNMATCHED_PER_PAGE, &texts, &n) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Unmatched texts", "unmatched.tpl");
	size_t shown = n > UNMATCHED_PER_PAGE ? UNMATCHED_PER_PAGE : n;
	for (size_t i = 0; i < shown; i++) {
		tmpl_dict *row = tmpl_section(d, "MESSAGE");
		fill_message(r, row, &texts[i]);
		if (q.all)
			tmpl_show(row, "AGENT_COLUMN");
	}
	if (q.all)
		tmpl_show(d, "AGENT_HEADER");
	if (shown == 0)
		tmpl_show(d, "NONE");
	tmpl_set_int(d, "PAGE", page);
	if (page > 1)
		tmpl_set_int(tmpl_section(d, "PREV"), "PREV_PAGE", page - 1);
	if (n > UNMATCHED_PER_PAGE)
		tmpl_set_int(tmpl_section(d, "NEXT"), "NEXT_PAGE", page + 1);
	return page_finish(r);
}

static const char *contact_role(const char *role)
{
	return strcmp(role, "borrower") == 0 ? "Borrower"
	       : strcmp(role, "co_borrower") == 0 ? "Co-borrower" : "External contact";
}

/* The candidates, each once with its contacts (rows: a lead's in a run). */
static void fill_candidates(struct req *r, tmpl_dict *d, const struct unmatched_text *t,
			    const struct candidate_row *rows, size_t n)
{
	tmpl_dict *l = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct candidate_row *c = &rows[i];
		if (!l || rows[i - 1].lead_id != c->lead_id) {
			l = tmpl_section(d, "LEAD");
			tmpl_set_int(l, "LEAD_ID", c->lead_id);
			tmpl_set(l, "LEAD_NAME", c->lead_name);
			tmpl_set(l, "LEAD_STATUS", c->lead_status);
		}
		if (!c->contact_id) {
			tmpl_show(l, "NO_CONTACTS");
			continue;
		}
		tmpl_dict *e = tmpl_section(l, "CONTACT");
		const char *mobile = c->contact_mobile;
		tmpl_set_int(e, "CONTACT_ID", c->contact_id);
		tmpl_set(e, "CONTACT_NAME", c->contact_name ? c->contact_name : "Unnamed contact");
		tmpl_set(e, "CONTACT_ROLE", contact_role(c->contact_role));
		tmpl_set(e, "CONTACT_MOBILE", mobile && *mobile ? phone_shown(r->a, mobile) : "no mobile");
		tmpl_set_int(e, "LEAD_ID", c->lead_id);
		tmpl_set(e, "CSRF", r->session->csrf);
		tmpl_set_int(e, "MESSAGE_ID", t->id);
	}
	if (!l)
		tmpl_show(d, "NO_LEADS");
}

/* /unmatched/ID?q=: the text, and the applications it can be filed to
 * (those the user sees whose name holds q, or whose number is q; without
 * q the most recently updated), each with its contacts. */
int page_unmatched_file_form(struct req *r)
{
	const struct session *s = r->session;
	const char *q = params_get(&r->query, "q");
	if (q && strlen(q) > 200)
		q = NULL;
	struct candidate_query cq = {
		.org_id = s->org_id, .user_id = s->user_id, .sees_all = access_sees_all_leads(r),
		.id = params_id(&r->query, "q"), .like = arena_printf(r->a, "%%%s%%", q ? q : ""),
		.max = CANDIDATES_MAX,
	};
	struct unmatched_text t;
	int rc = load_unmatched(r, r->ids[0], &t);
	if (rc)
		return rc;
	struct candidate_row *rows;
	size_t n;
	if (leads_candidates(r->db, r->a, &cq, &rows, &n) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "File an unmatched text", "unmatched_file.tpl");
	fill_message(r, d, &t);
	tmpl_set(d, "Q", q ? q : "");
	tmpl_set(d, "CSRF", s->csrf);
	fill_candidates(r, d, &t, rows, n);
	return page_finish(r);
}

/* POST /unmatched/ID/file (lead, contact): files the text, and every other
 * unmatched text between the same two numbers, to that contact of that
 * application. */
int page_unmatched_file(struct req *r)
{
	struct unmatched_filing f = {
		.org_id = r->session->org_id, .message_id = r->ids[0], .filed_by = r->session->user_id,
		.lead_id = params_id(&r->form, "lead"), .contact_id = params_id(&r->form, "contact"),
	};
	struct unmatched_text t;
	int rc = load_unmatched(r, f.message_id, &t);
	if (rc || (rc = access_contact(r, f.lead_id, f.contact_id)))
		return rc;
	f.agent_id = t.agent_id;
	if (messages_unmatched_file(r->db, &f) < 0)
		return 503;
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?chat=%lld&contact_%lld=%lld&agent_%lld=%lld",
				      f.lead_id, f.lead_id, f.lead_id, f.contact_id, f.lead_id,
				      f.agent_id));
	return 0;
}

/* The text was filed while this request waited (a second click on Create
 * an application, the first one's commit first): by this user, its
 * application opens; else it is no longer there to file (404). */
static int created_already(struct req *r, long long id)
{
	long long lead = messages_filed_by(r->db, r->a, r->session->org_id, id,
					   r->session->user_id);
	if (lead < 0)
		return 503;
	if (lead == 0)
		return 404;
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?chat=%lld", lead, lead));
	return 0;
}

/* POST /unmatched/ID/create (name, optional): Create an application for
 * the text's sender, who is on none: a new lead of the organization with
 * that number as its borrower (named, or not), assigned to the user whose
 * number received the text; the text, and every other unmatched text
 * between the two numbers, filed there; then its chatbox opens. Whoever
 * may file the text may do this. */
int page_unmatched_create(struct req *r)
{
	const struct session *s = r->session;
	struct unmatched_text t;
	int rc = load_unmatched(r, r->ids[0], &t);
	if (rc == 404)
		return created_already(r, r->ids[0]);
	if (rc)
		return rc;
	const char *name = text_trim(r->a, params_get(&r->form, "name"));
	if (name && !*name)
		name = NULL;
	if (name && !text_valid(name, 200)) {
		resp_redirect(r, arena_printf(r->a, "/unmatched/%lld?error=bad_name", t.id));
		return 0;
	}
	struct new_application n = {
		.org_id = s->org_id, .user_id = t.agent_id, .by = s->user_id,
		.name = name ? name : arena_printf(r->a, "Text from %s",
						   phone_shown(r->a, t.from_number)),
		.borrower = name, .mobile = t.from_number,
	};
	long long lead = 0, contact = 0, filed = 0;
	if (db_begin(r->db) < 0)
		return 503;
	/* the text, locked: a second click (or another user) that got here
	 * after the first finds it filed, and opens that application instead
	 * of making an empty one */
	rc = messages_unmatched_lock(r->db, r->a, s->org_id, t.id, &filed);
	if (rc || filed) {
		db_rollback(r->db);
		if (rc)
			return rc < 0 ? 503 : 404;
		return created_already(r, t.id);
	}
	struct unmatched_filing f = {
		.org_id = s->org_id, .message_id = t.id, .filed_by = s->user_id,
		.agent_id = t.agent_id,
	};
	int failed = leads_create_for_sender(r->db, &n, &lead, &contact) < 0;
	f.lead_id = lead;
	f.contact_id = contact;
	if (failed || messages_unmatched_file(r->db, &f) < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	log_info(r->id, "application %lld created for unmatched text %lld by user %lld", lead, t.id,
		 s->user_id);
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?chat=%lld&contact_%lld=%lld&agent_%lld=%lld",
				      lead, lead, lead, contact, lead, t.agent_id));
	return 0;
}
