/* The common layout: header, user menu, SMS notifications icon, footer. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A hash of the static files, so that their URLs change with their content
 * and nginx can let browsers cache them for long. */
static char asset_version[17];

int page_init(const char *static_dir, char *err, size_t errlen)
{
	static const char *const files[] = { "smsdesk.css", "smsdesk.js", "sms_text.js" };
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

/* The header's link to the Unmatched texts, with how many wait there (the
 * user's own; the organization's for admins and managers). */
#define UNMATCHED_COUNT_MAX 99
static void unmatched_link(struct req *r, tmpl_dict *u)
{
	const struct session *s = r->session;
	struct db_rows rows;
	tmpl_dict *link = tmpl_section(u, "UNMATCHED_LINK");
	int all = access_sees_all_leads(r);
	if (db_query(r->db, r->a, &rows,
		     all ? "SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE org_id = ?"
			   " AND lead_id IS NULL AND direction = 'inbound' LIMIT ?) x"
			 : "SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE user_id = ?"
			   " AND lead_id IS NULL AND direction = 'inbound' LIMIT ?) x",
		     "ii", all ? s->org_id : s->user_id, (long long)UNMATCHED_COUNT_MAX + 1) < 0 ||
	    rows.n != 1)
		return;  /* the page still renders; the count is a convenience */
	long long n = db_get_ll(&rows, 0, 0);
	if (n > 0)
		tmpl_set(tmpl_section(link, "UNMATCHED_COUNT"), "COUNT",
			 n > UNMATCHED_COUNT_MAX ? "99+" : arena_printf(r->a, "%lld", n));
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
			unmatched_link(r, u);
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
	case 403: return "The form may have expired. Go back, reload the page and try again.";
	case 404: return "There is nothing here, or you do not have access to it.";
	case 405: return "This address does not accept that kind of request.";
	case 413: return "The request is larger than smsdesk accepts.";
	case 415: return "Forms must be sent as application/x-www-form-urlencoded.";
	case 503: return "The database cannot be reached right now. Try again in a moment.";
	default: return "The error was logged. Nothing was changed; try again in a moment.";
	}
}

void page_error(struct req *r, int status)
{
	tmpl_dict *d = page_begin(r, error_title(status), "error.tpl");
	tmpl_set_int(d, "STATUS", status);
	tmpl_set(d, "HEADING", error_title(status));
	tmpl_set(d, "TEXT", error_text(status));
	if (r->notice)
		tmpl_set(tmpl_section(d, "NOTICE"), "NOTICE_TEXT", r->notice);
	tmpl_set(d, "REQUEST_ID", r->id);
	if (page_finish(r)) {
		/* the error template itself failed: answer in plain text */
		resp_text(r, status, "text/plain; charset=utf-8", error_title(status));
	}
	r->status = status;
}

int page_status_error(struct req *r)
{
	long long status = r->ids[0];
	return status >= 400 && status <= 599 ? (int)status : 404;
}
