/* How a text is cut into words, for the word index and the search alike
 * (cgi-bin/words.c). */
#include "unit.h"

#include "words.h"

#include <string.h>

/* the words of text, joined by '|' */
static const char *cut(const char *text, char *out, size_t cap)
{
	const char *p = text, *w;
	size_t len, n = 0;
	out[0] = '\0';
	while (words_next(&p, &w, &len)) {
		assert_true(n + len + 2 < cap);
		if (n)
			out[n++] = '|';
		memcpy(out + n, w, len);
		n += len;
		out[n] = '\0';
	}
	return out;
}

static void words_of_a_text(void **state)
{
	(void)state;
	char b[256];
	assert_string_equal(cut("Closing is Friday, 2pm!", b, sizeof b), "Closing|is|Friday|2pm");
	/* the boolean mode's operators and every other ASCII sign separate */
	assert_string_equal(cut("+apprais* -\"x\" (ok)~<Zoë>@e-mail's", b, sizeof b),
			    "apprais|x|ok|Zoë|e|mail|s");
	/* characters beyond ASCII are a word's, whatever they are */
	assert_string_equal(cut("Müller’s café—ok", b, sizeof b), "Müller’s|café—ok");
	assert_string_equal(cut("", b, sizeof b), "");
	assert_string_equal(cut(" ,.!? ", b, sizeof b), "");
	assert_string_equal(cut("\ttab\nline\r", b, sizeof b), "tab|line");
}

static void characters_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(words_chars("Zoë", strlen("Zoë")), 3);
	assert_int_equal(words_chars("ab", 2), 2);
	/* the first 3 characters of "Zoëy": 4 bytes */
	assert_int_equal(words_prefix("Zoëy", strlen("Zoëy"), 3), 4);
	assert_int_equal(words_prefix("ab", 2, 3), 2);
	assert_int_equal(words_prefix("abc", 3, 3), 3);
	assert_int_equal(words_prefix("日本語です", strlen("日本語です"), 2), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_of_a_text),
		cmocka_unit_test(characters_not_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
