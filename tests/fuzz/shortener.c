/* The link shortener matcher (cgi-bin/shortener.c). Properties: a match
 * lies inside the text, and the host as written is, in any case, the
 * shortener's domain or a subdomain of it. */
#include "fuzz.h"

#include "shortener.h"

#include <strings.h>

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	size_t len = strlen(s);
	struct shortener_match m;
	int found = shortener_find(s, &m);
	FUZZ_CHECK(found == 0 || found == 1);
	FUZZ_CHECK(shortener_find(s, NULL) == found);
	if (found) {
		FUZZ_CHECK(m.domain && m.len > 0 && m.start + m.len <= len);
		size_t dl = strlen(m.domain);
		FUZZ_CHECK(m.len >= dl);
		FUZZ_CHECK(strncasecmp(s + m.start + m.len - dl, m.domain, dl) == 0);
		FUZZ_CHECK(m.len == dl || s[m.start + m.len - dl - 1] == '.');
	}
	free(s);
}
