/* POST /sms/send (lead, contact, body; agent = the conversation shown, back
 * = the page to return to; send_anyway=1 confirms the warnings the page
 * showed; replace_lookalikes = the replaced text the page showed, to send
 * the body with its look-alike characters replaced; later=1 with
 * send_at=YYYY-MM-DDTHH:MM in the sender's zone: send later, and
 * draft_later=1 when the box's draft was to be sent later, so that Send
 * anyway and Replace them keep its time): the chatbox's Send. The server
 * checks every rule the page showed (sending.h) and the warnings a text
 * carries (sensitive data, a link shortener, look-alikes that cost more;
 * rules.h); a refused text is kept as a draft for the box it was typed in,
 * with the time it was to be sent at; an accepted one is queued for the
 * dispatcher. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "clock.h"
#include "sending.h"
#include "db.h"
#include "dispatcher.h"
#include "log.h"
#include "outbox.h"
#include "sensitive.h"
#include "tz.h"

#include <stdio.h>
#include <string.h>

#define DRAFT_MAX 65535  /* sms_drafts.body is a TEXT */

/* Browsers send a textarea's line breaks as CRLF but count them as one
 * character while typing: store what the user saw. */
static char *normalize_newlines(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s ? s : ""), *o = out;
	for (const char *p = out; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static const char *back_to(struct req *r, long long lead_id)
{
	const char *back = params_get(&r->form, "back");
	if (back && strlen(back) <= 2048 && local_path_ok(back))
		return back;
	return arena_printf(r->a, "/leads/%lld?chat=%lld", lead_id, lead_id);
}

/* Nothing typed is lost: the next page load shows it with the reason. */
static int keep_draft(struct req *r, long long lead_id, long long contact_id, char *body,
		      const char *code, const char *back, const char *send_at)
{
	/* the time it was to be sent at, as the agent typed it (at most
	 * YYYY-MM-DDTHH:MM:SS), shown again in the box */
	if (send_at && (strlen(send_at) > 19 || strspn(send_at, "0123456789-:T") != strlen(send_at)))
		send_at = NULL;
	size_t n = strlen(body);
	if (n > DRAFT_MAX) {
		n = DRAFT_MAX;
		while (n > 0 && ((unsigned char)body[n] & 0xc0) == 0x80)
			n--;  /* cut before a whole character */
		body[n] = '\0';
	}
	if (db_exec(r->db, "INSERT INTO sms_drafts (session_id, lead_id, contact_id, body, error, send_at)"
			   " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE body = VALUES(body),"
			   " error = VALUES(error), send_at = VALUES(send_at), created_at = NOW()",
		    "iiisss", r->session->id, lead_id, contact_id, body, code, send_at) < 0)
		return 503;
	/* the page it goes back to shows this draft in its box */
	resp_redirect(r, arena_printf(r->a, "%s%cdraft_%lld=%lld", back, strchr(back, '?') ? '&' : '?',
				      lead_id, contact_id));
	return 0;
}

/* Send later: the form's datetime-local value (YYYY-MM-DDTHH:MM[:SS]) in
 * the sender's zone, as epoch seconds; 0 when it is no such time. */
static long long send_later_at(struct req *r)
{
	const char *v = params_get(&r->form, "send_at");
	struct tz_civil c = { 0 };
	int used = 0, seconds = 0;
	long long at;
	if (!v || sscanf(v, "%4d-%2d-%2dT%2d:%2d%n", &c.year, &c.month, &c.day, &c.hour, &c.minute,
			 &used) != 5 || used != 16)
		return 0;
	if (v[used] == ':' && (sscanf(v + used, ":%2d%n", &c.second, &seconds) != 1 ||
			       seconds != 3 || v[used + seconds] != '\0'))
		return 0;
	if (v[used] != ':' && v[used] != '\0')
		return 0;
	return tz_instant(r->session->time_zone, &c, &at) == 0 ? at : 0;
}

int page_sms_send(struct req *r)
{
	const struct session *s = r->session;
	long long lead_id = params_id(&r->form, "lead");
	long long contact_id = params_id(&r->form, "contact");
	long long agent_id = params_id(&r->form, "agent");
	/* the contact, on the lead, with its number and consent: read once */
	struct sending_contact contact;
	int rc = access_lead(r, lead_id, NULL);
	if (rc || (rc = sending_contact_facts(r, lead_id, contact_id, &contact)))
		return rc;
	const char *back = back_to(r, lead_id);
	char *body = normalize_newlines(r->a, params_get(&r->form, "body"));
	const char *refusal;
	if ((rc = sending_allowed_known(r, lead_id, contact_id, agent_id, &contact, &refusal)))
		return rc;
	/* "Replace them and send": the server replaces the look-alikes, and
	 * sends only the text the page showed (the box may have been edited) */
	const char *shown = params_get(&r->form, "replace_lookalikes");
	if (!refusal && shown) {
		char *replaced;
		struct sms_lookalikes l;
		(void)sending_lookalikes(r, body, &replaced, &l);
		if (strcmp(replaced, normalize_newlines(r->a, shown)) == 0)
			body = replaced;
		else
			refusal = "lookalikes_changed";
	}
	struct sms_count count = { 0 };
	if (!refusal) {
		enum sms_verdict v = sms_check(body, sending_advanced(r), &count);
		if (v != SMS_OK)
			refusal = sending_verdict_code(v);
	}
	/* send later: a time to come, within a year; a draft that was to go
	 * later keeps its time when the agent confirms or replaces */
	const char *later = params_get(&r->form, "later");
	const char *draft_later = params_get(&r->form, "draft_later");
	int is_later = (later && strcmp(later, "1") == 0) ||
		       (draft_later && strcmp(draft_later, "1") == 0 &&
			(params_get(&r->form, "send_anyway") || shown));
	long long send_at = 0;
	if (!refusal && is_later) {
		send_at = send_later_at(r);
		refusal = rules_send_later_refusal(clock_now(), send_at);
	}
	/* warnings: the agent may confirm them (Send anyway), unless the
	 * organization blocks sensitive data */
	struct send_warnings w = { 0 };
	const char *anyway = params_get(&r->form, "send_anyway");
	int confirmed = anyway && strcmp(anyway, "1") == 0;
	if (!refusal && (rc = sending_warning_refusal(r, body, confirmed, &w, &refusal)))
		return rc;
	if (refusal)
		return keep_draft(r, lead_id, contact_id, body, refusal, back,
				  is_later ? params_get(&r->form, "send_at") : NULL);

	const char *number = contact.number;
	/* the form's one-time token: the same form sent twice queues once */
	const char *once = params_get(&r->form, "once");
	if (once && (strlen(once) != 64 || strspn(once, "0123456789abcdef") != 64))
		once = NULL;
	struct outbound m = {
		.org_id = s->org_id, .lead_id = lead_id, .contact_id = contact_id,
		.user_id = s->user_id, .kind = "user", .agent_number = s->sms_number,
		.contact_number = number, .body = body, .submit_token = once, .count = count,
		.send_at = send_at,
	};
	if (db_begin(r->db) < 0)
		return 503;
	long long id = outbox_enqueue(r->db, &m);
	/* sent anyway: what was found and who chose to, with the message */
	int sent_anyway = w.sensitive || w.shortener;
	if (id > 0 && outbox_sent_anyway(r->db, id, &w, s->user_id) < 0)
		id = -1;
	/* a text accepted from the box replaces what was refused there */
	if (id > 0 && db_exec(r->db, "DELETE FROM sms_drafts WHERE session_id = ? AND lead_id = ?"
				     " AND contact_id = ?", "iii", s->id, lead_id, contact_id) < 0)
		id = -1;
	if (id == DB_DUP) {
		db_rollback(r->db);
		log_info(r->id, "send form submitted again: its text is already queued");
		resp_redirect(r, back);
		return 0;
	}
	if (id < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	if (sent_anyway)
		log_info(r->id, "message %lld holds %s%s%s: sent anyway by user %lld", id,
			 w.sensitive ? sensitive_kind_words(sensitive_kind_from_name(w.sensitive)) : "",
			 w.sensitive && w.shortener ? " and " : "",
			 w.shortener ? "a link shortener's link" : "", s->user_id);
	dispatcher_wake();
	resp_redirect(r, back);
	return 0;
}
