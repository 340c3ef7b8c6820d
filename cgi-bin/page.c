/* The common layout: header, user menu, SMS notifications icon, footer. */
#include "pages.h"

#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A hash of the static files, so that their URLs change with their content
 * and nginx can let browsers cache them for long. */
static char asset_version[17];

int page_init(const char *static_dir, char *err, size_t errlen)
{
	static const char *const files[] = { "smsdesk.css", "smsdesk.js" };
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
	return 0;
}

tmpl_dict *page_begin(struct req *r, const char *title, const char *body_template)
{
	page_discard(r);
	r->layout = tmpl_dict_new("layout");
	tmpl_set(r->layout, "TITLE", title);
	tmpl_set(r->layout, "ASSET_VERSION", asset_version);
	return tmpl_include(r->layout, "BODY", body_template);
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
	case 503: return "The database cannot be reached right now. Nothing was changed; try again in a moment.";
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
