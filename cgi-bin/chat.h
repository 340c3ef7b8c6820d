/* The chatbox's rules, shared by the page that draws it (page_chat.c) and
 * the handler that sends (page_send.c): who may text is decided once. */
#ifndef SMSDESK_CHAT_H
#define SMSDESK_CHAT_H
#include "sms_text.h"

struct req;

/* May the signed-in user text contact_id of lead_id while agent_id's
 * conversation is shown (0: their own)? The caller has checked the lead
 * with access_lead. Checks in the order the text box explains (DESIGN §1
 * "Sending"): SMS off, no permission, no number, another agent's
 * conversation, not assigned, no contact, no mobile, consent. Returns 0
 * with *refusal NULL (allowed) or a code for chat_refusal_text; 404 when
 * the contact is not on the lead; 503. */
int chat_send_allowed(struct req *r, long long lead_id, long long contact_id,
		      long long agent_id, const char **refusal);
/* The code a refused text is kept under (sms_drafts.error). */
const char *chat_verdict_code(enum sms_verdict v);
/* The sentence shown for a refusal code; NULL for an unknown code. */
const char *chat_refusal_text(const struct req *r, const char *code);
/* The current mobile of a contact of the lead (a partner's lives on the
 * partner): 0, 404 when the contact is not on the lead, 503. *number is
 * NULL when it has none. */
int chat_contact_number(struct req *r, long long lead_id, long long contact_id,
			const char **number, int *is_partner);
/* The current page's address with the lead's chatbox opened as well (the
 * SMS icons of the lead list and the lead page). */
char *chat_open_url(struct req *r, long long lead_id);
#endif
