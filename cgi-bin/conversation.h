/* A conversation: one agent's texts with one contact on a lead, as the
 * chatbox (chatbox.c) reads it: the lead's contacts with their consents,
 * its agents, the conversation's messages and their images, the newest
 * incoming text, and the box's drafts (sms_drafts: a refused text kept for
 * the box it was typed in, per session). Every statement on those tables
 * for the chatbox and its Send lives here; the rows come back as structs
 * in the caller's arena. */
#ifndef SMSDESK_CONVERSATION_H
#define SMSDESK_CONVERSATION_H
#include <stddef.h>

struct arena;
struct db;

/* One contact of the lead, in precedence order (rules.h's
 * SQL_CONTACT_PRECEDENCE, then id): the external contact before the
 * borrower, the borrower before the co-borrower. */
struct conv_contact {
	long long id;
	const char *role;        /* contacts.role: borrower, co_borrower, external */
	const char *name;        /* a partner's name, else the contact's; NULL when none */
	const char *number;      /* the mobile (a partner's lives on the partner); NULL when none */
	const char *role_text;   /* as shown: Borrower, Co-borrower, the partner's role */
	int consent;             /* enum consent_status for the agent's number */
};

/* The newest incoming text of an agent's conversations on a lead. */
struct conv_last_in {
	long long id;            /* 0: none */
	long long contact_id;    /* 0: none */
	const char *at;          /* its DATETIME(6) text (UTC): compares as a string */
};

struct conv_contacts {
	struct conv_contact *v;
	size_t n;
	struct conv_last_in last_in;
	/* the viewer's assignment to the lead (sending.h's
	 * SQL_SENDER_ASSIGNMENT; 0 when the lead has no contact) */
	long long sender_assignment;
};

/* The contacts of lead_id, each with its consent for agent_number in
 * org_id (a partner's: the organization's), the newest incoming text of
 * agent_id's conversations there and viewer_id's assignment: one round
 * trip (two when the lead has no contact to carry the newest text).
 * 0 or 503. */
int conversation_contacts(struct db *db, struct arena *a, long long lead_id, long long org_id,
			  long long viewer_id, long long agent_id, const char *agent_number,
			  struct conv_contacts *out);

/* An agent of the lead: the assigned ones first, in the order they were
 * assigned, then former agents with a conversation there, by name. */
struct conv_agent {
	long long id;
	const char *name, *number;
	int assigned;            /* 0: a former agent with messages here */
	const char *assigned_at; /* while assigned: when, and the assignment's id */
	long long assignment;
};
/* The lead's agents, each once, in that order, in one round trip: 0 or 503. */
int conversation_agents(struct db *db, struct arena *a, long long lead_id,
			struct conv_agent **out, size_t *n);

/* One image of an inbound text. */
struct conv_media {
	long long message_id;
	const char *id;          /* message_media.id, as text */
	const char *status;      /* pending, fetched, failed */
	const char *error;       /* why it could not be fetched; NULL */
};

/* One text of the conversation, oldest first. */
struct conv_message {
	long long id;
	int outbound;            /* 0: inbound */
	const char *kind, *body, *status;
	const char *error_code;  /* the carrier's code as text; NULL when none */
	long long error_number;  /* the same as a number; 0 when none */
	const char *error_message;
	const char *created_local;   /* "YYYY-MM-DD HH:MM" in the zone asked for */
	const char *now_local;       /* the database's now, the same way (day headings) */
	const char *sender;      /* the agent's name; NULL when none */
	long long contact_id, user_id;
	long long num_media;
	int agent_mms;           /* the agent has MMS enabled */
	int possible_opt_out;
	const char *sensitive_kind;  /* NULL or "" when none */
	int sent_anyway;
	const char *hold;        /* outbox.hold while queued: none, quiet_hours, send_later; NULL */
	long long hold_until;    /* the outbox's next attempt, epoch s */
	const char *sender_zone; /* the agent's time zone */
	const char *contact_number;
	const char *link_shortener;  /* NULL or "" when none */
	long long resent_id;     /* the text it was resent as; 0: not resent */
	struct conv_media *media;    /* its images (read only when a text has some) */
	size_t nmedia;
};

/* agent_id's texts on lead_id with the contacts contact_ids (every contact
 * of the lead sharing number: the same person): the newest `limit` of
 * those older than before_id (0: the newest), oldest first, with their
 * images (a second round trip, only when a text has some); times in zone
 * (tz.h); *earlier: older texts remain. 0 or 503. */
int conversation_messages(struct db *db, struct arena *a, long long lead_id, long long agent_id,
			  const long long *contact_ids, size_t ncontacts, const char *number,
			  const char *zone, long long before_id, long long limit,
			  struct conv_message **out, size_t *n, int *earlier);

/* A refused text kept for a chatbox: what was typed, its refusal code,
 * and the time it was to go at (as the agent typed it; NULL). */
struct conv_draft {
	const char *body;        /* NULL: no draft */
	const char *error, *send_at;
};
/* The session's draft for contact_id in lead_id's box: 0 (out->body NULL
 * when there is none) or 503. */
int conversation_draft(struct db *db, struct arena *a, long long session_id, long long lead_id,
		       long long contact_id, struct conv_draft *out);
/* Keeps (or replaces) that draft: db_exec's result. */
long long conversation_draft_keep(struct db *db, long long session_id, long long lead_id,
				  long long contact_id, const char *body, const char *error,
				  const char *send_at);
/* Drops it (a text from that box was accepted), in the caller's
 * transaction: db_exec's result. */
long long conversation_draft_drop(struct db *db, long long session_id, long long lead_id,
				  long long contact_id);

/* ---- a user's conversations: the header's dropdown and /notifications */

struct db_rows;
/* One conversation of the user, as the dropdown lists it. */
struct conv_summary {
	long long lead_id, contact_id;
	const char *lead_name, *contact_name;  /* carried by the conversation */
	int outbound;            /* the last text was the agent's */
	const char *last_body;   /* its first 120 characters */
	const char *last_at;     /* for the viewer, "Dec 6, 6:41 PM CST" (format.h) */
	const char *last_iso;    /* the same for <time datetime> */
	long long unread;        /* texts of the epoch given, unread */
	int last_media;          /* the last text carried images */
	int needs_reply;         /* inbox.h's Needs reply */
	long long waiting_s;     /* for how long, in seconds */
};
/* The user's conversations, most recent first, limit from offset, with
 * the unread counts of epoch, as rows: 0 or -1. */
int conversation_list_rows(struct db *db, struct arena *a, long long epoch, long long user_id,
			   long long limit, long long offset, struct db_rows *out);
/* Those rows as structs, their times in zone. */
struct conv_summary *conversation_summaries(struct arena *a, const char *zone,
					    struct db_rows *rows);
/* The user's unread state (sms_notify): made on the first page load; a
 * new sign-in counts everything before it as seen; a page load that
 * showed `unread` texts of `epoch` acknowledges them, unless a text came
 * meanwhile (it stays for the next load). Each 0 or -1. */
int conversation_notify_create(struct db *db, long long user_id, long long session_id);
int conversation_notify_new_session(struct db *db, long long user_id, long long session_id);
int conversation_notify_seen(struct db *db, long long user_id, long long epoch, long long unread);
#endif
