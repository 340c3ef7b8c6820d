#include "rules.h"

#include "consent.h"
#include "tz.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

int rules_contact_reading_order(const char *role)
{
	return strcmp(role, "borrower") == 0 ? 0 : strcmp(role, "co_borrower") == 0 ? 1 : 2;
}

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
	/* send later: the time chosen */
	{ "send_at_bad", "Choose the date and time to send it later (e.g. 2026-12-02 09:00).",
	  "", 0 },
	{ "send_at_past", "That time has passed: choose a time in the future to send it later.",
	  "", 0 },
	{ "send_at_too_far", "A text can be scheduled at most a year ahead.",
	  "", 0 },
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
	/* a saved reply's merge field with no value, left for the agent (merge.h) */
	{ "unfilled_field", "This text still has a field to fill in, shown in brackets (such as [NMLS ID]): replace it with the value before sending.",
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

/* States whose law allows fewer hours than the federal 08:00-21:00 for
 * these texts (extend here and in docs/behaviour.md): Florida's Telephone
 * Solicitation Act, Oklahoma's, Maryland's Stop the Spam Calls Act and
 * Washington's RCW 80.36.390, each 08:00-20:00. */
static const struct state_window {
	const char *state;
	struct quiet_window w;
} state_windows[] = {
	{ "FL", { 8 * 60, 20 * 60 } },
	{ "OK", { 8 * 60, 20 * 60 } },
	{ "MD", { 8 * 60, 20 * 60 } },
	{ "WA", { 8 * 60, 20 * 60 } },
};

static struct quiet_window narrow(struct quiet_window a, struct quiet_window b)
{
	struct quiet_window w = { a.open > b.open ? a.open : b.open,
				  a.close < b.close ? a.close : b.close };
	return w;
}

int rules_quiet_hours_parse(const char *text, struct quiet_window *w)
{
	int oh, om, ch, cm, used = 0;
	if (!text || strlen(text) != 11 ||
	    sscanf(text, "%2d:%2d-%2d:%2d%n", &oh, &om, &ch, &cm, &used) != 4 || used != 11 ||
	    text[0] < '0' || text[0] > '9' || text[6] < '0' || text[6] > '9' ||
	    oh < 0 || oh > 23 || om < 0 || om > 59 || ch < 0 || ch > 24 || cm < 0 || cm > 59 ||
	    (ch == 24 && cm != 0))
		return -1;
	struct quiet_window got = { oh * 60 + om, ch * 60 + cm };
	if (got.close - got.open < QUIET_HOURS_MIN_MINUTES)
		return -1;  /* across midnight, empty, or too short */
	for (size_t i = 0; i < sizeof state_windows / sizeof state_windows[0]; i++) {
		struct quiet_window n = narrow(got, state_windows[i].w);
		if (n.close - n.open < QUIET_HOURS_MIN_MINUTES)
			return -1;
	}
	*w = got;
	return 0;
}

struct quiet_window rules_quiet_window(struct quiet_window org, const char *state)
{
	for (size_t i = 0; state && i < sizeof state_windows / sizeof state_windows[0]; i++)
		if (strcmp(state_windows[i].state, state) == 0)
			return narrow(org, state_windows[i].w);
	return org;
}

static int inside(long long t, struct quiet_window w, const char *zone)
{
	struct tz_civil c;
	if (tz_civil_at(zone, t, &c) < 0)
		return -1;
	int m = c.hour * 60 + c.minute;
	return m >= w.open && m < w.close;
}

/* 1 when t is inside the window in every zone, 0 if not, -1 on an error. */
static int inside_all(long long t, struct quiet_window w, const char *const *zones, size_t nzones)
{
	for (size_t z = 0; z < nzones; z++) {
		int in = inside(t, w, zones[z]);
		if (in <= 0)
			return in;
	}
	return 1;
}

/* The window opens in one of the zones at the moment it opens in all of
 * them: try now, then each zone's openings over the next days in order. */
long long rules_quiet_send_at(long long now, struct quiet_window w, const char *const *zones,
			      size_t nzones)
{
	if (nzones == 0 || w.close <= w.open)
		return -1;
	long long best = -1;
	for (int day = -1; day <= 3; day++) {
		for (size_t z = 0; z < nzones; z++) {
			struct tz_civil c;
			long long t;
			if (tz_civil_at(zones[z], now, &c) < 0)
				return -1;
			c.hour = w.open / 60;
			c.minute = w.open % 60;
			c.second = 0;
			/* day by day through the calendar (tz_instant refuses the 32nd) */
			struct tz_civil d = c;
			for (int k = 0; k < (day < 0 ? -day : day); k++) {
				long long noon;
				struct tz_civil m = d;
				m.hour = 12;
				m.minute = 0;
				if (tz_instant(zones[z], &m, &noon) < 0 ||
				    tz_civil_at(zones[z], noon + (day < 0 ? -86400 : 86400), &m) < 0)
					return -1;
				d.year = m.year;
				d.month = m.month;
				d.day = m.day;
			}
			if (tz_instant(zones[z], &d, &t) < 0)
				return -1;
			if (t <= now || (best >= 0 && t >= best))
				continue;
			int all = inside_all(t, w, zones, nzones);
			if (all < 0)
				return -1;
			if (all)
				best = t;
		}
	}
	int all = inside_all(now, w, zones, nzones);
	return all < 0 ? -1 : all ? now : best;
}

int rules_quiet_hours_apply(const char *kind)
{
	/* "automatic" and "image_notice" answer the contact's own text */
	return kind && (strcmp(kind, "user") == 0 || strcmp(kind, "consent_request") == 0);
}

const char *rules_send_later_refusal(long long now, long long at)
{
	if (at <= 0)
		return "send_at_bad";
	if (at <= now)
		return "send_at_past";
	if (at > now + SEND_LATER_MAX_DAYS * 86400LL)
		return "send_at_too_far";
	return NULL;
}
