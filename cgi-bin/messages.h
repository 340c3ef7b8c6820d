/* Texts as the pages read them: the Unmatched list (inbound texts from
 * senders on no application), filing one to an application, and a lead's
 * whole history for the loan file. The statements on messages and
 * message_media these pages run are here, returning structs filled by the
 * names of their columns (an enum beside each statement), in the caller's
 * arena. Storing a text is elsewhere: outbox.c (sending), inbound.c
 * (receiving); the chatbox reads its own (conversation.c); the triggers of
 * the migrations keep conversations, counts and previews. */
#ifndef SMSDESK_MESSAGES_H
#define SMSDESK_MESSAGES_H
#include <stddef.h>

struct arena;
struct db;

/* ---- Unmatched */

/* An inbound text that reached no application. */
struct unmatched_text {
	long long id;
	const char *from_number;     /* the sender's, E.164 */
	const char *body;
	const char *received;        /* for the viewer, "Dec 6, 6:41 PM CST" (format.h) */
	const char *received_iso;    /* the same for <time datetime> */
	const char *agent_name;      /* whose number received it */
	long long agent_id;          /* messages_unmatched_get only (0 in the list) */
	long long num_media;
};
/* Whose: the organization's (all), or those received on user_id's number. */
struct unmatched_query {
	long long org_id, user_id;
	int all;
	const char *zone;            /* the viewer's */
};
/* The newest first, at most limit from offset. 0 or -1. */
int messages_unmatched_list(struct db *db, struct arena *a, const struct unmatched_query *q,
			    long long limit, long long offset, struct unmatched_text **out,
			    size_t *n);
/* Text id, when it is one of q's still unmatched: 0, 1 (none such), -1. */
int messages_unmatched_get(struct db *db, struct arena *a, const struct unmatched_query *q,
			   long long id, struct unmatched_text *out);
/* Files text message_id, and every other unmatched text between the same
 * two numbers, to contact_id of lead_id (filed_by: the user). 0 or -1. */
struct unmatched_filing {
	long long org_id, message_id, agent_id;
	long long lead_id, contact_id, filed_by;
};
int messages_unmatched_file(struct db *db, const struct unmatched_filing *f);
/* Inside a transaction: locks text id of org_id (FOR UPDATE) and says where
 * it is filed now: 0 and *lead = 0 while it is unmatched, 0 and its lead
 * once filed (by a request that got there first), 1 when absent, -1. */
int messages_unmatched_lock(struct db *db, struct arena *a, long long org_id, long long id,
			    long long *lead);
/* The lead text id of org_id was filed to by user (0: none, or filed by
 * someone else), or -1. */
long long messages_filed_by(struct db *db, struct arena *a, long long org_id, long long id,
			    long long user);

/* ---- the loan file: every text of a lead, in time order */

struct lead_text_image {
	long long id;
	const char *status;
	const char *type;            /* as fetched, or as the carrier declared it; may be NULL */
	const char *size, *sha256, *error;  /* NULL until fetched; error may be NULL */
};
struct lead_text {
	long long id;
	const char *at_utc, *at_local;      /* "YYYY-MM-DD HH:MM:SS", UTC and the zone given */
	int outbound;
	const char *direction, *kind;
	const char *agent, *agent_number;   /* agent: NULL for smsdesk's own texts */
	const char *contact, *contact_number;  /* contact: NULL when unknown */
	const char *status, *status_local;  /* status_local: when it last moved, to the second */
	const char *error_code, *error_message;
	const char *body;
	const char *sensitive, *sent_anyway_by, *shortener;
	struct lead_text_image *images;     /* in the order they came */
	size_t nimages;
};
/* Every text of the lead (of the organization), with its images: two
 * round trips. Times to the second in zone (tz.h; UTC when unknown). 0 or -1. */
int messages_of_lead(struct db *db, struct arena *a, long long org_id, long long lead_id,
		     const char *zone, struct lead_text **out, size_t *n);
#endif
