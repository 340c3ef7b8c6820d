#include "request.h"

#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "pages.h"
#include "router.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#define MAX_PATH 2048
#define MAX_QUERY 8192
#define MAX_COOKIE 8192

/* a generated id: 16 hex digits and the NUL */
_Static_assert(sizeof ((struct req *)0)->id >= 17, "a request id fits");

static void set_request_id(struct req *r, const char *given)
{
	size_t n = strlen(given);
	int ok = n >= 8 && n < sizeof r->id;
	for (size_t i = 0; ok && i < n; i++)
		ok = (given[i] >= '0' && given[i] <= '9') || (given[i] >= 'a' && given[i] <= 'f');
	if (ok) {
		memcpy(r->id, given, n + 1);
		return;
	}
	unsigned char raw[8];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		memset(raw, 0, sizeof raw);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(r->id + 2 * i, 3, "%02x", raw[i]);
}

static int is_form(const char *ctype)
{
	static const char form[] = "application/x-www-form-urlencoded";
	size_t n = sizeof form - 1;
	return strncasecmp(ctype, form, n) == 0 && (ctype[n] == '\0' || ctype[n] == ';');
}

int request_prepare(struct req *r, const struct request_params *p)
{
	struct arena *a = r->a;
	set_request_id(r, p->request_id);
	r->status = 200;
	r->method = arena_strdup(a, p->method);
	r->remote_addr = utf8_prefix(a, p->remote_addr, 45);
	r->user_agent = utf8_prefix(a, p->user_agent, 255);
	r->content_type = arena_strdup(a, p->content_type);
	r->signature = p->signature ? arena_strndup(a, p->signature, strnlen(p->signature, 128)) : "";
	r->path = "/";

	size_t mlen = strlen(r->method);
	if (mlen == 0 || mlen > 10 || strspn(r->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != mlen)
		return 400;

	const char *uri = p->request_uri, *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	char *path;
	if (plen == 0 || plen > MAX_PATH || uri[0] != '/') {
		r->notice = "The address is malformed or too long.";
		return 400;
	}
	int err = url_decode(a, uri, plen, 0, &path);
	if (err) {
		r->notice = parse_error_text(err);
		return 400;
	}
	r->path = path;

	/* the size limit holds whatever the address */
	const char *cl = p->content_length;
	if (*cl) {
		char *end;
		long n = strtol(cl, &end, 10);
		if (*end || n < 0) {
			r->notice = "The Content-Length is malformed.";
			return 400;
		}
		if (n > r->cfg->max_body_bytes)
			return 413;
		r->content_length = n;
	}
	char allow[64];
	int status = 0;
	r->route = router_match(r->method, r->path, r->ids, &status, allow, sizeof allow);
	if (!r->route) {
		if (status == 405)
			resp_header(r, "Allow", allow);
		return status;
	}

	size_t qlen = strlen(p->query_string);
	if (qlen > MAX_QUERY) {
		r->notice = "The query string is too long.";
		return 400;
	}
	r->query_string = arena_strndup(a, p->query_string, qlen);
	err = parse_urlencoded(a, r->query_string, qlen, &r->query);
	if (err) {
		r->notice = parse_error_text(err);
		return 400;
	}
	if (strlen(p->cookie) > MAX_COOKIE || parse_cookies(a, p->cookie, &r->cookies)) {
		r->notice = "The cookies sent are malformed or too large.";
		return 400;
	}

	if (strcmp(r->method, "POST") == 0 && r->content_length > 0 &&
	    !is_form(r->content_type))
		return 415;
	return 0;
}

int request_wants_body(const struct req *r)
{
	return strcmp(r->method, "POST") == 0;
}

int request_parse_body(struct req *r)
{
	if (memchr(r->body, '\0', r->body_len)) {
		r->notice = parse_error_text(PARSE_NUL);
		return 400;
	}
	int err = parse_urlencoded(r->a, r->body, r->body_len, &r->form);
	if (err) {
		r->notice = parse_error_text(err);
		return 400;
	}
	return 0;
}

static void reset_response(struct req *r)
{
	r->status = 200;
	r->content_type_out = NULL;
	r->notice = NULL;
	buf_clear(r->headers);
	buf_clear(r->out);
	page_discard(r);
	r->access_seen = NULL;
}

/* Who may call the route; 0 to go on, or a status. */
static int check_access(struct req *r)
{
	const struct route *rt = r->route;
	if (!(rt->flags & ROUTE_NO_SESSION)) {
		int rc = auth_load_session(r);
		if (rc)
			return rc;
	}
	if (rt->access != ACCESS_ANYONE && !r->session) {
		if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
			const char *next = *r->query_string ?
				arena_printf(r->a, "%s?%s", r->path, r->query_string) : r->path;
			resp_redirect(r, arena_printf(r->a, "/login?next=%s", url_encode(r->a, next)));
			return -1;
		}
		r->notice = "You are not signed in, or your session expired. Sign in and try again.";
		return 403;
	}
	if (r->session) {
		enum role role = r->session->role;
		int allowed = rt->access == ACCESS_ANYONE || rt->access == ACCESS_SIGNED_IN ||
			      (rt->access == ACCESS_ORG && role != ROLE_SUPERADMIN) ||
			      (rt->access == ACCESS_ADMIN && role == ROLE_ADMIN) ||
			      (rt->access == ACCESS_SUPERADMIN && role == ROLE_SUPERADMIN);
		if (!allowed)
			return 403;
	}
	if (strcmp(r->method, "POST") == 0 && !(rt->flags & ROUTE_NO_CSRF) && auth_check_csrf(r)) {
		r->notice = "The form's security token is missing or wrong.";
		return 403;
	}
	return 0;
}

static int run_route(struct req *r)
{
	const struct route *rt = r->route;
	assert(rt);  /* request_prepare matched one, or the request ended there */
	for (int attempt = 0;; attempt++) {
		db_request_begin(r->db, r->id);
		int status = check_access(r);
		if (status == -1)
			return 0; /* answered: a redirect to the sign-in page */
		if (status == 0)
			status = rt->fn(r);
		int failed = status != 0 || r->status >= 500;
		/* MariaDB went away: reconnect and run the request once more,
		 * unless it may already have committed something. */
		if (failed && attempt == 0 && db_unavailable(r->db) && !db_committed(r->db)) {
			log_info(r->id, "database connection lost; retrying the request once");
			reset_response(r);
			continue;
		}
		/* a deadlock, or on Galera a certification conflict with another
		 * node: the transaction was rolled back whole, so run it again */
		if (failed && attempt < DB_CONFLICT_RETRIES && db_conflict(r->db) &&
		    !db_committed(r->db)) {
			log_info(r->id, "transaction conflict; running the request again");
			reset_response(r);
			db_conflict_pause(attempt + 1);
			continue;
		}
		if (status >= 500 && (db_unavailable(r->db) || db_conflict(r->db))) {
			status = 503;
			if (db_committed(r->db))
				r->notice = "The connection was lost while saving: your change may have "
					    "been made. Reload the page to see before trying again.";
		}
		return status;
	}
}

void request_run(struct req *r, int status)
{
	if (status == 0)
		status = run_route(r);
	if (status >= 400) {
		/* keep Allow for 405; nothing else a failed handler set survives */
		if (status != 405)
			buf_clear(r->headers);
		if (status == 503)
			resp_header(r, "Retry-After", "5");
		resp_header(r, "Cache-Control", "no-store");
		page_error(r, status);
	}
	/* every page smsdesk makes is the signed-in user's own, or holds a
	 * form's token: no cache keeps it (media say "private" themselves) */
	if (!resp_has_header(r, "Cache-Control"))
		resp_header(r, "Cache-Control", "no-store");
	if (r->status >= 400)
		log_warn(r->id, "%s %s -> %d%s%s", r->method, r->path, r->status,
			 r->notice ? ": " : "", r->notice ? r->notice : "");
}
