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
 * dispatcher. The form is read once (struct send_form), then the rules
 * decide, then the text or its draft is stored (conversation.h, outbox.h). */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "clock.h"
#include "sending.h"
#include "conversation.h"
#include "db.h"
#include "dispatcher.h"
#include "log.h"
#include "merge.h"
#include "outbox.h"
#include "sensitive.h"
#include "tz.h"

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

/* The request, read once at the door. */
struct send_form {
	long long lead, contact, agent;
	const char *back;        /* the page to return to (checked), NULL: the lead's */
	char *body;              /* as the user saw it (normalize_newlines) */
	const char *shown;       /* replace_lookalikes: the replaced text the page showed; NULL */
	int confirmed;           /* send_anyway=1 */
	int later;               /* send later: later=1, or the draft's time kept (draft_later=1
				  * with Send anyway or Replace them) */
	const char *send_at;     /* the time as typed, when later */
	const char *once;        /* the form's one-time token, or NULL */
};

static int is_one(const char *v)
{
	return v && strcmp(v, "1") == 0;
}

static void read_form(struct req *r, struct send_form *f)
{
	const struct params *p = &r->form;
	f->lead = params_id(p, "lead");
	f->contact = params_id(p, "contact");
	f->agent = params_id(p, "agent");
	f->back = params_get(p, "back");
	if (f->back && (strlen(f->back) > 2048 || !local_path_ok(f->back)))
		f->back = NULL;
	f->body = normalize_newlines(r->a, params_get(p, "body"));
	const char *shown = params_get(p, "replace_lookalikes");
	f->shown = shown ? normalize_newlines(r->a, shown) : NULL;
	const char *anyway = params_get(p, "send_anyway");
	f->confirmed = is_one(anyway);
	f->later = is_one(params_get(p, "later")) ||
		   (is_one(params_get(p, "draft_later")) && (anyway || shown));
	f->send_at = f->later ? params_get(p, "send_at") : NULL;
	f->once = params_get(p, "once");
	if (f->once && (strlen(f->once) != 64 || strspn(f->once, "0123456789abcdef") != 64))
		f->once = NULL;
}

/* Nothing typed is lost: the next page load shows it with the reason. */
static int keep_draft(struct req *r, const struct send_form *f, char *body, const char *code,
		      const char *back)
{
	/* the time it was to be sent at, as the agent typed it (at most
	 * YYYY-MM-DDTHH:MM:SS), shown again in the box */
	const char *send_at = f->send_at;
	if (send_at && (strlen(send_at) > 19 || strspn(send_at, "0123456789-:T") != strlen(send_at)))
		send_at = NULL;
	size_t n = strlen(body);
	if (n > DRAFT_MAX) {
		n = DRAFT_MAX;
		while (n > 0 && ((unsigned char)body[n] & 0xc0) == 0x80)
			n--;  /* cut before a whole character */
		body[n] = '\0';
	}
	if (conversation_draft_keep(r->db, r->session->id, f->lead, f->contact, body, code,
				    send_at) < 0)
		return 503;
	/* the page it goes back to shows this draft in its box */
	resp_redirect(r, arena_printf(r->a, "%s%cdraft_%lld=%lld", back, strchr(back, '?') ? '&' : '?',
				      f->lead, f->contact));
	return 0;
}

/* The rules, on what the form says: 0 with *refusal NULL (the text may
 * go, *body, *count, *send_at and *w set) or the refusal's code; or a
 * status. */
static int send_rules(struct req *r, const struct send_form *f,
		      const struct sending_contact *contact, char **body, struct sms_count *count,
		      long long *send_at, struct send_warnings *w, const char **refusal)
{
	int rc = sending_allowed_known(r, f->lead, f->contact, f->agent, contact, refusal);
	if (rc || *refusal)
		return rc;
	/* "Replace them and send": the server replaces the look-alikes, and
	 * sends only the text the page showed (the box may have been edited) */
	if (f->shown) {
		char *replaced;
		struct sms_lookalikes l;
		(void)sending_lookalikes(r, *body, &replaced, &l);
		if (strcmp(replaced, f->shown) != 0) {
			*refusal = "lookalikes_changed";
			return 0;
		}
		*body = replaced;
	}
	enum sms_verdict v = sms_check(*body, sending_advanced(r), count);
	if (v != SMS_OK) {
		*refusal = sending_verdict_code(v);
		return 0;
	}
	/* a saved reply's field left to fill in ("[NMLS ID]", merge.h) */
	if (merge_find_marker(*body, strlen(*body), NULL)) {
		*refusal = "unfilled_field";
		return 0;
	}
	/* send later: a time to come, within a year */
	if (f->later) {
		long long at = 0;
		*send_at = f->send_at && tz_parse_local(r->session->time_zone, f->send_at, &at) == 0
			   ? at : 0;
		if ((*refusal = rules_send_later_refusal(clock_now(), *send_at)))
			return 0;
	}
	/* warnings: the agent may confirm them (Send anyway), unless the
	 * organization blocks sensitive data */
	return sending_warning_refusal(r, *body, f->confirmed, w, refusal);
}

/* Queues the text and drops the box's draft (when it had one), in one
 * transaction: 0, or 503; *id is DB_DUP when the form was submitted before.
 * Everything it needs was read before it (the organization's quiet hours
 * with the session, the draft with the contact), so that the transaction
 * holds the conversation's row (the messages triggers move it on) for as
 * short a time as it can: begin, (the draft,) the message, its outbox row,
 * commit. */
static int store(struct req *r, const struct send_form *f, const struct outbound *m,
		 const struct send_warnings *w, int has_draft, long long *id)
{
	const struct session *s = r->session;
	if (db_begin(r->db) < 0)
		return 503;
	/* a text accepted from the box replaces what was refused there
	 * (first: the message's row locks come as late as they can) */
	*id = has_draft && conversation_draft_drop(r->db, s->id, f->lead, f->contact) < 0
	      ? -1 : outbox_enqueue(r->db, m);
	/* sent anyway: what was found and who chose to, with the message */
	if (*id > 0 && outbox_sent_anyway(r->db, *id, w, s->user_id) < 0)
		*id = -1;
	if (*id == DB_DUP) {
		db_rollback(r->db);
		log_info(r->id, "send form submitted again: its text is already queued");
		return 0;
	}
	if (*id < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return 0;
}

int page_sms_send(struct req *r)
{
	const struct session *s = r->session;
	struct send_form f;
	read_form(r, &f);
	/* the contact, on the lead, with its number and consent, and the
	 * box's draft: read once */
	struct sending_contact contact;
	int rc = access_lead(r, f.lead, NULL);
	if (rc || (rc = sending_send_facts(r, f.lead, f.contact, &contact)))
		return rc;
	const char *back = f.back ? f.back : arena_printf(r->a, "/leads/%lld?chat=%lld", f.lead, f.lead);
	char *body = f.body;
	struct sms_count count = { 0 };
	struct send_warnings w = { 0 };
	long long send_at = 0;
	const char *refusal = NULL;
	if ((rc = send_rules(r, &f, &contact, &body, &count, &send_at, &w, &refusal)))
		return rc;
	if (refusal)
		return keep_draft(r, &f, body, refusal, back);
	struct outbound m = {
		.org_id = s->org_id, .lead_id = f.lead, .contact_id = f.contact,
		.user_id = s->user_id, .kind = "user", .agent_number = s->sms_number,
		.contact_number = contact.number, .body = body, .submit_token = f.once,
		.count = count, .send_at = send_at,
		.org_known = 1, .quiet_hours = s->org_quiet_hours, .org_zone = s->org_time_zone,
	};
	long long id;
	if ((rc = store(r, &f, &m, &w, contact.has_draft, &id)))
		return rc;
	if (id > 0 && (w.sensitive || w.shortener))
		log_info(r->id, "message %lld holds %s%s%s: sent anyway by user %lld", id,
			 w.sensitive ? sensitive_kind_words(sensitive_kind_from_name(w.sensitive)) : "",
			 w.sensitive && w.shortener ? " and " : "",
			 w.shortener ? "a link shortener's link" : "", s->user_id);
	if (id > 0)
		dispatcher_wake();
	resp_redirect(r, back);
	return 0;
}
