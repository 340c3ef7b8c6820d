/* POST /sms/resend (message, back): sends a failed text of the user's own
 * again, as a new message through the outbox, when its failure can pass
 * (failure.c) and every sending rule holds now (sending.h). The failed one
 * stays in the conversation as it was. */
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

int page_sms_resend(struct req *r)
{
	const struct session *s = r->session;
	long long id = params_id(&r->form, "message");
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT lead_id, contact_id, body, status, COALESCE(error_code, 0), kind"
		     " FROM messages WHERE id = ? AND user_id = ? AND org_id = ?"
		     " AND direction = 'outbound' AND lead_id IS NOT NULL AND contact_id IS NOT NULL",
		     "iii", id, s->user_id, s->org_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	long long lead_id = db_get_ll(&rows, 0, 0), contact_id = db_get_ll(&rows, 0, 1);
	const char *body = db_get(&rows, 0, 2), *status = db_get(&rows, 0, 3);
	int rc = access_contact(r, lead_id, contact_id);
	if (rc)
		return rc;
	const char *back = params_get(&r->form, "back");
	if (!back || strlen(back) > 2048 || !local_path_ok(back))
		back = arena_printf(r->a, "/leads/%lld?chat=%lld", lead_id, lead_id);
	const struct failure_words *w = failure_words(db_get_ll(&rows, 0, 4));
	if ((strcmp(status, "failed") != 0 && strcmp(status, "undelivered") != 0) ||
	    strcmp(db_get(&rows, 0, 5), "user") != 0 || !w->resend) {
		r->notice = arena_printf(r->a, "This text cannot be sent again: %s",
					 strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0
						 ? w->text : "it did not fail.");
		return 409;
	}
	const char *refusal;
	if ((rc = sending_allowed(r, lead_id, contact_id, 0, &refusal)))
		return rc;
	struct sms_count count;
	if (!refusal) {
		enum sms_verdict v = sms_check(body, sending_advanced(r), &count);
		if (v != SMS_OK)
			refusal = sending_verdict_code(v);
	}
	if (refusal) {
		r->notice = sending_refusal_text(r, refusal);
		return 409;
	}
	const char *number;
	int is_partner;
	if ((rc = sending_contact_number(r, lead_id, contact_id, &number, &is_partner)))
		return rc;
	const char *once = params_get(&r->form, "once");
	if (once && (strlen(once) != 64 || strspn(once, "0123456789abcdef") != 64))
		once = NULL;
	struct outbound m = {
		.org_id = s->org_id, .lead_id = lead_id, .contact_id = contact_id,
		.user_id = s->user_id, .kind = "user", .agent_number = s->sms_number,
		.contact_number = number, .body = body, .submit_token = once, .count = count,
	};
	if (db_begin(r->db) < 0)
		return 503;
	long long queued = outbox_enqueue(r->db, &m);
	if (queued == DB_DUP) {
		db_rollback(r->db);
		log_info(r->id, "resend submitted again: its text is already queued");
		resp_redirect(r, back);
		return 0;
	}
	if (queued < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	log_info(r->id, "message %lld sent again as %lld", id, queued);
	dispatcher_wake();
	resp_redirect(r, back);
	return 0;
}
