/* POST /sms/resend (message, back, once; send_anyway=1 confirms the
 * warnings the bubble showed): sends a failed text of the user's own again,
 * as a new message through the outbox, when its failure can pass
 * (failure.c), it was not resent before, and every rule a Send checks
 * holds now (sending.h), its warnings included. A failed text is resent
 * once (outbox_resend_link): its bubble then says "Resent" and links the
 * new text. The failed one stays in the conversation as it was. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "dispatcher.h"
#include "failure.h"
#include "log.h"
#include "outbox.h"
#include "sending.h"

#include <string.h>

/* The request, read once at the door. */
struct resend_form {
	long long message;
	const char *back;        /* NULL: the text's own chatbox */
	const char *once;        /* the form's one-time token, or NULL */
	int confirmed;           /* send_anyway=1 */
};

static void read_form(struct req *r, struct resend_form *f)
{
	f->message = params_id(&r->form, "message");
	f->back = params_get(&r->form, "back");
	if (f->back && (strlen(f->back) > 2048 || !local_path_ok(f->back)))
		f->back = NULL;
	f->once = params_get(&r->form, "once");
	if (f->once && (strlen(f->once) != 64 || strspn(f->once, "0123456789abcdef") != 64))
		f->once = NULL;
	const char *anyway = params_get(&r->form, "send_anyway");
	f->confirmed = anyway && strcmp(anyway, "1") == 0;
}

static int is_failed(const char *status)
{
	return strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0;
}

/* Why this text may not be resent, in plain words (409), NULL when it may. */
static const char *resend_refusal(struct req *r, const struct resend_source *m)
{
	const struct failure_words *w = failure_words(m->error_code);
	if (!is_failed(m->status))
		return "This text cannot be sent again: it did not fail.";
	if (strcmp(m->kind, "user") != 0 || !w->resend)
		return arena_printf(r->a, "This text cannot be sent again: %s", w->text);
	if (m->resent_id)
		return "This text was resent already; a failed text is resent once. Nothing was sent.";
	return NULL;
}

/* The rules of a Send, now: 0 with *refusal set or NULL, or a status. */
static int send_rules(struct req *r, const struct resend_source *m, int confirmed,
		      struct sms_count *count, struct send_warnings *w, const char **refusal)
{
	int rc = sending_allowed(r, m->lead_id, m->contact_id, 0, refusal);
	if (rc || *refusal)
		return rc;
	return sending_text_refusal(r, m->body, confirmed, count, w, refusal);
}

/* Queues the text again and links it to the failed one, in one
 * transaction: 0, 409 when it was resent meanwhile, 503. */
static int store(struct req *r, const struct resend_source *m, const struct outbound *out,
		 const struct send_warnings *w)
{
	if (db_begin(r->db) < 0)
		return 503;
	long long queued = outbox_enqueue(r->db, out);
	if (queued == DB_DUP) {
		db_rollback(r->db);
		log_info(r->id, "resend submitted again: its text is already queued");
		return 0;
	}
	long long linked = queued > 0 ? outbox_resend_link(r->db, m->id, queued, out->user_id) : -1;
	if (linked > 0 && outbox_sent_anyway(r->db, queued, w, out->user_id) < 0)
		linked = -1;
	if (linked == DB_DUP) {
		db_rollback(r->db);
		r->notice = "This text was resent already; a failed text is resent once. Nothing was sent.";
		return 409;
	}
	if (linked < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	log_info(r->id, "message %lld sent again as %lld", m->id, queued);
	dispatcher_wake();
	return 0;
}

int page_sms_resend(struct req *r)
{
	const struct session *s = r->session;
	struct resend_form f;
	read_form(r, &f);
	struct resend_source m;
	int rc = outbox_resend_source(r->db, r->a, f.message, s->user_id, s->org_id, &m);
	if (rc || (rc = access_contact(r, m.lead_id, m.contact_id)))
		return rc;
	const char *back = f.back ? f.back
				  : arena_printf(r->a, "/leads/%lld?chat=%lld", m.lead_id, m.lead_id);
	if ((r->notice = resend_refusal(r, &m)))
		return 409;
	const char *refusal = NULL;
	struct sms_count count;
	struct send_warnings w = { 0 };
	if ((rc = send_rules(r, &m, f.confirmed, &count, &w, &refusal)))
		return rc;
	if (refusal) {
		r->notice = sending_text_refusal_text(r, refusal, m.body);
		return 409;
	}
	const char *number;
	int is_partner;
	if ((rc = sending_contact_number(r, m.lead_id, m.contact_id, &number, &is_partner)))
		return rc;
	struct outbound out = {
		.org_id = s->org_id, .lead_id = m.lead_id, .contact_id = m.contact_id,
		.user_id = s->user_id, .kind = "user", .agent_number = s->sms_number,
		.contact_number = number, .body = m.body, .submit_token = f.once, .count = count,
	};
	if ((rc = store(r, &m, &out, &w)))
		return rc;
	resp_redirect(r, back);
	return 0;
}
