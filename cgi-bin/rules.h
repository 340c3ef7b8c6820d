/* The texting rules, each written once: who may send (the chatbox shows
 * it, /sms/send enforces it, the dispatcher checks it again when the text
 * goes), which contact stands for a shared number, the scope of a consent,
 * and who sees an inbound image. C callers use the functions; SQL that
 * needs a rule uses the fragment macros beside them. */
#ifndef SMSDESK_RULES_H
#define SMSDESK_RULES_H
#include <stddef.h>

/* ---- contacts */

/* A contact's mobile: a partner's lives on the partner (alias p), a
 * borrower's on the contact (alias c). */
#define SQL_CONTACT_MOBILE "COALESCE(p.mobile, c.mobile)"
/* Contacts as an application reads: the borrower (0), the co-borrower
 * (1), then partners and anyone else (2); contacts.role given. */
int rules_contact_reading_order(const char *role);
/* Precedence among contacts sharing a number, for ORDER BY: the external
 * contact wins over the borrower, the borrower over the co-borrower. */
#define SQL_CONTACT_PRECEDENCE(role) "FIELD(" role ", 'external', 'borrower', 'co_borrower')"

/* ---- consent scope */

/* A partner's consent is for the whole organization; a borrower's or
 * co-borrower's for the pair (agent's number, contact's number). */
const char *rules_consent_scope(int is_partner);          /* "organization" or "pair" */
/* The agent_number a consent row of that scope carries ('' for a partner). */
const char *rules_consent_agent_number(int is_partner, const char *agent_number);
/* The same two in SQL, for a contact that is a partner when the expression
 * partner is true, texted from the agent number agent (an expression). */
#define SQL_CONSENT_SCOPE(partner) "IF(" partner ", 'organization', 'pair')"
#define SQL_CONSENT_AGENT_NUMBER(partner, agent) "IF(" partner ", '', " agent ")"
/* True (in SQL) when consent row k covers contact c texted from the agent
 * number agent (an expression, or "?" to bind it). */
#define SQL_CONSENT_COVERS(k, c, agent) \
	"((" c ".role = 'external' AND " k ".scope = 'organization') OR (" c ".role <> 'external'" \
	" AND " k ".scope = 'pair' AND " k ".agent_number = " agent "))"

/* 1 (in SQL) when the last consent change of number in org was an
 * opt-out: the contact's own STOP, the carrier's report, or one recorded
 * by hand. NULL or 0 otherwise. Nothing but the opt-out's confirmation
 * goes to such a number until it grants again. */
#define SQL_OPTED_OUT(org, number) \
	"(SELECT l.new_status = 'none' AND l.source IN ('reply', 'carrier', 'manual')" \
	" FROM consent_ledger l WHERE l.org_id = " org " AND l.contact_number = " number \
	" ORDER BY l.created_at DESC, l.id DESC LIMIT 1)"

/* ---- who may send */

/* What is known about one would-be text; each field is 1 when it holds. */
struct send_facts {
	int org_sms_enabled;
	int sender_permitted;      /* the sender is active and has SMS permission */
	int sender_has_number;     /* ... and an SMS number (the one the text goes from) */
	int own_conversation;      /* the conversation shown is the sender's own */
	int assigned;              /* the sender is currently assigned to the lead */
	int was_assigned;          /* ... or was, before the lead was reassigned */
	int has_contact;           /* a contact is selected */
	int has_mobile;            /* the contact has a mobile number */
	int consent;               /* enum consent_status for the pair or organization */
};

/* The first rule a text breaks, as a refusal code, or NULL when it may go.
 * The order is the order the text box explains them in. */
const char *rules_send_refusal(const struct send_facts *f);
/* The same for asking consent (the one text allowed without it): the
 * sender rules hold, and the contact has not consented already, has not
 * opted out (until they text START) and was not asked within the
 * organization's cooling-off. */
const char *rules_consent_request_refusal(const struct send_facts *f, int opted_out,
					  int asked_recently);
/* The sentence the chatbox shows for a refusal code (NULL: unknown code). */
const char *rules_refusal_text(const char *code);
/* The same refusal as the reason a queued text was not sent after all. */
const char *rules_refusal_late_text(const char *code);

/* ---- warnings the agent confirms with Send anyway */

/* What a text carries that the agent is warned about before it goes
 * (sending_text_warnings finds them). The chatbox shows every warning of
 * a text at once, so one confirmation (the form field send_anyway=1)
 * confirms them all. */
struct send_warnings {
	const char *sensitive;   /* sensitive data: "ssn", "card", "bank_account"
				    (sensitive.h), or NULL */
	const char *shortener;   /* a public link shortener's domain (shortener.h), or NULL */
	int lookalikes;          /* advanced level: look-alike characters make the
				    text bill more messages than their replacement
				    (sms_text.h, SMS_OFFER_REPLACE) */
};

/* The first refusal for a text's warnings, or NULL when it may go:
 * sensitive data under the organization's "block" policy (blocked) is
 * refused whatever the agent chooses; otherwise, unless confirmed,
 * sensitive data, then a link shortener, then look-alikes. */
const char *rules_warning_refusal(const struct send_warnings *w, int blocked, int confirmed);
/* Every warning of a text as the refusal codes the chatbox shows together
 * above its Send anyway, in the order above: how many (at most 3). */
size_t rules_warning_codes(const struct send_warnings *w, const char *codes[3]);
/* The refusal for sensitive data of kind_name alone (NULL: none found):
 * a warning under "warn", a refusal with no override under "block". */
const char *rules_sensitive_refusal(const char *kind_name, int blocked, int send_anyway);
/* True for a refusal the chatbox offers "Send anyway" for (a warning the
 * agent may confirm). */
int rules_refusal_overridable(const char *code);

/* ---- quiet hours: when a text may reach its recipient */

/* A window of the day, in minutes after midnight, open <= t < close. */
struct quiet_window {
	int open, close;
};
#define QUIET_HOURS_DEFAULT "08:00-21:00"   /* the federal window */
#define QUIET_HOURS_MIN_MINUTES 60
/* Parses an organization's setting "HH:MM-HH:MM" (the hours texts may go
 * in, in the recipient's local time). Refused (-1): another shape, a
 * window across midnight or shorter than an hour, or one that leaves
 * less than an hour in a state whose law is narrower (rules.c). 0. */
int rules_quiet_hours_parse(const char *text, struct quiet_window *w);
/* The window for a recipient in state (a two-letter code, "" or NULL:
 * unknown): the organization's, narrowed by the state's law. */
struct quiet_window rules_quiet_window(struct quiet_window org, const char *state);
/* When a text to a recipient whose local time is that of every zone in
 * zones (at least one) may go, at or after now (seconds since the epoch):
 * now itself when it is inside the window in every zone, else the next
 * instant it is. -1 on an error (an empty window). */
long long rules_quiet_send_at(long long now, struct quiet_window w, const char *const *zones,
			      size_t nzones);
/* The kinds of text quiet hours hold: what an agent started (a text, a
 * consent request), not the answers to the contact's own text. */
int rules_quiet_hours_apply(const char *kind);

/* ---- send later */
#define SEND_LATER_MAX_DAYS 365
/* A text sent later goes at `at` (epoch s; 0: no valid time given): after
 * now, and at most SEND_LATER_MAX_DAYS ahead. NULL, or the refusal code. */
const char *rules_send_later_refusal(long long now, long long at);

/* ---- inbound images */

/* An inbound image is shown to a viewer when the agent whose number
 * received it has MMS enabled and the viewer has display images; anyone
 * else sees "An image was sent but could not be displayed". */
int rules_image_shown(int agent_mms_enabled, int viewer_display_images);
/* When the receiving agent has MMS enabled but not display images, the
 * sender is told once a day per conversation that images are not received. */
int rules_image_notice_text_due(int agent_mms_enabled, int agent_display_images);
#define RULES_IMAGE_NOTICE_HOURS 24
#endif
