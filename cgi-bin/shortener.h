/* Public link shorteners in a text (docs/behaviour.md, "Link shorteners"):
 * US carriers filter texts that carry a link through a public shortener
 * (bit.ly, tinyurl.com, ...), so the chatbox warns before one is sent.
 * A pure function over the text; static/shortener.js mirrors this file
 * exactly and tests/shortener_vectors.json drives both.
 *
 * How a text is read (ASCII only; any other character is a boundary):
 * - a host is a maximal run of letters, digits, dots and hyphens that
 *   starts after the start of the text, white space, "//" (a scheme's
 *   "https://") or one of ( [ { < > " ' , ; : ! * |, and ends before the
 *   end, white space, or one of / ? # : ) ] } > < " ' , ; ! * | (so an
 *   e-mail address, a path or a query's value is not a host);
 * - an ellipsis typed as dots ends a sentence: only what follows the last
 *   ".." is the host; leading and trailing dots and hyphens are dropped;
 * - it is a shortener's when it is one of the domains in shortener.c or a
 *   subdomain of one (www.bit.ly), whatever its case: notbit.ly and
 *   bit.ly.example.com are not. */
#ifndef SMSDESK_SHORTENER_H
#define SMSDESK_SHORTENER_H
#include <stddef.h>

struct shortener_match {
	size_t start, len;    /* bytes of the text: the host as written */
	const char *domain;   /* the shortener's domain, lower case ("bit.ly") */
};

/* The first shortener host in a NUL-terminated text (NULL counts as "").
 * Returns 1 and fills *m (may be NULL), or 0. */
int shortener_find(const char *text, struct shortener_match *m);
/* The list, lower case (for the tests and the documentation). */
extern const char *const shortener_domains[];
extern const size_t shortener_domain_count;
#endif
