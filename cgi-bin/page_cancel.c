/* POST /sms/cancel (message, back): cancels a text still waiting in the
 * outbox for its time (send later) or for the recipient's quiet hours to
 * end. Only its sender or an admin of the organization may; it is then
 * never sent (status 'cancelled', kept in the conversation and the loan
 * file). A text the dispatcher has already claimed cannot be cancelled:
 * the outbox row is locked first, so the two never both win. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"

#include <string.h>

int page_sms_cancel(struct req *r)
{
	const struct session *s = r->session;
	long long id = params_id(&r->form, "message");
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT lead_id, user_id FROM messages WHERE id = ? AND org_id = ?"
		     " AND direction = 'outbound' AND lead_id IS NOT NULL",
		     "ii", id, s->org_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	long long lead_id = db_get_ll(&rows, 0, 0);
	int rc = access_lead(r, lead_id, NULL);
	if (rc)
		return rc;
	if (db_get_ll(&rows, 0, 1) != s->user_id && s->role != ROLE_ADMIN) {
		r->notice = "Only the text's sender or an admin can cancel it.";
		return 403;
	}
	const char *back = params_get(&r->form, "back");
	if (!back || strlen(back) > 2048 || !local_path_ok(back))
		back = arena_printf(r->a, "/leads/%lld?chat=%lld", lead_id, lead_id);
	struct db_rows held;
	if (db_begin(r->db) < 0)
		return 503;
	/* waiting, and never handed to the carrier (in doubt: it may have been) */
	if (db_query(r->db, r->a, &held,
		     "SELECT 1 FROM outbox o JOIN messages m ON m.id = o.message_id"
		     " WHERE o.message_id = ? AND o.hold <> 'none' AND o.in_doubt = 0"
		     " AND m.status = 'queued' FOR UPDATE", "i", id) < 0)
		goto fail;
	if (held.n != 1) {
		db_rollback(r->db);
		r->notice = "This text is no longer waiting: it is being sent or was sent, and can no longer be cancelled.";
		return 409;
	}
	if (db_exec(r->db, "UPDATE messages SET status = 'cancelled', cancelled_by = ?,"
			   " updated_at = NOW(6) WHERE id = ? AND status = 'queued'",
		    "ii", s->user_id, id) != 1 ||
	    db_exec(r->db, "DELETE FROM outbox WHERE message_id = ?", "i", id) != 1 ||
	    db_commit(r->db) < 0)
		goto fail;
	log_info(r->id, "message %lld cancelled by user %lld before it was sent", id, s->user_id);
	resp_redirect(r, back);
	return 0;
fail:
	db_rollback(r->db);
	return 503;
}
