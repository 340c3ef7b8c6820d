#include "rules.h"

#include "consent.h"

#include <stddef.h>
#include <string.h>

const char *rules_consent_scope(int is_partner)
{
	return is_partner ? "organization" : "pair";
}

const char *rules_consent_agent_number(int is_partner, const char *agent_number)
{
	return is_partner ? "" : agent_number;
}

/* code, what the chatbox says, what a text that was queued and then not
 * sent says (the dispatcher's reason on the failed message) */
static const struct refusal {
	const char *code, *text, *late;
	int confirmable;   /* a warning the agent may confirm with Send anyway */
} refusals[] = {
	{ "sms_off", "SMS is turned off for your organization.",
	  "SMS was turned off for the organization before the text was sent", 0 },
	{ "no_permission", "You do not have SMS permission.",
	  "the sender lost SMS permission before the text was sent", 0 },
	{ "no_number", "You do not have an SMS number.",
	  "the sender's SMS number changed before the text was sent", 0 },
	{ "other_agent", "You are viewing another agent's conversation",
	  "the text was not the sender's own conversation", 0 },
	{ "not_assigned", "You are not assigned to this lead",
	  "the sender was unassigned from the lead before the text was sent", 0 },
	{ "no_longer_assigned", "You are no longer assigned to this lead",
	  "the sender was unassigned from the lead before the text was sent", 0 },
	{ "no_contact", "No contact of this lead has a mobile number.",
	  "the contact was removed before the text was sent", 0 },
	{ "no_mobile", "This contact has no mobile number.",
	  "the contact's mobile number changed or was removed before the text was sent", 0 },
	{ "pending_consent", "Waiting for consent",
	  "consent was withdrawn before the text was sent", 0 },
	{ "no_consent", "No consent",
	  "consent was withdrawn before the text was sent", 0 },
	{ "opted_out", "The contact opted out. They can be texted again only after they reply START.",
	  "the recipient opted out before the text was sent", 0 },
	{ "already_consented", "The contact has already consented.",
	  "the contact had already consented", 0 },
	{ "consent_too_long", "The consent request does not fit your organization's SMS level; ask your admin to shorten its wording.",
	  "the consent request did not fit the organization's SMS level", 0 },
	{ "note_required", "Write how the opt-out was received: a note is required (at most 255 characters).",
	  "", 0 },
	{ "asked_recently", "A consent request was sent recently; it can be sent again after the cooling-off period.",
	  "a consent request had been sent recently", 0 },
	/* sensitive data: the agent may choose Send anyway (rules_refusal_overridable) */
	{ "sensitive_ssn", "This text looks like it contains a Social Security number. Texts are not a secure channel: move it to a secure channel, or choose Send anyway.",
	  "", 1 },
	{ "sensitive_card", "This text looks like it contains a card number. Texts are not a secure channel: move it to a secure channel, or choose Send anyway.",
	  "", 1 },
	{ "sensitive_bank_account", "This text looks like it contains a bank routing and account number. Texts are not a secure channel: move it to a secure channel, or choose Send anyway.",
	  "", 1 },
	/* ... unless the organization blocks it (below) */
	{ "sensitive_ssn_blocked", "This text looks like it contains a Social Security number. Texts are not a secure channel and your organization does not allow sending it: move it to a secure channel.",
	  "", 0 },
	{ "sensitive_card_blocked", "This text looks like it contains a card number. Texts are not a secure channel and your organization does not allow sending it: move it to a secure channel.",
	  "", 0 },
	{ "link_shortener", "This text has a link through a public link shortener, which carriers often block: use the full address, or choose Send anyway.",
	  "", 1 },
	{ "lookalikes_cost", "Look-alike characters make this text cost more messages: replace them, or choose Send anyway.",
	  "", 1 },
	{ "lookalikes_changed", "The text changed after its look-alike characters were shown: check the replaced text again.",
	  "", 0 },
	{ "sensitive_bank_account_blocked", "This text looks like it contains a bank routing and account number. Texts are not a secure channel and your organization does not allow sending it: move it to a secure channel.",
	  "", 0 },
};

const char *rules_send_refusal(const struct send_facts *f)
{
	if (!f->org_sms_enabled)
		return "sms_off";
	if (!f->sender_permitted)
		return "no_permission";
	if (!f->sender_has_number)
		return "no_number";
	if (!f->own_conversation)
		return "other_agent";
	if (!f->assigned)
		return f->was_assigned ? "no_longer_assigned" : "not_assigned";
	if (!f->has_contact)
		return "no_contact";
	if (!f->has_mobile)
		return "no_mobile";
	if (f->consent == CONSENT_PENDING)
		return "pending_consent";
	if (f->consent != CONSENT_GRANTED)
		return "no_consent";
	return NULL;
}

const char *rules_consent_request_refusal(const struct send_facts *f, int opted_out,
					  int asked_recently)
{
	struct send_facts sender = *f;
	sender.consent = CONSENT_GRANTED;  /* the one text allowed without it */
	const char *code = rules_send_refusal(&sender);
	if (code)
		return code;
	if (opted_out)
		return "opted_out";
	if (f->consent == CONSENT_GRANTED)
		return "already_consented";
	if (asked_recently)
		return "asked_recently";
	return NULL;
}

const char *rules_sensitive_refusal(const char *kind_name, int blocked, int send_anyway)
{
	static const char *const codes[][3] = {
		{ "ssn", "sensitive_ssn", "sensitive_ssn_blocked" },
		{ "card", "sensitive_card", "sensitive_card_blocked" },
		{ "bank_account", "sensitive_bank_account", "sensitive_bank_account_blocked" },
	};
	for (size_t i = 0; kind_name && i < sizeof codes / sizeof codes[0]; i++) {
		if (strcmp(codes[i][0], kind_name) != 0)
			continue;
		if (blocked)
			return codes[i][2];
		return send_anyway ? NULL : codes[i][1];
	}
	return NULL;
}

const char *rules_warning_refusal(const struct send_warnings *w, int blocked, int confirmed)
{
	const char *code = rules_sensitive_refusal(w->sensitive, blocked, confirmed);
	if (code || confirmed)
		return code;
	if (w->shortener)
		return "link_shortener";
	if (w->lookalikes)
		return "lookalikes_cost";
	return NULL;
}

size_t rules_warning_codes(const struct send_warnings *w, const char *codes[3])
{
	size_t n = 0;
	const char *sensitive = rules_sensitive_refusal(w->sensitive, 0, 0);
	if (sensitive)
		codes[n++] = sensitive;
	if (w->shortener)
		codes[n++] = "link_shortener";
	if (w->lookalikes)
		codes[n++] = "lookalikes_cost";
	return n;
}

static const struct refusal *refusal_find(const char *code)
{
	for (size_t i = 0; code && i < sizeof refusals / sizeof refusals[0]; i++)
		if (strcmp(refusals[i].code, code) == 0)
			return &refusals[i];
	return NULL;
}

int rules_refusal_overridable(const char *code)
{
	const struct refusal *r = refusal_find(code);
	return r && r->confirmable;
}

const char *rules_refusal_text(const char *code)
{
	const struct refusal *r = refusal_find(code);
	return r ? r->text : NULL;
}

const char *rules_refusal_late_text(const char *code)
{
	const struct refusal *r = refusal_find(code);
	return r ? r->late : NULL;
}

int rules_image_shown(int agent_mms_enabled, int viewer_display_images)
{
	return agent_mms_enabled && viewer_display_images;
}

int rules_image_notice_text_due(int agent_mms_enabled, int agent_display_images)
{
	return agent_mms_enabled && !agent_display_images;
}
