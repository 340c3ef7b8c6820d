#include "consent.h"

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "tz.h"
#include "http.h"
#include "rules.h"

#include <string.h>

const char *consent_color(enum consent_status s)
{
	return s == CONSENT_GRANTED ? "green" : s == CONSENT_PENDING ? "yellow" : "red";
}

int consent_status(struct db *db, struct arena *a, long long org_id,
		   const char *agent_number, const char *contact_number, int is_partner)
{
	if (!contact_number || (!is_partner && !agent_number))
		return CONSENT_NONE;
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT status FROM consents WHERE org_id = ? AND contact_number = ?"
		     " AND scope = ? AND agent_number = ?",
		     "isss", org_id, contact_number, rules_consent_scope(is_partner),
		     rules_consent_agent_number(is_partner, agent_number)) < 0)
		return -1;
	return consent_parse(rows.n == 1 ? db_get(&rows, 0, 0) : NULL);
}

int consent_parse(const char *status)
{
	if (!status)
		return CONSENT_NONE;
	return strcmp(status, "granted") == 0 ? CONSENT_GRANTED :
	       strcmp(status, "pending") == 0 ? CONSENT_PENDING : CONSENT_NONE;
}

/* Withdraws every consent of the number; lead_id (0: none) is the lead a
 * manual opt-out was recorded on, whose viewers alone read its note. */
static int withdraw(struct db *db, struct arena *a, long long org_id, const char *number,
		    const char *source, long long message_id, long long changed_by, long long lead_id,
		    const char *note)
{
	struct db_rows rows;
	/* the ledger first, from the rows as they were */
	if (db_query(db, a, &rows,
		     "SELECT scope, agent_number, status FROM consents WHERE org_id = ?"
		     " AND contact_number = ? AND status <> 'none' FOR UPDATE",
		     "is", org_id, number) < 0)
		return -1;
	for (size_t i = 0; i < rows.n || i == 0; i++)
		if (db_exec(db, "INSERT INTO consent_ledger (org_id, scope, agent_number,"
				" contact_number, old_status, new_status, source, changed_by, message_id,"
				" note, lead_id) VALUES (?, ?, ?, ?, ?, 'none', ?, NULLIF(?, 0), NULLIF(?, 0), ?,"
				" NULLIF(?, 0))",
			    "isssssiisi", org_id, rows.n ? db_get(&rows, i, 0) : "organization",
			    rows.n ? db_get(&rows, i, 1) : "", number,
			    rows.n ? db_get(&rows, i, 2) : "none", source, changed_by, message_id,
			    note, lead_id) < 0)
			return -1;
	if (db_exec(db, "UPDATE consents SET status = 'none', updated_at = NOW()"
			" WHERE org_id = ? AND contact_number = ?", "is", org_id, number) < 0)
		return -1;
	return 0;
}

int consent_withdraw_number(struct db *db, struct arena *a, long long org_id,
			    const char *number, const char *source, long long message_id,
			    long long changed_by, const char *note)
{
	return withdraw(db, a, org_id, number, source, message_id, changed_by, 0, note);
}

int consent_record_opt_out(struct db *db, struct arena *a, long long org_id, const char *number,
			   long long changed_by, long long lead_id, const char *note)
{
	return withdraw(db, a, org_id, number, "manual", 0, changed_by, lead_id, note);
}

const char *consent_status_name(enum consent_status s)
{
	return s == CONSENT_GRANTED ? "granted" : s == CONSENT_PENDING ? "pending" : "none";
}

int consent_set(struct db *db, struct arena *a, long long org_id, int is_partner,
		const char *agent_number, const char *number, enum consent_status to,
		const char *source, long long message_id, long long changed_by, const char *note)
{
	const char *scope = rules_consent_scope(is_partner);
	const char *agent = rules_consent_agent_number(is_partner, agent_number);
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT status FROM consents WHERE org_id = ? AND contact_number = ?"
				   " AND scope = ? AND agent_number = ? FOR UPDATE",
		     "isss", org_id, number, scope, agent) < 0)
		return -1;
	const char *old = rows.n ? db_get(&rows, 0, 0) : "none";
	if (db_exec(db, "INSERT INTO consents (org_id, scope, agent_number, contact_number, status)"
			" VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE status = VALUES(status),"
			" updated_at = NOW()", "issss", org_id, scope, agent, number,
		    consent_status_name(to)) < 0 ||
	    db_exec(db, "INSERT INTO consent_ledger (org_id, scope, agent_number, contact_number,"
			" old_status, new_status, source, changed_by, message_id, note)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)",
		    "issssssiis", org_id, scope, agent, number, old, consent_status_name(to), source,
		    changed_by, message_id, note) < 0)
		return -1;
	return 0;
}

int consent_opted_out(struct db *db, struct arena *a, long long org_id, const char *number)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT COALESCE(" SQL_OPTED_OUT("?", "?") ", 0)", "is",
		     org_id, number) < 0)
		return -1;
	return rows.n == 1 && db_get_ll(&rows, 0, 0) == 1;
}

void consent_state_from_row(struct arena *a, const char *time_zone, const struct db_rows *rows,
			    size_t row, size_t col, struct consent_state *out)
{
	memset(out, 0, sizeof *out);
	out->status = consent_parse(db_get(rows, row, col));
	if (db_get_ll(rows, row, col + 1) == 1) {
		out->has_history = 1;
		out->source = db_get(rows, row, col + 2);
		out->new_status = db_get(rows, row, col + 3);
		out->note = db_get(rows, row, col + 4);
		out->changed_by_name = db_get(rows, row, col + 5);
		struct shown_time at = format_utc(a, time_zone, db_get(rows, row, col + 6), clock_now(), 1);
		out->changed_at = at.text;
		out->changed_iso = at.iso;
		out->minutes_ago = db_get_ll(rows, row, col + 7);
		out->opted_out = db_get_ll(rows, row, col + 8) == 1;
	}
	if (db_get(rows, row, col + 9)) {
		out->asked_recently = 1;
		struct shown_time at = format_utc(a, time_zone, db_get(rows, row, col + 9), clock_now(), 1);
		out->ask_again_at = at.text;
		out->ask_again_iso = at.iso;
	}
}

int consent_state_load(struct db *db, struct arena *a, long long org_id, const char *time_zone,
		       long long cooloff_hours, int is_partner, const char *agent_number,
		       const char *number, struct consent_state *out)
{
	struct db_rows rows;
	/* the values once, named, for the expressions that use them */
	if (db_query(db, a, &rows,
		     "SELECT " SQL_CONSENT_STATE_COLUMNS("v.org", "v.number", "v.partner", "v.agent", "v.cooloff", "NULL")
		     " FROM (SELECT ? AS org, ? AS number, ? AS partner, ? AS agent, ? AS cooloff) v"
		     SQL_CONSENT_STATE_JOINS("v.org", "v.number", "v.partner", "v.agent"),
		     "isisi", org_id, number, (long long)(is_partner != 0), agent_number, cooloff_hours) < 0 ||
	    rows.n != 1)
		return -1;
	consent_state_from_row(a, time_zone, &rows, 0, 0, out);
	return 0;
}

static const char *ago(struct arena *a, long long minutes)
{
	if (minutes < 1)
		return "just now";
	if (minutes < 60)
		return arena_printf(a, "%lld min ago", minutes);
	if (minutes < 48 * 60)
		return arena_printf(a, "%lld h ago", minutes / 60);
	return arena_printf(a, "%lld days ago", minutes / (24 * 60));
}

const char *consent_opt_out_by(struct arena *a, const char *by, const char *at)
{
	return arena_printf(a, "Opted out by %s on %s", by ? by : "a user", at ? at : "an unknown date");
}

const char *consent_state_why(struct arena *a, const struct consent_state *st)
{
	if (!st->has_history)
		return "never asked";
	const char *src = st->source, *to = st->new_status;
	if (strcmp(src, "request") == 0)
		return arena_printf(a, "request sent %s", ago(a, st->minutes_ago));
	if (strcmp(src, "reply") == 0)
		return strcmp(to, "granted") == 0 ? "replied START" : "replied STOP";
	if (strcmp(src, "carrier") == 0)
		return "carrier reported an opt-out";
	if (strcmp(src, "manual") == 0 && st->note)
		return arena_printf(a, "opt-out recorded by %s: %s",
				    st->changed_by_name ? st->changed_by_name : "a user", st->note);
	if (strcmp(src, "manual") == 0)  /* its note is for the lead it was recorded on */
		return consent_opt_out_by(a, st->changed_by_name, st->changed_at);
	if (strcmp(src, "import") == 0)
		return arena_printf(a, "imported as %s", to);
	return arena_printf(a, "set to %s by an admin", to);
}

const char *consent_state_reason(struct arena *a, const struct consent_state *st)
{
	if (st->opted_out) {
		if (strcmp(st->source, "reply") == 0)
			return arena_printf(a, "Opted out by replying STOP on %s", st->changed_at);
		if (strcmp(st->source, "carrier") == 0)
			return arena_printf(a, "Opted out: the carrier reported it on %s", st->changed_at);
		return arena_printf(a, "Opted out on %s (recorded by %s)", st->changed_at,
				    st->changed_by_name ? st->changed_by_name : "a user");
	}
	if (st->status == CONSENT_PENDING)
		return st->has_history ? arena_printf(a, "Waiting for consent since %s", st->changed_at)
				       : "Waiting for consent";
	if (st->status == CONSENT_GRANTED)
		return "Consented";
	return st->has_history ? arena_printf(a, "No consent (%s)", consent_state_why(a, st))
			       : "No consent: never asked";
}

int consent_settings_load(struct db *db, struct arena *a, long long org_id,
			  struct consent_settings *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT name, consent_request_text, help_contact,"
				   " consent_cooloff_hours FROM organizations WHERE id = ?", "i", org_id) < 0 ||
	    rows.n != 1)
		return -1;
	out->org_name = db_get(&rows, 0, 0);
	out->wording = db_get(&rows, 0, 1) ? db_get(&rows, 0, 1) : CONSENT_REQUEST_DEFAULT;
	out->help_contact = db_get(&rows, 0, 2);
	out->cooloff_hours = db_get_ll(&rows, 0, 3);
	return 0;
}

const char *consent_request_text(struct arena *a, const char *wording, const char *agent,
				 const char *org, const char *nmls_id)
{
	struct buf b = { 0 };
	const char *nmls = nmls_id && *nmls_id ? arena_printf(a, " (NMLS #%s)", nmls_id) : "";
	for (const char *p = wording; *p;) {
		if (strncmp(p, "{agent}", 7) == 0) {
			buf_puts(&b, agent);
			p += 7;
		} else if (strncmp(p, "{org}", 5) == 0) {
			buf_puts(&b, org);
			p += 5;
		} else if (strncmp(p, "{nmls}", 6) == 0) {
			buf_puts(&b, nmls);
			p += 6;
		} else {
			buf_append(&b, p++, 1);
		}
	}
	char *out = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

/* A ledger row's note, NULL (SQL) when it was written on another lead: a
 * manual opt-out then reads "Opted out by NAME on DATE" instead. */
static const char *note_or_by(struct arena *a, const struct db_rows *rows, size_t i, size_t note,
			      size_t source, size_t by, const char *at)
{
	const char *n = db_get(rows, i, note);
	if (n)
		return n;
	const char *src = db_get(rows, i, source);
	return src && strcmp(src, "manual") == 0 ? consent_opt_out_by(a, db_get(rows, i, by), at) : "";
}

/* The ledger of a lead's numbers, to the second (UTC; the zone's from it). */
#define LEDGER_OF_LEAD \
	"SELECT l.id, DATE_FORMAT(l.created_at, '%Y-%m-%d %H:%i:%s')," \
	" l.contact_number, l.scope, l.agent_number, l.old_status, l.new_status, l.source," \
	" u.name, m.body, IF(l.note = '' OR l.lead_id <=> ?, l.note, NULL), l.message_id," \
	" (SELECT COALESCE(p.name, c.name) FROM contacts c" \
	"  LEFT JOIN partners p ON p.id = c.partner_id" \
	"  WHERE c.lead_id = ? AND " SQL_CONTACT_MOBILE " = l.contact_number" \
	"  ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id LIMIT 1)" \
	" FROM consent_ledger l LEFT JOIN users u ON u.id = l.changed_by" \
	" LEFT JOIN messages m ON m.id = l.message_id" \
	" WHERE l.org_id = ? AND l.contact_number IN (SELECT " SQL_CONTACT_MOBILE \
	"  FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id WHERE c.lead_id = ?)" \
	" ORDER BY l.created_at, l.id"
enum { LEDGER_ID, LEDGER_UTC, LEDGER_NUMBER, LEDGER_SCOPE, LEDGER_AGENT_NUMBER, LEDGER_OLD,
       LEDGER_NEW, LEDGER_SOURCE, LEDGER_BY, LEDGER_TEXT, LEDGER_NOTE, LEDGER_MESSAGE,
       LEDGER_CONTACT };

int consent_ledger_of_lead(struct db *db, struct arena *a, long long org_id, long long lead_id,
			   const char *zone, struct consent_event **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, LEDGER_OF_LEAD, "iiii", lead_id, lead_id, org_id, lead_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++) {
		const char *utc = db_get(&rows, i, LEDGER_UTC);
		(*out)[i] = (struct consent_event){
			.id = db_get_ll(&rows, i, LEDGER_ID),
			.at_utc = utc,
			.at_local = tz_local_seconds(a, zone, utc),
			.number = db_get(&rows, i, LEDGER_NUMBER),
			.scope = db_get(&rows, i, LEDGER_SCOPE),
			.agent_number = db_get(&rows, i, LEDGER_AGENT_NUMBER),
			.old_status = db_get(&rows, i, LEDGER_OLD),
			.new_status = db_get(&rows, i, LEDGER_NEW),
			.source = db_get(&rows, i, LEDGER_SOURCE),
			.by = db_get(&rows, i, LEDGER_BY),
			.text = db_get(&rows, i, LEDGER_TEXT),
			.note = note_or_by(a, &rows, i, LEDGER_NOTE, LEDGER_SOURCE, LEDGER_BY,
					   tz_local(a, zone, utc)),
			.message_id = db_get(&rows, i, LEDGER_MESSAGE),
			.contact = db_get(&rows, i, LEDGER_CONTACT),
		};
	}
	*n = rows.n;
	return 0;
}

/* ---- the consents page of a lead (page_consents.c) */

enum { CC_ID, CC_NAME, CC_ROLE, CC_NUMBER, CC_STATE /* and the nine columns after it */ };
#define PARTNER "c.role = 'external'"
#define CONSENT_CONTACTS_SQL \
	"SELECT c.id, COALESCE(p.name, c.name), c.role, " SQL_CONTACT_MOBILE ", " \
	SQL_CONSENT_STATE_COLUMNS("c.org_id", SQL_CONTACT_MOBILE, PARTNER, "v.agent", "v.cooloff", "c.lead_id") \
	" FROM (SELECT ? AS agent, ? AS cooloff) v JOIN contacts c ON c.lead_id = ?" \
	" LEFT JOIN partners p ON p.id = c.partner_id" \
	SQL_CONSENT_STATE_JOINS("c.org_id", SQL_CONTACT_MOBILE, PARTNER, "v.agent") \
	" WHERE " SQL_CONTACT_MOBILE " IS NOT NULL" \
	" ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id"

int consent_contacts_load(struct db *db, struct arena *a, const char *time_zone,
			  const char *agent_number, long long cooloff_hours, long long lead_id,
			  struct consent_contact **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, CONSENT_CONTACTS_SQL, "sii", agent_number, cooloff_hours,
		     lead_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const char *number = db_get(&rows, i, CC_NUMBER);
		int seen = 0;
		for (size_t j = 0; j < *n; j++)
			seen |= strcmp((*out)[j].number, number) == 0;
		if (seen)
			continue;
		struct consent_contact *e = &(*out)[(*n)++];
		e->contact_id = db_get_ll(&rows, i, CC_ID);
		e->name = db_get(&rows, i, CC_NAME);
		e->role = db_get(&rows, i, CC_ROLE);
		e->number = number;
		consent_state_from_row(a, time_zone, &rows, i, CC_STATE, &e->st);
	}
	return 0;
}
#undef PARTNER

enum { LG_AT, LG_NUMBER, LG_SCOPE, LG_AGENT_NUMBER, LG_OLD, LG_NEW, LG_SOURCE, LG_BY, LG_TEXT,
       LG_NOTE, LG_CONTACT };
#define CONSENT_LEDGER_SQL \
	"SELECT l.created_at, l.contact_number, l.scope, l.agent_number," \
	" l.old_status, l.new_status, l.source, u.name, m.body," \
	" IF(l.note = '' OR l.lead_id <=> ?, l.note, NULL)," \
	" (SELECT COALESCE(p.name, c.name) FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id" \
	"  WHERE c.lead_id = ? AND " SQL_CONTACT_MOBILE " = l.contact_number" \
	"  ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id LIMIT 1)" \
	" FROM consent_ledger l LEFT JOIN users u ON u.id = l.changed_by" \
	" LEFT JOIN messages m ON m.id = l.message_id" \
	" WHERE l.org_id = ? AND l.contact_number IN (SELECT " SQL_CONTACT_MOBILE " FROM contacts c" \
	"  LEFT JOIN partners p ON p.id = c.partner_id WHERE c.lead_id = ?)" \
	" ORDER BY l.created_at DESC, l.id DESC"

int consent_ledger_load(struct db *db, struct arena *a, long long org_id, long long lead_id,
			const char *time_zone, struct consent_ledger_entry **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, CONSENT_LEDGER_SQL, "iiii", lead_id, lead_id, org_id, lead_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = rows.n;
	long long now = clock_now();
	for (size_t i = 0; i < rows.n; i++) {
		struct consent_ledger_entry *e = &(*out)[i];
		const char *utc = db_get(&rows, i, LG_AT);
		struct shown_time at = format_utc(a, time_zone, utc, now, 1);
		e->at = at.text;
		e->at_iso = at.iso;
		e->at_local = tz_local(a, time_zone, utc);
		e->contact = db_get(&rows, i, LG_CONTACT);
		e->number = db_get(&rows, i, LG_NUMBER);
		e->scope = db_get(&rows, i, LG_SCOPE);
		e->agent_number = db_get(&rows, i, LG_AGENT_NUMBER);
		e->old_status = db_get(&rows, i, LG_OLD);
		e->new_status = db_get(&rows, i, LG_NEW);
		e->source = db_get(&rows, i, LG_SOURCE);
		e->by = db_get(&rows, i, LG_BY);
		e->text = db_get(&rows, i, LG_TEXT);
		e->note = note_or_by(a, &rows, i, LG_NOTE, LG_SOURCE, LG_BY, e->at);
		e->note_csv = note_or_by(a, &rows, i, LG_NOTE, LG_SOURCE, LG_BY, e->at_local);
	}
	return 0;
}
