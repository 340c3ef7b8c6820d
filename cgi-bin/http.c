#include "http.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

char *utf8_prefix(struct arena *a, const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return arena_strdup(a, "");
	size_t i = 0, chars = 0;
	while (i < n && chars < max_chars) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	return arena_strndup(a, s, i);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(struct arena *a, const char *s, size_t n, int plus_is_space, char **out)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (n - i < 3)
				return PARSE_BAD_PERCENT;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return PARSE_BAD_PERCENT;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return PARSE_NUL;
		d[j++] = c;
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return PARSE_BAD_UTF8;
	*out = d;
	return PARSE_OK;
}

static int params_add(struct arena *a, struct params *p, size_t *cap,
		      const char *name, const char *value)
{
	if (p->n >= MAX_PARAMS)
		return PARSE_TOO_MANY;
	if (p->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct param *v = arena_alloc(a, ncap * sizeof *v);
		if (p->n)
			memcpy(v, p->v, p->n * sizeof *v);
		p->v = v;
		*cap = ncap;
	}
	assert(p->n < *cap);
	p->v[p->n].name = name;
	p->v[p->n].value = value;
	p->n++;
	return PARSE_OK;
}

int parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out)
{
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && s[i] != '&')
			i++;
		size_t end = i++;
		if (end == start)
			continue;
		const char *eq = memchr(s + start, '=', end - start);
		size_t nlen = eq ? (size_t)(eq - (s + start)) : end - start;
		char *name, *value;
		int rc = url_decode(a, s + start, nlen, 1, &name);
		if (rc)
			return rc;
		if (eq)
			rc = url_decode(a, eq + 1, end - start - nlen - 1, 1, &value);
		else
			value = arena_strdup(a, "");
		if (rc)
			return rc;
		rc = params_add(a, out, &cap, name, value);
		if (rc)
			return rc;
	}
	return PARSE_OK;
}

static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

int parse_cookies(struct arena *a, const char *h, struct params *out)
{
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	if (!h)
		return PARSE_OK;
	while (*h) {
		while (*h == ' ' || *h == ';')
			h++;
		if (!*h)
			break;
		const char *start = h;
		while (*h && *h != ';')
			h++;
		const char *end = h;
		while (end > start && end[-1] == ' ')
			end--;
		const char *eq = memchr(start, '=', (size_t)(end - start));
		if (!eq)
			continue; /* a cookie without a value is ignored, not an error */
		const char *v = eq + 1;
		size_t vlen = (size_t)(end - v);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		/* cookie names and values are opaque tokens: keep them only if
		 * printable ASCII (so that every name is valid UTF-8 too) */
		if (!printable(start, (size_t)(eq - start)) || !printable(v, vlen))
			continue;
		int rc = params_add(a, out, &cap, arena_strndup(a, start, (size_t)(eq - start)),
				    arena_strndup(a, v, vlen));
		if (rc)
			return rc;
	}
	return PARSE_OK;
}

char *url_encode(struct arena *a, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~/", *c)) {
			*o++ = (char)*c;
		} else {
			*o++ = '%';
			*o++ = hexd[*c >> 4];
			*o++ = hexd[*c & 15];
		}
	}
	*o = '\0';
	return out;
}

const char *params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

long long params_id(const struct params *p, const char *name)
{
	const char *v = params_get(p, name);
	if (!v || !*v || strlen(v) > 18)
		return 0;
	long long n = 0;
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9')
			return 0;
		n = n * 10 + (*c - '0');
	}
	return n;
}

const char *parse_error_text(int err)
{
	switch (err) {
	case PARSE_BAD_PERCENT: return "The request has a malformed percent-encoding.";
	case PARSE_BAD_UTF8: return "The request has text that is not valid UTF-8.";
	case PARSE_NUL: return "The request has a NUL byte in a text field.";
	case PARSE_TOO_MANY: return "The request has too many fields.";
	default: return "The request is malformed.";
	}
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void resp_header(struct req *r, const char *name, const char *value)
{
	buf_puts(r->headers, name);
	buf_append(r->headers, ": ", 2);
	/* header injection: a value never carries a line break */
	for (const char *c = value; *c; c++)
		buf_append(r->headers, (*c == '\r' || *c == '\n') ? " " : c, 1);
	buf_append(r->headers, "\r\n", 2);
}

int resp_has_header(const struct req *r, const char *name)
{
	size_t n = strlen(name);
	for (const char *line = r->headers->p; line && *line;) {
		if (strncasecmp(line, name, n) == 0 && line[n] == ':')
			return 1;
		const char *end = strstr(line, "\r\n");
		line = end ? end + 2 : NULL;
	}
	return 0;
}

void resp_redirect(struct req *r, const char *location)
{
	r->status = 303;
	resp_header(r, "Location", location);
	buf_clear(r->out);
}

void resp_text(struct req *r, int status, const char *ctype, const char *text)
{
	r->status = status;
	r->content_type_out = ctype;
	buf_clear(r->out);
	buf_puts(r->out, text);
}

int local_path_ok(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return 0;
	return 1;
}
