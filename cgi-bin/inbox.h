/* The inbox: the conversations a user may see (access.h's rule: whoever
 * may view the lead sees its texts), with their Needs reply state, and
 * Done and Mark unread. A conversation needs a reply when its newest text
 * came from the contact and nobody answered it (a text to the contact from
 * that conversation) or marked it Done since, or when it was marked unread
 * and not answered or Done since: computed by MariaDB from the
 * conversation's own row (schema/0033-needs-reply.sql), the same for every
 * user. Every statement on that state lives here; rows come back as
 * structs in the caller's arena. */
#ifndef SMSDESK_INBOX_H
#define SMSDESK_INBOX_H
#include <stddef.h>

struct arena;
struct db;

enum inbox_filter {
	INBOX_NEEDS,   /* needing a reply */
	INBOX_MINE,    /* on the viewer's own SMS number */
	INBOX_ALL,     /* everything the viewer may see */
	INBOX_AGENT,   /* on one agent's number */
};

/* Who is asking: the organization, the user, and whether the role sees
 * every lead of it (access_sees_all_leads). */
struct inbox_viewer {
	long long org_id, user_id;
	int sees_all;
	const char *zone;        /* the viewer's time zone, for the times */
};

struct inbox_row {
	long long lead_id, contact_id, agent_id;
	const char *lead_name;
	const char *contact_name;    /* NULL or "" when none */
	const char *contact_role;    /* as shown: Borrower, Co-borrower, the partner's role */
	const char *agent_name, *agent_number;
	int outbound;                /* the last text was the agent's */
	const char *last_body;       /* its first 120 characters */
	int last_media;
	const char *last_at;         /* for the viewer, "Dec 6, 6:41 PM CST" (format.h) */
	const char *last_iso;        /* the same for <time datetime> */
	int needs_reply;
	long long waiting_s;         /* since when it waits, in seconds (needs_reply) */
	int consent;                 /* enum consent_status for the agent's number */
};

/* The viewer's conversations under filter (agent_id for INBOX_AGENT),
 * newest activity first, limit rows from offset: 0 or 503. */
int inbox_list(struct db *db, struct arena *a, const struct inbox_viewer *v,
	       enum inbox_filter filter, long long agent_id, long long limit, long long offset,
	       struct inbox_row **out, size_t *n);

/* An agent of the organization with an SMS number (the per-agent links). */
struct inbox_agent {
	long long id;
	const char *name;
};
int inbox_agents(struct db *db, struct arena *a, long long org_id,
		 struct inbox_agent **out, size_t *n);

/* Marks the conversation (agent_id's with contact_id on lead_id) Done
 * (done 1) or unread (done 0), when the viewer may see it: 0, 404 (absent,
 * another organization's, or not visible) or 503. */
int inbox_mark(struct db *db, struct arena *a, const struct inbox_viewer *v, long long agent_id,
	       long long lead_id, long long contact_id, int done);

/* Since when a conversation needing a reply has waited, as epoch seconds
 * in SQL: the contact's first unanswered text, or when it was marked
 * unread after an answer (a stable value: the header keeps its rows). */
#define SQL_WAITING_SINCE(cv) \
	"UNIX_TIMESTAMP(COALESCE(IF(" cv ".last_direction = 'inbound', " cv ".waiting_since," \
	" " cv ".reopened_at), " cv ".last_at))"
/* Seconds from since (that column's text; NULL: 0) to now (clock.h). */
long long inbox_waited(const char *since);
/* "waiting 2 h": how long a conversation has waited for its reply. */
const char *inbox_waiting_text(struct arena *a, long long seconds);

/* The number of conversations that need user's reply (those the user may
 * see) in org, as a scalar subquery for the session's statement (auth.c):
 * exact up to NEEDS_REPLY_COUNT_MAX, and NEEDS_REPLY_COUNT_MAX + 1 above it
 * (the header shows "99+"). A probe for the row after the last one shown
 * stops there, so that a user with thousands of conversations waiting
 * does not count them all on every request; below it they are counted.
 * Managers and admins read one range of conversations_org_needs; agents
 * the conversations of their leads, in that order (STRAIGHT_JOIN:
 * assignments_user_order, then conversations_lead) whatever the
 * organization's size; a lead assigned to the agent more than once counts
 * once: its current assignment, or when it has none its first (the other
 * assignments are looked at only for a lead no longer assigned: a NOT
 * EXISTS for every assignment cost ten times as much). As an IN subquery, MariaDB
 * read every conversation that needs a reply in the database and checked
 * each against the assignments. Every index on conversations costs each
 * text in or out a write, so none more is made for this. Measured on the
 * bench's data (20,000 leads, all their conversations waiting), the whole
 * count against this: an agent with 4,800 leads 71-82 ms, 1.0-1.7 ms; one
 * with 200, 3.6 ms, 0.6-1.2 ms; an admin 4.5-7.6 ms, 0.5-1.1 ms; an agent
 * with 5,000 leads and none waiting (probed, then counted) 51-54 ms,
 * 10-11 ms. */
/* FROM and WHERE of an agent's conversations that need a reply, as
 * nr_cv: those on the agent's leads, read lead by lead, each once however
 * often its lead was assigned to the agent (its current assignment, or
 * when it has none its first). The header's count and the inbox's list
 * (inbox.c) both read them so. */
#define SQL_AGENT_NEEDS_FROM(user) \
	" FROM assignments nr_a STRAIGHT_JOIN conversations nr_cv" \
	" ON nr_cv.lead_id = nr_a.lead_id WHERE nr_a.user_id = " user \
	" AND nr_cv.needs_reply = 1 AND (nr_a.unassigned_at IS NULL OR NOT EXISTS" \
	" (SELECT 1 FROM assignments nr_b WHERE nr_b.lead_id = nr_a.lead_id" \
	" AND nr_b.user_id = nr_a.user_id AND (nr_b.unassigned_at IS NULL OR nr_b.id < nr_a.id)))"
#define NEEDS_REPLY_COUNT_MAX 99
#define NEEDS_REPLY_STR_(x) #x
#define NEEDS_REPLY_STR(x) NEEDS_REPLY_STR_(x)
#define SQL_NEEDS_REPLY_BOUNDED(probe, count, from_where) \
	"IF((SELECT " probe from_where " LIMIT " NEEDS_REPLY_STR(NEEDS_REPLY_COUNT_MAX) ", 1)" \
	" IS NULL, (SELECT " count from_where "), " NEEDS_REPLY_STR(NEEDS_REPLY_COUNT_MAX) " + 1)"
#define SQL_NEEDS_REPLY_COUNT(org, user, role) \
	"IF(" SQL_ROLE_SEES_ALL(role) "," \
	" " SQL_NEEDS_REPLY_BOUNDED("1", "COUNT(*)", \
				    " FROM conversations nr_cv WHERE nr_cv.org_id = " org \
				    " AND nr_cv.needs_reply = 1") "," \
	" " SQL_NEEDS_REPLY_BOUNDED("1", "COUNT(*)", SQL_AGENT_NEEDS_FROM(user)) ")"
#endif
