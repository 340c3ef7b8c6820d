#include "inbound.h"

#include "arena.h"
#include "carrier.h"
#include "consent.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "rules.h"

#include <string.h>

int inbound_find_agent(struct db *db, struct arena *a, const char *to, struct inbound_route *rt)
{
	struct db_rows rows;
	memset(rt, 0, sizeof *rt);
	if (db_query(db, a, &rows, "SELECT id, org_id, mms_enabled, display_images FROM users"
				   " WHERE sms_number = ? AND org_id IS NOT NULL", "s", to) < 0)
		return -1;
	if (rows.n != 1)
		return 1;
	rt->user_id = db_get_ll(&rows, 0, 0);
	rt->org_id = db_get_ll(&rows, 0, 1);
	rt->agent_mms = db_get_ll(&rows, 0, 2) == 1;
	rt->agent_display = db_get_ll(&rows, 0, 3) == 1;
	return 0;
}

int inbound_route_sender(struct db *db, struct arena *a, const char *from,
			 struct inbound_route *rt)
{
	struct db_rows rows;
	/* borrowers carry their own mobile, partners theirs: two index reads */
	if (db_query(db, a, &rows,
		     "SELECT x.lead_id, x.contact_id FROM ("
		     " SELECT c.lead_id, c.id AS contact_id, c.role FROM contacts c"
		     "  WHERE c.org_id = ? AND c.mobile = ? AND c.partner_id IS NULL"
		     " UNION ALL"
		     " SELECT c.lead_id, c.id, c.role FROM partners p JOIN contacts c ON c.partner_id = p.id"
		     "  WHERE p.org_id = ? AND p.mobile = ?"
		     ") x JOIN leads l ON l.id = x.lead_id AND l.org_id = ?"
		     " ORDER BY l.updated_at DESC, l.id DESC, " SQL_CONTACT_PRECEDENCE("x.role")
		     ", x.contact_id LIMIT 1",
		     "isisi", rt->org_id, from, rt->org_id, from, rt->org_id) < 0)
		return -1;
	rt->lead_id = rows.n ? db_get_ll(&rows, 0, 0) : 0;
	rt->contact_id = rows.n ? db_get_ll(&rows, 0, 1) : 0;
	return 0;
}

/* One automatic text a day per conversation (agent number, sender), and
 * none to a number that opted out. */
static int queue_image_notice(struct db *db, struct arena *a, const char *from, const char *to,
			      const struct inbound_route *rt)
{
	struct db_rows rows;
	/* the agent's row serializes two images arriving at once */
	if (db_query(db, a, &rows, "SELECT 1 FROM users WHERE id = ? FOR UPDATE", "i",
		     rt->user_id) < 0 ||
	    db_query(db, a, &rows, "SELECT 1 FROM messages WHERE org_id = ? AND contact_number = ?"
				   " AND agent_number = ? AND kind = 'image_notice'"
				   " AND created_at > NOW(6) - INTERVAL ? HOUR LIMIT 1",
		     "issi", rt->org_id, from, to, (long long)RULES_IMAGE_NOTICE_HOURS) < 0)
		return -1;
	if (rows.n)
		return 0;
	int out = consent_opted_out(db, a, rt->org_id, from);
	if (out)
		return out < 0 ? -1 : 0;
	struct outbound m = {
		.org_id = rt->org_id, .lead_id = rt->lead_id, .contact_id = rt->contact_id,
		.user_id = rt->user_id, .kind = "image_notice", .agent_number = to,
		.contact_number = from, .body = INBOUND_IMAGE_NOTICE,
	};
	if (sms_count(m.body, strlen(m.body), &m.count) < 0)
		return -1;
	return outbox_enqueue(db, &m) < 0 ? -1 : 0;
}

long long inbound_store(struct db *db, struct arena *a, const struct carrier_inbound *in,
			const char *from, const char *to, const struct inbound_route *rt)
{
	struct sms_count count;
	if (sms_count(in->body, strlen(in->body), &count) < 0)
		memset(&count, 0, sizeof count);
	long long rc = db_exec(db, "INSERT INTO messages (org_id, lead_id, contact_id, user_id,"
				   " direction, kind, agent_number, contact_number, body, encoding, length,"
				   " billed, status, carrier_sid, num_media)"
				   " VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, 'inbound', 'user', ?, ?, ?, ?,"
				   " ?, ?, 'received', ?, ?)",
			       "iiiissssiisi", rt->org_id, rt->lead_id, rt->contact_id, rt->user_id,
			       to, from, in->body, sms_encoding_name(count.encoding),
			       (long long)count.length, (long long)count.billed, in->sid,
			       (long long)in->num_media);
	if (rc == DB_DUP)
		return 0;  /* the carrier delivered this one before */
	if (rc < 0)
		return -1;
	long long id = db_insert_id(db);
	for (int i = 0; i < in->num_media; i++)
		if (db_exec(db, "INSERT INTO message_media (message_id, idx, url, declared_type)"
				" VALUES (?, ?, ?, ?)", "iiss", id, (long long)i, in->media_url[i],
			    in->media_type[i]) < 0)
			return -1;
	if (in->num_media > 0 && rules_image_notice_text_due(rt->agent_mms, rt->agent_display) &&
	    queue_image_notice(db, a, from, to, rt) < 0)
		return -1;
	return id;
}
