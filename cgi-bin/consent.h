/* Consent per contact (DESIGN §1 "Consent"): a borrower's or co-borrower's
 * consent is for the pair (agent's SMS number, contact's number); a
 * partner's is for the whole organization. A withdrawal revokes every
 * consent the number has in the organization. Every change is written to
 * the consent ledger. */
#ifndef SMSDESK_CONSENT_H
#define SMSDESK_CONSENT_H
struct db;
struct arena;

enum consent_status { CONSENT_NONE, CONSENT_PENDING, CONSENT_GRANTED };

/* The status for a contact texted from agent_number (NULL: no number).
 * is_partner selects the organization scope. -1 on a database error. */
int consent_status(struct db *db, struct arena *a, long long org_id,
		   const char *agent_number, const char *contact_number, int is_partner);
/* Withdraws every consent of number in the organization (ledger source
 * 'carrier' or 'reply', with the message that caused it). 0 or -1. */
int consent_withdraw_number(struct db *db, struct arena *a, long long org_id,
			    const char *number, const char *source, long long message_id,
			    const char *note);
/* 1 when the number's last consent change in the organization was an
 * opt-out (its own STOP, or the carrier's report), 0 if not, -1. */
int consent_opted_out(struct db *db, struct arena *a, long long org_id, const char *number);
/* consents.status as text (NULL: no row) as an enum consent_status. */
int consent_parse(const char *status);
const char *consent_color(enum consent_status s);  /* red, yellow, green */
#endif
