/* Who may text whom from the chatbox: the facts of one would-be text,
 * gathered once for the rules in rules.c, shared by the chatbox
 * (chatbox.c), the send handler (page_send.c) and the consent page
 * (page_consents.c). */
#ifndef SMSDESK_SENDING_H
#define SMSDESK_SENDING_H
#include "rules.h"
#include "sms_text.h"

struct req;

/* May the signed-in user text contact_id of lead_id while agent_id's
 * conversation is shown (0: their own)? The caller has checked the lead
 * with access_lead. Returns 0 with *refusal NULL (allowed) or a code for
 * sending_refusal_text; 404 when the contact is not on the lead; 503. */
int sending_allowed(struct req *r, long long lead_id, long long contact_id,
		    long long agent_id, const char **refusal);
/* A contact's facts as a caller has loaded them already (the chatbox, with
 * the circles it draws): its number (NULL: none), whether it is a partner,
 * and its consent (enum consent_status) for the signed-in user's number. */
struct sending_contact {
	const char *number;
	int is_partner;
	int consent;
	/* the signed-in user on the lead, from SQL_SENDER_ASSIGNMENT */
	int assigned, was_assigned;
	/* the session keeps a draft in this contact's box (sms_drafts): read
	 * by sending_send_facts only, 0 otherwise */
	int has_draft;
};
/* The sender's assignment to a lead (lead and user: SQL expressions, or
 * "?"), as one column (one subquery: MariaDB plans each on its own, and
 * that costs more than the rows it reads): SENDER_ASSIGNED while
 * currently assigned, SENDER_WAS_ASSIGNED when assigned before and no
 * longer, 0 never. sending_assignment reads it. */
#define SQL_SENDER_ASSIGNMENT(lead, user) \
	"(SELECT COALESCE(MAX(IF(unassigned_at IS NULL, 2, 1)), 0) FROM assignments" \
	" WHERE lead_id = " lead " AND user_id = " user ")"
enum { SENDER_WAS_ASSIGNED = 1, SENDER_ASSIGNED = 2 };
/* SQL_SENDER_ASSIGNMENT's value into out's assigned and was_assigned */
void sending_assignment(long long value, struct sending_contact *out);
/* The same facts read in one round trip (the consent for the signed-in
 * user's number, and the user's assignment to the lead): 0, 404 when the
 * contact is not on the lead, 503. */
int sending_contact_facts(struct req *r, long long lead_id, long long contact_id,
			  struct sending_contact *out);
/* The same, and whether the session keeps a draft in the box (has_draft),
 * in the same round trip: the Send reads it before its transaction, which
 * then deletes the draft only when there is one. */
int sending_send_facts(struct req *r, long long lead_id, long long contact_id,
		       struct sending_contact *out);
/* sending_allowed with the contact's facts given (NULL: looked up with
 * sending_contact_facts when the rules need them); the rules are the same. */
int sending_allowed_known(struct req *r, long long lead_id, long long contact_id,
			  long long agent_id, const struct sending_contact *known,
			  const char **refusal);
/* The facts about the signed-in user as a sender to lead_id (consent and
 * contact left out): 0 or 503. */
int sending_sender_facts(struct req *r, long long lead_id, struct send_facts *f);
/* The code a refused text is kept under (sms_drafts.error). */
const char *sending_verdict_code(enum sms_verdict v);
/* The sentence shown for a refusal code; NULL for an unknown code. */
const char *sending_refusal_text(const struct req *r, const char *code);
/* The same for a refusal of the text body, naming what the standard level
 * refuses in it ("😀 can't be sent on your plan's standard texts. Remove
 * it.", sms_refusal_message). */
const char *sending_text_refusal_text(struct req *r, const char *code, const char *body);
/* The current mobile of a contact of the lead (a partner's lives on the
 * partner): 0, 404 when the contact is not on the lead, 503. *number is
 * NULL when it has none. */
int sending_contact_number(struct req *r, long long lead_id, long long contact_id,
			   const char **number, int *is_partner);
/* True when the organization's SMS level is advanced. */
int sending_advanced(const struct req *r);
/* The warnings a text carries (rules.h, struct send_warnings), on the
 * signed-in user's organization's level; no database. */
void sending_text_warnings(struct req *r, const char *body, struct send_warnings *w);
/* The warnings a text carries, with the first refusal they make
 * (rules_warning_refusal, under the organization's sensitive_policy, read
 * only when the text holds sensitive data) in *refusal, NULL when it may
 * go (confirmed: the agent chose Send anyway). Send, Resend and the
 * chatbox's Resend button ask this one function. 0 or 503. */
int sending_warning_refusal(struct req *r, const char *body, int confirmed,
			    struct send_warnings *w, const char **refusal);
/* A whole text's own rules: sms_check (its length and characters on the
 * organization's level, *count filled), then sending_warning_refusal.
 * Resend and the chatbox's Resend button ask this. 0 or 503. */
int sending_text_refusal(struct req *r, const char *body, int confirmed, struct sms_count *count,
			 struct send_warnings *w, const char **refusal);
/* The warnings in one sentence ("It holds what looks like a card
 * number."), NULL when there are none. */
const char *sending_warning_words(struct req *r, const struct send_warnings *w);
/* The look-alike offer for a text on that level (sms_text.h), with the
 * replaced text in *replaced (the request's memory). */
enum sms_offer sending_lookalikes(struct req *r, const char *body, char **replaced,
				  struct sms_lookalikes *l);
#endif
