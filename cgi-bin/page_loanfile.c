/* /leads/ID/loanfile and /leads/ID/loanfile.csv: a lead's whole SMS
 * history for the loan file and for examiners, read-only. Every message
 * of every agent's conversation on the lead, in time order, with sender,
 * recipient, times, delivery status, carrier error and its images (id,
 * type, size, SHA-256); then every consent ledger event of the lead's
 * numbers. One CSV (a kind column: message, image, consent) and one
 * printable page carrying the SHA-256 of that CSV, so a copy can be
 * checked against the page. Messages and ledger rows are never edited:
 * a message's status only moves forward (outbox.h), ledger rows are only
 * added (consent.c). The texts are read by messages.c, the ledger by
 * consent.c; times are in UTC and in the viewer's zone (tz.h). */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "clock.h"
#include "consent.h"
#include "csv.h"
#include "log.h"
#include "messages.h"
#include "tz.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

struct loanfile {
	struct lead lead;
	const char *zone;               /* the zone the local times are in */
	char generated_utc[20], generated_local[20];  /* "YYYY-MM-DD HH:MM:SS" */
	struct lead_text *texts;
	size_t ntexts;
	struct consent_event *ledger;
	size_t nledger;
};

static int loanfile_load(struct req *r, long long lead_id, struct loanfile *f)
{
	const struct session *s = r->session;
	memset(f, 0, sizeof *f);
	int rc = access_lead(r, lead_id, &f->lead);
	if (rc)
		return rc;
	/* a zone the system does not know leaves times in UTC: say so */
	f->zone = tz_known(s->time_zone) ? s->time_zone : "UTC";
	time_t now = clock_now();
	if (tz_strftime("UTC", now, "%Y-%m-%d %H:%M:%S", f->generated_utc,
			sizeof f->generated_utc) < 0 ||
	    tz_strftime(f->zone, now, "%Y-%m-%d %H:%M:%S", f->generated_local,
			sizeof f->generated_local) < 0)
		return 500;
	if (messages_of_lead(r->db, r->a, s->org_id, f->lead.id, f->zone, &f->texts,
			     &f->ntexts) < 0 ||
	    consent_ledger_of_lead(r->db, r->a, s->org_id, f->lead.id, f->zone, &f->ledger,
				   &f->nledger) < 0)
		return 503;
	return 0;
}

static const char *str(const char *v)
{
	return v ? v : "";
}

/* Sender and recipient of a text: names and numbers. */
struct ends {
	const char *from, *from_number, *to, *to_number;
};

static struct ends ends_of(const struct lead_text *t)
{
	const char *agent = t->agent ? t->agent : "smsdesk";
	const char *contact = t->contact ? t->contact : "Unknown contact";
	if (t->outbound)
		return (struct ends){ agent, t->agent_number, contact, t->contact_number };
	return (struct ends){ contact, t->contact_number, agent, t->agent_number };
}

static const char *const csv_head[] = {
	"kind", "id", "message_id", "time_utc", "time_local", "time_zone", "direction", "type",
	"from", "from_number", "to", "to_number", "status", "status_time_local", "error_code",
	"error", "text", "sensitive", "sent_anyway_by", "image_type", "image_size",
	"image_sha256", "consent_scope", "consent_old", "consent_new", "consent_source",
	"consent_by", "note", "link_shortener",
};
#define CSV_COLS (sizeof csv_head / sizeof csv_head[0])

/* A text's row, then a row for each of its images; the rows written. */
static size_t csv_text(struct arena *a, const struct loanfile *f, const struct lead_text *t,
		       struct buf *b)
{
	struct ends e = ends_of(t);
	const char *id = arena_printf(a, "%lld", t->id);
	const char *row[CSV_COLS] = {
		"message", id, id, t->at_utc, t->at_local, f->zone, t->direction, t->kind,
		e.from, csv_phone(a, e.from_number), e.to, csv_phone(a, e.to_number), t->status,
		t->status_local,
		t->error_code, t->error_message, t->body, t->sensitive, t->sent_anyway_by,
	};
	row[CSV_COLS - 1] = t->shortener;  /* the last column, added later */
	csv_row(b, row, CSV_COLS);
	for (size_t k = 0; k < t->nimages; k++) {
		const struct lead_text_image *im = &t->images[k];
		const char *img[CSV_COLS] = {
			"image", arena_printf(a, "%lld", im->id), id, t->at_utc, t->at_local,
			f->zone, t->direction, NULL, e.from, csv_phone(a, e.from_number), e.to,
			csv_phone(a, e.to_number),
			im->status, NULL, NULL, im->error, NULL, NULL, NULL, im->type, im->size,
			im->sha256,
		};
		csv_row(b, img, CSV_COLS);
	}
	return 1 + t->nimages;
}

static void csv_event(struct arena *a, const struct loanfile *f, const struct consent_event *l,
		      struct buf *b)
{
	const char *row[CSV_COLS] = {
		"consent", arena_printf(a, "%lld", l->id), l->message_id, l->at_utc, l->at_local,
		f->zone, NULL, NULL, NULL, csv_phone(a, l->agent_number), l->contact,
		csv_phone(a, l->number), NULL, NULL,
		NULL, NULL, l->text, NULL, NULL, NULL, NULL, NULL, l->scope, l->old_status,
		l->new_status, l->source, l->by, l->note,
	};
	csv_row(b, row, CSV_COLS);
}

/* The CSV body: the header row, every message followed by its images,
 * then every consent event. The same rows as the page. */
static void loanfile_csv(struct arena *a, const struct loanfile *f, struct buf *b,
			 size_t *rows_out)
{
	size_t rows = 0;
	csv_row(b, csv_head, CSV_COLS);
	for (size_t i = 0; i < f->ntexts; i++)
		rows += csv_text(a, f, &f->texts[i], b);
	for (size_t i = 0; i < f->nledger; i++)
		csv_event(a, f, &f->ledger[i], b);
	rows += f->nledger;
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
	long long lead_id = r->ids[0];
	struct loanfile f;
	int rc = loanfile_load(r, lead_id, &f);
	if (rc)
		return rc;
	struct buf b = { 0 };
	char hash[65];
	loanfile_csv(r->a, &f, &b, NULL);
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

static void fill_images(tmpl_dict *t, const struct lead_text *m)
{
	for (size_t k = 0; k < m->nimages; k++) {
		const struct lead_text_image *im = &m->images[k];
		tmpl_dict *g = tmpl_section(t, "IMAGE");
		tmpl_set_int(g, "IMAGE_ID", im->id);
		tmpl_set(g, "IMAGE_STATUS", im->status);
		tmpl_set(g, "IMAGE_TYPE", str(im->type));
		tmpl_set(g, "IMAGE_SIZE", im->size ? im->size : "-");
		tmpl_set(g, "IMAGE_SHA256", im->sha256 ? im->sha256 : "-");
		if (im->error && *im->error)
			tmpl_set(tmpl_section(g, "IMAGE_ERROR"), "IMAGE_ERROR_TEXT", im->error);
	}
}

/* The text's warnings: what sensitive data or link shortener it held, and
 * who sent it anyway. */
static void fill_warnings(tmpl_dict *t, const struct lead_text *m)
{
	if (m->sensitive) {
		tmpl_dict *s = tmpl_section(t, "SENSITIVE");
		tmpl_set(s, "SENSITIVE_KIND", m->sensitive);
		if (m->sent_anyway_by)
			tmpl_set(tmpl_section(s, "ANYWAY"), "ANYWAY_BY", m->sent_anyway_by);
	}
	if (m->shortener) {
		tmpl_dict *s = tmpl_section(t, "SHORTENER");
		tmpl_set(s, "SHORTENER", m->shortener);
		if (m->sent_anyway_by)
			tmpl_set(tmpl_section(s, "ANYWAY"), "ANYWAY_BY", m->sent_anyway_by);
	}
}

static void fill_messages(const struct loanfile *f, tmpl_dict *d)
{
	for (size_t i = 0; i < f->ntexts; i++) {
		const struct lead_text *m = &f->texts[i];
		struct ends e = ends_of(m);
		tmpl_dict *t = tmpl_section(d, "MESSAGE");
		tmpl_set_int(t, "ID", m->id);
		tmpl_set(t, "WHEN", m->at_local);
		tmpl_set(t, "DIRECTION", m->outbound ? "out" : "in");
		tmpl_set(t, "FROM", e.from);
		tmpl_set(t, "FROM_NUMBER", str(e.from_number));
		tmpl_set(t, "TO", e.to);
		tmpl_set(t, "TO_NUMBER", str(e.to_number));
		tmpl_set(t, "TYPE", m->kind);
		tmpl_set(t, "BODY", m->body);
		tmpl_set(t, "STATUS", status_words(m->status));
		tmpl_set(t, "STATUS_AT", m->status_local);
		if (m->error_code || m->error_message) {
			tmpl_dict *x = tmpl_section(t, "ERROR");
			tmpl_set(x, "ERROR_CODE", str(m->error_code));
			tmpl_set(x, "ERROR_MESSAGE", str(m->error_message));
		}
		fill_warnings(t, m);
		fill_images(t, m);
	}
	if (f->ntexts == 0)
		tmpl_show(d, "NO_MESSAGES");
}

static void fill_ledger(struct req *r, const struct loanfile *f, tmpl_dict *d)
{
	for (size_t i = 0; i < f->nledger; i++) {
		const struct consent_event *l = &f->ledger[i];
		tmpl_dict *t = tmpl_section(d, "CONSENT");
		tmpl_set_int(t, "ID", l->id);
		tmpl_set(t, "WHEN", l->at_local);
		tmpl_set(t, "CONTACT", str(l->contact));
		tmpl_set(t, "NUMBER", l->number);
		tmpl_set(t, "SCOPE", strcmp(l->scope, "organization") == 0 ? "the whole organization"
				     : arena_printf(r->a, "from %s", l->agent_number));
		tmpl_set(t, "OLD", l->old_status);
		tmpl_set(t, "NEW", l->new_status);
		tmpl_set(t, "SOURCE", l->source);
		tmpl_set(t, "BY", str(l->by));
		tmpl_set(t, "TEXT", str(l->text));
		tmpl_set(t, "NOTE", str(l->note));
	}
	if (f->nledger == 0)
		tmpl_show(d, "NO_CONSENTS");
}

/* The printed page: a document of its own, without the application's header. */
static int render(struct req *r, const struct loanfile *f, const char *hash, size_t rows)
{
	const struct session *s = r->session;
	tmpl_dict *d = tmpl_dict_new("loanfile");
	tmpl_set_int(d, "LEAD_ID", f->lead.id);
	tmpl_set(d, "LEAD_NAME", f->lead.name);
	tmpl_set(d, "LEAD_STATUS", f->lead.status);
	tmpl_set(d, "ORG_NAME", str(s->org_name));
	tmpl_set(d, "VIEWER", s->name);
	tmpl_set(d, "ZONE", f->zone);
	tmpl_set(d, "GENERATED_LOCAL", f->generated_local);
	tmpl_set(d, "GENERATED_UTC", f->generated_utc);
	tmpl_set(d, "CSV_SHA256", hash);
	tmpl_set_int(d, "CSV_ROWS", (long long)rows);
	tmpl_set_int(d, "MESSAGE_COUNT", (long long)f->ntexts);
	tmpl_set_int(d, "CONSENT_COUNT", (long long)f->nledger);
	fill_messages(f, d);
	fill_ledger(r, f, d);
	buf_clear(r->out);
	int rc = tmpl_expand("loanfile.tpl", d, r->out);
	tmpl_dict_free(d);
	if (rc) {
		log_error(r->id, "template expansion failed for %s", r->path);
		return 500;
	}
	return 0;
}

int page_loanfile(struct req *r)
{
	long long lead_id = r->ids[0];
	struct loanfile f;
	int rc = loanfile_load(r, lead_id, &f);
	if (rc)
		return rc;
	struct buf b = { 0 };
	char hash[65];
	size_t rows;
	loanfile_csv(r->a, &f, &b, &rows);
	rc = sha256_hex(b.p, b.len, hash);
	buf_free(&b);
	if (rc < 0)
		return 500;
	if ((rc = render(r, &f, hash, rows)))
		return rc;
	r->content_type_out = "text/html; charset=utf-8";
	resp_header(r, "X-Loanfile-SHA256", hash);
	log_info(r->id, "loan file of lead %lld viewed by user %lld", f.lead.id,
		 r->session->user_id);
	return 0;
}
