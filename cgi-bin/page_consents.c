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
#include "tz.h"
#include "dispatcher.h"
#include "log.h"
#include "outbox.h"
#include "rules.h"
#include "sending.h"
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

/* One row per mobile number, the contact that stands for it by precedence,
 * with its consent state: every contact's in one statement (not one per
 * contact). */
static int load_rows(struct req *r, long long lead_id, long long cooloff,
		     const struct send_facts *sender, struct consent_row **out, size_t *n)
{
	const struct session *s = r->session;
	struct db_rows rows;
#define PARTNER "c.role = 'external'"
	if (db_query(r->db, r->a, &rows,
		     "SELECT c.id, COALESCE(p.name, c.name), c.role, " SQL_CONTACT_MOBILE ", "
		     SQL_CONSENT_STATE_COLUMNS("c.org_id", SQL_CONTACT_MOBILE, PARTNER, "v.agent", "v.cooloff")
		     " FROM (SELECT ? AS agent, ? AS cooloff) v JOIN contacts c ON c.lead_id = ?"
		     " LEFT JOIN partners p ON p.id = c.partner_id"
		     SQL_CONSENT_STATE_JOINS("c.org_id", SQL_CONTACT_MOBILE, PARTNER, "v.agent")
		     " WHERE " SQL_CONTACT_MOBILE " IS NOT NULL"
		     " ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id",
		     "sii", s->sms_number && *s->sms_number ? s->sms_number : NULL, cooloff, lead_id) < 0)
		return 503;
#undef PARTNER
	*out = arena_calloc(r->a, rows.n + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < rows.n; i++) {
		const char *number = db_get(&rows, i, 3);
		int seen = 0;
		for (size_t j = 0; j < *n; j++)
			seen |= strcmp((*out)[j].number, number) == 0;
		if (seen)
			continue;
		struct consent_row *e = &(*out)[(*n)++];
		const char *role = db_get(&rows, i, 2);
		e->contact_id = db_get_ll(&rows, i, 0);
		e->name = db_get(&rows, i, 1) ? db_get(&rows, i, 1) : "Unnamed contact";
		e->is_partner = strcmp(role, "external") == 0;
		e->role = strcmp(role, "borrower") == 0 ? "Borrower" :
			  strcmp(role, "co_borrower") == 0 ? "Co-borrower" : "External contact";
		e->number = number;
		consent_state_from_row(r->a, s->time_zone, &rows, i, 4, &e->st);
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
#define LEDGER_SQL \
	"SELECT l.created_at, l.contact_number, l.scope, l.agent_number," \
	" l.old_status, l.new_status, l.source, u.name, m.body, l.note," \
	" (SELECT COALESCE(p.name, c.name) FROM contacts c LEFT JOIN partners p ON p.id = c.partner_id" \
	"  WHERE c.lead_id = ? AND " SQL_CONTACT_MOBILE " = l.contact_number" \
	"  ORDER BY " SQL_CONTACT_PRECEDENCE("c.role") ", c.id LIMIT 1)" \
	" FROM consent_ledger l LEFT JOIN users u ON u.id = l.changed_by" \
	" LEFT JOIN messages m ON m.id = l.message_id" \
	" WHERE l.org_id = ? AND l.contact_number IN (SELECT " SQL_CONTACT_MOBILE " FROM contacts c" \
	"  LEFT JOIN partners p ON p.id = c.partner_id WHERE c.lead_id = ?)" \
	" ORDER BY l.created_at DESC, l.id DESC"

static int load_ledger(struct req *r, long long lead_id, struct db_rows *rows)
{
	if (db_query(r->db, r->a, rows, LEDGER_SQL, "iii", lead_id, r->session->org_id, lead_id) < 0)
		return 503;
	tz_local_column(r->a, r->session->time_zone, rows, 0);
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

int page_consents(struct req *r)
{
	const struct session *s = r->session;
	struct lead lead;
	struct consent_settings cs;
	struct consent_row *rows;
	struct send_facts sender;
	size_t n;
	struct db_rows ledger;
	int rc = access_lead(r, r->ids[0], &lead);
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
	tmpl_set(d, "TIME_ZONE", s->time_zone);
	tmpl_set(d, "YOUR_NUMBER", s->sms_number && *s->sms_number ? phone_shown(r->a, s->sms_number)
								     : "no SMS number");
	const char *back = params_get(&r->query, "back");
	tmpl_set(d, "BACK", back && strlen(back) <= 2048 && local_path_ok(back) ? back
			     : arena_printf(r->a, "/leads/%lld?chat=%lld", lead.id, lead.id));
	const char *refused = params_get(&r->query, "refused");
	const char *refused_text = refused ? sending_refusal_text(r, refused) : NULL;
	if (refused_text)
		tmpl_set(tmpl_section(d, "REFUSED"), "REFUSED_TEXT", refused_text);
	for (size_t i = 0; i < n; i++) {
		const struct consent_row *e = &rows[i];
		tmpl_dict *t = tmpl_section(d, "CONTACT");
		tmpl_set_int(t, "CONTACT_ID", e->contact_id);
		tmpl_set_int(t, "LEAD_ID", lead.id);
		tmpl_set(t, "CONTACT_NAME", e->name);
		tmpl_set(t, "CONTACT_ROLE", e->role);
		tmpl_set(t, "CONTACT_NUMBER", phone_shown(r->a, e->number));
		tmpl_set(t, "CONSENT_COLOR", consent_color(e->st.status));
		tmpl_set(t, "CONSENT_TEXT", e->st.status == CONSENT_GRANTED ? "Consented" :
					    e->st.status == CONSENT_PENDING ? "Pending consent" :
					    e->st.opted_out ? "Opted out" : "No consent");
		tmpl_set(t, "SCOPE", e->is_partner ? "the whole organization (a partner)"
						   : arena_printf(r->a, "this pair of numbers (%s and %s)",
								  s->sms_number && *s->sms_number ?
								  phone_shown(r->a, s->sms_number) : "your number",
								  phone_shown(r->a, e->number)));
		tmpl_set(t, "WHY", consent_state_why(r->a, &e->st));
		if (e->st.has_history)
			tmpl_set(tmpl_section(t, "CHANGED"), "CHANGED_AT", e->st.changed_at);
		tmpl_set(t, "CSRF", s->csrf);
		/* the buttons are for the agent whose number would text the contact */
		if (!e->refusal) {
			tmpl_set(tmpl_section(t, "ASK"), "ASK_TEXT",
				 e->st.status == CONSENT_PENDING || e->st.has_history ? "Resend consent"
										     : "Send consent");
		} else if (strcmp(e->refusal, "asked_recently") == 0) {
			tmpl_set(tmpl_section(t, "ASK_LATER"), "AGAIN_AT", e->st.ask_again_at);
		} else if (strcmp(e->refusal, "opted_out") == 0 ||
			   strcmp(e->refusal, "already_consented") == 0) {
			tmpl_set(tmpl_section(t, "ASK_NOTE"), "ASK_NOTE_TEXT", sending_refusal_text(r, e->refusal));
		}
		if (may_record_opt_out(r, &sender) && !e->st.opted_out)
			tmpl_show(t, "OPT_OUT");
	}
	if (n == 0)
		tmpl_show(d, "NO_CONTACTS");
	for (size_t i = 0; i < ledger.n; i++) {
		tmpl_dict *l = tmpl_section(d, "LEDGER");
		const char *who = db_get(&ledger, i, 10), *by = db_get(&ledger, i, 7);
		const char *text = db_get(&ledger, i, 8), *note = db_get(&ledger, i, 9);
		tmpl_set(l, "AT", db_get(&ledger, i, 0));
		tmpl_set(l, "NUMBER", phone_shown(r->a, db_get(&ledger, i, 1)));
		tmpl_set(l, "WHO", who ? who : "");
		tmpl_set(l, "SCOPE", scope_text(r, db_get(&ledger, i, 2), db_get(&ledger, i, 3)));
		tmpl_set(l, "OLD", db_get(&ledger, i, 4));
		tmpl_set(l, "NEW", db_get(&ledger, i, 5));
		tmpl_set(l, "SOURCE", db_get(&ledger, i, 6));
		tmpl_set(l, "BY", by ? by : "");
		tmpl_set(l, "TEXT", text ? text : "");
		if (note && *note)
			tmpl_set(tmpl_section(l, "HAS_NOTE"), "NOTE", note);
	}
	if (ledger.n == 0)
		tmpl_show(d, "NO_LEDGER");
	return page_finish(r);
}

int page_consents_csv(struct req *r)
{
	struct lead lead;
	struct db_rows ledger;
	int rc = access_lead(r, r->ids[0], &lead);
	if (rc || (rc = load_ledger(r, lead.id, &ledger)))
		return rc;
	struct buf b = { 0 };
	static const char *const head[] = { "time", "contact", "number", "scope", "agent_number",
					    "old_status", "new_status", "source", "by", "text", "note" };
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		csv_cell(&b, head[i], i + 1 == sizeof head / sizeof head[0]);
	for (size_t i = 0; i < ledger.n; i++) {
		const size_t cols[] = { 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
		for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
			csv_cell(&b, db_get(&ledger, i, cols[k]), k + 1 == sizeof cols / sizeof cols[0]);
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

/* POST /sms/consent (lead, contact): the automated request, queued through
 * the outbox like any text, from the signed-in agent's own number. */
int page_sms_consent(struct req *r)
{
	const struct session *s = r->session;
	long long lead_id = params_id(&r->form, "lead"), contact_id = params_id(&r->form, "contact");
	const char *back = params_get(&r->form, "back");
	int rc = access_contact(r, lead_id, contact_id);
	if (rc)
		return rc;
	struct consent_settings cs;
	struct send_facts f;
	struct consent_state st;
	const char *number;
	int is_partner;
	if (consent_settings_load(r->db, r->a, s->org_id, &cs) < 0)
		return 503;
	if ((rc = sending_sender_facts(r, lead_id, &f)) ||
	    (rc = sending_contact_number(r, lead_id, contact_id, &number, &is_partner)))
		return rc;
	f.has_contact = 1;
	f.has_mobile = number != NULL;
	if (number && consent_state_load(r->db, r->a, s->org_id, s->time_zone, cs.cooloff_hours,
					 is_partner, f.sender_has_number ? s->sms_number : NULL,
					 number, &st) < 0)
		return 503;
	f.consent = number ? st.status : CONSENT_NONE;
	const char *refusal = rules_consent_request_refusal(&f, number && st.opted_out,
							    number && st.asked_recently);
	struct db_rows me;
	const char *body = NULL;
	struct sms_count count;
	if (!refusal) {
		if (db_query(r->db, r->a, &me, "SELECT nmls_id FROM users WHERE id = ?", "i",
			     s->user_id) < 0 || me.n != 1)
			return 503;
		body = consent_request_text(r->a, cs.wording, s->name, cs.org_name, db_get(&me, 0, 0));
		if (sms_check(body, sending_advanced(r), &count) != SMS_OK)
			refusal = "consent_too_long";
	}
	if (refusal) {
		log_info(r->id, "consent request for contact %lld refused: %s", contact_id, refusal);
		resp_redirect(r, consents_url(r, lead_id, back, refusal));
		return 0;
	}
	struct outbound m = {
		.org_id = s->org_id, .lead_id = lead_id, .contact_id = contact_id,
		.user_id = s->user_id, .kind = "consent_request", .agent_number = s->sms_number,
		.contact_number = number, .body = body, .count = count,
	};
	if (db_begin(r->db) < 0)
		return 503;
	long long id = outbox_enqueue(r->db, &m);
	if (id < 0 || consent_set(r->db, r->a, s->org_id, is_partner, s->sms_number, number,
				  st.status == CONSENT_GRANTED ? CONSENT_GRANTED : CONSENT_PENDING,
				  "request", id, s->user_id, "consent request sent") < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	dispatcher_wake();
	resp_redirect(r, consents_url(r, lead_id, back, NULL));
	return 0;
}

/* POST /leads/ID/consents/optout (contact, note): an opt-out received by
 * phone or email, recorded by the agent or an admin; it takes effect at
 * once, for every consent of the number in the organization. */
int page_consents_opt_out(struct req *r)
{
	const struct session *s = r->session;
	long long lead_id = r->ids[0], contact_id = params_id(&r->form, "contact");
	struct send_facts f;
	const char *number;
	int is_partner;
	int rc = access_contact(r, lead_id, contact_id);
	if (rc || (rc = sending_sender_facts(r, lead_id, &f)) ||
	    (rc = sending_contact_number(r, lead_id, contact_id, &number, &is_partner)))
		return rc;
	if (!may_record_opt_out(r, &f)) {
		r->notice = "Only an agent assigned to this lead or an admin can record an opt-out.";
		return 403;
	}
	const char *note = text_trim(r->a, params_get(&r->form, "note"));
	if (!number || !note || !*note || strlen(note) > NOTE_MAX || !utf8_valid(note, strlen(note))) {
		resp_redirect(r, arena_printf(r->a, "/leads/%lld/consents?refused=%s", lead_id,
					      number ? "note_required" : "no_mobile"));
		return 0;
	}
	if (db_begin(r->db) < 0)
		return 503;
	if (consent_withdraw_number(r->db, r->a, s->org_id, number, "manual", 0, s->user_id,
				    utf8_prefix(r->a, note, NOTE_MAX)) < 0 ||
	    db_exec(r->db, "UPDATE outbox o JOIN messages m ON m.id = o.message_id"
			   " SET o.next_attempt_at = NOW(6) WHERE m.org_id = ? AND m.contact_number = ?"
			   " AND o.in_doubt = 0", "is", s->org_id, number) < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	dispatcher_wake();
	log_info(r->id, "opt-out of contact %lld recorded by user %lld", contact_id, s->user_id);
	resp_redirect(r, arena_printf(r->a, "/leads/%lld/consents", lead_id));
	return 0;
}
