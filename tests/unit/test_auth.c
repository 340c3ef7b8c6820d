/* auth.c: the password rules, the hashes, the sign-in form's token. */
#include "unit.h"

#include "auth.h"

#include <argon2.h>
#include <malloc.h>
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

/* Our encoding is argon2's: each side verifies the other's hashes. */
static void hashes_verify_both_ways(void **state)
{
	(void)state;
	const char *pw = "correct horse battery";
	char ours[PASSWORD_HASH_MAX], lib[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash(pw, ours), 0);
	assert_true(strncmp(ours, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_true(password_verify(ours, pw));
	assert_false(password_verify(ours, "correct horse batterz"));
	assert_int_equal(argon2id_verify(ours, pw, strlen(pw)), ARGON2_OK);

	unsigned char salt[16] = "0123456789abcdef";
	assert_int_equal(argon2id_hash_encoded(2, 19456, 1, pw, strlen(pw), salt, sizeof salt, 32,
					       lib, sizeof lib), ARGON2_OK);
	assert_true(password_verify(lib, pw));
	assert_false(password_verify(lib, "wrong"));
}

static void odd_hashes_never_verify(void **state)
{
	(void)state;
	assert_false(password_verify("!", "anything at all"));
	assert_false(password_verify("", "anything at all"));
	assert_false(password_verify("$argon2i$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x"));
	/* 4 GiB asked by a stored hash: refused, not allocated */
	assert_false(password_verify("$argon2id$v=19$m=4194304,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x"));
	assert_false(password_verify("$argon2id$v=19$m=19456,t=2,p=1$MDEy*zQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x"));
	assert_false(password_verify("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg", "x"));
}

/* The 19 MiB of each hash go back to the system: nothing of them stays in
 * malloc's heaps (with libargon2's own malloc, the second hash onwards
 * kept them). Under AddressSanitizer mallinfo2 says nothing: it passes. */
static void hash_memory_goes_back(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	malloc_trim(0);   /* what libargon2's own calls above left behind */
	for (int i = 0; i < 3; i++)
		assert_int_equal(password_hash("memory goes back", h), 0);
	assert_true(password_verify(h, "memory goes back"));
	struct mallinfo2 mi = mallinfo2();
	size_t held = mi.arena + mi.hblkhd;
	if (held > 4u << 20)
		fail_msg("malloc holds %zu kB after hashing", held >> 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_length_counts_characters),
		cmocka_unit_test(password_length_refuses_invalid_utf8),
		cmocka_unit_test(login_token_is_hmac),
		cmocka_unit_test(hashes_verify_both_ways),
		cmocka_unit_test(odd_hashes_never_verify),
		cmocka_unit_test(hash_memory_goes_back),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
