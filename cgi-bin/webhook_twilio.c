/* The carrier's callbacks, each in this order: verify the signature on the
 * raw parameters (a forged request is refused and stored nowhere), keep the
 * request in the webhook log, act on it, commit, then answer <Response/>.
 * Inbound: store the message once (the carrier's sid is UNIQUE), routed to
 * its application or the agent's Unmatched list. Status: keep the event,
 * move the message's status forward only. */
#include "pages.h"

#include "carrier.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "dispatcher.h"
#include "inbound.h"
#include "log.h"
#include "outbox.h"
#include "validate.h"

#include <string.h>

static const struct carrier_driver *driver = &carrier_twilio;

/* The URL the carrier signed: our public address and the path, with the
 * query string if there was one. */
static const char *signed_url(struct req *r)
{
	if (r->query_string && *r->query_string)
		return arena_printf(r->a, "%s%s?%s", r->cfg->public_url, r->path, r->query_string);
	return arena_printf(r->a, "%s%s", r->cfg->public_url, r->path);
}

static int answer_xml(struct req *r)
{
	resp_text(r, 200, "text/xml; charset=utf-8",
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
	return 0;
}

int webhook_twilio_status(struct req *r)
{
	if (!driver->verify(r->cfg, signed_url(r), &r->form, r->signature)) {
		log_warn(r->id, "status callback with a missing or wrong signature refused");
		r->notice = "The request's signature is missing or wrong.";
		return 403;
	}
	struct carrier_status st;
	if (driver->parse_status(&r->form, &st) < 0) {
		log_warn(r->id, "status callback refused: a field is missing or not in its shape");
		r->notice = "The callback's MessageSid, AccountSid, MessageStatus or ErrorCode is missing"
			    " or not in its shape.";
		return 400;
	}
	if (strcmp(st.account, r->cfg->carrier_account_sid) != 0) {
		log_warn(r->id, "status callback for another account refused");
		r->notice = "The request is for another account.";
		return 403;
	}
	struct db_rows rows;
	if (db_begin(r->db) < 0)
		return 503;
	if (db_exec(r->db, "INSERT INTO webhook_log (kind, signature_ok, params) VALUES"
			   " ('status', 1, ?)", "s", r->body ? r->body : "") < 0 ||
	    db_query(r->db, r->a, &rows, "SELECT id, status, org_id, contact_number FROM messages"
					 " WHERE carrier_sid = ? FOR UPDATE", "s", st.sid) < 0)
		goto fail;
	long long id = rows.n ? db_get_ll(&rows, 0, 0) : 0;
	const char *now = rows.n ? db_get(&rows, 0, 1) : NULL;
	const char *next = now ? message_status_after(now, st.status) : NULL;
	int applied = now && strcmp(now, next) != 0;
	/* a callback may beat the dispatcher's record of the sid: it is kept
	 * unattached and applied when the sid is recorded */
	long long kept = db_exec(r->db, "INSERT INTO message_events (message_id, carrier_sid, status,"
				       " error_code, applied) VALUES (NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?)",
				 "issii", id, st.sid, st.status, (long long)st.error_code,
				 (long long)applied);
	if (kept == DB_DUP) {
		/* a replay of an event already kept (and applied): nothing to do */
		db_rollback(r->db);
		log_info(r->id, "status callback for %s (%s) received again: ignored", st.sid, st.status);
		return answer_xml(r);
	}
	if (kept < 0)
		goto fail;
	if (applied && db_exec(r->db, "UPDATE messages SET status = ?, error_code = NULLIF(?, 0),"
				      " error_message = ?, updated_at = NOW(6) WHERE id = ?",
			       "sisi", next, (long long)st.error_code,
			       st.error_code ? arena_printf(r->a, "carrier error %d", st.error_code) : NULL,
			       id) < 0)
		goto fail;
	if (applied && st.error_code == 21610 &&
	    consent_withdraw_number(r->db, r->a, db_get_ll(&rows, 0, 2), db_get(&rows, 0, 3),
				    "carrier", id, 0, "carrier error 21610: recipient opted out") < 0)
		goto fail;
	if (db_commit(r->db) < 0)
		return 503;
	return answer_xml(r);
fail:
	db_rollback(r->db);
	return 503;
}

int webhook_twilio_sms(struct req *r)
{
	if (!driver->verify(r->cfg, signed_url(r), &r->form, r->signature)) {
		log_warn(r->id, "inbound message with a missing or wrong signature refused");
		r->notice = "The request's signature is missing or wrong.";
		return 403;
	}
	struct carrier_inbound in;
	const char *why;
	if (driver->parse_inbound(&r->form, &in, &why) < 0) {
		log_warn(r->id, "inbound message refused: %s", why);
		r->notice = why;
		return 400;
	}
	if (!in.account || strcmp(in.account, r->cfg->carrier_account_sid) != 0) {
		log_warn(r->id, "inbound message for another account refused");
		r->notice = "The request is for another account.";
		return 403;
	}
	char from[E164_MAX + 1], to[E164_MAX + 1];
	int numbers_ok = phone_normalize(in.from, from) == 0 && phone_normalize(in.to, to) == 0;
	if (db_begin(r->db) < 0)
		return 503;
	if (db_exec(r->db, "INSERT INTO webhook_log (kind, signature_ok, params, message_sid)"
			   " VALUES ('inbound', 1, ?, ?)", "ss", r->body ? r->body : "", in.sid) < 0)
		goto fail;
	struct inbound_route rt;
	int found = numbers_ok ? inbound_find(r->db, r->a, to, from, &rt) : 1;
	if (found < 0)
		goto fail;
	long long id = 0;
	if (found == 0 && (id = inbound_store(r->db, r->a, &in, from, to, &rt)) < 0)
		goto fail;
	if (db_commit(r->db) < 0)
		return 503;
	if (found)
		log_warn(r->id, "inbound message %s: %s: kept in the webhook log only", in.sid,
			 numbers_ok ? "the receiving number belongs to no user"
				    : "From or To is not a phone number");
	else if (id == 0)
		log_info(r->id, "inbound message %s delivered again: already stored", in.sid);
	else
		log_info(r->id, "inbound message %s stored as %lld (%s)", in.sid, id,
			 rt.lead_id ? "routed" : "unmatched");
	if (id > 0)
		dispatcher_wake();  /* a keyword's answer, an image to fetch or its notice */
	return answer_xml(r);
fail:
	db_rollback(r->db);
	return 503;
}
