/* The outbox: an accepted text is written as a queued message and an outbox
 * row in one transaction; the dispatcher sends it from there, exactly once. */
#ifndef SMSDESK_OUTBOX_H
#define SMSDESK_OUTBOX_H
#include "sms_text.h"

struct db;

struct outbound {
	long long org_id, lead_id, contact_id, user_id;
	const char *kind;            /* "user", "consent_request", "automatic" */
	const char *agent_number, *contact_number, *body;
	const char *submit_token;    /* the form's one-time token, or NULL */
	struct sms_count count;
};

/* Inserts the message and its outbox row in the caller's transaction;
 * returns the message id, DB_DUP when the submit token was used before (the
 * text is already queued), or -1. Call dispatcher_wake() after the commit. */
long long outbox_enqueue(struct db *db, const struct outbound *m);
/* A message's status only moves forward: queued < sending < sent <
 * delivered, undelivered, failed (the last three final). Returns the status
 * after the carrier reported `reported` (its own words: accepted, queued,
 * sending, sent, delivered, undelivered, failed); unknown words change nothing. */
const char *message_status_after(const char *current, const char *reported);
#endif
