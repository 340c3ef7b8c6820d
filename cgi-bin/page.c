/* The common layout: header, user menu, SMS notifications icon, footer. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "chat.h"
#include "clock.h"
#include "conversation.h"
#include "db.h"
#include "format.h"
#include "inbox.h"
#include "log.h"
#include "tz.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A hash of the static files, so that their URLs change with their content
 * and nginx can let browsers cache them for long. */
static char asset_version[17];

int page_init(const char *static_dir, char *err, size_t errlen)
{
	static const char *const files[] = { "smsdesk.css", "smsdesk.js", "sms_text.js", "sensitive.js",
					     "loanfile.css" };
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", static_dir, files[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(err, errlen, "static: cannot read %s", path);
			return -1;
		}
		int c;
		while ((c = getc(f)) != EOF) {
			h ^= (unsigned char)c;
			h *= 1099511628211ULL;
		}
		fclose(f);
	}
	snprintf(asset_version, sizeof asset_version, "%016llx", (unsigned long long)h);
	tmpl_set_global("ASSET_VERSION", asset_version);
	return 0;
}

/* ---- the SMS notifications icon
 *
 * Unread: inbound texts that arrived since the user's previous page load
 * (schema/0012-notifications.sql keeps the counts). This page load shows
 * them and acknowledges them by moving the user's epoch on, so the next
 * load, or a new sign-in, shows none. What one request read is kept for
 * the rest of it (an error page drawn after the body shows the same). */
#define NOTIF_HEADER_ROWS 8
#define NOTIF_COUNT_MAX 99
/* the session's Needs reply count is exact up to what the header shows */
_Static_assert(NEEDS_REPLY_COUNT_MAX >= NOTIF_COUNT_MAX, "Needs reply counted too little");

static _Thread_local struct notify_seen {
	const struct req *r;
	char id[33];
	long long epoch;   /* counts of this epoch are unread on this page; 0: none */
	long long total;
	long long unmatched;  /* texts waiting in Unmatched (see unmatched_link) */
	struct db_rows rows;  /* the dropdown's conversations */
} seen;

/* The header's link to the Unmatched texts, with how many wait there (the
 * user's own; the organization's for admins and managers), kept by the
 * messages triggers (schema/0025-unmatched-count.sql) and read with the
 * session. */
#define UNMATCHED_COUNT_MAX 99
static int notify_acknowledge(struct req *r);

static void unmatched_link(struct req *r, tmpl_dict *u)
{
	tmpl_dict *link = tmpl_section(u, "UNMATCHED_LINK");
	if (notify_acknowledge(r))
		return;  /* the page still renders; the count is a convenience */
	long long n = seen.unmatched;
	if (n > 0)
		tmpl_set(tmpl_section(link, "UNMATCHED_COUNT"), "COUNT",
			 n > UNMATCHED_COUNT_MAX ? "99+" : arena_printf(r->a, "%lld", n));
}

static const char *count_text(struct req *r, long long n)
{
	return n > NOTIF_COUNT_MAX ? "99+" : arena_printf(r->a, "%lld", n);
}

/* Acknowledges the user's unread total (read with the session) and reads
 * the header's conversations: 0 or 503. */
static int notify_acknowledge(struct req *r)
{
	const struct session *s = r->session;
	if (seen.r == r && strcmp(seen.id, r->id) == 0)
		return 0;
	long long epoch = 0, total = 0;
	/* only a page load acknowledges: a HEAD, or an error page after a POST, does not */
	int load = strcmp(r->method, "GET") == 0;
	if (!s->has_notify) {
		if (load && conversation_notify_create(r->db, s->user_id, s->id) < 0)
			return 503;
	} else if (s->notify_session != s->id) {
		/* a new sign-in: everything before it counts as seen */
		if (load && conversation_notify_new_session(r->db, s->user_id, s->id) < 0)
			return 503;
	} else {
		epoch = s->notify_epoch;
		total = s->notify_unread;
		/* a text that arrives meanwhile changes unread: it stays for the next load */
		if (load && total > 0 &&
		    conversation_notify_seen(r->db, s->user_id, epoch, total) < 0)
			return 503;
	}
	/* read on every page: a copy kept between pages would need a version
	 * every text of the user moves, one row all of them wait for */
	struct db_rows rows;
	if (conversation_list_rows(r->db, r->a, epoch, s->user_id, (long long)NOTIF_HEADER_ROWS + 1, 0,
				   &rows) < 0)
		return 503;
	seen.r = r;
	snprintf(seen.id, sizeof seen.id, "%s", r->id);
	seen.epoch = epoch;
	seen.total = total;
	seen.unmatched = access_sees_all_leads(r) ? s->unmatched_org : s->unmatched_own;
	seen.rows = rows;
	return 0;
}

/* The chatbox of lead is open (not minimized) on this page. */
static int chat_is_open(const struct req *r, long long lead)
{
	int open = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		const char *name = r->query.v[i].name;
		struct param p = { "v", r->query.v[i].value };
		struct params one = { &p, 1 };
		long long id = params_id(&one, "v");
		if (id != lead)
			continue;
		if (strcmp(name, "chat") == 0)
			open = 1;
		else if (strcmp(name, "min") == 0)
			return 0;
	}
	return open;
}

/* Where a conversation's row goes: its chatbox on its own application's
 * page, never over another lead's page. On that very page the box opens
 * over it, the boxes already open kept. */
static const char *conversation_url(struct req *r, long long lead, long long contact)
{
	if (strcmp(r->path, arena_printf(r->a, "/leads/%lld", lead)) == 0)
		return chat_open_contact_url(r, lead, contact);
	return arena_printf(r->a, "/leads/%lld?chat=%lld&contact_%lld=%lld", lead, lead, lead, contact);
}

/* Rows of the user's conversations, most recent first, into section
 * CONVERSATION of d. Returns the rows filled, or -1 (503). Unread counts
 * are those this page load acknowledged. *unseen is set when a listed
 * conversation with unread texts has no open chatbox here; *more (when
 * given) when rows follow the last one filled. */
int page_conversations(struct req *r, tmpl_dict *d, long long limit, long long offset,
		       int *unseen, int *more)
{
	const struct session *s = r->session;
	struct db_rows rows;
	if (notify_acknowledge(r))
		return -1;
	/* the header's rows were read with its values (notify_acknowledge) */
	if (limit == NOTIF_HEADER_ROWS && offset == 0)
		rows = seen.rows;
	else if (conversation_list_rows(r->db, r->a, seen.epoch, s->user_id, limit + 1, offset,
					&rows) < 0)
		return -1;
	struct conv_summary *cv = conversation_summaries(r->a, s->time_zone, &rows);
	if (more)
		*more = rows.n > (size_t)limit;
	if (rows.n > (size_t)limit)
		rows.n = (size_t)limit;
	int chat_page = strcmp(r->path, "/leads") == 0 || strncmp(r->path, "/leads/", 7) == 0;
	if (unseen)
		*unseen = 0;
	for (size_t i = 0; i < rows.n; i++) {
		long long lead = cv[i].lead_id, contact = cv[i].contact_id, unread = cv[i].unread;
		tmpl_dict *row = tmpl_section(d, "CONVERSATION");
		const char *name = cv[i].contact_name, *body = cv[i].last_body;
		tmpl_set(row, "CONTACT_NAME", name && *name ? name : "Unnamed contact");
		tmpl_set(row, "LEAD_NAME", cv[i].lead_name);
		if (cv[i].outbound)
			tmpl_show(row, "YOU_WROTE");
		tmpl_set(row, "LAST_TEXT", body && *body ? body :
					   cv[i].last_media ? "(image)" : "(empty text)");
		tmpl_set(row, "LAST_WHEN", cv[i].last_at);
		tmpl_set(row, "LAST_ISO", cv[i].last_iso);
		tmpl_set(row, "URL", conversation_url(r, lead, contact));
		if (cv[i].needs_reply)
			tmpl_set(tmpl_section(row, "NEEDS_REPLY"), "WAITING",
				 inbox_waiting_text(r->a, cv[i].waiting_s));
		if (unread > 0) {
			tmpl_set(tmpl_section(row, "UNREAD"), "UNREAD", count_text(r, unread));
			if (unseen && !(chat_page && chat_is_open(r, lead)))
				*unseen = 1;
		}
	}
	return (int)rows.n;
}

/* The header's icon and dropdown: the latest conversations, the total
 * unread, and the shake while one of them has no open chatbox. */
static int notifications_menu(struct req *r, tmpl_dict *u)
{
	tmpl_dict *menu = tmpl_section(u, "NOTIFICATIONS");
	int unseen = 0;
	int n = page_conversations(r, menu, NOTIF_HEADER_ROWS, 0, &unseen, NULL);
	if (n < 0)
		return -1;
	if (n == 0)
		tmpl_show(menu, "NO_CONVERSATIONS");
	if (seen.total > 0) {
		tmpl_dict *t = tmpl_section(menu, "TOTAL");
		tmpl_set(t, "TOTAL", count_text(r, seen.total));
		if (unseen)
			tmpl_show(menu, "SHAKE");
	}
	return 0;
}

/* The header's link to /inbox, and beside the notifications icon the
 * number of conversations needing this user's reply (inbox.h), read with
 * the session (none: no count). */
static void inbox_link(struct req *r, tmpl_dict *u)
{
	tmpl_show(u, "INBOX_LINK");
	long long n = r->session->needs_reply;
	if (n <= 0)
		return;  /* like the other counts, none is not shown */
	tmpl_dict *c = tmpl_section(u, "NEEDS_REPLY_COUNT");
	tmpl_set(c, "COUNT", count_text(r, n));
	tmpl_set(c, "NEEDS_TEXT", n == 1 ? "needs a reply" : "need a reply");
}

tmpl_dict *page_begin(struct req *r, const char *title, const char *body_template)
{
	page_discard(r);
	r->layout = tmpl_dict_new("layout");
	tmpl_set(r->layout, "TITLE", title);
	const struct session *s = r->session;
	if (s) {
		tmpl_dict *u = tmpl_section(r->layout, "USER");
		tmpl_set(u, "USER_NAME", s->name);
		char initial[5] = { 0 };
		size_t n = 1;
		while (s->name[n] && ((unsigned char)s->name[n] & 0xc0) == 0x80 && n < 4)
			n++;
		memcpy(initial, s->name, s->name[0] ? n : 0);
		tmpl_set(u, "USER_INITIAL", initial);
		tmpl_set(u, "CSRF", s->csrf);
		if (s->role != ROLE_SUPERADMIN) {
			tmpl_show(u, "LEADS_LINK");
			tmpl_show(u, "REPLIES_LINK");
			unmatched_link(r, u);
			if (notifications_menu(r, u) < 0)
				tmpl_show(u, "NOTIFICATIONS_DOWN");  /* the page still renders */
			inbox_link(r, u);
		}
		if (s->role == ROLE_ADMIN)
			tmpl_show(u, "ADMIN_LINK");
		if (s->role == ROLE_SUPERADMIN)
			tmpl_show(u, "SUPERADMIN_LINK");
	} else {
		tmpl_show(r->layout, "ANON");
	}
	page_flash(r);
	return tmpl_include(r->layout, "BODY", body_template);
}

/* Messages after a redirect come as a code (?done=saved, ?error=bad_phone),
 * never as text from the URL. */
static const struct flash {
	const char *code, *kind, *text;
} flashes[] = {
	{ "saved", "ok", "Saved." },
	{ "created", "ok", "Created." },
	{ "password_changed", "ok", "Your password was changed." },
	{ "assigned", "ok", "The agent was assigned." },
	{ "unassigned", "ok", "The agent was unassigned." },
	{ "reassigned", "ok", "The lead was reassigned." },
	{ "contact_added", "ok", "The contact was added." },
	{ "partner_linked", "ok", "The partner was linked to this lead." },
	{ "bad_phone", "error", "That mobile number is not valid. Use a 10-digit US number or +country code and number." },
	{ "bad_email", "error", "That email address is not valid." },
	{ "bad_name", "error", "Enter a name (at most 200 characters)." },
	{ "bad_role", "error", "Choose a valid role." },
	{ "bad_password", "error", "Passwords must be 10 to 256 characters." },
	{ "password_mismatch", "error", "The two new passwords differ." },
	{ "wrong_password", "error", "The current password is wrong." },
	{ "too_many_attempts", "error", "Too many wrong passwords. Wait a few minutes and try again." },
	{ "dup_email", "error", "That email address is already in use." },
	{ "dup_number", "error", "That SMS number already belongs to another user." },
	/* an organization's admin is not told that a value exists elsewhere */
	{ "email_unusable", "error", "That email address cannot be used. Choose another one." },
	{ "number_unusable", "error", "That SMS number cannot be used. Choose another one." },
	{ "bad_time_zone", "error", "Choose a valid time zone." },
	{ "bad_nmls", "error", "An NMLS ID is 1 to 12 digits." },
	{ "bad_agent", "error", "Choose an active agent of this organization." },
	{ "already_assigned", "error", "That agent is already assigned." },
	{ "not_assigned", "error", "That agent is not assigned to this lead." },
	{ "bad_partner", "error", "Choose a partner of this organization, or give a name and mobile." },
	{ "already_linked", "error", "That partner is already on this lead." },
	{ "bad_contact_role", "error", "A contact is a borrower or a co-borrower." },
	{ "self", "error", "You cannot change your own role or deactivate yourself." },
	{ "bad_level", "error", "The SMS level is standard or advanced." },
	{ "reply_deleted", "ok", "The saved reply was deleted." },
};

void page_flash(struct req *r)
{
	const char *keys[] = { "done", "error" };
	for (size_t k = 0; k < 2; k++) {
		const char *code = params_get(&r->query, keys[k]);
		if (!code)
			continue;
		for (size_t i = 0; i < sizeof flashes / sizeof flashes[0]; i++)
			if (strcmp(flashes[i].code, code) == 0 &&
			    strcmp(flashes[i].kind, k ? "error" : "ok") == 0) {
				tmpl_dict *f = tmpl_section(r->layout, "FLASH");
				tmpl_set(f, "FLASH_KIND", flashes[i].kind);
				tmpl_set(f, "FLASH_TEXT", flashes[i].text);
			}
	}
}

void page_discard(struct req *r)
{
	if (r->layout)
		tmpl_dict_free(r->layout);
	r->layout = NULL;
}

int page_finish(struct req *r)
{
	buf_clear(r->out);
	int rc = tmpl_expand("layout.tpl", r->layout, r->out);
	page_discard(r);
	if (rc) {
		log_error(r->id, "template expansion failed for %s", r->path);
		return 500;
	}
	r->content_type_out = "text/html; charset=utf-8";
	return 0;
}

static const char *error_title(int status)
{
	switch (status) {
	case 400: return "That request could not be understood";
	case 403: return "You may not do that";
	case 404: return "Page not found";
	case 409: return "That could not be done";
	case 405: return "That method is not allowed here";
	case 413: return "That request is too large";
	case 415: return "That kind of request is not accepted";
	case 503: return "smsdesk is temporarily unavailable";
	default: return "Something went wrong";
	}
}

static const char *error_text(int status)
{
	switch (status) {
	case 400: return "Check what you entered and try again.";
	case 409: return "Nothing was changed.";
	case 404: return "There is nothing here, or you do not have access to it.";
	case 405: return "This address does not accept that kind of request.";
	case 413: return "The request is larger than smsdesk accepts.";
	case 415: return "Forms must be sent as application/x-www-form-urlencoded.";
	case 503: return "The database cannot be reached right now. Try again in a moment.";
	default: return "The error was logged. Nothing was changed; try again in a moment.";
	}
}

/* A 403 names its real cause: signed out, an expired form, or a user who
 * may not do it (request.c words the first two as its notice). */
static const struct cause {
	const char *notice_prefix, *title, *text;
} causes_403[] = {
	{ "You are not signed in", "You are not signed in",
	  "Your session ended or you signed out. Sign in and try again." },
	{ "The form's security token", "This form has expired",
	  "The page was open too long, or you signed in again since. Go back, reload the page and try again." },
	{ NULL, "You are not allowed to do that",
	  "Your account does not have permission for this. Ask your organization's admin if you need it." },
};

void page_error(struct req *r, int status)
{
	const char *title = error_title(status), *text = error_text(status), *notice = r->notice;
	if (status == 403) {
		const struct cause *c = causes_403;
		while (c->notice_prefix && !(notice && strncmp(notice, c->notice_prefix,
							       strlen(c->notice_prefix)) == 0))
			c++;
		title = c->title;
		text = c->text;
		if (c->notice_prefix)
			notice = NULL;  /* said by the heading */
	}
	tmpl_dict *d = page_begin(r, title, "error.tpl");
	tmpl_set_int(d, "STATUS", status);
	tmpl_set(d, "HEADING", title);
	tmpl_set(d, "TEXT", text);
	if (notice)
		tmpl_set(tmpl_section(d, "NOTICE"), "NOTICE_TEXT", notice);
	tmpl_set(d, "REQUEST_ID", r->id);
	if (page_finish(r)) {
		/* the error template itself failed: answer in plain text */
		resp_text(r, status, "text/plain; charset=utf-8", title);
	}
	r->status = status;
}

int page_status_error(struct req *r)
{
	long long status = r->ids[0];
	return status >= 400 && status <= 599 ? (int)status : 404;
}
