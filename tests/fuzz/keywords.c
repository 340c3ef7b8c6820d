/* The keyword and plain-words classifier of inbound texts
 * (cgi-bin/keywords.c). Properties: every text gets one of the kinds and
 * its name; a keyword's classification ignores the case of ASCII letters. */
#include "fuzz.h"

#include "keywords.h"

#include <ctype.h>

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	enum keyword k = keyword_classify(s);
	FUZZ_CHECK(k == KEYWORD_NONE || k == KEYWORD_START || k == KEYWORD_STOP ||
		   k == KEYWORD_HELP || k == KEYWORD_MAYBE_STOP);
	FUZZ_CHECK(keyword_name(k));
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x80)
			*p = (char)toupper((unsigned char)*p);
	FUZZ_CHECK(keyword_classify(s) == k);
	free(s);
}
