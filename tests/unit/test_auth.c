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

/* The sign-in form's token: HMAC-SHA256 under the server's key (vector from
 * Python's hmac module), not the plain digest anyone could compute. */
static void login_token_is_hmac(void **state)
{
	(void)state;
	unsigned char key[LOGIN_KEY_BYTES];
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)i;
	char pre[65], out[65];
	for (size_t i = 0; i < 64; i += 2)
		memcpy(pre + i, "ab", 2);
	pre[64] = '\0';
	assert_int_equal(login_form_token(key, pre, out), 0);
	assert_string_equal(out, "c7b9a301eb38c76ceaff45353a084a909c3a27da4d717d30154db3e208e8d054");
	assert_string_not_equal(out, "b105a484ef2b23305c6004ce79c378d1d009931fc826c5eea0bc95d34e2d9610");
	key[0] ^= 1;
	char other[65];
	assert_int_equal(login_form_token(key, pre, other), 0);
	assert_string_not_equal(out, other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_length_counts_characters),
		cmocka_unit_test(password_length_refuses_invalid_utf8),
		cmocka_unit_test(login_token_is_hmac),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
