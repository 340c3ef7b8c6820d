/* POST /sms/cancel (message, back): cancels a text still waiting in the
 * outbox for its time (send later) or for the recipient's quiet hours to
 * end. Only its sender or an admin of the organization may; it is then
 * never sent (status 'cancelled', kept in the conversation and the loan
 * file). A text the dispatcher has already claimed cannot be cancelled:
 * the outbox row is locked first, so the two never both win (outbox.h). */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "outbox.h"

#include <string.h>

/* The request, read once at the door. */
struct cancel_form {
	long long message;
	const char *back;        /* NULL: the text's own chatbox */
};

static void read_form(struct req *r, struct cancel_form *f)
{
	f->message = params_id(&r->form, "message");
	f->back = params_get(&r->form, "back");
	if (f->back && (strlen(f->back) > 2048 || !local_path_ok(f->back)))
		f->back = NULL;
}

int page_sms_cancel(struct req *r)
{
	const struct session *s = r->session;
	struct cancel_form f;
	read_form(r, &f);
	struct cancel_target t;
	int rc = outbox_cancel_target(r->db, r->a, f.message, s->org_id, &t);
	if (rc || (rc = access_lead(r, t.lead_id, NULL)))
		return rc;
	if (t.user_id != s->user_id && s->role != ROLE_ADMIN) {
		r->notice = "Only the text's sender or an admin can cancel it.";
		return 403;
	}
	const char *back = f.back ? f.back
				  : arena_printf(r->a, "/leads/%lld?chat=%lld", t.lead_id, t.lead_id);
	if (db_begin(r->db) < 0)
		return 503;
	int held = outbox_cancel_lock(r->db, r->a, f.message);
	if (held == 0) {
		db_rollback(r->db);
		r->notice = "This text is no longer waiting: it is being sent or was sent, and can no longer be cancelled.";
		return 409;
	}
	if (held < 0 || outbox_cancel(r->db, f.message, s->user_id) < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	log_info(r->id, "message %lld cancelled by user %lld before it was sent", f.message, s->user_id);
	resp_redirect(r, back);
	return 0;
}
