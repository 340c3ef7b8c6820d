/* Sending from the chatbox: the facts of one would-be text gathered for
 * the rules (rules.c), shared by the page that draws the chatbox, the
 * handler that sends and the consent page: who may text is decided once. */
#include "sending.h"

#include "auth.h"
#include "consent.h"
#include "db.h"
#include "http.h"
#include "rules.h"
#include "sensitive.h"
#include "shortener.h"

#include <assert.h>
#include <string.h>

/* sms_text.c words the text's own problems */
static const struct verdict_code {
	enum sms_verdict verdict;
	const char *code;
} verdict_codes[] = {
	{ SMS_EMPTY, "sms_empty" },
	{ SMS_TOO_LONG, "sms_too_long" },
	{ SMS_SPECIAL_REFUSED, "sms_special" },
	{ SMS_BAD_TEXT, "sms_bad_text" },
};

int sending_advanced(const struct req *r)
{
	const char *level = r->session->org_sms_level;
	return level && strcmp(level, "advanced") == 0;
}

const char *sending_verdict_code(enum sms_verdict v)
{
	for (size_t i = 0; i < sizeof verdict_codes / sizeof verdict_codes[0]; i++)
		if (verdict_codes[i].verdict == v)
			return verdict_codes[i].code;
	return "sms_bad_text";
}

const char *sending_refusal_text(const struct req *r, const char *code)
{
	const char *text = rules_refusal_text(code);
	if (text)
		return text;
	for (size_t i = 0; i < sizeof verdict_codes / sizeof verdict_codes[0]; i++)
		if (strcmp(verdict_codes[i].code, code) == 0)
			return sms_verdict_text(verdict_codes[i].verdict, sending_advanced(r));
	return NULL;
}

const char *sending_text_refusal_text(struct req *r, const char *code, const char *body)
{
	if (body && code && strcmp(code, sending_verdict_code(SMS_SPECIAL_REFUSED)) == 0) {
		char buf[256];
		if (sms_refusal_message(buf, sizeof buf, body, sending_advanced(r)) == 0)
			return arena_strdup(r->a, buf);
	}
	return sending_refusal_text(r, code);
}

int sending_contact_number(struct req *r, long long lead_id, long long contact_id,
			const char **number, int *is_partner)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT " SQL_CONTACT_MOBILE ", c.role = 'external' FROM contacts c"
		     " LEFT JOIN partners p ON p.id = c.partner_id WHERE c.id = ? AND c.lead_id = ?",
		     "ii", contact_id, lead_id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	*number = db_get(&rows, 0, 0);
	if (*number && !**number)
		*number = NULL;
	*is_partner = db_get_ll(&rows, 0, 1) != 0;
	return 0;
}

#define SQL_CONTACT_FACTS(more) \
	"SELECT " SQL_CONTACT_MOBILE ", c.role = 'external', k.status," \
	" " SQL_SENDER_ASSIGNMENT("?", "?") more " FROM contacts c" \
	" LEFT JOIN partners p ON p.id = c.partner_id" \
	" LEFT JOIN consents k ON k.org_id = ? AND k.contact_number = " SQL_CONTACT_MOBILE \
	" AND " SQL_CONSENT_COVERS("k", "c", "?") \
	" WHERE c.id = ? AND c.lead_id = ?"

static int contact_facts(struct req *r, long long lead_id, long long contact_id, int draft,
			 struct sending_contact *out)
{
	const struct session *s = r->session;
	struct db_rows rows;
	int rc = draft
		 ? db_query(r->db, r->a, &rows,
			    SQL_CONTACT_FACTS(", EXISTS (SELECT 1 FROM sms_drafts d WHERE d.session_id = ?"
					      " AND d.lead_id = c.lead_id AND d.contact_id = c.id)"),
			    "iiiisii", lead_id, s->user_id, s->id, s->org_id, s->sms_number,
			    contact_id, lead_id)
		 : db_query(r->db, r->a, &rows, SQL_CONTACT_FACTS(""), "iiisii", lead_id,
			    s->user_id, s->org_id, s->sms_number, contact_id, lead_id);
	if (rc < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	assert(rows.cols == (draft ? 5u : 4u));
	out->number = db_get(&rows, 0, 0);
	if (out->number && !*out->number)
		out->number = NULL;
	out->is_partner = db_get_ll(&rows, 0, 1) != 0;
	out->consent = out->number ? consent_parse(db_get(&rows, 0, 2)) : CONSENT_NONE;
	sending_assignment(db_get_ll(&rows, 0, 3), out);
	out->has_draft = draft && db_get_ll(&rows, 0, 4) != 0;
	return 0;
}

int sending_contact_facts(struct req *r, long long lead_id, long long contact_id,
			  struct sending_contact *out)
{
	return contact_facts(r, lead_id, contact_id, 0, out);
}

int sending_send_facts(struct req *r, long long lead_id, long long contact_id,
		       struct sending_contact *out)
{
	return contact_facts(r, lead_id, contact_id, 1, out);
}

void sending_assignment(long long value, struct sending_contact *out)
{
	out->assigned = value == SENDER_ASSIGNED;
	out->was_assigned = value == SENDER_ASSIGNED || value == SENDER_WAS_ASSIGNED;
}

/* What the session says about the sender: 1 when the rest matters. */
static int session_facts(const struct req *r, struct send_facts *f)
{
	const struct session *s = r->session;
	memset(f, 0, sizeof *f);
	f->org_sms_enabled = s->org_sms_enabled;
	f->sender_permitted = s->sms_permission;
	f->sender_has_number = s->sms_number && *s->sms_number;
	f->own_conversation = 1;
	f->consent = CONSENT_NONE;
	return f->org_sms_enabled && f->sender_permitted && f->sender_has_number;
}

int sending_sender_facts(struct req *r, long long lead_id, struct send_facts *f)
{
	const struct session *s = r->session;
	if (!session_facts(r, f))
		return 0;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT " SQL_SENDER_ASSIGNMENT("?", "?"),
		     "ii", lead_id, s->user_id) < 0 || rows.n != 1)
		return 503;
	struct sending_contact a;
	sending_assignment(db_get_ll(&rows, 0, 0), &a);
	f->assigned = a.assigned;
	f->was_assigned = a.was_assigned;
	return 0;
}

int sending_allowed(struct req *r, long long lead_id, long long contact_id,
		    long long agent_id, const char **refusal)
{
	return sending_allowed_known(r, lead_id, contact_id, agent_id, NULL, refusal);
}

int sending_allowed_known(struct req *r, long long lead_id, long long contact_id,
			  long long agent_id, const struct sending_contact *known,
			  const char **refusal)
{
	const struct session *s = r->session;
	struct send_facts f;
	*refusal = NULL;
	int rc = 0;
	if (!known)
		rc = sending_sender_facts(r, lead_id, &f);
	else if (session_facts(r, &f)) {
		f.assigned = known->assigned;
		f.was_assigned = known->was_assigned;
	}
	if (rc)
		return rc;
	f.own_conversation = !agent_id || agent_id == s->user_id;
	f.has_contact = contact_id > 0;
	if (f.assigned && f.own_conversation && f.has_contact) {
		struct sending_contact looked;
		if (!known) {
			if ((rc = sending_contact_facts(r, lead_id, contact_id, &looked)))
				return rc;
			known = &looked;
		}
		f.has_mobile = known->number && *known->number;
		f.consent = f.has_mobile ? known->consent : CONSENT_NONE;
	}
	*refusal = rules_send_refusal(&f);
	return 0;
}

enum sms_offer sending_lookalikes(struct req *r, const char *body, char **replaced,
				  struct sms_lookalikes *l)
{
	size_t size = (body ? strlen(body) : 0) + 1;  /* a replacement is never longer */
	char *out = arena_alloc(r->a, size);
	enum sms_offer offer = sms_lookalike_offer(body, sending_advanced(r), out, size, l);
	*replaced = out;
	return offer;
}

void sending_text_warnings(struct req *r, const char *body, struct send_warnings *w)
{
	memset(w, 0, sizeof *w);
	struct sensitive_match found;
	if (sensitive_find(body, &found) != SENSITIVE_NONE)
		w->sensitive = sensitive_kind_name(found.kind);
	struct shortener_match link;
	if (shortener_find(body, &link))
		w->shortener = link.domain;
	char *replaced;
	struct sms_lookalikes l;
	w->lookalikes = sending_advanced(r) &&
			sending_lookalikes(r, body, &replaced, &l) == SMS_OFFER_REPLACE;
}

/* The organization's sensitive_policy: 1 when it blocks, 0 when it warns,
 * or a status. Read only when a text holds sensitive data. */
static int sensitive_blocked(struct req *r, int *blocked)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT sensitive_policy = 'block' FROM organizations"
					 " WHERE id = ?", "i", r->session->org_id) < 0 || rows.n != 1)
		return 503;
	*blocked = db_get_ll(&rows, 0, 0) == 1;
	return 0;
}

int sending_warning_refusal(struct req *r, const char *body, int confirmed,
			    struct send_warnings *w, const char **refusal)
{
	int blocked = 0, rc;
	sending_text_warnings(r, body, w);
	if (w->sensitive && (rc = sensitive_blocked(r, &blocked)))
		return rc;
	*refusal = rules_warning_refusal(w, blocked, confirmed);
	return 0;
}

const char *sending_warning_words(struct req *r, const struct send_warnings *w)
{
	const char *parts[3];
	size_t n = 0;
	if (w->sensitive)
		parts[n++] = arena_printf(r->a, "what looks like %s",
					  sensitive_kind_words(sensitive_kind_from_name(w->sensitive)));
	if (w->shortener)
		parts[n++] = arena_printf(r->a, "a link through %s, a link shortener carriers often block",
					  w->shortener);
	if (w->lookalikes)
		parts[n++] = "look-alike characters that make it cost more messages";
	if (n == 0)
		return NULL;
	if (n == 1)
		return arena_printf(r->a, "It holds %s.", parts[0]);
	if (n == 2)
		return arena_printf(r->a, "It holds %s, and %s.", parts[0], parts[1]);
	return arena_printf(r->a, "It holds %s, %s, and %s.", parts[0], parts[1], parts[2]);
}

int sending_text_refusal(struct req *r, const char *body, int confirmed, struct sms_count *count,
			 struct send_warnings *w, const char **refusal)
{
	memset(w, 0, sizeof *w);
	enum sms_verdict v = sms_check(body, sending_advanced(r), count);
	if (v != SMS_OK) {
		*refusal = sending_verdict_code(v);
		return 0;
	}
	return sending_warning_refusal(r, body, confirmed, w, refusal);
}
