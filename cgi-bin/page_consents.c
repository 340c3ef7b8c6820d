/* /leads/ID/consents: every contact of the application with a mobile, its
 * consent for the viewer's own number (a partner's: the organization's),
 * the last change and why, the Send / Resend consent and Record opt-out
 * buttons for whoever may use them, and the consent ledger of the
 * application (also as CSV). POST /sms/consent asks for consent. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "consent.h"
#include "csv.h"
#include "db.h"
#include "dispatcher.h"
#include "log.h"
#include "outbox.h"
#include "rules.h"
#include "sending.h"
#include "users.h"
#include "validate.h"

#include <stdint.h>
#include <string.h>

#define NOTE_MAX 255

struct consent_row {
	long long contact_id;
	const char *name, *role, *number;
	int is_partner;
	struct consent_state st;
	const char *refusal;       /* why the viewer may not ask, or NULL */
};

/* One row per mobile number, the contact that stands for it by
 * precedence (consent.c reads every contact's state in one statement),
 * with whether the viewer may ask it for consent. */
static int load_rows(struct req *r, long long lead_id, long long cooloff,
		     const struct send_facts *sender, struct consent_row **out, size_t *n)
{
	const struct session *s = r->session;
	struct consent_contact *contacts;
	if (consent_contacts_load(r->db, r->a, s->time_zone,
				  s->sms_number && *s->sms_number ? s->sms_number : NULL, cooloff,
				  lead_id, &contacts, n) < 0)
		return 503;
	*out = arena_calloc(r->a, *n + 1, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		const struct consent_contact *c = &contacts[i];
		struct consent_row *e = &(*out)[i];
		e->contact_id = c->contact_id;
		e->name = c->name ? c->name : "Unnamed contact";
		e->is_partner = strcmp(c->role, "external") == 0;
		e->role = strcmp(c->role, "borrower") == 0 ? "Borrower" :
			  strcmp(c->role, "co_borrower") == 0 ? "Co-borrower" : "External contact";
		e->number = c->number;
		e->st = c->st;
		struct send_facts f = *sender;
		f.has_contact = f.has_mobile = 1;
		f.consent = e->st.status;
		e->refusal = rules_consent_request_refusal(&f, e->st.opted_out, e->st.asked_recently);
	}
	/* shown as the application reads: borrower, co-borrower, partners */
	struct consent_row *sorted = arena_calloc(r->a, *n + 1, sizeof *sorted);
	size_t k = 0;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < *n; i++) {
			const char *role = (*out)[i].role;
			int order = strcmp(role, "Borrower") == 0 ? 0 : strcmp(role, "Co-borrower") == 0 ? 1 : 2;
			if (order == pass)
				sorted[k++] = (*out)[i];
		}
	*out = sorted;
	return 0;
}

/* The ledger rows of every number on the application, newest first. */
struct ledger {
	struct consent_ledger_entry *rows;
	size_t n;
};

static int load_ledger(struct req *r, long long lead_id, struct ledger *l)
{
	if (consent_ledger_load(r->db, r->a, r->session->org_id, lead_id, r->session->time_zone,
				&l->rows, &l->n) < 0)
		return 503;
	return 0;
}

static const char *scope_text(struct req *r, const char *scope, const char *agent_number)
{
	return strcmp(scope, "organization") == 0 ? "the whole organization"
						  : arena_printf(r->a, "from %s", phone_shown(r->a, agent_number));
}

static int may_record_opt_out(const struct req *r, const struct send_facts *f)
{
	return r->session->role == ROLE_ADMIN || f->assigned;
}

static const char *consents_url(struct req *r, long long lead_id, const char *back,
				 const char *refused);

/* The page's query, read once. */
struct consents_query {
	long long lead_id;
	const char *back;      /* where the page's Back goes, or NULL */
	const char *refused;   /* a refusal code to explain, or NULL */
	long long sent;        /* the contact a consent request just went to, or 0 */
};

static void consents_query_read(const struct req *r, struct consents_query *q)
{
	const char *back = params_get(&r->query, "back");
	q->lead_id = r->ids[0];
	q->back = back && strlen(back) <= 2048 && local_path_ok(back) ? back : NULL;
	q->refused = params_get(&r->query, "refused");
	q->sent = params_id(&r->query, "sent");
}

/* One contact's row of the table, with the buttons for whoever may use them. */
static void fill_contact(struct req *r, tmpl_dict *d, long long lead_id,
			 const struct consent_row *e, const struct send_facts *sender)
{
	const struct session *s = r->session;
	tmpl_dict *t = tmpl_section(d, "CONTACT");
	tmpl_set_int(t, "CONTACT_ID", e->contact_id);
	tmpl_set_int(t, "LEAD_ID", lead_id);
	tmpl_set(t, "CONTACT_NAME", e->name);
	tmpl_set(t, "CONTACT_ROLE", e->role);
	tmpl_set(t, "CONTACT_NUMBER", phone_shown(r->a, e->number));
	tmpl_set(t, "CONSENT_COLOR", consent_color(e->st.status));
	tmpl_set(t, "CONSENT_TEXT", e->st.status == CONSENT_GRANTED ? "Consented" :
				    e->st.status == CONSENT_PENDING ? "Pending consent" :
				    e->st.opted_out ? "Opted out" : "No consent");
	/* both numbers are said elsewhere on the page (the heading's sentence,
	 * the contact's cell): each once, no brackets in brackets */
	tmpl_set(t, "SCOPE", e->is_partner ? "the whole organization (a partner)"
					   : "texts between your number and this contact");
	tmpl_set(t, "WHY", consent_state_why(r->a, &e->st));
	if (e->st.has_history) {
		tmpl_dict *c = tmpl_section(t, "CHANGED");
		tmpl_set(c, "CHANGED_AT", e->st.changed_at);
		tmpl_set(c, "CHANGED_ISO", e->st.changed_iso);
	}
	tmpl_set(t, "CSRF", s->csrf);
	/* the buttons are for the agent whose number would text the contact */
	if (!e->refusal) {
		tmpl_set(tmpl_section(t, "ASK"), "ASK_TEXT",
			 e->st.status == CONSENT_PENDING || e->st.has_history ? "Resend consent"
									     : "Send consent");
	} else if (strcmp(e->refusal, "asked_recently") == 0) {
		tmpl_dict *later = tmpl_section(t, "ASK_LATER");
		tmpl_set(later, "AGAIN_AT", e->st.ask_again_at);
		tmpl_set(later, "AGAIN_ISO", e->st.ask_again_iso);
	} else if (strcmp(e->refusal, "opted_out") == 0 ||
		   strcmp(e->refusal, "already_consented") == 0) {
		tmpl_set(tmpl_section(t, "ASK_NOTE"), "ASK_NOTE_TEXT", sending_refusal_text(r, e->refusal));
	}
	if (may_record_opt_out(r, sender) && !e->st.opted_out)
		tmpl_show(t, "OPT_OUT");
}

static void fill_ledger(struct req *r, tmpl_dict *d, const struct ledger *ledger)
{
	for (size_t i = 0; i < ledger->n; i++) {
		const struct consent_ledger_entry *e = &ledger->rows[i];
		tmpl_dict *l = tmpl_section(d, "LEDGER");
		tmpl_set(l, "AT", e->at);
		tmpl_set(l, "AT_ISO", e->at_iso);
		tmpl_set(l, "NUMBER", phone_shown(r->a, e->number));
		tmpl_set(l, "WHO", e->contact ? e->contact : "");
		tmpl_set(l, "SCOPE", scope_text(r, e->scope, e->agent_number));
		tmpl_set(l, "OLD", e->old_status);
		tmpl_set(l, "NEW", e->new_status);
		tmpl_set(l, "SOURCE", e->source);
		tmpl_set(l, "BY", e->by ? e->by : "");
		tmpl_set(l, "TEXT", e->text ? e->text : "");
		if (e->note && *e->note)
			tmpl_set(tmpl_section(l, "HAS_NOTE"), "NOTE", e->note);
	}
	if (ledger->n == 0)
		tmpl_show(d, "NO_LEDGER");
}

int page_consents(struct req *r)
{
	const struct session *s = r->session;
	struct consents_query q;
	consents_query_read(r, &q);
	struct lead lead;
	struct consent_settings cs;
	struct consent_row *rows;
	struct send_facts sender;
	size_t n;
	struct ledger ledger;
	int rc = access_lead(r, q.lead_id, &lead);
	if (rc)
		return rc;
	if (consent_settings_load(r->db, r->a, s->org_id, &cs) < 0)
		return 503;
	if ((rc = sending_sender_facts(r, lead.id, &sender)) ||
	    (rc = load_rows(r, lead.id, cs.cooloff_hours, &sender, &rows, &n)) ||
	    (rc = load_ledger(r, lead.id, &ledger)))
		return rc;
	tmpl_dict *d = page_begin(r, arena_printf(r->a, "Consents · %s", lead.name), "consents.tpl");
	tmpl_set_int(d, "LEAD_ID", lead.id);
	tmpl_set(d, "LEAD_NAME", lead.name);
	tmpl_set(d, "YOUR_NUMBER", s->sms_number && *s->sms_number ? phone_shown(r->a, s->sms_number)
								     : "no SMS number");
	tmpl_set(d, "BACK", q.back ? q.back
			     : arena_printf(r->a, "/leads/%lld?chat=%lld", lead.id, lead.id));
	const char *refused_text = q.refused ? sending_refusal_text(r, q.refused) : NULL;
	if (refused_text)
		tmpl_set(tmpl_section(d, "REFUSED"), "REFUSED_TEXT", refused_text);
	/* the sentence comes from the application's own contact, never the URL */
	for (size_t i = 0; q.sent > 0 && i < n; i++)
		if (rows[i].contact_id == q.sent) {
			tmpl_set(tmpl_section(d, "SENT"), "SENT_TEXT",
				 arena_printf(r->a, "Consent request sent to %s at %s.", rows[i].name,
					      phone_shown(r->a, rows[i].number)));
			break;
		}
	/* where the page's buttons come back to: this page, its Back kept */
	tmpl_set(d, "HERE", consents_url(r, lead.id, q.back, NULL));
	for (size_t i = 0; i < n; i++)
		fill_contact(r, d, lead.id, &rows[i], &sender);
	if (n == 0)
		tmpl_show(d, "NO_CONTACTS");
	fill_ledger(r, d, &ledger);
	return page_finish(r);
}

int page_consents_csv(struct req *r)
{
	struct lead lead;
	struct ledger ledger;
	int rc = access_lead(r, r->ids[0], &lead);
	if (rc || (rc = load_ledger(r, lead.id, &ledger)))
		return rc;
	struct buf b = { 0 };
	static const char *const head[] = { "time", "contact", "number", "scope", "agent_number",
					    "old_status", "new_status", "source", "by", "text", "note" };
	const size_t ncols = sizeof head / sizeof head[0];
	for (size_t i = 0; i < ncols; i++)
		csv_cell(&b, head[i], i + 1 == ncols);
	for (size_t i = 0; i < ledger.n; i++) {
		const struct consent_ledger_entry *e = &ledger.rows[i];
		/* machines' and spreadsheets' times: "YYYY-MM-DD HH:MM" */
		const char *const row[] = { e->at_local, e->contact, csv_phone(r->a, e->number),
					    e->scope, csv_phone(r->a, e->agent_number),
					    e->old_status, e->new_status, e->source, e->by, e->text,
					    e->note_csv };
		for (size_t k = 0; k < ncols; k++)
			csv_cell(&b, row[k], k + 1 == ncols);
	}
	resp_text(r, 200, "text/csv; charset=utf-8", b.p ? b.p : "");
	buf_free(&b);
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"consent-ledger-lead-%lld.csv\"", lead.id));
	return 0;
}

static const char *consents_url(struct req *r, long long lead_id, const char *back,
				 const char *refused)
{
	const char *b = back && strlen(back) <= 2048 && local_path_ok(back) ? back : NULL;
	return arena_printf(r->a, "/leads/%lld/consents%s%s%s%s", lead_id,
			    refused || b ? "?" : "", refused ? "refused=" : "", refused ? refused : "",
			    b ? arena_printf(r->a, "%sback=%s", refused ? "&" : "", url_encode(r->a, b)) : "");
}

/* url with name=value added to its query. */
static const char *url_with(struct req *r, const char *url, const char *name, const char *value)
{
	return arena_printf(r->a, "%s%c%s=%s", url, strchr(url, '?') ? '&' : '?', name,
			    url_encode(r->a, value));
}

/* True when back is a local path to this application's consents page. */
static int is_consents_page(struct req *r, long long lead_id, const char *back)
{
	const char *page = arena_printf(r->a, "/leads/%lld/consents", lead_id);
	size_t n = strlen(page);
	return back && strncmp(back, page, n) == 0 && (back[n] == '\0' || back[n] == '?');
}

/* POST /sms/consent's form, read once. */
struct consent_ask {
	long long lead_id, contact_id;
	const char *back;
};

/* What the request would send: the number, its consent, and the text or
 * why not. 0 or a status. */
struct consent_plan {
	struct consent_settings cs;
	struct send_facts f;
	struct consent_state st;
	const char *number;        /* NULL: the contact has no mobile */
	int is_partner;
	const char *refusal;       /* NULL: it may go */
	const char *body;
	struct sms_count count;
};

static int consent_plan(struct req *r, const struct consent_ask *q, struct consent_plan *p)
{
	const struct session *s = r->session;
	int rc;
	if (consent_settings_load(r->db, r->a, s->org_id, &p->cs) < 0)
		return 503;
	if ((rc = sending_sender_facts(r, q->lead_id, &p->f)) ||
	    (rc = sending_contact_number(r, q->lead_id, q->contact_id, &p->number, &p->is_partner)))
		return rc;
	p->f.has_contact = 1;
	p->f.has_mobile = p->number != NULL;
	if (p->number && consent_state_load(r->db, r->a, s->org_id, s->time_zone,
					    p->cs.cooloff_hours, p->is_partner,
					    p->f.sender_has_number ? s->sms_number : NULL,
					    p->number, &p->st) < 0)
		return 503;
	p->f.consent = p->number ? p->st.status : CONSENT_NONE;
	p->refusal = rules_consent_request_refusal(&p->f, p->number && p->st.opted_out,
						   p->number && p->st.asked_recently);
	p->body = NULL;
	if (!p->refusal) {
		const char *nmls;
		if (users_nmls_id(r->db, r->a, s->user_id, &nmls) < 0)
			return 503;
		p->body = consent_request_text(r->a, p->cs.wording, s->name, p->cs.org_name, nmls);
		if (sms_check(p->body, sending_advanced(r), &p->count) != SMS_OK)
			p->refusal = "consent_too_long";
	}
	return 0;
}

/* The text into the outbox and the consent pending, in one transaction. */
static int consent_store(struct req *r, const struct consent_ask *q, const struct consent_plan *p)
{
	const struct session *s = r->session;
	struct outbound m = {
		.org_id = s->org_id, .lead_id = q->lead_id, .contact_id = q->contact_id,
		.user_id = s->user_id, .kind = "consent_request", .agent_number = s->sms_number,
		.contact_number = p->number, .body = p->body, .count = p->count,
	};
	if (db_begin(r->db) < 0)
		return 503;
	long long id = outbox_enqueue(r->db, &m);
	if (id < 0 || consent_set(r->db, r->a, s->org_id, p->is_partner, s->sms_number, p->number,
				  p->st.status == CONSENT_GRANTED ? CONSENT_GRANTED : CONSENT_PENDING,
				  "request", id, s->user_id, "consent request sent") < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return 0;
}

/* POST /sms/consent (lead, contact, back; return=back to go straight back
 * there, as the chatbox's button does): the automated request, queued
 * through the outbox like any text, from the signed-in agent's own number.
 * A refusal goes to the consents page, which says why. Otherwise, without
 * return=back, it goes back to back (a local path; by default the
 * consents page) with sent=CONTACT, which the consents page says in a
 * sentence: "Consent request sent to NAME at (512) 555-0101." */
int page_sms_consent(struct req *r)
{
	struct consent_ask q = {
		.lead_id = params_id(&r->form, "lead"),
		.contact_id = params_id(&r->form, "contact"),
		.back = params_get(&r->form, "back"),
	};
	if (q.back && (strlen(q.back) > 2048 || !local_path_ok(q.back)))
		q.back = NULL;
	int rc = access_contact(r, q.lead_id, q.contact_id);
	if (rc)
		return rc;
	struct consent_plan p;
	if ((rc = consent_plan(r, &q, &p)))
		return rc;
	if (p.refusal) {
		log_info(r->id, "consent request for contact %lld refused: %s", q.contact_id, p.refusal);
		/* from the consents page itself: that page, its own Back kept */
		resp_redirect(r, is_consents_page(r, q.lead_id, q.back)
					 ? url_with(r, q.back, "refused", p.refusal)
					 : consents_url(r, q.lead_id, q.back, p.refusal));
		return 0;
	}
	if ((rc = consent_store(r, &q, &p)))
		return rc;
	dispatcher_wake();
	/* return=back (the chatbox's button): straight back to the box */
	const char *ret = params_get(&r->form, "return");
	if (ret && strcmp(ret, "back") == 0 && q.back) {
		resp_redirect(r, q.back);
		return 0;
	}
	resp_redirect(r, url_with(r, q.back ? q.back : consents_url(r, q.lead_id, NULL, NULL), "sent",
				  arena_printf(r->a, "%lld", q.contact_id)));
	return 0;
}

/* POST /leads/ID/consents/optout's form, read once. */
struct opt_out_form {
	long long lead_id, contact_id;
	const char *note;          /* trimmed */
	int note_ok;               /* present, at most NOTE_MAX bytes of UTF-8 */
};

static void opt_out_form_read(struct req *r, struct opt_out_form *o)
{
	o->lead_id = r->ids[0];
	o->contact_id = params_id(&r->form, "contact");
	o->note = text_trim(r->a, params_get(&r->form, "note"));
	o->note_ok = o->note && *o->note && strlen(o->note) <= NOTE_MAX &&
		     utf8_valid(o->note, strlen(o->note));
}

/* POST /leads/ID/consents/optout (contact, note): an opt-out received by
 * phone or email, recorded by the agent or an admin; it takes effect at
 * once, for every consent of the number in the organization. */
int page_consents_opt_out(struct req *r)
{
	const struct session *s = r->session;
	struct opt_out_form o;
	opt_out_form_read(r, &o);
	struct send_facts f;
	const char *number;
	int is_partner;
	int rc = access_contact(r, o.lead_id, o.contact_id);
	if (rc || (rc = sending_sender_facts(r, o.lead_id, &f)) ||
	    (rc = sending_contact_number(r, o.lead_id, o.contact_id, &number, &is_partner)))
		return rc;
	if (!may_record_opt_out(r, &f)) {
		r->notice = "Only an agent assigned to this lead or an admin can record an opt-out.";
		return 403;
	}
	if (!number || !o.note_ok) {
		resp_redirect(r, arena_printf(r->a, "/leads/%lld/consents?refused=%s", o.lead_id,
					      number ? "note_required" : "no_mobile"));
		return 0;
	}
	/* the withdrawal, and the number's waiting texts due at once */
	if (db_begin(r->db) < 0)
		return 503;
	if (consent_record_opt_out(r->db, r->a, s->org_id, number, s->user_id, o.lead_id,
				   utf8_prefix(r->a, o.note, NOTE_MAX)) < 0 ||
	    outbox_hurry_number(r->db, s->org_id, number) < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	dispatcher_wake();
	log_info(r->id, "opt-out of contact %lld recorded by user %lld", o.contact_id, s->user_id);
	resp_redirect(r, arena_printf(r->a, "/leads/%lld/consents", o.lead_id));
	return 0;
}
