/* The rules are in shortener.h; static/shortener.js is the same code in
 * JavaScript. */
#include "shortener.h"

#include <string.h>
#include <strings.h>

/* Public shorteners that anyone can make a link with, whose links carriers
 * filter as spam. A brand's own short domain (amzn.to, youtu.be) is not
 * one. Keep static/shortener.js's list the same. */
const char *const shortener_domains[] = {
	"adf.ly", "bit.do", "bit.ly", "bl.ink", "buff.ly", "clck.ru", "cutt.ly",
	"dlvr.it", "goo.gl", "is.gd", "j.mp", "lnkd.in", "ow.ly", "rb.gy",
	"rebrand.ly", "s.id", "short.gy", "shorte.st", "shorturl.at", "soo.gd",
	"surl.li", "t.co", "t.ly", "tiny.cc", "tinyurl.com", "tr.im", "v.gd", "x.co",
};
const size_t shortener_domain_count = sizeof shortener_domains / sizeof shortener_domains[0];

static int is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

/* White space, anything outside ASCII, or one of chars. */
static int is_boundary(char c, const char *chars)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       (unsigned char)c >= 0x80 || (c && strchr(chars, c));
}

static const char BEFORE[] = "([{<>\"',;:!*|";
static const char AFTER[] = "/?#:)]}><\"',;!*|";

/* The domain host[0..n) is, or is a subdomain of; NULL when none. */
static const char *shortener_of(const char *host, size_t n)
{
	for (size_t i = 0; i < shortener_domain_count; i++) {
		const char *d = shortener_domains[i];
		size_t dn = strlen(d);
		if (n < dn || strncasecmp(host + n - dn, d, dn) != 0)
			continue;
		if (n == dn || host[n - dn - 1] == '.')
			return d;
	}
	return NULL;
}

int shortener_find(const char *text, struct shortener_match *m)
{
	const char *t = text ? text : "";
	for (size_t i = 0; t[i];) {
		if (!is_host_char(t[i])) {
			i++;
			continue;
		}
		size_t start = i, end = i;
		while (is_host_char(t[end]))
			end++;
		i = end;
		int after_ok = !t[end] || is_boundary(t[end], AFTER);
		int before_ok = start == 0 || is_boundary(t[start - 1], BEFORE) ||
				(start >= 2 && t[start - 1] == '/' && t[start - 2] == '/');
		if (!after_ok || !before_ok)
			continue;
		/* what follows the last "..", without leading and trailing dots and hyphens */
		for (size_t k = start; k + 1 < end; k++)
			if (t[k] == '.' && t[k + 1] == '.')
				start = k + 2;
		while (start < end && (t[start] == '.' || t[start] == '-'))
			start++;
		while (end > start && (t[end - 1] == '.' || t[end - 1] == '-'))
			end--;
		const char *domain = shortener_of(t + start, end - start);
		if (!domain)
			continue;
		if (m) {
			m->start = start;
			m->len = end - start;
			m->domain = domain;
		}
		return 1;
	}
	return 0;
}
