/* /leads/ID: the application, its contacts and assigned agents, with the
 * Action Tools toolbar. Admins add and edit contacts, link partners and
 * assign, unassign and reassign agents here; each change bumps updated_at,
 * which decides where an inbound text lands. What is read and written is
 * leads.c's. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "clock.h"
#include "format.h"
#include "leads.h"
#include "validate.h"

#include <string.h>

static const char *role_label(const char *role, const char *external_role)
{
	if (strcmp(role, "borrower") == 0)
		return "Borrower";
	if (strcmp(role, "co_borrower") == 0)
		return "Co-borrower";
	return external_role ? external_role : "External contact";
}

static void fill_contacts(struct req *r, tmpl_dict *d, const struct lead_people *pp, int admin)
{
	for (size_t i = 0; i < pp->ncontacts; i++) {
		const struct lead_person *p = &pp->contacts[i];
		tmpl_dict *c = tmpl_section(d, "CONTACT");
		tmpl_set_int(c, "CONTACT_ID", p->id);
		tmpl_set(c, "CONTACT_NAME", p->name);
		tmpl_set(c, "CONTACT_ROLE", role_label(p->role, p->partner_role));
		tmpl_set(c, "CONTACT_MOBILE", p->number ? phone_shown(r->a, p->number) : "No mobile number");
		if (admin && strcmp(p->role, "external") != 0) {
			tmpl_dict *e = tmpl_section(c, "EDIT_CONTACT");
			tmpl_set_int(e, "CONTACT_ID", p->id);
			tmpl_set(e, "CONTACT_NAME", p->name);
			tmpl_set(e, "CONTACT_MOBILE_VALUE", p->number);
		} else if (admin) {
			tmpl_show(c, "NO_EDIT"); /* edited through its partner */
		}
	}
	if (pp->ncontacts == 0)
		tmpl_show(d, "NO_CONTACTS");
}

static void fill_agents(struct req *r, tmpl_dict *d, const struct lead_people *pp, int admin)
{
	for (size_t i = 0; i < pp->nagents; i++) {
		const struct lead_person *p = &pp->agents[i];
		tmpl_dict *a = tmpl_section(d, "AGENT");
		tmpl_set_int(a, "AGENT_ID", p->id);
		tmpl_set(a, "AGENT_NAME", p->name);
		tmpl_set(a, "AGENT_ROLE", p->role);
		tmpl_set(a, "AGENT_NUMBER", p->number && *p->number ? phone_shown(r->a, p->number)
								     : "No SMS number");
		if (admin)
			tmpl_set_int(tmpl_section(a, "UNASSIGN"), "AGENT_ID", p->id);
	}
	if (pp->nagents == 0)
		tmpl_show(d, "NO_AGENTS");
}

/* who can be assigned: the organization's active users */
static int fill_assign_forms(struct req *r, tmpl_dict *d, long long lead_id)
{
	struct lead_user_choice *users;
	size_t n;
	if (leads_user_choices(r->db, r->a, r->session->org_id, lead_id, &users, &n) < 0)
		return 503;
	tmpl_dict *f = tmpl_section(d, "ASSIGN_FORMS");
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *o = tmpl_section(f, users[i].assigned ? "ASSIGNED_OPTION" : "FREE_OPTION");
		tmpl_set_int(o, "USER_ID", users[i].id);
		tmpl_set(o, "USER_NAME", users[i].name);
		tmpl_set(o, "USER_ROLE", users[i].role);
	}
	return 0;
}

static int fill_partner_choices(struct req *r, tmpl_dict *d, long long lead_id)
{
	struct partner *partners;
	size_t n;
	if (leads_partner_choices(r->db, r->a, r->session->org_id, lead_id, &partners, &n) < 0)
		return 503;
	for (size_t i = 0; i < n; i++) {
		tmpl_dict *p = tmpl_section(d, "PARTNER_OPTION");
		tmpl_set_int(p, "PARTNER_ID", partners[i].id);
		tmpl_set(p, "PARTNER_NAME", partners[i].name);
		tmpl_set(p, "PARTNER_ROLE", partners[i].role);
		const char *m = partners[i].mobile;
		tmpl_set(p, "PARTNER_MOBILE", m ? phone_shown(r->a, m) : "no mobile");
	}
	return 0;
}

int page_lead(struct req *r)
{
	long long lead_id = r->ids[0];
	struct lead lead;
	int rc = access_lead(r, lead_id, &lead);
	if (rc)
		return rc;
	int admin = r->session->role == ROLE_ADMIN;
	tmpl_dict *d = page_begin(r, lead.name, "lead.tpl");
	tmpl_set_int(d, "LEAD_ID", lead.id);
	tmpl_set(d, "LEAD_NAME", lead.name);
	tmpl_set(d, "LEAD_STATUS", lead.status);
	struct shown_time updated = format_utc(r->a, r->session->time_zone, lead.updated_at,
					       clock_now(), 1);
	tmpl_set(d, "UPDATED", updated.text);
	tmpl_set(d, "UPDATED_ISO", updated.iso);
	tmpl_set(d, "SMS_URL", chat_open_url(r, lead.id));
	if (admin) {
		tmpl_show(d, "ADMIN");
		tmpl_set(d, "CSRF", r->session->csrf);
	}
	struct lead_people people;
	if (leads_people(r->db, r->a, &lead, &people) < 0)
		return 503;
	fill_contacts(r, d, &people, admin);
	fill_agents(r, d, &people, admin);
	if ((admin && (rc = fill_assign_forms(r, d, lead.id))) ||
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

/* A borrower's or co-borrower's form, as sent. */
struct contact_form {
	long long lead_id, contact_id;
	const char *role;             /* adding: borrower or co_borrower */
	char *name;
	char mobile[E164_MAX + 1];    /* "": none */
	const char *error;            /* the field refused (a code for ?error=), NULL: none */
};

static void read_contact_form(struct req *r, struct contact_form *f)
{
	f->lead_id = r->ids[0];
	f->contact_id = r->ids[1];
	f->role = params_get(&r->form, "role");
	f->name = text_trim(r->a, params_get(&r->form, "name"));
	const char *raw = text_trim(r->a, params_get(&r->form, "mobile"));
	f->error = NULL;
	f->mobile[0] = '\0';
	if (!text_valid(f->name, 200))
		f->error = "bad_name";
	else if (*raw && phone_normalize(raw, f->mobile) < 0)
		f->error = "bad_phone";
}

int page_lead_contact_add(struct req *r)
{
	struct contact_form f;
	read_contact_form(r, &f);
	int rc = access_lead(r, f.lead_id, NULL);
	if (rc)
		return rc;
	if (!f.role || (strcmp(f.role, "borrower") && strcmp(f.role, "co_borrower")))
		return back(r, f.lead_id, "error", "bad_contact_role");
	if (f.error)
		return back(r, f.lead_id, "error", f.error);
	if (leads_contact_add(r->db, r->session->org_id, f.lead_id, f.role, f.name,
			      *f.mobile ? f.mobile : NULL) < 0)
		return 503;
	return back(r, f.lead_id, "done", "contact_added");
}

int page_lead_contact_edit(struct req *r)
{
	struct contact_form f;
	read_contact_form(r, &f);
	int rc = access_contact(r, f.lead_id, f.contact_id);
	if (rc)
		return rc;
	if (f.error)
		return back(r, f.lead_id, "error", f.error);
	int saved = leads_contact_edit(r->db, f.lead_id, f.contact_id, f.name,
				       *f.mobile ? f.mobile : NULL);
	if (saved < 0)
		return 503;
	return back(r, f.lead_id, saved ? "done" : "error", saved ? "saved" : "bad_contact_role");
}

/* A partner to link: one of the organization's (partner), or a new one. */
struct partner_form {
	struct partner_link link;
	char mobile[E164_MAX + 1];
	const char *error;            /* a new partner's field refused, NULL: none */
};

static void read_partner_form(struct req *r, struct partner_form *f)
{
	memset(f, 0, sizeof *f);
	f->link.org_id = r->session->org_id;
	f->link.lead_id = r->ids[0];
	f->link.partner_id = params_id(&r->form, "partner");
	if (f->link.partner_id != 0)
		return;
	char *name = text_trim(r->a, params_get(&r->form, "name"));
	char *role = text_trim(r->a, params_get(&r->form, "partner_role"));
	const char *raw = text_trim(r->a, params_get(&r->form, "mobile"));
	if (!text_valid(name, 200) || !*raw)
		f->error = "bad_partner";
	else if (phone_normalize(raw, f->mobile) < 0)
		f->error = "bad_phone";
	f->link.name = name;
	f->link.role = text_valid(role, 100) ? role : "Real Estate Agent";
	f->link.mobile = f->mobile;
}

int page_lead_partner_link(struct req *r)
{
	struct partner_form f;
	read_partner_form(r, &f);
	long long lead_id = f.link.lead_id;
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	if (f.error)
		return back(r, lead_id, "error", f.error);
	switch (leads_partner_link(r->db, r->a, &f.link)) {
	case LEADS_DONE:
		return back(r, lead_id, "done", "partner_linked");
	case LEADS_ALREADY_LINKED:
		return back(r, lead_id, "error", "already_linked");
	case LEADS_NOT_FOUND:
		return 404;
	default:
		return 503;
	}
}

/* action=assign (user), unassign (user) or reassign (from, to), as sent. */
struct assignment_form {
	long long lead_id;
	const char *action;
	long long user, from, to;
};

static void read_assignment_form(struct req *r, struct assignment_form *f)
{
	f->lead_id = r->ids[0];
	f->action = params_get(&r->form, "action");
	f->user = params_id(&r->form, "user");
	f->from = params_id(&r->form, "from");
	f->to = params_id(&r->form, "to");
}

/* A user of the admin's organization (active ones only when they are to
 * be assigned): the id, 0 when the field was missing or malformed (or
 * the user is inactive), -404 for an id of no user of the organization, -1. */
static long long org_user(struct req *r, long long id, int must_be_active)
{
	int active = 0;
	if (id <= 0)
		return 0;
	int rc = access_org_user_active(r, id, &active);
	if (rc)
		return rc == 404 ? -404 : -1;
	return must_be_active && !active ? 0 : id;
}

static const char *assignment_done(enum leads_assignment action)
{
	return action == LEADS_ASSIGN ? "assigned" : action == LEADS_UNASSIGN ? "unassigned"
									 : "reassigned";
}

int page_lead_assignments(struct req *r)
{
	struct assignment_form f;
	read_assignment_form(r, &f);
	int rc = access_lead(r, f.lead_id, NULL);
	if (rc)
		return rc;
	struct assignment_change c = { .lead_id = f.lead_id, .by = r->session->user_id };
	if (f.action && strcmp(f.action, "assign") == 0)
		c.action = LEADS_ASSIGN;
	else if (f.action && strcmp(f.action, "unassign") == 0)
		c.action = LEADS_UNASSIGN;
	else if (f.action && strcmp(f.action, "reassign") == 0)
		c.action = LEADS_REASSIGN;
	else
		return 400;
	int reassign = c.action == LEADS_REASSIGN;
	c.user_id = org_user(r, reassign ? f.from : f.user, c.action == LEADS_ASSIGN);
	c.to_id = reassign ? org_user(r, f.to, 1) : 0;
	if (c.user_id == -404 || c.to_id == -404)
		return 404;
	if (c.user_id < 0 || c.to_id < 0)
		return 503;
	if (c.user_id == 0 || (reassign && (c.to_id == 0 || c.to_id == c.user_id)))
		return back(r, f.lead_id, "error", "bad_agent");
	switch (leads_assignment_change(r->db, &c)) {
	case LEADS_DONE:
		return back(r, f.lead_id, "done", assignment_done(c.action));
	case LEADS_ALREADY_ASSIGNED:
		return back(r, f.lead_id, "error", "already_assigned");
	case LEADS_NOT_ASSIGNED:
		return back(r, f.lead_id, "error", "not_assigned");
	default:
		return 503;
	}
}
