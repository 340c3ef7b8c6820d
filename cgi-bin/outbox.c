#include "outbox.h"

#include "db.h"

#include <string.h>

long long outbox_enqueue(struct db *db, const struct outbound *m)
{
	long long rc = db_exec(db, "INSERT INTO messages (org_id, lead_id, contact_id, user_id,"
			       " direction, kind, agent_number, contact_number, body, encoding, length,"
			       " billed, status, submit_token)"
			       " VALUES (?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
			       "iiiisssssiis", m->org_id, m->lead_id, m->contact_id, m->user_id,
			       m->kind, m->agent_number, m->contact_number, m->body,
			       sms_encoding_name(m->count.encoding), (long long)m->count.length,
			       (long long)m->count.billed, m->submit_token);
	if (rc == DB_DUP)
		return DB_DUP;
	if (rc < 0)
		return -1;
	long long id = db_insert_id(db);
	if (db_exec(db, "INSERT INTO outbox (message_id, next_attempt_at) VALUES (?, NOW(6))",
		    "i", id) < 0)
		return -1;
	return id;
}

static int status_rank(const char *s)
{
	static const struct {
		const char *name;
		int rank;
	} ranks[] = {
		{ "queued", 0 }, { "accepted", 1 }, { "sending", 1 }, { "sent", 2 },
		{ "delivered", 3 }, { "undelivered", 3 }, { "failed", 3 },
	};
	for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++)
		if (strcmp(ranks[i].name, s) == 0)
			return ranks[i].rank;
	return -1;
}

const char *message_status_after(const char *current, const char *reported)
{
	int now = status_rank(current), next = status_rank(reported);
	if (next < 0 || next <= now)
		return current;
	/* the carrier's own queue is our "sending": it has the message */
	if (strcmp(reported, "accepted") == 0 || strcmp(reported, "queued") == 0)
		return "sending";
	return reported;
}
