/* Applications and the people on them: the tables leads, contacts,
 * partners and assignments, read and written here and nowhere else by the
 * pages (access.c checks who may see a lead; inbound.c routes a text;
 * the import writes its own rows).
 *
 * One module for the four tables, not leads.c beside contacts.c: their
 * statements join them. A lead page's people are one UNION ALL of the
 * contacts (with their partners) and the assignments (with their users);
 * the Unmatched filing page's candidates join leads, assignments, contacts
 * and partners; the partners offered for a lead are those without a
 * contact on it; and every change to a contact, a partner link or an
 * assignment moves its lead's updated_at in the same transaction
 * (leads_touch), which decides where an inbound text lands. Split, each of
 * those statements would belong to two modules.
 *
 * Every function reads or writes through the caller's connection and
 * allocates from the caller's arena (the request's). Rows are returned as
 * structs, filled by the names of their columns (an enum beside each
 * statement). Times come in UTC, and in the zone given where a page shows
 * them. */
#ifndef SMSDESK_LEADS_H
#define SMSDESK_LEADS_H
#include <stddef.h>

struct arena;
struct db;
struct lead;

/* ---- the lead list (/leads) */

/* Which page of which list: an organization's leads (sees_all), or the
 * leads a user is assigned to, kept with the version of the user's list
 * read with the session (sms_notify.list_version, moved by triggers on
 * every change to what it shows: schema/0028-lead-list-version.sql) when
 * has_version. */
struct leads_list_query {
	long long org_id, user_id;
	int sees_all;
	int has_version;
	long long list_version;
	long long page, per_page;   /* page from 1 */
	const char *zone;           /* the viewer's, for updated */
};
struct lead_row {
	long long id;
	const char *name, *status;
	const char *updated;         /* for the viewer, "Dec 6, 6:41 PM CST" (format.h) */
	const char *updated_iso;     /* the same for <time datetime> */
	const char *borrower_name;   /* NULL: no borrower */
	const char *agent_names;     /* NULL: nobody assigned */
};
/* At most per_page rows into the arena; *more: a next page exists. 0, -1. */
int leads_list(struct db *db, struct arena *a, const struct leads_list_query *q,
	       struct lead_row **rows, size_t *n, int *more);
/* A new lead, updated now: its id, or -1. */
long long leads_create(struct db *db, long long org_id, const char *name, const char *status);

/* ---- a lead's people (/leads/ID) */

/* A contact (borrower, co-borrower, partner) or a currently assigned agent. */
struct lead_person {
	long long id;                /* the contact's, or the agent's user id */
	const char *role;            /* contacts.role, or the agent's users.role */
	const char *name;
	const char *number;          /* a contact's mobile, an agent's SMS number; may be NULL */
	const char *partner_role;    /* a partner's role; NULL otherwise */
};
/* The lead's contacts as an application reads them (borrower, co-borrower,
 * then partners, each by id) and its current agents in the order they
 * were assigned, in one round trip, or none when kept with the lead's
 * people version (lead_versions.people, read with the lead by
 * access_lead: schema/0029-lead-people-version.sql). 0 or -1. */
struct lead_people {
	struct lead_person *contacts, *agents;
	size_t ncontacts, nagents;
};
int leads_people(struct db *db, struct arena *a, const struct lead *lead,
		 struct lead_people *out);

/* The organization's active users, by name, each saying whether it is
 * assigned to the lead now (the assign and reassign forms). 0 or -1. */
struct lead_user_choice {
	long long id;
	const char *name, *role;
	int assigned;
};
int leads_user_choices(struct db *db, struct arena *a, long long org_id, long long lead_id,
		       struct lead_user_choice **out, size_t *n);

/* The organization's partners not yet on the lead, by name (at most 1000). 0 or -1. */
struct partner {
	long long id;
	const char *name, *role;
	const char *mobile;          /* may be NULL */
};
int leads_partner_choices(struct db *db, struct arena *a, long long org_id, long long lead_id,
			  struct partner **out, size_t *n);

/* ---- changes to a lead's people: each one transaction that also moves
 * the lead's updated_at (leads_touch) */

/* Moves the lead's updated_at to now, in the caller's transaction: where an
 * inbound text lands follows the lead updated last (inbound.c). 0 or -1. */
int leads_touch(struct db *db, long long lead_id);
/* A borrower or co-borrower (role) with a mobile or none (NULL). 0 or -1. */
int leads_contact_add(struct db *db, long long org_id, long long lead_id, const char *role,
		      const char *name, const char *mobile);
/* A borrower's or co-borrower's name and mobile (NULL: none): 1, 0 when
 * the contact is external (its name and number are its partner's), -1. */
int leads_contact_edit(struct db *db, long long lead_id, long long contact_id,
		       const char *name, const char *mobile);

enum leads_outcome {
	LEADS_DONE,
	LEADS_NOT_FOUND,          /* a partner or user of no such id in the organization */
	LEADS_ALREADY_LINKED,     /* the partner is on the lead already */
	LEADS_ALREADY_ASSIGNED,
	LEADS_NOT_ASSIGNED,
	LEADS_FAILED = -1,        /* the database failed; nothing was kept */
};
/* Links a partner of the organization to the lead as its external
 * contact: partner_id, or with partner_id 0 a new partner kept once for
 * the organization (name, role, mobile: E.164). */
struct partner_link {
	long long org_id, lead_id, partner_id;
	const char *name, *role, *mobile;
};
enum leads_outcome leads_partner_link(struct db *db, struct arena *a, const struct partner_link *link);

/* assign (user), unassign (user) or reassign (user to to), by the admin `by`. */
enum leads_assignment { LEADS_ASSIGN, LEADS_UNASSIGN, LEADS_REASSIGN };
struct assignment_change {
	enum leads_assignment action;
	long long lead_id, user_id, to_id, by;
};
enum leads_outcome leads_assignment_change(struct db *db, const struct assignment_change *c);

/* A new application for the sender of a text (the Unmatched filing
 * page's Create an application), in the caller's transaction: a lead of
 * org_id named name (status "New", updated now), its borrower (borrower
 * may be NULL: no name) on mobile (E.164), assigned to user_id by `by`.
 * 0 with *lead_id and *contact_id, or -1. */
struct new_application {
	long long org_id, user_id, by;
	const char *name, *borrower, *mobile;
};
int leads_create_for_sender(struct db *db, const struct new_application *n,
			    long long *lead_id, long long *contact_id);

/* ---- the Unmatched filing page's candidates */

/* The applications a text can be filed to: those of the organization the
 * user sees (sees_all, or assigned now) whose id is id or whose name is
 * LIKE like, the most recently updated first, at most max; each with its
 * contacts as the application reads them, one row per contact (or one
 * without a contact), in one round trip. */
struct candidate_query {
	long long org_id, user_id;
	int sees_all;
	long long id;
	const char *like;
	long long max;
};
struct candidate_row {
	long long lead_id;
	const char *lead_name, *lead_status;
	long long contact_id;        /* 0: the lead has no contact */
	const char *contact_name;    /* may be NULL */
	const char *contact_role;    /* contacts.role when contact_id */
	const char *contact_mobile;  /* may be NULL */
};
int leads_candidates(struct db *db, struct arena *a, const struct candidate_query *q,
		     struct candidate_row **out, size_t *n);
#endif
