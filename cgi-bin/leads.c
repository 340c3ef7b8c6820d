/* Applications and the people on them (leads.h). */
#include "leads.h"

#include "access.h"
#include "arena.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "kept.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

/* ---- the lead list */

/* One query, an index walk that stops at the LIMIT: for managers and
 * admins the organization's leads by leads_org_updated, for agents their
 * current assignments by agent_leads_order (which carries each lead's
 * updated_at). Each lead's borrower's name and current agents' names are
 * kept in lead_names, so a row costs two primary-key reads. Both tables
 * are kept by triggers (schema/triggers/, migration 0031). No sort, no
 * temporary table, no subquery, whatever the number of leads. */
#define LEAD_COLUMNS \
	"SELECT l.id, l.name, l.status, l.updated_at, n.borrower_name, n.agent_names"
enum { LIST_ID, LIST_NAME, LIST_STATUS, LIST_UPDATED, LIST_BORROWER, LIST_AGENTS };

/* An agent's list, kept (kept.h) with the version of it the session read,
 * the page and the organization. */
static struct kept_rows agent_lists = KEPT_ROWS_INIT;

/* The page's rows and one more (it tells whether there is a next page). */
static int list_rows(struct db *db, struct arena *a, const struct leads_list_query *q,
		     struct db_rows *rows)
{
	long long offset = (q->page - 1) * q->per_page, limit = q->per_page + 1;
	if (q->sees_all)
		return db_query(db, a, rows,
				LEAD_COLUMNS " FROM leads l LEFT JOIN lead_names n ON n.lead_id = l.id"
				" WHERE l.org_id = ?"
				" ORDER BY l.updated_at DESC, l.id DESC LIMIT ? OFFSET ?",
				"iii", q->org_id, limit, offset) < 0 ? -1 : 0;
	struct kept_key key = { q->user_id, q->list_version, q->page, q->org_id };
	if (q->has_version && kept_get(&agent_lists, &key, a, rows))
		return 0;
	if (db_query(db, a, rows,
		     LEAD_COLUMNS " FROM agent_leads a JOIN leads l ON l.id = a.lead_id"
		     " LEFT JOIN lead_names n ON n.lead_id = a.lead_id"
		     " WHERE a.user_id = ? AND l.org_id = ?"
		     " ORDER BY a.lead_updated_at DESC, a.lead_id DESC LIMIT ? OFFSET ?",
		     "iiii", q->user_id, q->org_id, limit, offset) < 0)
		return -1;
	if (q->has_version)
		kept_put(&agent_lists, &key, rows);
	return 0;
}

int leads_list(struct db *db, struct arena *a, const struct leads_list_query *q,
	       struct lead_row **out, size_t *n, int *more)
{
	struct db_rows rows;
	if (list_rows(db, a, q, &rows) < 0)
		return -1;
	size_t shown = rows.n > (size_t)q->per_page ? (size_t)q->per_page : rows.n;
	*out = arena_calloc(a, shown + 1, sizeof **out);
	long long now = clock_now();
	for (size_t i = 0; i < shown; i++) {
		struct shown_time updated = format_utc(a, q->zone, db_get(&rows, i, LIST_UPDATED), now, 1);
		(*out)[i] = (struct lead_row){
			.id = db_get_ll(&rows, i, LIST_ID),
			.name = db_get(&rows, i, LIST_NAME),
			.status = db_get(&rows, i, LIST_STATUS),
			.updated = updated.text,
			.updated_iso = updated.iso,
			.borrower_name = db_get(&rows, i, LIST_BORROWER),
			.agent_names = db_get(&rows, i, LIST_AGENTS),
		};
	}
	*n = shown;
	*more = rows.n > shown;
	return 0;
}

long long leads_create(struct db *db, long long org_id, const char *name, const char *status)
{
	if (db_exec(db, "INSERT INTO leads (org_id, name, status, created_at, updated_at)"
			" VALUES (?, ?, ?, NOW(), NOW())", "iss", org_id, name, status) < 0)
		return -1;
	return db_insert_id(db);
}

int leads_touch(struct db *db, long long lead_id)
{
	return db_exec(db, "UPDATE leads SET updated_at = NOW() WHERE id = ?", "i", lead_id) < 0
		       ? -1 : 0;
}

/* ---- a lead's people */

/* The lead's contacts (kind 0) and its assigned agents (kind 1) in one
 * round trip: a UNION ALL of two index lookups without ORDER BY (so no
 * temporary table), put in order here. */
#define PEOPLE \
	"SELECT 0, c.id, c.role, COALESCE(p.name, c.name), " SQL_CONTACT_MOBILE "," \
	" p.role, NULL, c.id FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id" \
	" WHERE c.lead_id = ?" \
	" UNION ALL" \
	" SELECT 1, u.id, u.role, u.name, u.sms_number, NULL, a.assigned_at, a.id" \
	" FROM assignments a JOIN users u ON u.id = a.user_id" \
	" WHERE a.lead_id = ? AND a.unassigned_at IS NULL"
enum { PEOPLE_KIND, PEOPLE_ID, PEOPLE_ROLE, PEOPLE_NAME, PEOPLE_NUMBER, PEOPLE_PARTNER_ROLE,
       PEOPLE_ASSIGNED_AT, PEOPLE_TIE };

/* The people's rows, kept per lead with the version of them read with the lead. */
static struct kept_rows people_kept = KEPT_ROWS_INIT;

/* A person and what orders it: contacts as an application reads them,
 * then by id; agents by when they were assigned, then by assignment. */
struct sorted_person {
	struct lead_person p;
	const char *assigned_at;
	long long order, tie;
};

static int person_order(const void *pa, const void *pb)
{
	const struct sorted_person *a = pa, *b = pb;
	if (a->order != b->order)
		return (a->order > b->order) - (a->order < b->order);
	int c = a->assigned_at && b->assigned_at ? strcmp(a->assigned_at, b->assigned_at) : 0;
	return c ? c : (a->tie > b->tie) - (a->tie < b->tie);
}

/* The n people of s, sorted, into a new array of the arena. */
static struct lead_person *sorted(struct arena *a, struct sorted_person *s, size_t n)
{
	struct lead_person *out = arena_calloc(a, n + 1, sizeof *out);
	qsort(s, n, sizeof *s, person_order);
	for (size_t i = 0; i < n; i++)
		out[i] = s[i].p;
	return out;
}

int leads_people(struct db *db, struct arena *a, const struct lead *lead,
		 struct lead_people *out)
{
	struct db_rows rows;
	struct kept_key key = { lead->id, lead->people_version, 0, 0 };
	if (!kept_get(&people_kept, &key, a, &rows)) {
		if (db_query(db, a, &rows, PEOPLE, "ii", lead->id, lead->id) < 0)
			return -1;
		kept_put(&people_kept, &key, &rows);
	}
	struct sorted_person *contacts = arena_calloc(a, rows.n + 1, sizeof *contacts);
	struct sorted_person *agents = arena_calloc(a, rows.n + 1, sizeof *agents);
	size_t nc = 0, na = 0;
	for (size_t i = 0; i < rows.n; i++) {
		int agent = db_get_ll(&rows, i, PEOPLE_KIND) == 1;
		struct sorted_person *s = agent ? &agents[na++] : &contacts[nc++];
		s->p = (struct lead_person){
			.id = db_get_ll(&rows, i, PEOPLE_ID),
			.role = db_get(&rows, i, PEOPLE_ROLE),
			.name = db_get(&rows, i, PEOPLE_NAME),
			.number = db_get(&rows, i, PEOPLE_NUMBER),
			.partner_role = db_get(&rows, i, PEOPLE_PARTNER_ROLE),
		};
		s->assigned_at = db_get(&rows, i, PEOPLE_ASSIGNED_AT);
		s->tie = db_get_ll(&rows, i, PEOPLE_TIE);
		s->order = agent ? 0 : rules_contact_reading_order(s->p.role);
	}
	out->contacts = sorted(a, contacts, nc);
	out->agents = sorted(a, agents, na);
	out->ncontacts = nc;
	out->nagents = na;
	return 0;
}

#define USER_CHOICES \
	"SELECT u.id, u.name, u.role, EXISTS (SELECT 1 FROM assignments a WHERE" \
	" a.lead_id = ? AND a.user_id = u.id AND a.unassigned_at IS NULL)" \
	" FROM users u WHERE u.org_id = ? AND u.active = 1 ORDER BY u.name"
enum { CHOICE_ID, CHOICE_NAME, CHOICE_ROLE, CHOICE_ASSIGNED };

int leads_user_choices(struct db *db, struct arena *a, long long org_id, long long lead_id,
		       struct lead_user_choice **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, USER_CHOICES, "ii", lead_id, org_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++)
		(*out)[i] = (struct lead_user_choice){
			.id = db_get_ll(&rows, i, CHOICE_ID),
			.name = db_get(&rows, i, CHOICE_NAME),
			.role = db_get(&rows, i, CHOICE_ROLE),
			.assigned = db_get_ll(&rows, i, CHOICE_ASSIGNED) != 0,
		};
	*n = rows.n;
	return 0;
}

#define PARTNER_CHOICES \
	"SELECT p.id, p.name, p.role, p.mobile FROM partners p WHERE p.org_id = ?" \
	" AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.lead_id = ? AND" \
	" c.partner_id = p.id) ORDER BY p.name LIMIT 1000"
enum { PARTNER_ID, PARTNER_NAME, PARTNER_ROLE, PARTNER_MOBILE };

int leads_partner_choices(struct db *db, struct arena *a, long long org_id, long long lead_id,
			  struct partner **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, PARTNER_CHOICES, "ii", org_id, lead_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++)
		(*out)[i] = (struct partner){
			.id = db_get_ll(&rows, i, PARTNER_ID),
			.name = db_get(&rows, i, PARTNER_NAME),
			.role = db_get(&rows, i, PARTNER_ROLE),
			.mobile = db_get(&rows, i, PARTNER_MOBILE),
		};
	*n = rows.n;
	return 0;
}

/* ---- changes to a lead's people */

/* Ends a transaction whose change (changed: its result) is kept when it
 * worked: the lead touched and committed. 0, or -1 rolled back. */
static int touch_and_commit(struct db *db, long long lead_id, long long changed)
{
	if (changed < 0 || leads_touch(db, lead_id) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int leads_contact_add(struct db *db, long long org_id, long long lead_id, const char *role,
		      const char *name, const char *mobile)
{
	if (db_begin(db) < 0)
		return -1;
	long long n = db_exec(db, "INSERT INTO contacts (org_id, lead_id, role, name, mobile)"
				  " VALUES (?, ?, ?, ?, ?)", "iisss", org_id, lead_id, role, name,
			      mobile);
	return touch_and_commit(db, lead_id, n);
}

int leads_contact_edit(struct db *db, long long lead_id, long long contact_id,
		       const char *name, const char *mobile)
{
	if (db_begin(db) < 0)
		return -1;
	/* an external contact's name and number belong to its partner */
	long long n = db_exec(db, "UPDATE contacts SET name = ?, mobile = ? WHERE id = ?"
				  " AND lead_id = ? AND role <> 'external'",
			      "ssii", name, mobile, contact_id, lead_id);
	if (touch_and_commit(db, lead_id, n) < 0)
		return -1;
	return n > 0;
}

/* The partner to link, in the caller's transaction: its id, or 0 when the
 * organization has none of that id, or -1. */
static long long link_partner_id(struct db *db, struct arena *a, const struct partner_link *l)
{
	if (l->partner_id == 0) {
		/* a new partner, kept once for the organization */
		if (db_exec(db, "INSERT INTO partners (org_id, name, role, mobile) VALUES (?, ?, ?, ?)",
			    "isss", l->org_id, l->name, l->role, l->mobile) < 0)
			return -1;
		return db_insert_id(db);
	}
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT 1 FROM partners WHERE id = ? AND org_id = ?",
		     "ii", l->partner_id, l->org_id) < 0)
		return -1;
	return rows.n == 1 ? l->partner_id : 0;
}

enum leads_outcome leads_partner_link(struct db *db, struct arena *a, const struct partner_link *l)
{
	if (db_begin(db) < 0)
		return LEADS_FAILED;
	long long partner_id = link_partner_id(db, a, l);
	if (partner_id <= 0) {
		db_rollback(db);
		return partner_id == 0 ? LEADS_NOT_FOUND : LEADS_FAILED;
	}
	long long ins = db_exec(db, "INSERT INTO contacts (org_id, lead_id, role, partner_id)"
				    " VALUES (?, ?, 'external', ?)",
				"iii", l->org_id, l->lead_id, partner_id);
	if (ins == DB_DUP) {
		db_rollback(db);
		return LEADS_ALREADY_LINKED;
	}
	return touch_and_commit(db, l->lead_id, ins) < 0 ? LEADS_FAILED : LEADS_DONE;
}

static long long assign(struct db *db, const struct assignment_change *c, long long user_id)
{
	return db_exec(db, "INSERT INTO assignments (lead_id, user_id, assigned_at, assigned_by)"
			   " VALUES (?, ?, NOW(), ?)", "iii", c->lead_id, user_id, c->by);
}

static long long unassign(struct db *db, const struct assignment_change *c)
{
	return db_exec(db, "UPDATE assignments SET unassigned_at = NOW(), unassigned_by = ?"
			   " WHERE lead_id = ? AND user_id = ? AND unassigned_at IS NULL",
		       "iii", c->by, c->lead_id, c->user_id);
}

enum leads_outcome leads_assignment_change(struct db *db, const struct assignment_change *c)
{
	if (db_begin(db) < 0)
		return LEADS_FAILED;
	enum leads_outcome refused = LEADS_DONE;
	long long n;
	if (c->action == LEADS_ASSIGN) {
		n = assign(db, c, c->user_id);
		if (n == DB_DUP)
			refused = LEADS_ALREADY_ASSIGNED;
	} else {
		n = unassign(db, c);
		if (n == 0)
			refused = LEADS_NOT_ASSIGNED;
		if (n > 0 && c->action == LEADS_REASSIGN) {
			n = assign(db, c, c->to_id);
			if (n == DB_DUP)
				refused = LEADS_ALREADY_ASSIGNED;
		}
	}
	if (refused != LEADS_DONE) {
		db_rollback(db);
		return refused;
	}
	return touch_and_commit(db, c->lead_id, n) < 0 ? LEADS_FAILED : LEADS_DONE;
}

int leads_create_for_sender(struct db *db, const struct new_application *n,
			    long long *lead_id, long long *contact_id)
{
	*lead_id = leads_create(db, n->org_id, n->name, "New");
	if (*lead_id <= 0)
		return -1;
	if (db_exec(db, "INSERT INTO contacts (org_id, lead_id, role, name, mobile)"
			" VALUES (?, ?, 'borrower', ?, ?)", "iiss", n->org_id, *lead_id, n->borrower,
		    n->mobile) != 1)
		return -1;
	*contact_id = db_insert_id(db);
	if (*contact_id <= 0)
		return -1;
	struct assignment_change c = { .action = LEADS_ASSIGN, .lead_id = *lead_id, .by = n->by };
	return assign(db, &c, n->user_id) == 1 ? 0 : -1;
}

/* ---- the Unmatched filing page's candidates */

/* The candidates with their contacts in one round trip (not one per
 * candidate), put in order here: the candidates' order, then the
 * contacts'. A manager's or admin's candidates are the organization's
 * leads, most recently updated first (leads_org_updated); an agent's, the
 * agent's current leads in the same order (assignments_user_order, whose
 * lead_updated_at the triggers keep), each checked for the name: the
 * LIMIT stops either walk. (A check of each of the organization's leads
 * against the agent's assignments had MariaDB read all of those first.) */
#define CANDIDATES(inner) \
	"SELECT l.id, l.name, l.status, l.updated_at, c.id, COALESCE(p.name, c.name)," \
	" c.role, " SQL_CONTACT_MOBILE " FROM (" inner ") l" \
	" LEFT JOIN contacts c ON c.lead_id = l.id LEFT JOIN partners p ON p.id = c.partner_id"
#define CANDIDATE_MATCH " AND (l.id = ? OR l.name LIKE ?)"
#define CANDIDATES_ORG \
	CANDIDATES("SELECT l.id, l.name, l.status, l.updated_at FROM leads l WHERE l.org_id = ?" \
		   CANDIDATE_MATCH " ORDER BY l.updated_at DESC, l.id DESC LIMIT ?")
#define CANDIDATES_AGENT \
	CANDIDATES("SELECT STRAIGHT_JOIN l.id, l.name, l.status, l.updated_at FROM assignments a" \
		   " JOIN leads l ON l.id = a.lead_id WHERE a.user_id = ? AND a.unassigned_at IS NULL" \
		   " AND l.org_id = ?" CANDIDATE_MATCH \
		   " ORDER BY a.lead_updated_at DESC, a.lead_id DESC LIMIT ?")
enum { CAND_LEAD, CAND_NAME, CAND_STATUS, CAND_UPDATED, CAND_CONTACT, CAND_CONTACT_NAME,
       CAND_ROLE, CAND_MOBILE };

/* A row and what orders it: the candidates most recently updated first,
 * then each one's contacts as the application reads, by id. */
struct sorted_candidate {
	struct candidate_row c;
	const char *updated_at;
	int order;                /* rules_contact_reading_order; -1: no contact */
};

static int candidate_order(const void *pa, const void *pb)
{
	const struct sorted_candidate *a = pa, *b = pb;
	int c = strcmp(b->updated_at, a->updated_at);
	if (c)
		return c;
	if (a->c.lead_id != b->c.lead_id)
		return a->c.lead_id < b->c.lead_id ? 1 : -1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return (a->c.contact_id > b->c.contact_id) - (a->c.contact_id < b->c.contact_id);
}

int leads_candidates(struct db *db, struct arena *a, const struct candidate_query *q,
		     struct candidate_row **out, size_t *n)
{
	struct db_rows rows;
	int rc = q->sees_all ? db_query(db, a, &rows, CANDIDATES_ORG, "iisi", q->org_id, q->id,
					q->like, q->max)
			     : db_query(db, a, &rows, CANDIDATES_AGENT, "iiisi", q->user_id, q->org_id,
					q->id, q->like, q->max);
	if (rc < 0)
		return -1;
	struct sorted_candidate *s = arena_calloc(a, rows.n + 1, sizeof *s);
	for (size_t i = 0; i < rows.n; i++) {
		const char *role = db_get(&rows, i, CAND_ROLE);
		s[i].c = (struct candidate_row){
			.lead_id = db_get_ll(&rows, i, CAND_LEAD),
			.lead_name = db_get(&rows, i, CAND_NAME),
			.lead_status = db_get(&rows, i, CAND_STATUS),
			.contact_id = db_get(&rows, i, CAND_CONTACT) ? db_get_ll(&rows, i, CAND_CONTACT) : 0,
			.contact_name = db_get(&rows, i, CAND_CONTACT_NAME),
			.contact_role = role,
			.contact_mobile = db_get(&rows, i, CAND_MOBILE),
		};
		s[i].updated_at = db_get(&rows, i, CAND_UPDATED);
		s[i].order = role ? rules_contact_reading_order(role) : -1;
	}
	qsort(s, rows.n, sizeof *s, candidate_order);
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++)
		(*out)[i] = s[i].c;
	*n = rows.n;
	return 0;
}
