/* The request context passed to every handler, and the parsers that fill it. */
#ifndef SMSDESK_HTTP_H
#define SMSDESK_HTTP_H
#include "arena.h"

#include <stddef.h>

struct config;
struct db;
struct tmpl_dict;
struct session;
struct route;

struct param {
	const char *name, *value;
};
struct params {
	struct param *v;
	size_t n;
};

enum parse_error {
	PARSE_OK = 0,
	PARSE_BAD_PERCENT = -1,  /* malformed %XX */
	PARSE_BAD_UTF8 = -2,
	PARSE_NUL = -3,
	PARSE_TOO_MANY = -4,
};

#define MAX_PARAMS 256

struct req {
	struct arena *a;
	const struct config *cfg;
	struct db *db;
	void *fcgi;              /* FCGX_Request *, NULL outside smsdesk.fcgi */
	char id[33];             /* request id, in every log line of the request */

	const char *method, *path, *query_string, *content_type, *remote_addr;
	const char *user_agent;
	const char *signature;    /* X-Twilio-Signature, for webhooks */
	long content_length;
	const char *body;        /* raw body, NUL terminated (form POSTs only) */
	size_t body_len;
	struct params query, form, cookies;
	const struct route *route;
	long long ids[2];        /* numeric path segments matched by the router */

	/* response, buffered so that a failed request can still be answered
	 * with a clean error page or retried */
	int status;
	struct buf *headers;
	struct buf *out;
	const char *content_type_out;
	struct tmpl_dict *layout; /* page being built, see page.h */

	struct session *session;  /* signed-in user, or NULL */
	void *access_seen;        /* leads access_lead answered for (access.c) */
	const char *notice;       /* extra line for an error page */
};

int utf8_valid(const char *s, size_t n);
/* At most max characters of s (cut on a character boundary; invalid UTF-8
 * gives ""), copied into the arena: for columns of a fixed width. */
char *utf8_prefix(struct arena *a, const char *s, size_t max_chars);
/* Decodes %XX (and '+' as space when plus_is_space); refuses malformed
 * escapes, invalid UTF-8 and NUL bytes in the result. */
int url_decode(struct arena *a, const char *s, size_t n, int plus_is_space,
	       char **out);
int parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out);
int parse_cookies(struct arena *a, const char *header, struct params *out);
/* Percent-encodes everything but unreserved characters and '/'. */
char *url_encode(struct arena *a, const char *s);
const char *params_get(const struct params *p, const char *name);
/* The value of a positive id parameter, or 0 when absent or malformed. */
long long params_id(const struct params *p, const char *name);
const char *parse_error_text(int err);

const char *http_reason(int status);
void resp_header(struct req *r, const char *name, const char *value);
/* True when the answer already has a header of that name (any case). */
int resp_has_header(const struct req *r, const char *name);
void resp_redirect(struct req *r, const char *location);  /* 303 */
void resp_text(struct req *r, int status, const char *ctype, const char *text);
/* A path safe to redirect to after login: same site, starts with one '/'. */
int local_path_ok(const char *p);
#endif
