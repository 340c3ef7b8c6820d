/* The request parsers (cgi-bin/request.c, http.c): a request's FastCGI
 * parameters, one per line of the input (method, URI, query string,
 * Content-Type, Content-Length, cookies, remote address, user agent,
 * request id, signature), then the rest of the input as its body.
 * Properties: whatever request_prepare and request_parse_body accept holds
 * valid UTF-8 without NUL in every name and value, and the path starts
 * with '/'. */
#include "fuzz.h"

#include "config.h"
#include "http.h"
#include "request.h"

#define FIELDS 10

static void params_ok(const struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		FUZZ_CHECK(p->v[i].name && p->v[i].value);
		FUZZ_CHECK(utf8_valid(p->v[i].name, strlen(p->v[i].name)));
		FUZZ_CHECK(utf8_valid(p->v[i].value, strlen(p->v[i].value)));
	}
	FUZZ_CHECK(p->n <= MAX_PARAMS);
}

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *f[FIELDS];
	size_t off = 0;
	for (int i = 0; i < FIELDS; i++) {
		f[i] = fuzz_field(data, n, i);
		const uint8_t *nl = off < n ? memchr(data + off, '\n', n - off) : NULL;
		off = nl ? (size_t)(nl - data) + 1 : n;
	}
	struct config cfg = { 0 };
	cfg.max_body_bytes = 1 << 20;
	struct arena a;
	arena_init(&a);
	struct buf headers = { 0 }, out = { 0 };
	struct req r = { 0 };
	r.a = &a;
	r.cfg = &cfg;
	r.headers = &headers;
	r.out = &out;
	struct request_params p = {
		.method = f[0], .request_uri = f[1], .query_string = f[2], .content_type = f[3],
		.content_length = f[4], .cookie = f[5], .remote_addr = f[6], .user_agent = f[7],
		.request_id = f[8], .signature = *f[9] ? f[9] : NULL,
	};
	int status = request_prepare(&r, &p);
	FUZZ_CHECK(r.path && r.path[0] == '/');
	FUZZ_CHECK(utf8_valid(r.remote_addr, strlen(r.remote_addr)));
	FUZZ_CHECK(utf8_valid(r.user_agent, strlen(r.user_agent)));
	FUZZ_CHECK(strlen(r.id) >= 8);
	if (status == 0) {
		params_ok(&r.query);
		params_ok(&r.cookies);
		FUZZ_CHECK(utf8_valid(r.path, strlen(r.path)));
		/* the body as smsdesk.c hands it over: NUL-terminated, its length */
		r.body = arena_strndup(&a, (const char *)data + off, n - off);
		r.body_len = n - off;
		if (request_wants_body(&r) && request_parse_body(&r) == 0)
			params_ok(&r.form);
	}
	/* the parsers on their own, over the whole input */
	struct params q;
	char *s = arena_strndup(&a, (const char *)data, n), *dec;
	if (parse_urlencoded(&a, s, strlen(s), &q) == PARSE_OK)
		params_ok(&q);
	if (parse_cookies(&a, s, &q) == 0)
		params_ok(&q);
	if (url_decode(&a, s, strlen(s), 1, &dec) == PARSE_OK)
		FUZZ_CHECK(utf8_valid(dec, strlen(dec)));
	char *pre = utf8_prefix(&a, s, 45);
	FUZZ_CHECK(pre && utf8_valid(pre, strlen(pre)));
	buf_free(&headers);
	buf_free(&out);
	arena_free(&a);
	for (int i = 0; i < FIELDS; i++)
		free(f[i]);
}
