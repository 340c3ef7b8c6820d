#include "inbound.h"

#include "access.h"
#include "arena.h"
#include "carrier.h"
#include "consent.h"
#include "db.h"
#include "http.h"
#include "keywords.h"
#include "log.h"
#include "outbox.h"
#include "rules.h"
#include "sensitive.h"

#include <string.h>

/* The route of a text from `from` in organization `org` (an SQL
 * expression): among the applications with a contact whose mobile is the
 * sender's, the one updated last; in it the external contact before the
 * borrower, the borrower before the co-borrower. Borrowers carry their own
 * mobile (their applications are read and sorted: a person has few);
 * partners theirs, and a partner may be on thousands of applications: only
 * each partner's newest is read, the first entry of an index walk
 * (partner_leads carries each partner's leads with their updated_at, kept
 * by triggers: schema/0031, schema/triggers/). */
#define ROUTE(org) \
	"SELECT x.lead_id, x.contact_id, x.role = 'external' AS external FROM (" \
	" SELECT c.lead_id, c.id AS contact_id, c.role FROM contacts c" \
	"  WHERE c.org_id = " org " AND c.mobile = ? AND c.partner_id IS NULL" \
	"  AND " RECEIVER_SEES("c.lead_id") \
	" UNION ALL" \
	" SELECT c.lead_id, c.id, c.role FROM partners p JOIN contacts c ON c.id = (" \
	"  SELECT n.contact_id FROM partner_leads n WHERE n.partner_id = p.id" \
	"  AND " RECEIVER_SEES("n.lead_id") \
	"  ORDER BY n.lead_updated_at DESC, n.lead_id DESC LIMIT 1)" \
	"  WHERE p.org_id = " org " AND p.mobile = ?" \
	") x JOIN leads l ON l.id = x.lead_id AND l.org_id = " org \
	" ORDER BY l.updated_at DESC, l.id DESC, " SQL_CONTACT_PRECEDENCE("x.role") \
	", x.contact_id LIMIT 1"
#define AGENT_ORG "(SELECT org_id FROM users WHERE sms_number = ?)"
/* Only applications the receiving user (the owner of the number texted,
 * two parameters: that number twice) may see are candidates: a text never
 * opens an application to anyone (access.h). */
#define RECEIVER_SEES(lead) \
	SQL_SEES_LEAD(lead, "(SELECT id FROM users WHERE sms_number = ?)", \
		      "(SELECT " SQL_ROLE_SEES_ALL("role") " FROM users WHERE sms_number = ?)")

int inbound_find(struct db *db, struct arena *a, const char *to, const char *from,
		 struct inbound_route *rt)
{
	struct db_rows rows;
	memset(rt, 0, sizeof *rt);
	/* the agent and the route in one round trip */
	if (db_query(db, a, &rows, "SELECT u.id, u.org_id, u.mms_enabled, u.display_images, u.name,"
				   " o.name, o.help_contact, r.lead_id, r.contact_id, r.external"
				   " FROM users u JOIN organizations o ON o.id = u.org_id"
				   " LEFT JOIN (" ROUTE(AGENT_ORG) ") r ON 1 = 1"
				   " WHERE u.sms_number = ?",
		     "ssssssssss", to, from, to, to, to, to, to, from, to, to) < 0)
		return -1;
	if (rows.n != 1)
		return 1;
	rt->user_id = db_get_ll(&rows, 0, 0);
	rt->org_id = db_get_ll(&rows, 0, 1);
	rt->agent_mms = db_get_ll(&rows, 0, 2) == 1;
	rt->agent_display = db_get_ll(&rows, 0, 3) == 1;
	rt->agent_name = db_get(&rows, 0, 4);
	rt->org_name = db_get(&rows, 0, 5);
	rt->help_contact = db_get(&rows, 0, 6);
	rt->lead_id = db_get_ll(&rows, 0, 7);
	rt->contact_id = db_get_ll(&rows, 0, 8);
	rt->is_partner = db_get_ll(&rows, 0, 9) == 1;
	return 0;
}

/* Queues an automatic text from the agent's number to the sender. */
static int queue_automatic(struct db *db, const char *kind, const char *body, const char *from,
			   const char *to, const struct inbound_route *rt)
{
	struct outbound m = {
		.org_id = rt->org_id, .lead_id = rt->lead_id, .contact_id = rt->contact_id,
		.user_id = rt->user_id, .kind = kind, .agent_number = to,
		.contact_number = from, .body = body,
	};
	if (sms_count(m.body, strlen(m.body), &m.count) < 0)
		return -1;
	return outbox_enqueue(db, &m) < 0 ? -1 : 0;
}

/* START, STOP, HELP and plain-words opt-outs (keywords.h). The keyword
 * message itself is kept like any other. */
static int act_on_keyword(struct db *db, struct arena *a, long long id, const char *body,
			  const char *from, const char *to, const struct inbound_route *rt)
{
	enum keyword k = keyword_classify(body);
	switch (k) {
	case KEYWORD_STOP: {
		int was = consent_opted_out(db, a, rt->org_id, from);
		if (was < 0 ||
		    consent_withdraw_number(db, a, rt->org_id, from, "reply", id, 0,
					    arena_printf(a, "replied %s", utf8_prefix(a, body, 100))) < 0)
			return -1;
		/* what waits for a retry is refused when it comes due: make it due */
		if (db_exec(db, "UPDATE outbox o JOIN messages m ON m.id = o.message_id"
				" SET o.next_attempt_at = NOW(6) WHERE m.org_id = ? AND m.contact_number = ?"
				" AND o.in_doubt = 0", "is", rt->org_id, from) < 0)
			return -1;
		if (was)
			return 0;  /* one confirmation per opt-out */
		return queue_automatic(db, "automatic",
				       arena_printf(a, "%s: You are unsubscribed and will receive no more"
						    " texts. Reply START to resubscribe.", rt->org_name),
				       from, to, rt);
	}
	case KEYWORD_START:
		if (consent_set(db, a, rt->org_id, rt->is_partner, to, from, CONSENT_GRANTED, "reply",
				id, 0, "replied START") < 0)
			return -1;
		return queue_automatic(db, "automatic",
				       arena_printf(a, "%s: You are subscribed to texts from %s. Reply HELP"
						    " for help, STOP to opt out.", rt->org_name,
						    rt->agent_name), from, to, rt);
	case KEYWORD_HELP:
		return queue_automatic(db, "automatic",
				       arena_printf(a, "%s: texts about your loan from %s. %s Reply STOP to"
						    " opt out.", rt->org_name, rt->agent_name,
						    *rt->help_contact ? rt->help_contact :
						    arena_printf(a, "Call or text %s.", to)),
				       from, to, rt);
	case KEYWORD_MAYBE_STOP:
		return db_exec(db, "UPDATE messages SET possible_opt_out = 1 WHERE id = ?", "i", id) < 0
			       ? -1 : 0;
	case KEYWORD_NONE:
		break;
	}
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
	return queue_automatic(db, "image_notice", INBOUND_IMAGE_NOTICE, from, to, rt);
}

long long inbound_store(struct db *db, struct arena *a, const struct carrier_inbound *in,
			const char *from, const char *to, const struct inbound_route *rt)
{
	struct sms_count count;
	if (sms_count(in->body, strlen(in->body), &count) < 0)
		memset(&count, 0, sizeof count);
	/* marked for the agent to move the matter to a secure channel */
	enum sensitive_kind sensitive = sensitive_find(in->body, NULL);
	long long rc = db_exec(db, "INSERT INTO messages (org_id, lead_id, contact_id, user_id,"
				   " direction, kind, agent_number, contact_number, body, encoding, length,"
				   " billed, status, carrier_sid, num_media, sensitive_kind)"
				   " VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, 'inbound', 'user', ?, ?, ?, ?,"
				   " ?, ?, 'received', ?, ?, ?)",
			       "iiiissssiisis", rt->org_id, rt->lead_id, rt->contact_id, rt->user_id,
			       to, from, in->body, sms_encoding_name(count.encoding),
			       (long long)count.length, (long long)count.billed, in->sid,
			       (long long)in->num_media,
			       sensitive == SENSITIVE_NONE ? NULL : sensitive_kind_name(sensitive));
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
	if (act_on_keyword(db, a, id, in->body, from, to, rt) < 0)
		return -1;
	if (in->num_media > 0 && rules_image_notice_text_due(rt->agent_mms, rt->agent_display) &&
	    queue_image_notice(db, a, from, to, rt) < 0)
		return -1;
	return id;
}
