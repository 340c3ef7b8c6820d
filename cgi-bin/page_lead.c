/* /leads/ID: the application, its contacts and assigned agents, with the
 * Action Tools toolbar. Admins add and edit contacts, link partners and
 * assign, unassign and reassign agents here; each change bumps updated_at,
 * which decides where an inbound text lands. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "db.h"
#include "kept.h"
#include "rules.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static const char *role_label(const char *role, const char *external_role)
{
	if (strcmp(role, "borrower") == 0)
		return "Borrower";
	if (strcmp(role, "co_borrower") == 0)
		return "Co-borrower";
	return external_role ? external_role : "External contact";
}

/* One row of the lead's people: a contact or a currently assigned agent */
struct person {
	const char *id, *role, *name, *number, *partner_role;
	const char *assigned_at;  /* agents: the order they were assigned in */
	long long order, tie;
};

static int person_order(const void *pa, const void *pb)
{
	const struct person *a = pa, *b = pb;
	if (a->order != b->order)
		return (a->order > b->order) - (a->order < b->order);
	int c = a->assigned_at && b->assigned_at ? strcmp(a->assigned_at, b->assigned_at) : 0;
	return c ? c : (a->tie > b->tie) - (a->tie < b->tie);
}

/* The people's rows, kept per lead (kept.h) with the version of them
 * read with the lead (lead_versions.people, moved by triggers on every
 * change to them: schema/0029-lead-people-version.sql). */
static struct kept_rows lead_people = KEPT_ROWS_INIT;

/* The lead's contacts (borrower, co-borrower, then partners) and its
 * assigned agents (in the order they were assigned), in one round trip
 * (or none, when kept): a UNION ALL of two index lookups without ORDER BY
 * (so no temporary table), put in order here. */
static int load_people(struct req *r, const struct lead *lead, struct person **contacts,
		       size_t *ncontacts, struct person **agents, size_t *nagents)
{
	struct db_rows rows;
	long long lead_id = lead->id;
	struct kept_key key = { lead_id, lead->people_version, 0, 0 };
	if (!kept_get(&lead_people, &key, r->a, &rows)) {
		if (db_query(r->db, r->a, &rows,
			     "SELECT 0, c.id, c.role, COALESCE(p.name, c.name), " SQL_CONTACT_MOBILE ","
			     " p.role, NULL, c.id FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id"
			     " WHERE c.lead_id = ?"
			     " UNION ALL"
			     " SELECT 1, u.id, u.role, u.name, u.sms_number, NULL, a.assigned_at, a.id"
			     " FROM assignments a JOIN users u ON u.id = a.user_id"
			     " WHERE a.lead_id = ? AND a.unassigned_at IS NULL",
			     "ii", lead_id, lead_id) < 0)
			return 503;
		kept_put(&lead_people, &key, &rows);
	}
	*contacts = arena_calloc(r->a, rows.n + 1, sizeof **contacts);
	*agents = arena_calloc(r->a, rows.n + 1, sizeof **agents);
	*ncontacts = *nagents = 0;
	for (size_t i = 0; i < rows.n; i++) {
		int agent = db_get_ll(&rows, i, 0) == 1;
		struct person *p = agent ? &(*agents)[(*nagents)++] : &(*contacts)[(*ncontacts)++];
		p->id = db_get(&rows, i, 1);
		p->role = db_get(&rows, i, 2);
		p->name = db_get(&rows, i, 3);
		p->number = db_get(&rows, i, 4);
		p->partner_role = db_get(&rows, i, 5);
		p->assigned_at = db_get(&rows, i, 6);
		p->tie = db_get_ll(&rows, i, 7);
		p->order = agent ? 0 : rules_contact_reading_order(p->role);
	}
	qsort(*contacts, *ncontacts, sizeof **contacts, person_order);
	qsort(*agents, *nagents, sizeof **agents, person_order);
	return 0;
}

static void fill_contacts(struct req *r, tmpl_dict *d, const struct person *people, size_t n,
			  int admin)
{
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &people[i];
		tmpl_dict *c = tmpl_section(d, "CONTACT");
		tmpl_set(c, "CONTACT_ID", p->id);
		tmpl_set(c, "CONTACT_NAME", p->name);
		tmpl_set(c, "CONTACT_ROLE", role_label(p->role, p->partner_role));
		tmpl_set(c, "CONTACT_MOBILE", p->number ? phone_shown(r->a, p->number) : "No mobile number");
		if (admin && strcmp(p->role, "external") != 0) {
			tmpl_dict *e = tmpl_section(c, "EDIT_CONTACT");
			tmpl_set(e, "CONTACT_ID", p->id);
			tmpl_set(e, "CONTACT_NAME", p->name);
			tmpl_set(e, "CONTACT_MOBILE_VALUE", p->number);
		} else if (admin) {
			tmpl_show(c, "NO_EDIT"); /* edited through its partner */
		}
	}
	if (n == 0)
		tmpl_show(d, "NO_CONTACTS");
}

static int fill_assignments(struct req *r, tmpl_dict *d, long long lead_id,
			    const struct person *agents, size_t n, int admin)
{
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &agents[i];
		tmpl_dict *a = tmpl_section(d, "AGENT");
		tmpl_set(a, "AGENT_ID", p->id);
		tmpl_set(a, "AGENT_NAME", p->name);
		tmpl_set(a, "AGENT_ROLE", p->role);
		tmpl_set(a, "AGENT_NUMBER", p->number && *p->number ? phone_shown(r->a, p->number)
								     : "No SMS number");
		if (admin)
			tmpl_set(tmpl_section(a, "UNASSIGN"), "AGENT_ID", p->id);
	}
	if (n == 0)
		tmpl_show(d, "NO_AGENTS");
	if (!admin)
		return 0;
	/* who can be assigned: the organization's active users */
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT u.id, u.name, u.role, EXISTS (SELECT 1 FROM assignments a WHERE"
		     " a.lead_id = ? AND a.user_id = u.id AND a.unassigned_at IS NULL)"
		     " FROM users u WHERE u.org_id = ? AND u.active = 1 ORDER BY u.name",
		     "ii", lead_id, r->session->org_id) < 0)
		return 503;
	tmpl_dict *f = tmpl_section(d, "ASSIGN_FORMS");
	for (size_t i = 0; i < rows.n; i++) {
		int assigned = db_get_ll(&rows, i, 3) != 0;
		tmpl_dict *o = tmpl_section(f, assigned ? "ASSIGNED_OPTION" : "FREE_OPTION");
		tmpl_set(o, "USER_ID", db_get(&rows, i, 0));
		tmpl_set(o, "USER_NAME", db_get(&rows, i, 1));
		tmpl_set(o, "USER_ROLE", db_get(&rows, i, 2));
	}
	return 0;
}

static int fill_partner_choices(struct req *r, tmpl_dict *d, long long lead_id)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT p.id, p.name, p.role, p.mobile FROM partners p WHERE p.org_id = ?"
		     " AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.lead_id = ? AND"
		     " c.partner_id = p.id) ORDER BY p.name LIMIT 1000",
		     "ii", r->session->org_id, lead_id) < 0)
		return 503;
	for (size_t i = 0; i < rows.n; i++) {
		tmpl_dict *p = tmpl_section(d, "PARTNER_OPTION");
		tmpl_set(p, "PARTNER_ID", db_get(&rows, i, 0));
		tmpl_set(p, "PARTNER_NAME", db_get(&rows, i, 1));
		tmpl_set(p, "PARTNER_ROLE", db_get(&rows, i, 2));
		const char *m = db_get(&rows, i, 3);
		tmpl_set(p, "PARTNER_MOBILE", m ? phone_shown(r->a, m) : "no mobile");
	}
	return 0;
}

int page_lead(struct req *r)
{
	struct lead lead;
	int rc = access_lead(r, r->ids[0], &lead);
	if (rc)
		return rc;
	int admin = r->session->role == ROLE_ADMIN;
	tmpl_dict *d = page_begin(r, lead.name, "lead.tpl");
	tmpl_set_int(d, "LEAD_ID", lead.id);
	tmpl_set(d, "LEAD_NAME", lead.name);
	tmpl_set(d, "LEAD_STATUS", lead.status);
	tmpl_set(d, "UPDATED", lead.updated_local);
	tmpl_set(d, "TIME_ZONE", r->session->time_zone);
	tmpl_set(d, "SMS_URL", chat_open_url(r, lead.id));
	if (admin) {
		tmpl_show(d, "ADMIN");
		tmpl_set(d, "CSRF", r->session->csrf);
	}
	struct person *contacts, *agents;
	size_t ncontacts, nagents;
	if ((rc = load_people(r, &lead, &contacts, &ncontacts, &agents, &nagents)))
		return rc;
	fill_contacts(r, d, contacts, ncontacts, admin);
	if ((rc = fill_assignments(r, d, lead.id, agents, nagents, admin)) ||
	    (admin && (rc = fill_partner_choices(r, d, lead.id))) ||
	    (rc = chat_render_all(r, d)))
		return rc;
	return page_finish(r);
}

/* The answer to every admin form on the lead page. */
static int back(struct req *r, long long lead_id, const char *kind, const char *code)
{
	resp_redirect(r, arena_printf(r->a, "/leads/%lld?%s=%s", lead_id, kind, code));
	return 0;
}

static int touch_lead(struct req *r, long long lead_id)
{
	return db_exec(r->db, "UPDATE leads SET updated_at = NOW() WHERE id = ?", "i", lead_id) < 0;
}

/* Name and mobile of a borrower or co-borrower from the form. */
static const char *contact_fields(struct req *r, char **name, char mobile[E164_MAX + 1])
{
	*name = text_trim(r->a, params_get(&r->form, "name"));
	const char *raw = text_trim(r->a, params_get(&r->form, "mobile"));
	if (!text_valid(*name, 200))
		return "bad_name";
	mobile[0] = '\0';
	if (*raw && phone_normalize(raw, mobile) < 0)
		return "bad_phone";
	return NULL;
}

int page_lead_contact_add(struct req *r)
{
	long long lead_id = r->ids[0];
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	const char *role = params_get(&r->form, "role");
	if (!role || (strcmp(role, "borrower") && strcmp(role, "co_borrower")))
		return back(r, lead_id, "error", "bad_contact_role");
	char *name, mobile[E164_MAX + 1];
	const char *err = contact_fields(r, &name, mobile);
	if (err)
		return back(r, lead_id, "error", err);
	if (db_begin(r->db) < 0)
		return 503;
	if (db_exec(r->db, "INSERT INTO contacts (org_id, lead_id, role, name, mobile)"
			   " VALUES (?, ?, ?, ?, ?)", "iisss", r->session->org_id, lead_id, role,
		    name, *mobile ? mobile : NULL) < 0 ||
	    touch_lead(r, lead_id) || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return back(r, lead_id, "done", "contact_added");
}

int page_lead_contact_edit(struct req *r)
{
	long long lead_id = r->ids[0], contact_id = r->ids[1];
	int rc = access_contact(r, lead_id, contact_id);
	if (rc)
		return rc;
	char *name, mobile[E164_MAX + 1];
	const char *err = contact_fields(r, &name, mobile);
	if (err)
		return back(r, lead_id, "error", err);
	if (db_begin(r->db) < 0)
		return 503;
	/* an external contact's name and number belong to its partner */
	long long n = db_exec(r->db, "UPDATE contacts SET name = ?, mobile = ? WHERE id = ?"
				     " AND lead_id = ? AND role <> 'external'",
			      "ssii", name, *mobile ? mobile : NULL, contact_id, lead_id);
	if (n < 0 || touch_lead(r, lead_id) || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return back(r, lead_id, n > 0 ? "done" : "error", n > 0 ? "saved" : "bad_contact_role");
}

int page_lead_partner_link(struct req *r)
{
	long long lead_id = r->ids[0];
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	long long partner_id = params_id(&r->form, "partner");
	if (db_begin(r->db) < 0)
		return 503;
	if (partner_id == 0) {
		/* a new partner, kept once for the organization */
		char *name = text_trim(r->a, params_get(&r->form, "name"));
		char *prole = text_trim(r->a, params_get(&r->form, "partner_role"));
		const char *raw = text_trim(r->a, params_get(&r->form, "mobile"));
		char mobile[E164_MAX + 1];
		if (!text_valid(name, 200) || !*raw) {
			db_rollback(r->db);
			return back(r, lead_id, "error", "bad_partner");
		}
		if (phone_normalize(raw, mobile) < 0) {
			db_rollback(r->db);
			return back(r, lead_id, "error", "bad_phone");
		}
		if (!text_valid(prole, 100))
			prole = "Real Estate Agent";
		if (db_exec(r->db, "INSERT INTO partners (org_id, name, role, mobile) VALUES (?, ?, ?, ?)",
			    "isss", r->session->org_id, name, prole, mobile) < 0)
			goto fail;
		partner_id = db_insert_id(r->db);
	} else {
		struct db_rows rows;
		if (db_query(r->db, r->a, &rows, "SELECT 1 FROM partners WHERE id = ? AND org_id = ?",
			     "ii", partner_id, r->session->org_id) < 0)
			goto fail;
		if (rows.n != 1) {
			db_rollback(r->db);
			return 404;
		}
	}
	long long ins = db_exec(r->db, "INSERT INTO contacts (org_id, lead_id, role, partner_id)"
				       " VALUES (?, ?, 'external', ?)",
				"iii", r->session->org_id, lead_id,
				partner_id);
	if (ins == DB_DUP) {
		db_rollback(r->db);
		return back(r, lead_id, "error", "already_linked");
	}
	if (ins < 0 || touch_lead(r, lead_id) || db_commit(r->db) < 0)
		goto fail;
	return back(r, lead_id, "done", "partner_linked");
fail:
	db_rollback(r->db);
	return 503;
}

/* A user of the admin's organization, by form field (active ones only when
 * they are to be assigned): the id, 0 when the field is missing or
 * malformed, -404 for an id of no user of the organization, -1. */
static long long org_user(struct req *r, const char *field, int must_be_active)
{
	long long id = params_id(&r->form, field);
	struct db_rows rows;
	if (id <= 0)
		return 0;
	if (db_query(r->db, r->a, &rows, "SELECT active FROM users WHERE id = ? AND org_id = ?",
		     "ii", id, r->session->org_id) < 0)
		return -1;
	if (rows.n != 1)
		return -404;
	return must_be_active && db_get_ll(&rows, 0, 0) != 1 ? 0 : id;
}

static long long assign(struct req *r, long long lead_id, long long user_id)
{
	return db_exec(r->db, "INSERT INTO assignments (lead_id, user_id, assigned_at, assigned_by)"
			      " VALUES (?, ?, NOW(), ?)", "iii", lead_id, user_id,
		       r->session->user_id);
}

static long long unassign(struct req *r, long long lead_id, long long user_id)
{
	return db_exec(r->db, "UPDATE assignments SET unassigned_at = NOW(), unassigned_by = ?"
			      " WHERE lead_id = ? AND user_id = ? AND unassigned_at IS NULL",
		       "iii", r->session->user_id, lead_id, user_id);
}

/* action=assign (user), unassign (user) or reassign (from, to). */
int page_lead_assignments(struct req *r)
{
	long long lead_id = r->ids[0];
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	const char *action = params_get(&r->form, "action");
	if (!action || (strcmp(action, "assign") && strcmp(action, "unassign") &&
			strcmp(action, "reassign")))
		return 400;
	int reassign = strcmp(action, "reassign") == 0;
	int assigning = strcmp(action, "assign") == 0;
	long long from = org_user(r, reassign ? "from" : "user", assigning);
	long long to = reassign ? org_user(r, "to", 1) : 0;
	if (from == -404 || to == -404)
		return 404;
	if (from < 0 || to < 0)
		return 503;
	if (from == 0 || (reassign && (to == 0 || to == from)))
		return back(r, lead_id, "error", "bad_agent");
	if (db_begin(r->db) < 0)
		return 503;
	const char *done = NULL, *error = NULL;
	long long n;
	if (assigning) {
		n = assign(r, lead_id, from);
		if (n == DB_DUP)
			error = "already_assigned";
		done = "assigned";
	} else {
		n = unassign(r, lead_id, from);
		if (n == 0)
			error = "not_assigned";
		done = "unassigned";
		if (n > 0 && reassign) {
			n = assign(r, lead_id, to);
			if (n == DB_DUP)
				error = "already_assigned";
			done = "reassigned";
		}
	}
	if (error) {
		db_rollback(r->db);
		return back(r, lead_id, "error", error);
	}
	if (n < 0 || touch_lead(r, lead_id) || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return back(r, lead_id, "done", done);
}
