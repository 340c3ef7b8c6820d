/* The sensitive-data scanner (cgi-bin/sensitive.c). Properties: a match
 * lies inside the text and starts and ends on a digit, and its kind has a
 * name that reads back to it. */
#include "fuzz.h"

#include "sensitive.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	size_t len = strlen(s);
	struct sensitive_match m;
	enum sensitive_kind k = sensitive_find(s, &m);
	FUZZ_CHECK(k == m.kind);
	FUZZ_CHECK(sensitive_kind_from_name(sensitive_kind_name(k)) == k);
	FUZZ_CHECK(sensitive_kind_words(k));
	if (k != SENSITIVE_NONE) {
		FUZZ_CHECK(m.len > 0 && m.start + m.len <= len);
		FUZZ_CHECK(s[m.start] >= '0' && s[m.start] <= '9');
		FUZZ_CHECK(s[m.start + m.len - 1] >= '0' && s[m.start + m.len - 1] <= '9');
	}
	FUZZ_CHECK(sensitive_find(s, NULL) == k);
	(void)sensitive_kind_from_name(s);
	free(s);
}
