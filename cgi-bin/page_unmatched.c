/* /unmatched: inbound texts from senders on no application of the
 * organization, kept for the agent whose number received them (nothing
 * received is dropped). The agent, or an admin, files one to an
 * application: it then shows in that application's chatbox. Agents see
 * their own; admins and managers the organization's. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "tz.h"
#include "rules.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNMATCHED_PER_PAGE 50
#define CANDIDATES_MAX 20

static int sees_all(const struct req *r)
{
	return access_sees_all_leads(r);
}

/* An unmatched inbound text the viewer may see (to_file: may file). 0,
 * 404 (absent, filed already, or not the viewer's), 503. */
static int load_unmatched(struct req *r, long long id, int to_file, struct db_rows *m)
{
	const struct session *s = r->session;
	int all = to_file ? s->role == ROLE_ADMIN : sees_all(r);
	if (db_query(r->db, r->a, m,
		     "SELECT m.id, m.contact_number, m.body, m.created_at,"
		     " u.name, m.num_media, m.user_id FROM messages m JOIN users u ON u.id = m.user_id"
		     " WHERE m.id = ? AND m.org_id = ? AND m.direction = 'inbound' AND m.lead_id IS NULL"
		     " AND (? = 1 OR m.user_id = ?)",
		     "iiii", id, s->org_id, (long long)all, s->user_id) < 0)
		return 503;
	tz_local_column(r->a, s->time_zone, m, 3);
	return m->n == 1 ? 0 : 404;
}

static void fill_message(struct req *r, tmpl_dict *row, const struct db_rows *m, size_t i)
{
	tmpl_set(row, "ID", db_get(m, i, 0));
	tmpl_set(row, "FROM", phone_shown(r->a, db_get(m, i, 1)));
	tmpl_set(row, "BODY", db_get(m, i, 2));
	tmpl_set(row, "WHEN", db_get(m, i, 3));
	tmpl_set(row, "AGENT", db_get(m, i, 4));
	if (db_get_ll(m, i, 5) > 0)
		tmpl_set(tmpl_section(row, "IMAGES"), "NUM_MEDIA", db_get(m, i, 5));
}

int page_unmatched(struct req *r)
{
	const struct session *s = r->session;
	long long page = params_id(&r->query, "page");
	if (page <= 0)
		page = 1;
	if (page > 100000)
		return 404;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT m.id, m.contact_number, m.body, m.created_at,"
		     " u.name, m.num_media FROM messages m JOIN users u ON u.id = m.user_id"
		     " WHERE m.org_id = ? AND m.lead_id IS NULL AND m.direction = 'inbound'"
		     " AND (? = 1 OR m.user_id = ?) ORDER BY m.id DESC LIMIT ? OFFSET ?",
		     "iiiii", s->org_id, (long long)sees_all(r), s->user_id,
		     (long long)UNMATCHED_PER_PAGE + 1, (page - 1) * UNMATCHED_PER_PAGE) < 0)
		return 503;
	tz_local_column(r->a, s->time_zone, &rows, 3);
	tmpl_dict *d = page_begin(r, "Unmatched texts", "unmatched.tpl");
	tmpl_set(d, "TIME_ZONE", s->time_zone);
	size_t shown = rows.n > UNMATCHED_PER_PAGE ? UNMATCHED_PER_PAGE : rows.n;
	for (size_t i = 0; i < shown; i++) {
		tmpl_dict *row = tmpl_section(d, "MESSAGE");
		fill_message(r, row, &rows, i);
		if (sees_all(r))
			tmpl_show(row, "AGENT_COLUMN");
	}
	if (sees_all(r))
		tmpl_show(d, "AGENT_HEADER");
	if (shown == 0)
		tmpl_show(d, "NONE");
	tmpl_set_int(d, "PAGE", page);
	if (page > 1)
		tmpl_set_int(tmpl_section(d, "PREV"), "PREV_PAGE", page - 1);
	if (rows.n > UNMATCHED_PER_PAGE)
		tmpl_set_int(tmpl_section(d, "NEXT"), "NEXT_PAGE", page + 1);
	return page_finish(r);
}

/* A row of the filing page (a candidate and one of its contacts, or none),
 * in order: the candidates most recently updated first, then each one's
 * contacts as the application reads, by id. */
struct candidate {
	const char *updated_at;
	long long lead, contact;  /* contact 0: none */
	int order;                /* rules_contact_reading_order; -1: no contact */
	size_t row;
};

static int candidate_order(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	int c = strcmp(b->updated_at, a->updated_at);
	if (c)
		return c;
	if (a->lead != b->lead)
		return a->lead < b->lead ? 1 : -1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return (a->contact > b->contact) - (a->contact < b->contact);
}

/* /unmatched/ID?q=: the text, and the applications it can be filed to
 * (those the user sees whose name holds q, or whose number is q; without
 * q the most recently updated), each with its contacts. */
int page_unmatched_file_form(struct req *r)
{
	const struct session *s = r->session;
	struct db_rows m, leads;
	int rc = load_unmatched(r, r->ids[0], 1, &m);
	if (rc)
		return rc;
	const char *q = params_get(&r->query, "q");
	if (q && strlen(q) > 200)
		q = NULL;
	const char *like = arena_printf(r->a, "%%%s%%", q ? q : "");
	long long qid = params_id(&r->query, "q");
	/* the candidates with their contacts in one round trip (not one per
	 * candidate), put in order here: the candidates' order, then the
	 * contacts' */
	if (db_query(r->db, r->a, &leads,
		     "SELECT l.id, l.name, l.status, l.updated_at, c.id, COALESCE(p.name, c.name),"
		     " c.role, " SQL_CONTACT_MOBILE " FROM ("
		     " SELECT l.id, l.name, l.status, l.updated_at FROM leads l WHERE l.org_id = ?"
		     " AND (? = 1 OR EXISTS (SELECT 1 FROM assignments a WHERE a.lead_id = l.id"
		     "  AND a.user_id = ? AND a.unassigned_at IS NULL))"
		     " AND (l.id = ? OR l.name LIKE ?) ORDER BY l.updated_at DESC, l.id DESC LIMIT ?) l"
		     " LEFT JOIN contacts c ON c.lead_id = l.id LEFT JOIN partners p ON p.id = c.partner_id",
		     "iiiisi", s->org_id, (long long)access_sees_all_leads(r), s->user_id, qid,
		     like, (long long)CANDIDATES_MAX) < 0)
		return 503;
	struct candidate *order = arena_calloc(r->a, leads.n + 1, sizeof *order);
	for (size_t i = 0; i < leads.n; i++) {
		const char *role = db_get(&leads, i, 6);
		order[i] = (struct candidate){
			.updated_at = db_get(&leads, i, 3), .lead = db_get_ll(&leads, i, 0),
			.contact = role ? db_get_ll(&leads, i, 4) : 0,
			.order = role ? rules_contact_reading_order(role) : -1, .row = i,
		};
	}
	qsort(order, leads.n, sizeof *order, candidate_order);
	tmpl_dict *d = page_begin(r, "File an unmatched text", "unmatched_file.tpl");
	fill_message(r, d, &m, 0);
	tmpl_set(d, "Q", q ? q : "");
	tmpl_set(d, "CSRF", s->csrf);
	tmpl_dict *l = NULL;
	size_t nleads = 0;
	for (size_t k = 0; k < leads.n; k++) {
		size_t i = order[k].row;
		if (!l || order[k - 1].lead != order[k].lead) {
			l = tmpl_section(d, "LEAD");
			nleads++;
			tmpl_set(l, "LEAD_ID", db_get(&leads, i, 0));
			tmpl_set(l, "LEAD_NAME", db_get(&leads, i, 1));
			tmpl_set(l, "LEAD_STATUS", db_get(&leads, i, 2));
		}
		if (!db_get(&leads, i, 4)) {
			tmpl_show(l, "NO_CONTACTS");
			continue;
		}
		tmpl_dict *c = tmpl_section(l, "CONTACT");
		const char *role = db_get(&leads, i, 6), *mobile = db_get(&leads, i, 7);
		tmpl_set(c, "CONTACT_ID", db_get(&leads, i, 4));
		tmpl_set(c, "CONTACT_NAME", db_get(&leads, i, 5) ? db_get(&leads, i, 5) : "Unnamed contact");
		tmpl_set(c, "CONTACT_ROLE", strcmp(role, "borrower") == 0 ? "Borrower" :
					    strcmp(role, "co_borrower") == 0 ? "Co-borrower" :
					    "External contact");
		tmpl_set(c, "CONTACT_MOBILE", mobile && *mobile ? phone_shown(r->a, mobile) : "no mobile");
		tmpl_set(c, "LEAD_ID", db_get(&leads, i, 0));
		tmpl_set(c, "CSRF", s->csrf);
		tmpl_set(c, "MESSAGE_ID", db_get(&m, 0, 0));
	}
	if (nleads == 0)
		tmpl_show(d, "NO_LEADS");
	return page_finish(r);
}

/* POST /unmatched/ID/file (lead, contact): files the text, and every other
 * unmatched text between the same two numbers, to that contact of that
 * application. */
int page_unmatched_file(struct req *r)
{
	const struct session *s = r->session;
	struct db_rows m;
	long long lead_id = params_id(&r->form, "lead"), contact_id = params_id(&r->form, "contact");
	int rc = load_unmatched(r, r->ids[0], 1, &m);
	if (rc || (rc = access_contact(r, lead_id, contact_id)))
		return rc;
	long long agent = db_get_ll(&m, 0, 6);
	if (db_exec(r->db, "UPDATE messages m JOIN messages first ON first.id = ?"
			   " SET m.lead_id = ?, m.contact_id = ?, m.filed_by = ?, m.filed_at = NOW(6)"
			   " WHERE m.org_id = ? AND m.user_id = ? AND m.lead_id IS NULL"
			   " AND m.contact_number = first.contact_number AND m.agent_number = first.agent_number",
		    "iiiiii", r->ids[0], lead_id, contact_id, s->user_id, s->org_id, agent) < 0)
		return 503;
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?chat=%lld&contact_%lld=%lld&agent_%lld=%lld",
				      lead_id, lead_id, lead_id, contact_id, lead_id, agent));
	return 0;
}
