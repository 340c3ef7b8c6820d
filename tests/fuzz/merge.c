/* Saved replies' merge fields (cgi-bin/merge.c): the input's first line is
 * a reply's body, the next eight lines the fields' values in the order of
 * enum merge_field (an empty line: no value). The body is copied into a
 * block of exactly its length, so a read past it is caught by ASan.
 * Properties:
 * - merge_apply refuses exactly the bodies merge_check refuses, and the
 *   error names a NUL-terminated field;
 * - with room enough, the whole text is written and its length returned;
 *   when no value holds a brace, a merged text holds none;
 * - a field shown as its marker is found by merge_find_marker (what
 *   /sms/send refuses);
 * - with too little room, the text is cut, NUL-terminated, and the length
 *   returned is still the whole text's. */
#include "fuzz.h"

#include "merge.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	const uint8_t *nl = memchr(data, '\n', n);
	size_t blen = nl ? (size_t)(nl - data) : n;
	char *body = malloc(blen ? blen : 1);
	if (!body)
		abort();
	if (blen)
		memcpy(body, data, blen);
	struct merge_values vals;
	char *v[MERGE_FIELD_COUNT];
	int brace_in_value = 0;
	for (int i = 0; i < MERGE_FIELD_COUNT; i++) {
		v[i] = fuzz_field(data, n, i + 1);
		vals.v[i] = v[i];
		brace_in_value |= strchr(v[i], '{') || strchr(v[i], '}');
	}

	struct merge_error err;
	enum merge_problem p = merge_check(body, blen, &err);
	static char out[65536];
	unsigned missing = 0;
	long len = merge_apply(body, blen, &vals, out, sizeof out, &missing);
	if (p != MERGE_OK) {
		FUZZ_CHECK(len == -1);
		FUZZ_CHECK(out[0] == '\0');
		FUZZ_CHECK(memchr(err.field, '\0', sizeof err.field) != NULL);
		FUZZ_CHECK(err.offset <= blen);
	} else {
		FUZZ_CHECK(len >= 0);
		if ((size_t)len < sizeof out) {
			FUZZ_CHECK(strlen(out) <= (size_t)len);
			if (!brace_in_value && !memchr(out, 0, (size_t)len))
				FUZZ_CHECK(!memchr(out, '{', (size_t)len) && !memchr(out, '}', (size_t)len));
			if (missing)
				FUZZ_CHECK(merge_find_marker(out, (size_t)len, NULL) == 1);
			/* too little room: cut, terminated, the same length */
			size_t cap = (size_t)len / 2 + 1;
			char *small = malloc(cap);
			if (!small)
				abort();
			long again = merge_apply(body, blen, &vals, small, cap, NULL);
			FUZZ_CHECK(again == len);
			FUZZ_CHECK(memchr(small, '\0', cap) != NULL);
			free(small);
		}
	}
	for (int i = 0; i < MERGE_FIELD_COUNT; i++)
		free(v[i]);
	free(body);
}
