/* The chatbox component, not a page: the chatboxes drawn into /leads,
 * /leads/ID and the layout (docs/behaviour.md, "The chatbox"); what they
 * show is read through conversation.h. Which are open, minimized and
 * selected lives in the page's URL, so every control is a plain link and
 * the page works without JavaScript.
 *   chat=ID          a chatbox for lead ID (repeatable)
 *   min=ID           that chatbox shows only its header
 *   contact_ID=C     the contact selected in lead ID's chatbox
 *   agent_ID=U       the agent whose conversation lead ID's chatbox shows
 *   before_ID=M      the box shows the texts before text M ("Earlier
 *                    messages"); every other link of the box drops it */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "sending.h"
#include "sensitive.h"
#include "tz.h"
#include "validate.h"
#include "consent.h"
#include "conversation.h"
#include "failure.h"
#include "format.h"
#include "rules.h"
#include "outbox.h"
#include "clock.h"
#include "place.h"
#include "merge.h"
#include "replies.h"
#include "users.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHATS_MAX 8   /* chatboxes drawn at once; further chat= are ignored */
#define CHAT_TEXTS 50 /* texts a box shows at once; Earlier messages for the rest */
#define NONE SIZE_MAX

/* ---- addresses: every control is a link to the page with its URL changed */

static long long value_id(const char *v)
{
	struct param p = { "v", v };
	struct params one = { &p, 1 };
	return params_id(&one, "v");
}

enum {
	URL_CLOSE = 1,     /* drop the lead's chat, min and selections */
	URL_MINIMIZE = 2,  /* add min=lead */
	URL_RESTORE = 4,   /* drop min=lead */
	URL_OPEN = 8,      /* add chat=lead unless it is there */
	URL_RAISE = 16,    /* move chat=lead to the end: the newest box stays open */
};

static int prune_boxes(struct req *r);

static void url_append(struct buf *b, struct req *r, const char *name, const char *value)
{
	buf_puts(b, strchr(b->p, '?') ? "&" : "?");
	buf_puts(b, url_encode(r->a, name));
	buf_puts(b, "=");
	buf_puts(b, url_encode(r->a, value));
}

/* The current page's address changed for lead's chatbox; set_name, when
 * given, replaces one parameter. Flash codes and the refused text's
 * draft_ID are dropped: they were for this page load only. */
static char *chat_url(struct req *r, long long lead, int how, const char *set_name,
		      long long set_value)
{
	char contact_key[32], agent_key[32], reply_key[32], before_key[32], id[24];
	/* no link keeps a box that cannot be drawn (a failed check keeps them all) */
	(void)prune_boxes(r);
	snprintf(contact_key, sizeof contact_key, "contact_%lld", lead);
	snprintf(reply_key, sizeof reply_key, "reply_%lld", lead);
	snprintf(before_key, sizeof before_key, "before_%lld", lead);
	snprintf(agent_key, sizeof agent_key, "agent_%lld", lead);
	snprintf(id, sizeof id, "%lld", lead);
	struct buf b = { 0 };
	buf_puts(&b, url_encode(r->a, r->path));
	int open = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name, *value = r->query.v[i].value;
		int is_chat = strcmp(name, "chat") == 0 && value_id(value) == lead;
		int is_min = strcmp(name, "min") == 0 && value_id(value) == lead;
		int is_selection = strcmp(name, contact_key) == 0 || strcmp(name, agent_key) == 0;
		/* a saved reply chosen without JavaScript fills the box once:
		 * the page Send returns to must not fill it again */
		if (strcmp(name, "done") == 0 || strcmp(name, "error") == 0 ||
		    strncmp(name, "draft_", 6) == 0 || strcmp(name, reply_key) == 0 ||
		    strcmp(name, before_key) == 0 ||
		    ((how & URL_CLOSE) && (is_chat || is_min || is_selection)) ||
		    ((how & (URL_MINIMIZE | URL_RESTORE | URL_OPEN | URL_RAISE)) && is_min) ||
		    ((how & URL_RAISE) && is_chat) ||
		    (set_name && strcmp(name, set_name) == 0))
			continue;
		open |= is_chat;
		url_append(&b, r, name, value);
	}
	if (((how & URL_OPEN) && !open) || (how & URL_RAISE))
		url_append(&b, r, "chat", id);
	if (how & URL_MINIMIZE)
		url_append(&b, r, "min", id);
	if (set_name)
		url_append(&b, r, set_name, arena_printf(r->a, "%lld", set_value));
	char *url = arena_strdup(r->a, b.p);
	buf_free(&b);
	return url;
}

/* ---- boxes that cannot be drawn: a stale or forbidden chat= id (or a
 * selection that is not on its lead) drops that one box, from the page and
 * from every link on it, with a note; the page itself is drawn. */

#define DROPPED_NOTE "A chatbox was closed: its lead or contact no longer exists, or is not yours to see."

static _Thread_local struct { const struct req *r; char id[33]; int done, noted; } pruned;

/* Removes every parameter of lead's box (lead 0: chat= values that are no id). */
static void drop_box(struct req *r, long long lead)
{
	char keys[4][32];
	snprintf(keys[0], sizeof keys[0], "contact_%lld", lead);
	snprintf(keys[1], sizeof keys[1], "agent_%lld", lead);
	snprintf(keys[2], sizeof keys[2], "draft_%lld", lead);
	snprintf(keys[3], sizeof keys[3], "before_%lld", lead);
	size_t kept = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name, *value = r->query.v[i].value;
		int ours = (strcmp(name, "chat") == 0 || strcmp(name, "min") == 0) &&
			   value_id(value) == lead;
		for (size_t k = 0; k < 4 && lead > 0; k++)
			ours |= strcmp(name, keys[k]) == 0;
		if (!ours)
			r->query.v[kept++] = r->query.v[i];
	}
	r->query.n = kept;
	if (!r->layout)
		return;
	if (pruned.noted)
		return;
	pruned.noted = 1;
	tmpl_dict *f = tmpl_section(r->layout, "FLASH");
	tmpl_set(f, "FLASH_KIND", "error");
	tmpl_set(f, "FLASH_TEXT", DROPPED_NOTE);
}

/* Checks the chat= ids once per request (before the first link is made):
 * 0, or 503. */
static int prune_boxes(struct req *r)
{
	if (pruned.r == r && strcmp(pruned.id, r->id) == 0 && pruned.done)
		return 0;
	pruned.r = r;
	snprintf(pruned.id, sizeof pruned.id, "%s", r->id);
	pruned.done = pruned.noted = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.v[i].name, "chat") != 0)
			continue;
		long long id = value_id(r->query.v[i].value);
		int rc = id > 0 ? access_lead(r, id, NULL) : 404;
		if (rc == 503)
			return 503;
		if (rc) {
			drop_box(r, id > 0 ? id : 0);
			i = (size_t)-1;  /* the list changed: look again from the start */
		}
	}
	pruned.done = 1;
	return 0;
}

char *chat_open_url(struct req *r, long long lead_id)
{
	if (prune_boxes(r))
		return arena_printf(r->a, "/leads/%lld?chat=%lld", lead_id, lead_id);
	return chat_url(r, lead_id, URL_OPEN, NULL, 0);
}

char *chat_open_contact_url(struct req *r, long long lead_id, long long contact_id)
{
	return chat_url(r, lead_id, URL_OPEN | URL_RESTORE,
			arena_printf(r->a, "contact_%lld", lead_id), contact_id);
}

/* ---- one chatbox */

/* One entry per mobile number, standing for every contact of the lead
 * that shares it. */
struct chat_contact {
	long long id;            /* the contact that stands for the number */
	const char *name, *role, *number;
	int is_partner;
	int consent;             /* enum consent_status */
	int order;               /* shown borrower, co-borrower, then external */
};

struct chatbox {
	struct lead lead;
	const char *title;
	int minimized;
	struct conv_contacts all;  /* the lead's contacts in precedence order */
	size_t *entry_of;        /* contact of all -> index in contacts, NONE without mobile */
	struct chat_contact *contacts;
	size_t ncontacts, contact;
	struct conv_agent *agents;
	size_t nagents;
	long long agent_id;      /* whose conversation is shown */
	const char *agent_number;
	long long draft_contact;
	struct conv_draft draft; /* the refused text the page was sent back with */
	long long before;        /* before_ID: texts before this one; 0: the newest */
	const char *refusal;
};

/* Precedence decides which contact stands for a shared number; the list
 * itself reads as the application does: borrower, co-borrower, partners. */
static void show_borrowers_first(struct req *r, struct chatbox *c)
{
	struct chat_contact *sorted = arena_calloc(r->a, c->ncontacts + 1, sizeof *sorted);
	size_t *moved_to = arena_calloc(r->a, c->ncontacts + 1, sizeof *moved_to);
	size_t n = 0;
	for (int order = 0; order <= 2; order++)
		for (size_t j = 0; j < c->ncontacts; j++)
			if (c->contacts[j].order == order) {
				moved_to[j] = n;
				sorted[n++] = c->contacts[j];
			}
	for (size_t i = 0; i < c->all.n; i++)
		if (c->entry_of[i] != NONE)
			c->entry_of[i] = moved_to[c->entry_of[i]];
	c->contacts = sorted;
}

/* The entry of a contact with a mobile: the one already standing for its
 * number, else a new one. */
static size_t entry_for(struct chatbox *c, const struct conv_contact *k)
{
	for (size_t j = 0; j < c->ncontacts; j++)
		if (strcmp(c->contacts[j].number, k->number) == 0)
			return j;
	struct chat_contact *e = &c->contacts[c->ncontacts];
	e->id = k->id;
	e->name = k->name ? k->name : "Unnamed contact";
	e->role = k->role_text;
	e->number = k->number;
	e->is_partner = strcmp(k->role, "external") == 0;
	e->consent = k->consent;
	e->order = rules_contact_reading_order(k->role);
	return c->ncontacts++;
}

/* The contacts, one entry per mobile number: the external contact wins
 * over the borrower, the borrower over the co-borrower (as inbound
 * routing does); with each one's consent for the shown agent's number,
 * the newest incoming text of the shown agent's conversations here
 * (Maximize opens it, and a minimized box holding it flashes), and the
 * viewer's assignment to the lead for the sending rules
 * (conversation_contacts). Needs choose_agent first. */
static int load_contacts(struct req *r, struct chatbox *c)
{
	if (conversation_contacts(r->db, r->a, c->lead.id, r->session->org_id,
				  r->session->user_id, c->agent_id, c->agent_number, &c->all))
		return 503;
	c->entry_of = arena_calloc(r->a, c->all.n + 1, sizeof *c->entry_of);
	c->contacts = arena_calloc(r->a, c->all.n + 1, sizeof *c->contacts);
	for (size_t i = 0; i < c->all.n; i++) {
		const struct conv_contact *k = &c->all.v[i];
		if (!c->title && strcmp(k->role, "borrower") == 0 && k->name)
			c->title = k->name;
		c->entry_of[i] = k->number && *k->number ? entry_for(c, k) : NONE;
	}
	/* "James Carter · Carter HELOC": two loans of one borrower read apart */
	if (!c->title)
		c->title = c->lead.name;
	else if (c->lead.name && *c->lead.name)
		c->title = arena_printf(r->a, "%s · %s", c->title, c->lead.name);
	show_borrowers_first(r, c);
	return 0;
}

/* agent_ID, else the viewer's own conversation (when assigned, or when a
 * former agent of the lead with texts here: they read their own, greyed
 * out), else the first assigned agent's, else the viewer's. 0 or 404. */
static int choose_agent(struct req *r, struct chatbox *c)
{
	const char *param = params_get(&r->query, arena_printf(r->a, "agent_%lld", c->lead.id));
	long long want = param ? value_id(param) : 0;
	const struct conv_agent *pick = NULL;
	for (size_t i = 0; i < c->nagents && !pick; i++) {
		const struct conv_agent *a = &c->agents[i];
		if (param ? a->id == want : a->id == r->session->user_id)
			pick = a;
	}
	if (param && !pick)
		return 404;
	if (!pick && c->nagents && c->agents[0].assigned)
		pick = &c->agents[0];
	c->agent_id = pick ? pick->id : r->session->user_id;
	c->agent_number = pick ? pick->number : r->session->sms_number;
	return 0;
}

static size_t entry_of_contact(const struct chatbox *c, long long contact_id)
{
	for (size_t i = 0; i < c->all.n; i++)
		if (c->all.v[i].id == contact_id)
			return c->entry_of[i];
	return NONE;
}

/* contact_ID, else the contact of the refused text the page was sent
 * back with (draft_ID=C), else the first. A refused text whose contact
 * has no entry any more (its mobile was removed) shows in whichever box is
 * selected. Reading the draft changes nothing: a reload, a HEAD or a
 * prefetch loses nothing; the draft goes when a text from that box is
 * accepted, or with the session. 0 or 404. */
static int choose_contact(struct req *r, struct chatbox *c)
{
	const char *param = params_get(&r->query, arena_printf(r->a, "contact_%lld", c->lead.id));
	const char *draft = params_get(&r->query, arena_printf(r->a, "draft_%lld", c->lead.id));
	c->contact = c->ncontacts ? 0 : NONE;
	if (param) {
		c->contact = entry_of_contact(c, value_id(param));
		if (c->contact == NONE)
			return 404;
	}
	long long draft_contact = draft ? value_id(draft) : 0;
	if (draft_contact <= 0)
		return 0;
	struct conv_draft kept;
	if (conversation_draft(r->db, r->a, r->session->id, c->lead.id, draft_contact, &kept))
		return 503;
	if (!kept.body)
		return 0;  /* sent meanwhile, or another session's: nothing to show */
	size_t e = entry_of_contact(c, draft_contact);
	if (!param && e != NONE)
		c->contact = e;
	if (e == NONE || e == c->contact) {
		c->draft_contact = draft_contact;
		c->draft = kept;
	}
	return 0;
}

static int chat_load(struct req *r, long long lead_id, struct chatbox *c)
{
	int rc = access_lead(r, lead_id, &c->lead);
	if (rc)
		return rc;
	if (conversation_agents(r->db, r->a, lead_id, &c->agents, &c->nagents))
		return 503;
	if ((rc = choose_agent(r, c)) || (rc = load_contacts(r, c)) || (rc = choose_contact(r, c)))
		return rc;
	/* a bound within the conversation already chosen: any id shows only
	 * this conversation's texts, a malformed one drops the box */
	const char *before = params_get(&r->query, arena_printf(r->a, "before_%lld", lead_id));
	if (before && (c->before = value_id(before)) <= 0)
		return 404;
	for (size_t i = 0; i < r->query.n; i++)
		if (strcmp(r->query.v[i].name, "min") == 0 && value_id(r->query.v[i].value) == lead_id)
			c->minimized = 1;
	if (c->contact == NONE)
		return sending_allowed(r, lead_id, 0, c->agent_id, &c->refusal);
	/* the contact as drawn, its consent for the shown agent's number: when
	 * that is the viewer's own, what the rules need is known already */
	const struct chat_contact *e = &c->contacts[c->contact];
	const char *own = r->session->sms_number;
	struct sending_contact known = {
		.number = e->number, .is_partner = e->is_partner, .consent = e->consent,
	};
	sending_assignment(c->all.sender_assignment, &known);
	int same = c->agent_number && own && strcmp(c->agent_number, own) == 0;
	return sending_allowed_known(r, lead_id, e->id, c->agent_id, same ? &known : NULL,
				     &c->refusal);
}

/* ---- drawing */

static const char *status_text(const char *status)
{
	static const char *const names[][2] = {
		{ "queued", "Queued" }, { "sending", "Sending" }, { "sent", "Sent" },
		{ "delivered", "Delivered" }, { "undelivered", "Not delivered" },
		{ "failed", "Failed" }, { "cancelled", "Cancelled" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], status) == 0)
			return names[i][1];
	return status;
}

/* The images of one inbound text, as the rule says: shown (with Download)
 * when the receiving agent has MMS enabled and the viewer display images,
 * else the notice; one still being fetched or that could not be says so. */
static void fill_images(struct req *r, tmpl_dict *m, const struct conv_message *msg)
{
	int shown = rules_image_shown(msg->agent_mms, r->session->display_images);
	if (!shown && msg->nmedia)
		tmpl_show(m, "IMAGE_NOTICE");
	for (size_t k = 0; k < msg->nmedia && shown; k++) {
		const struct conv_media *media = &msg->media[k];
		tmpl_dict *img = tmpl_section(m, "IMAGE");
		if (strcmp(media->status, "fetched") == 0) {
			tmpl_dict *f = tmpl_section(img, "IMAGE_FETCHED");
			tmpl_set(f, "MEDIA_ID", media->id);
		} else if (strcmp(media->status, "pending") == 0) {
			tmpl_show(img, "IMAGE_PENDING");
		} else {
			const char *why = media->error;
			tmpl_set(tmpl_section(img, "IMAGE_FAILED"), "IMAGE_ERROR",
				 why && *why ? why : "it could not be fetched from the carrier");
		}
	}
}

/* A text waiting for its time: "Scheduled: will be sent Dec 8, 8:00 AM
 * EST, their time" (quiet hours, in the recipient's zone), or at the time
 * its sender chose (in the sender's zone: "Dec 8, 3:00 PM CST"); its
 * sender or an admin may cancel it. */
static void fill_scheduled(struct req *r, tmpl_dict *m, const struct conv_message *msg,
			   long long lead)
{
	long long at = msg->hold_until, now = clock_now();
	const char *text;
	if (strcmp(msg->hold, "quiet_hours") == 0) {
		struct place p;
		place_of_number(msg->contact_number, &p);
		const char *zone = p.nzones ? p.zones[0] :
				   r->session->org_time_zone ? r->session->org_time_zone : "UTC";
		text = arena_printf(r->a, "Scheduled: will be sent %s, their time",
				    format_time_zoned(r->a, zone, at, now));
	} else {
		text = arena_printf(r->a, "Scheduled: will be sent %s",
				    format_time_zoned(r->a, msg->sender_zone, at, now));
	}
	tmpl_dict *s = tmpl_section(m, "SCHEDULED");
	tmpl_set(s, "SCHEDULED_TEXT", text);
	if (msg->user_id == r->session->user_id || r->session->role == ROLE_ADMIN) {
		tmpl_dict *f = tmpl_section(s, "CANCEL");
		tmpl_set(f, "CSRF", r->session->csrf);
		tmpl_set_int(f, "MESSAGE_ID", msg->id);
		tmpl_set(f, "BACK", chat_url(r, lead, 0, NULL, 0));
	}
}

/* The name a contact of the box's lead is shown under, NULL when none. */
static const char *contact_name(const struct chatbox *c, long long contact_id)
{
	for (size_t i = 0; i < c->all.n; i++)
		if (c->all.v[i].id == contact_id)
			return c->all.v[i].name;
	return NULL;
}

/* A failed text's Resend: the rules a Send checks, now (sending.h); its
 * warnings said once, next to "Resend anyway"; a refusal in place of the
 * button. 0 or a status. */
static int fill_resend(struct req *r, const struct chatbox *c, tmpl_dict *e, long long id,
		       const char *body)
{
	struct sms_count count;
	struct send_warnings w;
	const char *refusal = NULL;
	int rc = sending_text_refusal(r, body, 0, &count, &w, &refusal);
	if (rc)
		return rc;
	if (refusal && !rules_refusal_overridable(refusal)) {
		tmpl_set(tmpl_section(e, "NO_RESEND"), "NO_RESEND_TEXT",
			 sending_text_refusal_text(r, refusal, body));
		return 0;
	}
	tmpl_dict *f = tmpl_section(e, "RESEND");
	char once[65];
	if (random_token(once) < 0)
		return 500;
	tmpl_set(f, "CSRF", r->session->csrf);
	tmpl_set(f, "SUBMIT_TOKEN", once);
	tmpl_set_int(f, "MESSAGE_ID", id);
	tmpl_set(f, "BACK", chat_url(r, c->lead.id, 0, NULL, 0));
	tmpl_set(f, "RESEND_LABEL", refusal ? "Resend anyway" : "Resend");
	if (refusal)
		tmpl_set(tmpl_section(f, "ANYWAY"), "WARNING_TEXT", sending_warning_words(r, &w));
	return 0;
}

/* A text as people read it: its body, under a heading per day (*day: the
 * last one drawn), its time, sender and kind. */
static void fill_message_text(struct req *r, const struct chatbox *c, tmpl_dict *m,
			      const struct conv_message *msg, const char **day)
{
	tmpl_set_int(m, "MESSAGE_ID", msg->id);
	tmpl_set(m, "DIRECTION", msg->outbound ? "out" : "in");
	if (*msg->body)
		tmpl_set(tmpl_section(m, "TEXT"), "BODY", msg->body);
	const char *local = msg->created_local;
	if (strncmp(*day, local, 10) != 0) {
		tmpl_set(tmpl_section(m, "DAY"), "DAY_TEXT", format_day(r->a, local, msg->now_local));
		*day = local;
	}
	tmpl_set(m, "WHEN", format_clock(r->a, local));
	struct shown_time full = format_local(r->a, r->session->time_zone, local, clock_now(), 1);
	tmpl_set(m, "WHEN_FULL", full.text);
	tmpl_set(m, "WHEN_ISO", full.iso);
	const char *sender = msg->outbound ? msg->sender : contact_name(c, msg->contact_id);
	tmpl_set(m, "SENDER", sender ? sender : msg->outbound ? "smsdesk" : "Unknown contact");
	if (strcmp(msg->kind, "consent_request") == 0)
		tmpl_set(tmpl_section(m, "KIND"), "KIND_TEXT", "consent request");
	else if (strcmp(msg->kind, "automatic") == 0 || strcmp(msg->kind, "image_notice") == 0)
		tmpl_set(tmpl_section(m, "KIND"), "KIND_TEXT", "automatic");
}

/* Sensitive data: an inbound one to move to a secure channel, an outbound
 * one the agent chose to send anyway (or with a shortener's link); an
 * inbound text that may be an opt-out. */
static void fill_message_notes(struct req *r, const struct chatbox *c, tmpl_dict *m,
			       const struct conv_message *msg)
{
	const char *sensitive = msg->sensitive_kind, *shortener = msg->link_shortener;
	if (sensitive && *sensitive) {
		const char *words = sensitive_kind_words(sensitive_kind_from_name(sensitive));
		tmpl_set(tmpl_section(m, "SENSITIVE"), "SENSITIVE_TEXT",
			 msg->outbound
			 ? arena_printf(r->a, "Sent anyway, with what looks like %s in it.", words)
			 : arena_printf(r->a, "This text looks like it contains %s: move the"
					" matter to a secure channel.", words));
	}
	if (msg->outbound && shortener && *shortener)
		tmpl_set(tmpl_section(m, "SENSITIVE"), "SENSITIVE_TEXT",
			 arena_printf(r->a, "Sent anyway, with a link through %s, a link shortener"
				      " carriers often block.", shortener));
	if (!msg->outbound && msg->possible_opt_out)
		tmpl_set(tmpl_section(m, "POSSIBLE_OPT_OUT"), "CONSENTS_URL",
			 arena_printf(r->a, "/leads/%lld/consents", c->lead.id));
}

/* An outbound text's status; a failed one's cause in plain words, the
 * carrier's code as the detail, and its Resend (or the text it was
 * resent as). 0 or a status. */
static int fill_status(struct req *r, const struct chatbox *c, tmpl_dict *m,
		       const struct conv_message *msg)
{
	const char *status = msg->status;
	if (strcmp(status, "cancelled") == 0)
		tmpl_show(m, "CANCELLED");
	tmpl_dict *s = tmpl_section(m, "STATUS");
	tmpl_set(s, "STATUS", status);
	tmpl_set(s, "STATUS_TEXT", status_text(status));
	const char *code = msg->error_code, *text = msg->error_message;
	int failed = strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0;
	if (!code && !text && !failed)
		return 0;
	const struct failure_words *w = failure_words(msg->error_number);
	tmpl_dict *e = tmpl_section(s, "STATUS_ERROR");
	tmpl_set(e, "ERROR_TEXT", code || !text || !*text ? w->text
			      : arena_printf(r->a, "Not sent: %s.", text));
	if (code)
		tmpl_set(tmpl_section(e, "ERROR_DETAIL"), "ERROR_DETAIL",
			 arena_printf(r->a, "error %s%s%s", code, text && *text ? ": " : "",
				      text ? text : ""));
	int own = c->agent_id == r->session->user_id;
	if (failed && msg->resent_id)
		tmpl_set_int(tmpl_section(e, "RESENT"), "RESENT_ID", msg->resent_id);
	else if (failed && w->resend && own && !c->refusal && strcmp(msg->kind, "user") == 0)
		return fill_resend(r, c, e, msg->id, msg->body);
	return 0;
}

/* The selected contact's conversation with the shown agent: every contact
 * of the lead sharing the number is the same person. */
static int load_messages(struct req *r, const struct chatbox *c, struct conv_message **v,
			 size_t *n, int *earlier)
{
	const char *number = c->contacts[c->contact].number;
	long long *ids = arena_calloc(r->a, c->all.n + 1, sizeof *ids);
	size_t nids = 0;
	for (size_t i = 0; i < c->all.n; i++) {
		const char *k = c->all.v[i].number;
		if (k && strcmp(k, number) == 0)
			ids[nids++] = c->all.v[i].id;
	}
	return conversation_messages(r->db, r->a, c->lead.id, c->agent_id, ids, nids, number,
				     r->session->time_zone, c->before, CHAT_TEXTS, v, n, earlier);
}

static int fill_messages(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	if (c->contact == NONE)
		return 0;
	struct conv_message *v;
	size_t n;
	int earlier;
	if (load_messages(r, c, &v, &n, &earlier))
		return 503;
	/* plain links: the box's address with before_ID, or without it */
	if (earlier)
		tmpl_set(tmpl_section(d, "EARLIER"), "EARLIER_URL",
			 chat_url(r, c->lead.id, URL_RESTORE,
				  arena_printf(r->a, "before_%lld", c->lead.id), v[0].id));
	if (c->before)
		tmpl_set(tmpl_section(d, "LATEST_TEXTS"), "LATEST_URL",
			 chat_url(r, c->lead.id, URL_RESTORE, NULL, 0));
	const char *day = "";
	for (size_t i = 0; i < n; i++) {
		const struct conv_message *msg = &v[i];
		tmpl_dict *m = tmpl_section(d, "MESSAGE");
		fill_message_text(r, c, m, msg, &day);
		if (!msg->outbound)
			fill_images(r, m, msg);
		fill_message_notes(r, c, m, msg);
		if (!msg->outbound)
			continue;
		/* waiting in the outbox for its time: when, and Cancel */
		if (strcmp(msg->status, "queued") == 0 && msg->hold && strcmp(msg->hold, "none") != 0) {
			tmpl_show(m, "WAITING");
			fill_scheduled(r, m, msg, c->lead.id);
			continue;
		}
		int rc = fill_status(r, c, m, msg);
		if (rc)
			return rc;
	}
	if (n == 0)
		tmpl_show(d, "NO_MESSAGES");
	return 0;
}

/* The counter for the text the box starts with (a refused draft, or a
 * saved reply chosen: text). */
static void fill_counter(struct req *r, const char *text, tmpl_dict *d)
{
	int advanced = sending_advanced(r);
	long long max = advanced ? SMS_ADVANCED_MAX : SMS_STANDARD_MAX;
	struct sms_count count = { 0 };
	if (text && sms_count(text, strlen(text), &count) < 0)
		memset(&count, 0, sizeof count);
	tmpl_set_int(d, "MAX_CHARS", max);
	tmpl_set(d, "ADVANCED", advanced ? "1" : "0");
	/* "30 characters too long", never "-30 characters left" */
	long long left = max - (long long)count.length;
	tmpl_set_int(d, "CHARS_LEFT", left < 0 ? -left : left);
	tmpl_set(d, "CHARS_WORDS", left >= 0 ? "characters left" : left == -1 ? "character too long"
		 : "characters too long");
	tmpl_set_int(d, "BILLED", count.billed);
}

/* "1 segment instead of 2" (static/smsdesk.js words it the same) */
static const char *segments_text(struct req *r, unsigned after, unsigned before)
{
	const char *n = arena_printf(r->a, "%u segment%s", after, after == 1 ? "" : "s");
	return before == after ? n : arena_printf(r->a, "%s instead of %u", n, before);
}

/* The look-alike offer for a refused text: what it would go as, the
 * segments before and after, and a button that sends it replaced (the
 * server replaces it again); or, on the standard level, that other
 * special characters would remain. */
static void fill_lookalikes(struct req *r, const char *body, tmpl_dict *d)
{
	char *replaced, names[400], others[400];
	struct sms_lookalikes l;
	enum sms_offer offer = sending_lookalikes(r, body, &replaced, &l);
	if (offer == SMS_OFFER_NONE || sms_lookalike_names(body, names, sizeof names) < 0 ||
	    sms_special_names(replaced, others, sizeof others) < 0)
		return;
	tmpl_dict *o = tmpl_section(d, "LOOKALIKES");
	if (offer == SMS_OFFER_OTHERS) {
		tmpl_dict *t = tmpl_section(o, "LOOKALIKES_OTHERS");
		tmpl_set(t, "NAMES", names);
		tmpl_set(t, "OTHERS", others);
		return;
	}
	tmpl_dict *t = tmpl_section(o, "LOOKALIKES_REPLACE");
	tmpl_set(t, "NAMES", names);
	tmpl_set(t, "WHY", sending_advanced(r) ? "make it cost 70-character segments"
					       : "the standard SMS level refuses");
	tmpl_set(t, "REPLACED", replaced);
	tmpl_set(t, "SEGMENTS", segments_text(r, l.after.billed, l.before.billed));
}

/* A refused text is shown in the box it was typed in, on the page the
 * send came back to. */
static void fill_draft(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	if (!c->draft.body)
		return;
	tmpl_set(d, "DRAFT", c->draft.body);
	const char *code = c->draft.error;
	if (rules_refusal_overridable(code)) {
		/* warnings the agent may confirm: all of the text's at once, so
		 * that Send anyway confirms what was shown */
		struct send_warnings w;
		const char *codes[3];
		sending_text_warnings(r, c->draft.body, &w);
		size_t n = rules_warning_codes(&w, codes);
		for (size_t i = 0; i < n; i++)
			tmpl_set(tmpl_section(d, "SEND_ERROR"), "ERROR_TEXT", sending_refusal_text(r, codes[i]));
		if (n)
			tmpl_show(d, "SEND_ANYWAY");
		else  /* nothing to warn about any more (the policy or the rules changed) */
			tmpl_set(tmpl_section(d, "SEND_ERROR"), "ERROR_TEXT", sending_refusal_text(r, code));
	} else {
		const char *why = sending_text_refusal_text(r, code, c->draft.body);
		tmpl_set(tmpl_section(d, "SEND_ERROR"), "ERROR_TEXT",
			 why && *why ? why : "The text was not sent.");
	}
	if (!c->refusal && code && (rules_refusal_overridable(code) || strcmp(code, "sms_special") == 0 ||
			    strcmp(code, "lookalikes_changed") == 0))
		fill_lookalikes(r, c->draft.body, d);
}

/* Before the agent types: when it is quiet hours for the contact, a text
 * sent now waits, and the box says until when (the rule of outbox.h). */
static void fill_quiet_note(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	if (c->contact == NONE || c->all.n == 0 || !r->session->org_quiet_hours)
		return;
	const struct chat_contact *e = &c->contacts[c->contact];
	long long now = clock_now();
	long long at = outbox_quiet_send_at("user", e->number, r->session->org_quiet_hours,
					    r->session->org_time_zone, now);
	if (at <= now)
		return;
	struct place p;
	place_of_number(e->number, &p);
	const char *zone = p.nzones ? p.zones[0] : r->session->org_time_zone;
	tmpl_set(tmpl_section(d, "QUIET"), "QUIET_TEXT",
		 arena_printf(r->a, "Quiet hours: it is %s for %s. A text sent now waits until %s,"
			      " their time.", format_clock_zoned(r->a, zone, now), e->name,
			      format_time_zoned(r->a, zone, at, now)));
}

/* The contacts, one a number, with their consent circles. */
static void fill_contacts(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	long long lead = c->lead.id;
	const char *contact_key = arena_printf(r->a, "contact_%lld", lead);
	for (size_t i = 0; i < c->ncontacts; i++) {
		const struct chat_contact *e = &c->contacts[i];
		tmpl_dict *t = tmpl_section(d, "CONTACT");
		tmpl_set(t, "CONTACT_URL", chat_url(r, lead, URL_RESTORE, contact_key, e->id));
		tmpl_set(t, "CONTACT_NAME", e->name);
		tmpl_set(t, "CONTACT_ROLE", e->role);
		tmpl_set(t, "CONTACT_NUMBER", phone_shown(r->a, e->number));
		tmpl_set(t, "CONSENT_COLOR", consent_color(e->consent));
		tmpl_set(t, "CONSENT_TEXT", e->consent == CONSENT_GRANTED ? "Consented" :
					    e->consent == CONSENT_PENDING ? "Pending consent" :
					    "No consent");
		if (i == c->contact)
			tmpl_show(t, "SELECTED_CONTACT");
	}
	if (c->ncontacts == 0)
		tmpl_show(d, "NO_CONTACTS");
}

/* The assigned agents, then the former ones under their own heading. */
static void fill_agents(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	long long lead = c->lead.id;
	const char *agent_key = arena_printf(r->a, "agent_%lld", lead);
	tmpl_dict *former = NULL;
	for (size_t i = 0; i < c->nagents; i++) {
		const struct conv_agent *a = &c->agents[i];
		if (!a->assigned && !former)
			former = tmpl_section(d, "FORMER");
		tmpl_dict *t = tmpl_section(a->assigned ? d : former,
					    a->assigned ? "AGENT" : "FORMER_AGENT");
		tmpl_set(t, "AGENT_URL", chat_url(r, lead, URL_RESTORE, agent_key, a->id));
		tmpl_set(t, "AGENT_NAME", a->name);
		if (a->id == c->agent_id)
			tmpl_show(t, "SELECTED_AGENT");
		if (a->id == r->session->user_id)
			tmpl_show(t, "YOU");
	}
	if (c->nagents == 0 || !c->agents[0].assigned)
		tmpl_show(d, "NO_AGENTS");
}

/* Send consent request, in the box of the viewer's own conversation with
 * a contact whose circle is not green: the consents page's button (POST
 * /sms/consent, page_consents.c, the same rules and cooling-off), coming
 * back to this box; or, within the cooling-off, from when it may go
 * again. 0 or a status. */
static int fill_consent_ask(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	const struct session *s = r->session;
	if (c->agent_id != s->user_id || c->contact == NONE)
		return 0;
	const struct chat_contact *e = &c->contacts[c->contact];
	struct consent_settings cs;
	struct send_facts f;
	struct consent_state st;
	if (consent_settings_load(r->db, r->a, s->org_id, &cs) < 0)
		return 503;
	int rc = sending_sender_facts(r, c->lead.id, &f);
	if (rc)
		return rc;
	if (consent_state_load(r->db, r->a, s->org_id, s->time_zone, cs.cooloff_hours,
			       e->is_partner, f.sender_has_number ? s->sms_number : NULL,
			       e->number, &st) < 0)
		return 503;
	f.has_contact = f.has_mobile = 1;
	f.consent = st.status;
	const char *no = rules_consent_request_refusal(&f, st.opted_out, st.asked_recently);
	if (no && strcmp(no, "asked_recently") == 0) {
		tmpl_dict *later = tmpl_section(d, "CONSENT_LATER");
		tmpl_set(later, "AGAIN_AT", st.ask_again_at);
		tmpl_set(later, "AGAIN_ISO", st.ask_again_iso);
		return 0;
	}
	if (no)
		return 0;
	tmpl_dict *t = tmpl_section(d, "CONSENT_ASK");
	tmpl_set_int(t, "CONTACT_ID", e->id);
	tmpl_set(t, "ASK_TEXT", st.status == CONSENT_PENDING || st.has_history ?
		 "Resend consent request" : "Send consent request");
	return 0;
}

/* Why the box may not send; for consent, since when and why, and a link
 * to the page that changes it. 0 or 503. */
static int fill_refused(struct req *r, const struct chatbox *c, tmpl_dict *d,
			const char *consents)
{
	tmpl_show(d, "REFUSED");
	const char *reason = sending_refusal_text(r, c->refusal);
	if ((strcmp(c->refusal, "pending_consent") == 0 || strcmp(c->refusal, "no_consent") == 0) &&
	    c->contact != NONE) {
		const struct chat_contact *e = &c->contacts[c->contact];
		struct consent_state st;
		if (consent_state_load(r->db, r->a, r->session->org_id, r->session->time_zone, 0,
				       e->is_partner, c->agent_number, e->number, &st) < 0)
			return 503;
		reason = consent_state_reason(r->a, &st);
		tmpl_set(tmpl_section(d, "REASON_CONSENTS"), "CONSENTS_URL", consents);
		int rc = fill_consent_ask(r, c, d);
		if (rc)
			return rc;
	}
	tmpl_set(d, "REASON", reason);
	return 0;
}

/* The box may send: the quiet hours note, and Send later, from now to a
 * year ahead on the agent's wall clock. */
static void fill_allowed(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	tmpl_show(d, "ALLOWED");
	fill_quiet_note(r, c, d);
	char min[32], max[32];
	long long now = clock_now();
	const char *zone = r->session->time_zone;
	if (tz_strftime(zone, now + 60, "%Y-%m-%dT%H:%M", min, sizeof min) == 0 &&
	    tz_strftime(zone, now + SEND_LATER_MAX_DAYS * 86400LL, "%Y-%m-%dT%H:%M", max,
			sizeof max) == 0) {
		tmpl_set(d, "LATER_MIN", min);
		tmpl_set(d, "LATER_MAX", max);
	}
	char abbr[16];
	tmpl_set(d, "ZONE", tz_abbrev(zone, now, abbr, sizeof abbr) == 0 ? abbr : "UTC");
	/* a refused text that was to go later: its time stays, and Send
	 * anyway or Replace them keeps it (page_send.c) */
	if (c->draft.body && c->draft.send_at) {
		tmpl_show(d, "LATER_OPEN");
		tmpl_set(d, "LATER_VALUE", c->draft.send_at);
		tmpl_show(d, "DRAFT_LATER");
	}
}

/* ---- saved replies (replies.h), merged for the selected contact and the
 * sender, offered under the box that may send: a GET form whose choice,
 * reply_ID=R, puts the merged text in the box on the next page load, the
 * rest of the page's address kept (static/smsdesk.js fills the box at
 * once instead). A field with no value stays as its marker, with a note
 * to fill it in; /sms/send refuses a text that still holds one. */

/* "Ana Maria Ruiz": first "Ana", last "Maria Ruiz" (NULL when absent). */
static void split_name(struct arena *a, const char *name, const char **first,
		       const char **last)
{
	*first = *last = NULL;
	if (!name)
		return;
	while (*name == ' ')
		name++;
	const char *sp = strchr(name, ' ');
	*first = sp ? arena_strndup(a, name, (size_t)(sp - name)) : name;
	if (sp) {
		while (*sp == ' ')
			sp++;
		*last = *sp ? sp : NULL;
	}
}

/* The values of the merge fields in this box; 0 or 503. */
static int merge_values_for(struct req *r, const struct chatbox *c, struct merge_values *v)
{
	const struct session *s = r->session;
	memset(v, 0, sizeof *v);
	const struct chat_contact *e = &c->contacts[c->contact];
	for (size_t i = 0; i < c->all.n; i++)
		if (c->all.v[i].id == e->id)
			split_name(r->a, c->all.v[i].name, &v->v[MERGE_FIRST_NAME],
				   &v->v[MERGE_LAST_NAME]);
	if (users_nmls_id(r->db, r->a, s->user_id, &v->v[MERGE_NMLS_ID]) < 0)
		return 503;
	v->v[MERGE_AGENT_NAME] = s->name;
	const char *last;
	split_name(r->a, s->name, &v->v[MERGE_AGENT_FIRST_NAME], &last);
	v->v[MERGE_AGENT_PHONE] = s->sms_number ? phone_shown(r->a, s->sms_number) : NULL;
	v->v[MERGE_ORG_NAME] = s->org_name;
	v->v[MERGE_APPLICATION] = c->lead.name;
	return 0;
}

/* "Fill in the NMLS ID before sending: it shows as [NMLS ID]." for the
 * fields missing, or NULL. */
static const char *unfilled_note(struct req *r, unsigned missing)
{
	if (!missing)
		return NULL;
	struct buf b = { 0 }, m = { 0 };
	int n = 0;
	for (int f = 0; f < MERGE_FIELD_COUNT; f++)
		if (missing & (1u << f))
			n++;
	int k = 0;
	for (int f = 0; f < MERGE_FIELD_COUNT; f++) {
		if (!(missing & (1u << f)))
			continue;
		const char *sep = k == 0 ? "" : k == n - 1 ? " and " : ", ";
		buf_printf(&b, "%s%s", sep, merge_field_label((enum merge_field)f));
		buf_printf(&m, "%s%s", sep, merge_marker((enum merge_field)f));
		k++;
	}
	const char *note = arena_printf(r->a, "Fill in %s before sending: %s %s in brackets (%s).",
					b.p, n == 1 ? "it is" : "they are", "shown", m.p);
	buf_free(&b);
	buf_free(&m);
	return note;
}

/* The page's address parameters that the reply form keeps, with this
 * box's selections made explicit. */
static void fill_reply_keep(struct req *r, const struct chatbox *c, tmpl_dict *form)
{
	long long lead = c->lead.id;
	const char *contact_key = arena_printf(r->a, "contact_%lld", lead);
	const char *agent_key = arena_printf(r->a, "agent_%lld", lead);
	const char *reply_key = arena_printf(r->a, "reply_%lld", lead);
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name;
		if (strcmp(name, "done") == 0 || strcmp(name, "error") == 0 ||
		    strncmp(name, "draft_", 6) == 0 || strcmp(name, reply_key) == 0 ||
		    strcmp(name, contact_key) == 0 || strcmp(name, agent_key) == 0)
			continue;
		tmpl_dict *k = tmpl_section(form, "KEEP");
		tmpl_set(k, "NAME", name);
		tmpl_set(k, "VALUE", r->query.v[i].value);
	}
	tmpl_dict *k = tmpl_section(form, "KEEP");
	tmpl_set(k, "NAME", contact_key);
	tmpl_set_int(k, "VALUE", c->contacts[c->contact].id);
	k = tmpl_section(form, "KEEP");
	tmpl_set(k, "NAME", agent_key);
	tmpl_set_int(k, "VALUE", c->agent_id);
}

/* The saved replies' form; *chosen: the merged text of reply_ID, put in
 * the box unless a refused draft is there. 0 or 503. */
static int fill_replies(struct req *r, const struct chatbox *c, tmpl_dict *d, const char **chosen)
{
	*chosen = NULL;
	if (c->contact == NONE)
		return 0;
	struct reply *list;
	int n = replies_list(r->db, r->a, r->session->org_id, r->session->user_id, &list);
	if (n < 0)
		return 503;
	if (n == 0)
		return 0;
	struct merge_values v;
	if (merge_values_for(r, c, &v))
		return 503;
	const char *param = params_get(&r->query, arena_printf(r->a, "reply_%lld", c->lead.id));
	long long want = param ? value_id(param) : 0;
	tmpl_dict *form = tmpl_section(d, "REPLIES");
	tmpl_set(form, "REPLIES_ACTION", r->path);
	fill_reply_keep(r, c, form);
	const char *note = NULL;
	for (int i = 0; i < n; i++) {
		long len = merge_apply(list[i].body, strlen(list[i].body), &v, NULL, 0, NULL);
		if (len < 0)
			continue;  /* stored before its check: not offered */
		char *text = arena_alloc(r->a, (size_t)len + 1);
		unsigned missing = 0;
		if (merge_apply(list[i].body, strlen(list[i].body), &v, text, (size_t)len + 1,
				&missing) != len)
			continue;
		tmpl_dict *o = tmpl_section(form, "REPLY");
		tmpl_set_int(o, "REPLY_ID", list[i].id);
		tmpl_set(o, "REPLY_NAME", list[i].org_wide ?
			 arena_printf(r->a, "%s (organization)", list[i].name) : list[i].name);
		tmpl_set(o, "MERGED", text);
		const char *why = unfilled_note(r, missing);
		tmpl_set(o, "NOTE", why ? why : "");
		if (list[i].id == want) {
			tmpl_show(o, "CHOSEN");
			*chosen = text;
			note = why;
		}
	}
	if (*chosen && !c->draft.body) {
		tmpl_set(d, "DRAFT", *chosen);
		if (note)
			tmpl_set(d, "UNFILLED_TEXT", note);
	} else {
		*chosen = NULL;
	}
	return 0;
}

/* The send form: its tokens and fields, then what the rules say, the
 * counter and the refused text. 0 or a status. */
static int fill_send_form(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	long long lead = c->lead.id;
	tmpl_set(d, "CSRF", r->session->csrf);
	char once[65];
	if (random_token(once) < 0)
		return 500;
	tmpl_set(d, "SUBMIT_TOKEN", once);
	tmpl_set_int(d, "CONTACT_ID", c->contact == NONE ? 0 : c->contacts[c->contact].id);
	tmpl_set_int(d, "AGENT_ID", c->agent_id);
	tmpl_set(d, "BACK", chat_url(r, lead, 0, NULL, 0));
	const char *consents = arena_printf(r->a, "/leads/%lld/consents?back=%s", lead,
					    url_encode(r->a, chat_url(r, lead, 0, NULL, 0)));
	tmpl_set(d, "CONSENTS_URL", consents);
	const char *chosen = NULL;
	if (c->refusal) {
		int rc = fill_refused(r, c, d, consents);
		if (rc)
			return rc;
	} else {
		fill_allowed(r, c, d);
		int rc = fill_replies(r, c, d, &chosen);
		if (rc)
			return rc;
	}
	fill_counter(r, c->draft.body ? c->draft.body : chosen, d);
	fill_draft(r, c, d);
	return 0;
}

/* Done and Mark unread for the conversation shown (the inbox's Needs
 * reply: inbox.h), back to this page. */
static void fill_reply_state(struct req *r, const struct chatbox *c, tmpl_dict *d)
{
	if (c->contact == NONE)
		return;
	tmpl_dict *f = tmpl_section(d, "REPLY_STATE");
	tmpl_set(f, "CSRF", r->session->csrf);
	tmpl_set_int(f, "AGENT", c->agent_id);
	tmpl_set_int(f, "LEAD", c->lead.id);
	tmpl_set_int(f, "CONTACT", c->contacts[c->contact].id);
	tmpl_set(f, "BACK", chat_url(r, c->lead.id, 0, NULL, 0));
}

static int fill_open(struct req *r, const struct chatbox *c, tmpl_dict *box)
{
	tmpl_dict *d = tmpl_section(box, "OPEN");
	tmpl_set_int(d, "LEAD_ID", c->lead.id);
	tmpl_set(d, "MINIMIZE_URL", chat_url(r, c->lead.id, URL_MINIMIZE, NULL, 0));
	fill_contacts(r, c, d);
	fill_agents(r, c, d);
	fill_reply_state(r, c, d);
	int rc = fill_messages(r, c, d);
	return rc ? rc : fill_send_form(r, c, d);
}

static int chat_fill(struct req *r, const struct chatbox *c, int latest, tmpl_dict *list)
{
	long long lead = c->lead.id;
	tmpl_dict *box = tmpl_section(list, "CHAT");
	tmpl_set_int(box, "LEAD_ID", lead);
	tmpl_set(box, "TITLE", c->title);
	tmpl_set(box, "CLOSE_URL", chat_url(r, lead, URL_CLOSE, NULL, 0));
	/* Maximize (and the stacked header's control) reopens the box as the
	 * newest, on the contact of the newest incoming text */
	size_t e = c->all.last_in.contact_id ? entry_of_contact(c, c->all.last_in.contact_id) : NONE;
	const char *maximize = e == NONE ? chat_url(r, lead, URL_RAISE, NULL, 0)
		: chat_url(r, lead, URL_RAISE, arena_printf(r->a, "contact_%lld", lead), c->contacts[e].id);
	tmpl_set(box, "RAISE_URL", maximize);
	/* the application, with the open boxes (and so their drafts) kept */
	const char *here = chat_url(r, lead, 0, NULL, 0), *query = strchr(here, '?');
	tmpl_set(box, "TITLE_URL", arena_printf(r->a, "/leads/%lld%s", lead, query ? query : ""));
	if (latest)
		tmpl_show(box, "LATEST");
	if (!c->minimized)
		return fill_open(r, c, box);
	tmpl_show(box, "MINIMIZED");
	tmpl_dict *max = tmpl_section(box, "MAXIMIZE");
	tmpl_set(max, "MAXIMIZE_URL", maximize);
	/* wide windows (smsdesk.js): the box reopens where it is, the others
	 * keeping their places and states */
	tmpl_set(max, "RESTORE_URL", e == NONE ? chat_url(r, lead, URL_RESTORE, NULL, 0)
		 : chat_url(r, lead, URL_RESTORE, arena_printf(r->a, "contact_%lld", lead), c->contacts[e].id));
	return 0;
}

static int newer(const struct chatbox *a, const struct chatbox *b)
{
	int cmp = strcmp(a->all.last_in.at, b->all.last_in.at);
	return cmp > 0 || (cmp == 0 && a->all.last_in.id > b->all.last_in.id);
}

int chat_render_all(struct req *r, tmpl_dict *body)
{
	if (prune_boxes(r))
		return 503;
	long long ids[CHATS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < r->query.n && n < CHATS_MAX; i++) {
		if (strcmp(r->query.v[i].name, "chat") != 0)
			continue;
		long long id = value_id(r->query.v[i].value);
		int seen = 0;
		for (size_t j = 0; j < n; j++)
			seen |= ids[j] == id;
		if (!seen && id > 0)
			ids[n++] = id;
	}
	if (n == 0)
		return 0;
	struct chatbox *boxes = arena_calloc(r->a, n, sizeof *boxes);
	size_t latest = NONE, kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct chatbox *c = &boxes[kept];
		int rc = chat_load(r, ids[i], c);
		if (rc == 404) {
			/* a selection that is not on the lead */
			memset(c, 0, sizeof *c);
			drop_box(r, ids[i]);
			continue;
		}
		if (rc)
			return rc;
		if (c->all.last_in.id && (latest == NONE || newer(c, &boxes[latest])))
			latest = kept;
		kept++;
	}
	if (kept == 0)
		return 0;
	tmpl_dict *list = tmpl_include(body, "CHATBOXES", "chat.tpl");
	for (size_t i = 0; i < kept; i++) {
		int rc = chat_fill(r, &boxes[i], i == latest, list);
		if (rc)
			return rc;
	}
	return 0;
}
