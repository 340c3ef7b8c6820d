/* Who sees what, decided in one place. Agents see the leads they are or
 * were assigned to (a former agent still reads the lead and its texts, and
 * may not send); managers and admins every lead of their organization;
 * superadmins no leads. A text never widens it: inbound routing picks
 * among the applications its receiver may see (inbound.c, through
 * SQL_SEES_LEAD). Anything a user may not see is answered exactly like
 * something that does not exist: 404. */
#ifndef SMSDESK_ACCESS_H
#define SMSDESK_ACCESS_H
struct req;

struct lead {
	long long id;
	const char *name, *status, *updated_at;  /* updated_at: a DATETIME, UTC */
	long long people_version;   /* of its contacts and agents (leads.c) */
};

/* The rule above as SQL, for a lead of the user's organization: sees_all
 * (an expression true for managers and admins: SQL_ROLE_SEES_ALL) or an
 * assignment of user to lead, current or former. access_sees_all_leads
 * is the same role rule in C. The assignment is looked up by a scalar
 * subquery, one lookup by (lead_id, user_id) a row: written as EXISTS,
 * MariaDB may turn it into a semi-join that reads all the user's
 * assignments first (tests/e2e/t0700-explain.sh fails such a plan). */
#define SQL_ROLE_SEES_ALL(role) "(" role " IN ('admin', 'manager'))"
#define SQL_SEES_LEAD(lead, user, sees_all) \
	"(" sees_all " OR (SELECT 1 FROM assignments sees_a" \
	" WHERE sees_a.lead_id = " lead " AND sees_a.user_id = " user " LIMIT 1) IS NOT NULL)"
/* Returns 0 and fills out, or 404 (absent or not visible), or 503. */
int access_lead(struct req *r, long long lead_id, struct lead *out);
/* A contact of a lead the user can see: 0, 404 or 503. */
int access_contact(struct req *r, long long lead_id, long long contact_id);
/* A user of the caller's own organization (admins managing users): 0, 404, 503. */
int access_org_user(struct req *r, long long user_id);
/* The same, saying whether that user is active (admins assigning agents). */
int access_org_user_active(struct req *r, long long user_id, int *active);
/* True when the user sees every lead of the organization. */
int access_sees_all_leads(const struct req *r);
#endif
