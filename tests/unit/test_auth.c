/* auth.c: the password rules, the hashes, the sign-in form's token. */
#include "unit.h"

#include "auth.h"

#include <string.h>

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = test_malloc(n * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

static void length_ok(const char *unit, size_t times, int want)
{
	char *p = repeat(unit, times);
	if (password_length_ok(p) != want)
		fail_msg("password_length_ok(%zu x \"%s\") = %d, want %d", times, unit, !want, want);
	test_free(p);
}

/* One rule, in characters, whatever the characters are: the web forms, the
 * import and smsdeskctl all call password_length_ok. */
static void password_length_counts_characters(void **state)
{
	(void)state;
	length_ok("a", PASSWORD_MIN - 1, 0);
	length_ok("a", PASSWORD_MIN, 1);
	length_ok("a", PASSWORD_MAX, 1);
	length_ok("a", PASSWORD_MAX + 1, 0);
	/* "ééééé": 5 characters, 10 bytes */
	length_ok("\xc3\xa9", 5, 0);
	length_ok("\xc3\xa9", PASSWORD_MIN, 1);
	/* 256 characters of 2, 3 and 4 bytes */
	length_ok("\xc3\xa9", PASSWORD_MAX, 1);
	length_ok("\xe2\x82\xac", PASSWORD_MAX, 1);
	length_ok("\xf0\x9f\x94\x91", PASSWORD_MAX, 1);
	length_ok("\xf0\x9f\x94\x91", PASSWORD_MAX + 1, 0);
}

static void password_length_refuses_invalid_utf8(void **state)
{
	(void)state;
	assert_false(password_length_ok("abcdefghij\xff"));
	assert_false(password_length_ok("abcdefghij\xc3"));
	assert_false(password_length_ok("abcdefghij\xc0\xaf"));
	assert_false(password_length_ok(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_length_counts_characters),
		cmocka_unit_test(password_length_refuses_invalid_utf8),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
