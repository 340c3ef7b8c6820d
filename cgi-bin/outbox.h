/* The outbox: an accepted text is written as a queued message and an outbox
 * row in one transaction; the dispatcher sends it from there, exactly once. */
#ifndef SMSDESK_OUTBOX_H
#define SMSDESK_OUTBOX_H
#include "sms_text.h"

struct arena;
struct db;
struct send_warnings;

struct outbound {
	long long org_id, lead_id, contact_id, user_id;
	const char *kind;            /* "user", "consent_request", "automatic" */
	const char *agent_number, *contact_number, *body;
	const char *submit_token;    /* the form's one-time token, or NULL */
	struct sms_count count;
	long long send_at;           /* send later: the time the agent chose (epoch s); 0: now */
	/* the organization's quiet_hours and time_zone as the caller read
	 * them already (the session's), when org_known; else outbox_enqueue
	 * reads them in its transaction */
	int org_known;
	const char *quiet_hours, *org_zone;
};

/* Inserts the message and its outbox row in the caller's transaction;
 * returns the message id, DB_DUP when the submit token was used before (the
 * text is already queued), or -1. Call dispatcher_wake() after the commit.
 * A text due outside the recipient's quiet hours window waits in the
 * outbox until it opens (hold 'quiet_hours'), one sent later until its
 * time (hold 'send_later'). */
long long outbox_enqueue(struct db *db, const struct outbound *m);
/* When a text of kind to number, due at `due` (epoch s), may go under the
 * organization's quiet_hours setting: due itself, or when the recipient's
 * window opens (rules.h; the recipient's zones from place.h, else org_zone).
 * Answers to the contact's own text are never held. -1 on an error. */
long long outbox_quiet_send_at(const char *kind, const char *number, const char *quiet_hours,
			       const char *org_zone, long long due);
/* A message's status only moves forward: queued < sending < sent <
 * delivered, undelivered, failed (the last three final). Returns the status
 * after the carrier reported `reported` (its own words: accepted, queued,
 * sending, sent, delivered, undelivered, failed); unknown words change nothing. */
const char *message_status_after(const char *current, const char *reported);
/* A text sent with warnings the agent confirmed (Send anyway): what was
 * found and who chose to, kept with the message, in the caller's
 * transaction. 0 when it carries none, else db_exec's result. */
long long outbox_sent_anyway(struct db *db, long long id, const struct send_warnings *w,
			     long long user_id);

/* Resend: a failed text of the user's own, as outbox_resend_source reads
 * it; resent_id is the text it was sent again as (0: not yet). */
struct resend_source {
	long long id, lead_id, contact_id, error_code, resent_id;
	const char *body, *status, *kind;
};
/* Outbound message id of user_id in org_id, on a lead and a contact:
 * 0, 404 when there is no such text, 503. */
int outbox_resend_source(struct db *db, struct arena *a, long long id, long long user_id,
			 long long org_id, struct resend_source *out);
/* Records, in the caller's transaction, that failed_id was sent again as
 * resent_id: 1, DB_DUP when failed_id was resent already (whoever asked,
 * with whatever form tokens: a failed text is resent once), or DB_ERR. */
long long outbox_resend_link(struct db *db, long long failed_id, long long resent_id,
			     long long user_id);
/* Makes the outbox rows of the organization's texts to number due now
 * (those in doubt aside), so that the dispatcher takes them up at once
 * (an opt-out was recorded), in the caller's transaction. The rows
 * changed, or -1. */
long long outbox_hurry_number(struct db *db, long long org_id, const char *number);

/* Cancel: the outbound text id of org_id on a lead, with its sender. */
struct cancel_target {
	long long lead_id, user_id;
};
/* 0, 404 when there is no such text, 503. */
int outbox_cancel_target(struct db *db, struct arena *a, long long id, long long org_id,
			 struct cancel_target *out);
/* In the caller's transaction, locks the text's outbox row while it is
 * still waiting (held for quiet hours or a later time, never handed to
 * the carrier: one in doubt may have been, and queued): 1, 0 when it is
 * no longer waiting, -1. */
int outbox_cancel_lock(struct db *db, struct arena *a, long long id);
/* Then marks it cancelled by user_id and drops its outbox row, in the same
 * transaction: 0, or -1. */
int outbox_cancel(struct db *db, long long id, long long user_id);
#endif
