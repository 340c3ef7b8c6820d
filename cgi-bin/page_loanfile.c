/* /leads/ID/loanfile and /leads/ID/loanfile.csv: a lead's whole SMS
 * history for the loan file and for examiners, read-only. Every message
 * of every agent's conversation on the lead, in time order, with sender,
 * recipient, times, delivery status, carrier error and its images (id,
 * type, size, SHA-256); then every consent ledger event of the lead's
 * numbers. One CSV (a kind column: message, image, consent) and one
 * printable page carrying the SHA-256 of that CSV, so a copy can be
 * checked against the page. Messages and ledger rows are never edited:
 * a message's status only moves forward (outbox.h), ledger rows are only
 * added (consent.c). */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "rules.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* A DATETIME (UTC) to the second, and the same in the zone bound to the '?'. */
#define UTC_SECONDS(col) "DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"
#define LOCAL_SECONDS(col) \
	"DATE_FORMAT(COALESCE(CONVERT_TZ(" col ", '+00:00', ?), " col "), '%Y-%m-%d %H:%i:%s')"

enum { M_ID, M_UTC, M_LOCAL, M_DIRECTION, M_KIND, M_AGENT, M_AGENT_NUMBER, M_CONTACT,
       M_CONTACT_NUMBER, M_STATUS, M_STATUS_LOCAL, M_ERROR_CODE, M_ERROR_MESSAGE, M_BODY,
       M_SENSITIVE, M_ANYWAY_BY, M_SHORTENER };
enum { I_MESSAGE, I_ID, I_STATUS, I_TYPE, I_SIZE, I_SHA256, I_ERROR };
enum { L_ID, L_UTC, L_LOCAL, L_NUMBER, L_SCOPE, L_AGENT_NUMBER, L_OLD, L_NEW, L_SOURCE, L_BY,
       L_TEXT, L_NOTE, L_MESSAGE, L_CONTACT };

struct loanfile {
	struct lead lead;
	const char *zone;               /* the zone the local times are in */
	const char *generated_utc, *generated_local;
	struct db_rows messages, images, ledger;
};

static int loanfile_load(struct req *r, long long lead_id, struct loanfile *f)
{
	const struct session *s = r->session;
	const char *tz = s->time_zone;
	struct db_rows now;
	memset(f, 0, sizeof *f);
	int rc = access_lead(r, lead_id, &f->lead);
	if (rc)
		return rc;
	/* a zone MariaDB does not know leaves times in UTC: say so */
	if (db_query(r->db, r->a, &now,
		     "SELECT CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', ?) IS NOT NULL, "
		     UTC_SECONDS("UTC_TIMESTAMP()") ", " LOCAL_SECONDS("UTC_TIMESTAMP()"),
		     "ss", tz, tz) < 0 || now.n != 1)
		return 503;
	f->zone = db_get_ll(&now, 0, 0) == 1 ? tz : "UTC";
	f->generated_utc = db_get(&now, 0, 1);
	f->generated_local = db_get(&now, 0, 2);
	if (db_query(r->db, r->a, &f->messages,
		     "SELECT m.id, " UTC_SECONDS("m.created_at") ", " LOCAL_SECONDS("m.created_at") ","
		     " m.direction, m.kind, u.name, m.agent_number, COALESCE(p.name, c.name),"
		     " m.contact_number, m.status, " LOCAL_SECONDS("m.updated_at") ", m.error_code,"
		     " m.error_message, m.body, m.sensitive_kind, sa.name, m.link_shortener"
		     " FROM messages m LEFT JOIN users u ON u.id = m.user_id"
		     " LEFT JOIN contacts c ON c.id = m.contact_id"
		     " LEFT JOIN partners p ON p.id = c.partner_id"
		     " LEFT JOIN users sa ON sa.id = m.sent_anyway_by"
		     " WHERE m.lead_id = ? AND m.org_id = ? ORDER BY m.created_at, m.id",
		     "ssii", tz, tz, f->lead.id, s->org_id) < 0 ||
	    db_query(r->db, r->a, &f->images,
		     "SELECT mm.message_id, mm.id, mm.status, COALESCE(mm.content_type, mm.declared_type),"
		     " mm.size, mm.sha256, mm.error FROM messages m"
		     " JOIN message_media mm ON mm.message_id = m.id"
		     " WHERE m.lead_id = ? AND m.org_id = ? AND m.num_media > 0"
		     " ORDER BY m.created_at, m.id, mm.idx", "ii", f->lead.id, s->org_id) < 0 ||
	    db_query(r->db, r->a, &f->ledger,
		     "SELECT l.id, " UTC_SECONDS("l.created_at") ", " LOCAL_SECONDS("l.created_at") ","
		     " l.contact_number, l.scope, l.agent_number, l.old_status, l.new_status, l.source,"
		     " u.name, m.body, l.note, l.message_id,"
		     " (SELECT COALESCE(p.name, c.name) FROM contacts c"
		     "  LEFT JOIN partners p ON p.id = c.partner_id"
		     "  WHERE c.lead_id = ? AND " SQL_CONTACT_MOBILE " = l.contact_number"
		     "  ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id LIMIT 1)"
		     " FROM consent_ledger l LEFT JOIN users u ON u.id = l.changed_by"
		     " LEFT JOIN messages m ON m.id = l.message_id"
		     " WHERE l.org_id = ? AND l.contact_number IN (SELECT " SQL_CONTACT_MOBILE
		     "  FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id WHERE c.lead_id = ?)"
		     " ORDER BY l.created_at, l.id",
		     "siii", tz, f->lead.id, s->org_id, f->lead.id) < 0)
		return 503;
	return 0;
}

static const char *str(const char *v)
{
	return v ? v : "";
}

static int outbound(const struct db_rows *m, size_t i)
{
	return strcmp(db_get(m, i, M_DIRECTION), "outbound") == 0;
}

/* Sender and recipient of message i: names and numbers. */
static void ends(const struct db_rows *m, size_t i, const char **from, const char **from_number,
		 const char **to, const char **to_number)
{
	const char *agent = db_get(m, i, M_AGENT) ? db_get(m, i, M_AGENT) : "smsdesk";
	const char *contact = db_get(m, i, M_CONTACT) ? db_get(m, i, M_CONTACT) : "Unknown contact";
	int out = outbound(m, i);
	*from = out ? agent : contact;
	*from_number = db_get(m, i, out ? M_AGENT_NUMBER : M_CONTACT_NUMBER);
	*to = out ? contact : agent;
	*to_number = db_get(m, i, out ? M_CONTACT_NUMBER : M_AGENT_NUMBER);
}

static const char *const csv_head[] = {
	"kind", "id", "message_id", "time_utc", "time_local", "time_zone", "direction", "type",
	"from", "from_number", "to", "to_number", "status", "status_time_local", "error_code",
	"error", "text", "sensitive", "sent_anyway_by", "image_type", "image_size",
	"image_sha256", "consent_scope", "consent_old", "consent_new", "consent_source",
	"consent_by", "note", "link_shortener",
};
#define CSV_COLS (sizeof csv_head / sizeof csv_head[0])

/* The CSV body: the header row, every message followed by its images,
 * then every consent event. The same rows as the page. */
static void loanfile_csv(const struct loanfile *f, struct buf *b, size_t *rows_out)
{
	const struct db_rows *m = &f->messages, *im = &f->images, *l = &f->ledger;
	size_t k = 0, rows = 0;
	csv_row(b, csv_head, CSV_COLS);
	for (size_t i = 0; i < m->n; i++) {
		const char *from, *from_number, *to, *to_number;
		ends(m, i, &from, &from_number, &to, &to_number);
		const char *row[CSV_COLS] = {
			"message", db_get(m, i, M_ID), db_get(m, i, M_ID), db_get(m, i, M_UTC),
			db_get(m, i, M_LOCAL), f->zone, db_get(m, i, M_DIRECTION), db_get(m, i, M_KIND),
			from, from_number, to, to_number, db_get(m, i, M_STATUS),
			db_get(m, i, M_STATUS_LOCAL), db_get(m, i, M_ERROR_CODE),
			db_get(m, i, M_ERROR_MESSAGE), db_get(m, i, M_BODY), db_get(m, i, M_SENSITIVE),
			db_get(m, i, M_ANYWAY_BY),
		};
		row[CSV_COLS - 1] = db_get(m, i, M_SHORTENER);  /* the last column, added later */
		csv_row(b, row, CSV_COLS);
		rows++;
		for (; k < im->n && strcmp(db_get(im, k, I_MESSAGE), db_get(m, i, M_ID)) == 0; k++) {
			const char *img[CSV_COLS] = {
				"image", db_get(im, k, I_ID), db_get(m, i, M_ID), db_get(m, i, M_UTC),
				db_get(m, i, M_LOCAL), f->zone, db_get(m, i, M_DIRECTION), NULL,
				from, from_number, to, to_number, db_get(im, k, I_STATUS), NULL, NULL,
				db_get(im, k, I_ERROR), NULL, NULL, NULL, db_get(im, k, I_TYPE),
				db_get(im, k, I_SIZE), db_get(im, k, I_SHA256),
			};
			csv_row(b, img, CSV_COLS);
			rows++;
		}
	}
	for (size_t i = 0; i < l->n; i++) {
		const char *row[CSV_COLS] = {
			"consent", db_get(l, i, L_ID), db_get(l, i, L_MESSAGE), db_get(l, i, L_UTC),
			db_get(l, i, L_LOCAL), f->zone, NULL, NULL,
			NULL, db_get(l, i, L_AGENT_NUMBER), db_get(l, i, L_CONTACT),
			db_get(l, i, L_NUMBER), NULL, NULL, NULL, NULL, db_get(l, i, L_TEXT), NULL, NULL,
			NULL, NULL, NULL, db_get(l, i, L_SCOPE), db_get(l, i, L_OLD), db_get(l, i, L_NEW),
			db_get(l, i, L_SOURCE), db_get(l, i, L_BY), db_get(l, i, L_NOTE),
		};
		csv_row(b, row, CSV_COLS);
		rows++;
	}
	if (rows_out)
		*rows_out = rows;
}

/* Lower-case hex SHA-256 of n bytes into out[65]; 0 or -1. */
static int sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) || len != 32)
		return -1;
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int page_loanfile_csv(struct req *r)
{
	struct loanfile f;
	int rc = loanfile_load(r, r->ids[0], &f);
	if (rc)
		return rc;
	struct buf b = { 0 };
	char hash[65];
	loanfile_csv(&f, &b, NULL);
	if (sha256_hex(b.p, b.len, hash) < 0) {
		buf_free(&b);
		return 500;
	}
	resp_text(r, 200, "text/csv; charset=utf-8", b.p);
	buf_free(&b);
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"loan-file-lead-%lld.csv\"", f.lead.id));
	resp_header(r, "X-Loanfile-SHA256", hash);
	resp_header(r, "X-Loanfile-Generated", arena_printf(r->a, "%sZ", f.generated_utc));
	log_info(r->id, "loan file of lead %lld downloaded as CSV by user %lld", f.lead.id,
		 r->session->user_id);
	return 0;
}

static const char *status_words(const char *status)
{
	static const char *const words[][2] = {
		{ "queued", "Queued" }, { "sending", "Sending" }, { "sent", "Sent" },
		{ "delivered", "Delivered" }, { "undelivered", "Undelivered" },
		{ "failed", "Failed" }, { "received", "Received" },
		{ "cancelled", "Cancelled (never sent)" },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i][0], status) == 0)
			return words[i][1];
	return status;
}

static void fill_messages(struct req *r, const struct loanfile *f, tmpl_dict *d)
{
	const struct db_rows *m = &f->messages, *im = &f->images;
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++) {
		const char *from, *from_number, *to, *to_number;
		ends(m, i, &from, &from_number, &to, &to_number);
		tmpl_dict *t = tmpl_section(d, "MESSAGE");
		tmpl_set(t, "ID", db_get(m, i, M_ID));
		tmpl_set(t, "WHEN", db_get(m, i, M_LOCAL));
		tmpl_set(t, "DIRECTION", outbound(m, i) ? "out" : "in");
		tmpl_set(t, "FROM", from);
		tmpl_set(t, "FROM_NUMBER", str(from_number));
		tmpl_set(t, "TO", to);
		tmpl_set(t, "TO_NUMBER", str(to_number));
		tmpl_set(t, "TYPE", db_get(m, i, M_KIND));
		tmpl_set(t, "BODY", db_get(m, i, M_BODY));
		tmpl_set(t, "STATUS", status_words(db_get(m, i, M_STATUS)));
		tmpl_set(t, "STATUS_AT", db_get(m, i, M_STATUS_LOCAL));
		if (db_get(m, i, M_ERROR_CODE) || db_get(m, i, M_ERROR_MESSAGE)) {
			tmpl_dict *e = tmpl_section(t, "ERROR");
			tmpl_set(e, "ERROR_CODE", str(db_get(m, i, M_ERROR_CODE)));
			tmpl_set(e, "ERROR_MESSAGE", str(db_get(m, i, M_ERROR_MESSAGE)));
		}
		if (db_get(m, i, M_SENSITIVE)) {
			tmpl_dict *s = tmpl_section(t, "SENSITIVE");
			tmpl_set(s, "SENSITIVE_KIND", db_get(m, i, M_SENSITIVE));
			if (db_get(m, i, M_ANYWAY_BY))
				tmpl_set(tmpl_section(s, "ANYWAY"), "ANYWAY_BY", db_get(m, i, M_ANYWAY_BY));
		}
		if (db_get(m, i, M_SHORTENER)) {
			tmpl_dict *s = tmpl_section(t, "SHORTENER");
			tmpl_set(s, "SHORTENER", db_get(m, i, M_SHORTENER));
			if (db_get(m, i, M_ANYWAY_BY))
				tmpl_set(tmpl_section(s, "ANYWAY"), "ANYWAY_BY", db_get(m, i, M_ANYWAY_BY));
		}
		for (; k < im->n && strcmp(db_get(im, k, I_MESSAGE), db_get(m, i, M_ID)) == 0; k++) {
			tmpl_dict *g = tmpl_section(t, "IMAGE");
			tmpl_set(g, "IMAGE_ID", db_get(im, k, I_ID));
			tmpl_set(g, "IMAGE_STATUS", db_get(im, k, I_STATUS));
			tmpl_set(g, "IMAGE_TYPE", str(db_get(im, k, I_TYPE)));
			tmpl_set(g, "IMAGE_SIZE", db_get(im, k, I_SIZE) ? db_get(im, k, I_SIZE) : "-");
			tmpl_set(g, "IMAGE_SHA256", db_get(im, k, I_SHA256) ? db_get(im, k, I_SHA256) : "-");
			if (db_get(im, k, I_ERROR) && *db_get(im, k, I_ERROR))
				tmpl_set(tmpl_section(g, "IMAGE_ERROR"), "IMAGE_ERROR_TEXT",
					 db_get(im, k, I_ERROR));
		}
	}
	if (m->n == 0)
		tmpl_show(d, "NO_MESSAGES");
	(void)r;
}

static void fill_ledger(struct req *r, const struct loanfile *f, tmpl_dict *d)
{
	const struct db_rows *l = &f->ledger;
	for (size_t i = 0; i < l->n; i++) {
		tmpl_dict *t = tmpl_section(d, "CONSENT");
		const char *scope = db_get(l, i, L_SCOPE);
		tmpl_set(t, "ID", db_get(l, i, L_ID));
		tmpl_set(t, "WHEN", db_get(l, i, L_LOCAL));
		tmpl_set(t, "CONTACT", str(db_get(l, i, L_CONTACT)));
		tmpl_set(t, "NUMBER", db_get(l, i, L_NUMBER));
		tmpl_set(t, "SCOPE", strcmp(scope, "organization") == 0 ? "the whole organization"
				     : arena_printf(r->a, "from %s", db_get(l, i, L_AGENT_NUMBER)));
		tmpl_set(t, "OLD", db_get(l, i, L_OLD));
		tmpl_set(t, "NEW", db_get(l, i, L_NEW));
		tmpl_set(t, "SOURCE", db_get(l, i, L_SOURCE));
		tmpl_set(t, "BY", str(db_get(l, i, L_BY)));
		tmpl_set(t, "TEXT", str(db_get(l, i, L_TEXT)));
		tmpl_set(t, "NOTE", str(db_get(l, i, L_NOTE)));
	}
	if (l->n == 0)
		tmpl_show(d, "NO_CONSENTS");
}

int page_loanfile(struct req *r)
{
	const struct session *s = r->session;
	struct loanfile f;
	int rc = loanfile_load(r, r->ids[0], &f);
	if (rc)
		return rc;
	struct buf b = { 0 };
	char hash[65];
	size_t rows;
	loanfile_csv(&f, &b, &rows);
	rc = sha256_hex(b.p, b.len, hash);
	buf_free(&b);
	if (rc < 0)
		return 500;
	/* a document of its own, without the application's header: it is printed */
	tmpl_dict *d = tmpl_dict_new("loanfile");
	tmpl_set_int(d, "LEAD_ID", f.lead.id);
	tmpl_set(d, "LEAD_NAME", f.lead.name);
	tmpl_set(d, "LEAD_STATUS", f.lead.status);
	tmpl_set(d, "ORG_NAME", str(s->org_name));
	tmpl_set(d, "VIEWER", s->name);
	tmpl_set(d, "ZONE", f.zone);
	tmpl_set(d, "GENERATED_LOCAL", f.generated_local);
	tmpl_set(d, "GENERATED_UTC", f.generated_utc);
	tmpl_set(d, "CSV_SHA256", hash);
	tmpl_set_int(d, "CSV_ROWS", (long long)rows);
	tmpl_set_int(d, "MESSAGE_COUNT", (long long)f.messages.n);
	tmpl_set_int(d, "CONSENT_COUNT", (long long)f.ledger.n);
	fill_messages(r, &f, d);
	fill_ledger(r, &f, d);
	buf_clear(r->out);
	rc = tmpl_expand("loanfile.tpl", d, r->out);
	tmpl_dict_free(d);
	if (rc) {
		log_error(r->id, "template expansion failed for %s", r->path);
		return 500;
	}
	r->content_type_out = "text/html; charset=utf-8";
	resp_header(r, "X-Loanfile-SHA256", hash);
	log_info(r->id, "loan file of lead %lld viewed by user %lld", f.lead.id, s->user_id);
	return 0;
}
