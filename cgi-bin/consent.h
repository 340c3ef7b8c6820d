/* Consent per contact (docs/behaviour.md, "Consent"): a borrower's or co-borrower's
 * consent is for the pair (agent's SMS number, contact's number); a
 * partner's is for the whole organization. A withdrawal revokes every
 * consent the number has in the organization. Every change is written to
 * the consent ledger. */
#ifndef SMSDESK_CONSENT_H
#define SMSDESK_CONSENT_H
#include "rules.h"

#include <stddef.h>

struct db;
struct arena;

enum consent_status { CONSENT_NONE, CONSENT_PENDING, CONSENT_GRANTED };

/* The status for a contact texted from agent_number (NULL: no number).
 * is_partner selects the organization scope. -1 on a database error. */
int consent_status(struct db *db, struct arena *a, long long org_id,
		   const char *agent_number, const char *contact_number, int is_partner);
/* Withdraws every consent of number in the organization (ledger source
 * 'carrier', 'reply' or 'manual', with the message or the user that caused
 * it; 0 for none). The ledger keeps the withdrawal even when nothing was
 * granted, so that an opt-out is told apart from never asked. 0 or -1. */
int consent_withdraw_number(struct db *db, struct arena *a, long long org_id,
			    const char *number, const char *source, long long message_id,
			    long long changed_by, const char *note);
/* The same for an opt-out received by phone or email and recorded by hand
 * (source 'manual') by user changed_by on lead lead_id: the withdrawal
 * covers the organization, its note is read on that lead only. 0 or -1. */
int consent_record_opt_out(struct db *db, struct arena *a, long long org_id, const char *number,
			   long long changed_by, long long lead_id, const char *note);
/* What other leads read of a manual opt-out instead of its note:
 * "Opted out by NAME on DATE" (by NULL: "a user"). */
const char *consent_opt_out_by(struct arena *a, const char *by, const char *at);
/* Sets one consent (the pair, or the organization for a partner) and
 * writes the change to the ledger. 0 or -1. */
int consent_set(struct db *db, struct arena *a, long long org_id, int is_partner,
		const char *agent_number, const char *number, enum consent_status to,
		const char *source, long long message_id, long long changed_by, const char *note);
/* A contact's consent as one agent's number sees it, with the last change
 * that explains it (from the ledger). Times are in the zone given. */
struct consent_state {
	int status;               /* enum consent_status */
	int opted_out;            /* the last change was an opt-out */
	int asked_recently;       /* a request went out within the cooling-off */
	const char *ask_again_at; /* when asked_recently: from when it may be sent again */
	const char *ask_again_iso;  /* the same for <time datetime> (format.h) */
	int has_history;          /* 0: never asked */
	const char *source, *new_status, *changed_by_name;
	const char *note;         /* NULL: a manual opt-out's note written on another lead */
	const char *changed_at;   /* as pages show it, "Dec 6, 6:41 PM CST" (format.h) */
	const char *changed_iso;  /* the same for <time datetime>: "2026-12-07T00:41:00Z" */
	long long minutes_ago;
};
int consent_state_load(struct db *db, struct arena *a, long long org_id, const char *time_zone,
		       long long cooloff_hours, int is_partner, const char *agent_number,
		       const char *number, struct consent_state *out);
/* The same for many contacts in one statement: the state of the contact
 * number `number` (SQL expressions all), a partner's when `partner` is
 * true, in organization `org`, texted from the agent number `agent` (NULL:
 * none), with a cooling-off of `cooloff` hours, seen from lead `lead` (a
 * manual opt-out's note is NULL unless it was recorded there; "NULL": no lead). SQL_CONSENT_STATE_COLUMNS
 * go in the SELECT, SQL_CONSENT_STATE_JOINS in its FROM after the tables
 * the expressions name; consent_state_from_row reads the ten columns from
 * col on.
 * The aliases ks, cl, cu, cl_last and ca are theirs. */
#define SQL_CONSENT_STATE_COLUMNS(org, number, partner, agent, cooloff, lead) \
	"ks.status, cl.id IS NOT NULL, cl.source, cl.new_status," \
	" IF(cl.note = '' OR cl.lead_id <=> " lead ", cl.note, NULL), cu.name, cl.created_at," \
	" TIMESTAMPDIFF(MINUTE, cl.created_at, NOW(6)), COALESCE(" SQL_OPTED_OUT(org, number) ", 0)," \
	" (SELECT ca.created_at + INTERVAL " cooloff " HOUR FROM consent_ledger ca" \
	"  WHERE ca.org_id = " org " AND ca.contact_number = " number \
	"  AND ca.scope = " SQL_CONSENT_SCOPE(partner) \
	"  AND ca.agent_number = " SQL_CONSENT_AGENT_NUMBER(partner, agent) \
	"  AND ca.source = 'request' AND ca.created_at > NOW(6) - INTERVAL " cooloff " HOUR" \
	"  ORDER BY ca.created_at DESC, ca.id DESC LIMIT 1)"
/* the last change of the contact's scope, or the opt-out the number is
 * under (it revokes every scope until the number texts START again) */
#define SQL_CONSENT_STATE_JOINS(org, number, partner, agent) \
	" LEFT JOIN consents ks ON ks.org_id = " org " AND ks.contact_number = " number \
	"  AND ks.scope = " SQL_CONSENT_SCOPE(partner) \
	"  AND ks.agent_number = " SQL_CONSENT_AGENT_NUMBER(partner, agent) \
	" LEFT JOIN consent_ledger cl ON cl.id = (SELECT cl_last.id FROM consent_ledger cl_last" \
	"  WHERE cl_last.org_id = " org " AND cl_last.contact_number = " number \
	"  AND ((cl_last.scope = " SQL_CONSENT_SCOPE(partner) \
	"  AND cl_last.agent_number = " SQL_CONSENT_AGENT_NUMBER(partner, agent) ")" \
	"  OR (cl_last.new_status = 'none' AND cl_last.source IN ('reply', 'carrier', 'manual')" \
	"  AND COALESCE(" SQL_OPTED_OUT(org, number) ", 0) = 1))" \
	"  ORDER BY cl_last.created_at DESC, cl_last.id DESC LIMIT 1)" \
	" LEFT JOIN users cu ON cu.id = cl.changed_by"
struct db_rows;
void consent_state_from_row(struct arena *a, const char *time_zone, const struct db_rows *rows,
			    size_t row, size_t col, struct consent_state *out);
/* The last change in words: "never asked", "request sent 2 h ago",
 * "replied START", "replied STOP", "carrier reported an opt-out", ... */
const char *consent_state_why(struct arena *a, const struct consent_state *st);
/* Why a text cannot go, in words, for a greyed-out box: "Waiting for
 * consent since ...", "Opted out by replying STOP on ...", ... */
const char *consent_state_reason(struct arena *a, const struct consent_state *st);

/* The organization's consent settings (admin page). */
struct consent_settings {
	const char *org_name, *wording, *help_contact;
	long long cooloff_hours;
};
#define CONSENT_REQUEST_DEFAULT \
	"{agent} of {org}{nmls} would like to text you about your loan. Reply START to agree or STOP to opt out."
#define CONSENT_WORDING_MAX 640
int consent_settings_load(struct db *db, struct arena *a, long long org_id,
			  struct consent_settings *out);
/* The request text: the wording with {agent}, {org} and {nmls} (" (NMLS
 * #id)", or nothing without one) filled in. */
const char *consent_request_text(struct arena *a, const char *wording, const char *agent,
				 const char *org, const char *nmls_id);

/* "none", "pending", "granted" */
const char *consent_status_name(enum consent_status s);
/* 1 when the number's last consent change in the organization was an
 * opt-out (its own STOP, or the carrier's report), 0 if not, -1. */
int consent_opted_out(struct db *db, struct arena *a, long long org_id, const char *number);
/* consents.status as text (NULL: no row) as an enum consent_status. */
int consent_parse(const char *status);
const char *consent_color(enum consent_status s);  /* red, yellow, green */

/* One change of the ledger, as the loan file shows it. */
struct consent_event {
	long long id;
	const char *at_utc, *at_local;   /* "YYYY-MM-DD HH:MM:SS", UTC and the zone given */
	const char *number;              /* the contact's */
	const char *scope, *agent_number;
	const char *old_status, *new_status, *source;
	const char *by;                  /* the user who recorded it; NULL */
	const char *text;                /* the message that caused it; NULL */
	const char *note;                /* NULL */
	const char *message_id;          /* NULL: no message caused it */
	const char *contact;             /* the lead's contact with that number (the one that
					  * wins, rules.h); NULL */
};
/* Every change of the numbers of lead_id's contacts in the organization,
 * in time order, in one round trip; times to the second in zone (tz.h). 0 or -1. */
int consent_ledger_of_lead(struct db *db, struct arena *a, long long org_id, long long lead_id,
			   const char *zone, struct consent_event **out, size_t *n);

/* A lead's consents page. */

/* One mobile number of the lead, the contact that stands for it by
 * precedence, with its consent as agent_number (NULL: none) sees it. */
struct consent_contact {
	long long contact_id;
	const char *name;      /* the partner's or the contact's; NULL: none */
	const char *role;      /* contacts.role: borrower, co_borrower, external */
	const char *number;
	struct consent_state st;
};
/* Every mobile number of the lead in one statement (not one per contact),
 * times in the zone given: 0 or -1. */
int consent_contacts_load(struct db *db, struct arena *a, const char *time_zone,
			  const char *agent_number, long long cooloff_hours, long long lead_id,
			  struct consent_contact **out, size_t *n);
/* One consent ledger row, its time in the reader's zone. */
struct consent_ledger_entry {
	const char *at, *at_iso;       /* "Dec 6, 6:41 PM CST" and its <time datetime> */
	const char *at_local;          /* the CSV's: "YYYY-MM-DD HH:MM" in the reader's zone */
	const char *contact;           /* the contact the number stands for, or NULL */
	const char *number, *scope, *agent_number, *old_status, *new_status, *source;
	const char *by, *text, *note;  /* NULL: none */
	const char *note_csv;          /* note, with at_local for a time in it */
};
/* The ledger rows of every number on the lead, newest first: 0 or -1. */
int consent_ledger_load(struct db *db, struct arena *a, long long org_id, long long lead_id,
			const char *time_zone, struct consent_ledger_entry **out, size_t *n);
#endif
