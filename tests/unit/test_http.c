/* Parsers for query strings, forms and cookies. */
#include "unit.h"

#include "http.h"

#include <string.h>

static struct arena A;

static int setup(void **state)
{
	(void)state;
	arena_init(&A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

static void utf8_accepts_valid_text(void **state)
{
	(void)state;
	const char *ok[] = { "", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(utf8_valid(ok[i], strlen(ok[i])));
}

static void utf8_refuses_invalid_text(void **state)
{
	(void)state;
	const char *bad[] = {
		"\xc3",             /* truncated */
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong, 3 bytes */
		"\xed\xa0\x80",     /* surrogate */
		"\xf4\x90\x80\x80", /* past U+10FFFF */
		"\xff",
		"a\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
}

static void decode_percent_and_plus(void **state)
{
	(void)state;
	char *out;
	assert_int_equal(url_decode(&A, "a%20b+c%2B", 10, 1, &out), PARSE_OK);
	assert_string_equal(out, "a b c+");
	assert_int_equal(url_decode(&A, "a+b", 3, 0, &out), PARSE_OK);
	assert_string_equal(out, "a+b");
	assert_int_equal(url_decode(&A, "caf%C3%A9", 9, 1, &out), PARSE_OK);
	assert_string_equal(out, "caf\xc3\xa9");
}

static void decode_refuses_bad_input(void **state)
{
	(void)state;
	char *out;
	assert_int_equal(url_decode(&A, "%", 1, 1, &out), PARSE_BAD_PERCENT);
	assert_int_equal(url_decode(&A, "%4", 2, 1, &out), PARSE_BAD_PERCENT);
	assert_int_equal(url_decode(&A, "%zz", 3, 1, &out), PARSE_BAD_PERCENT);
	assert_int_equal(url_decode(&A, "a%00b", 5, 1, &out), PARSE_NUL);
	assert_int_equal(url_decode(&A, "%C3", 3, 1, &out), PARSE_BAD_UTF8);
	assert_int_equal(url_decode(&A, "%ED%A0%80", 9, 1, &out), PARSE_BAD_UTF8);
}

static void form_fields(void **state)
{
	(void)state;
	struct params p;
	const char *s = "email=a%40b.test&password=p+w&&flag&empty=&email=second";
	assert_int_equal(parse_urlencoded(&A, s, strlen(s), &p), PARSE_OK);
	assert_int_equal(p.n, 5);
	assert_string_equal(params_get(&p, "email"), "a@b.test"); /* first wins */
	assert_string_equal(params_get(&p, "password"), "p w");
	assert_string_equal(params_get(&p, "flag"), "");
	assert_string_equal(params_get(&p, "empty"), "");
	assert_null(params_get(&p, "missing"));
}

static void form_refuses_too_many_fields(void **state)
{
	(void)state;
	struct buf b = { 0 };
	for (int i = 0; i < MAX_PARAMS + 1; i++)
		buf_printf(&b, "f%d=1&", i);
	struct params p;
	assert_int_equal(parse_urlencoded(&A, b.p, b.len, &p), PARSE_TOO_MANY);
	buf_free(&b);
}

static void ids_are_positive_integers(void **state)
{
	(void)state;
	struct params p;
	const char *s = "a=12&b=0&c=-3&d=1x&e=&f=9999999999999999999&g=007";
	assert_int_equal(parse_urlencoded(&A, s, strlen(s), &p), PARSE_OK);
	assert_int_equal(params_id(&p, "a"), 12);
	assert_int_equal(params_id(&p, "b"), 0);
	assert_int_equal(params_id(&p, "c"), 0);
	assert_int_equal(params_id(&p, "d"), 0);
	assert_int_equal(params_id(&p, "e"), 0);
	assert_int_equal(params_id(&p, "f"), 0);
	assert_int_equal(params_id(&p, "g"), 7);
	assert_int_equal(params_id(&p, "zz"), 0);
}

static void cookies(void **state)
{
	(void)state;
	struct params p;
	assert_int_equal(parse_cookies(&A, "a=1; b=\"two\";c=x=y; novalue; d=\x01" "bad", &p), PARSE_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "two");
	assert_string_equal(params_get(&p, "c"), "x=y");
	assert_null(params_get(&p, "d"));
	/* a name that is not printable ASCII (invalid UTF-8 here) is ignored too */
	assert_int_equal(parse_cookies(&A, "\xe7\xff=1; ok=2; a b=3", &p), PARSE_OK);
	assert_int_equal(p.n, 1);
	assert_string_equal(params_get(&p, "ok"), "2");
	assert_int_equal(parse_cookies(&A, NULL, &p), PARSE_OK);
	assert_int_equal(p.n, 0);
}

static void redirect_targets(void **state)
{
	(void)state;
	assert_true(local_path_ok("/leads/3?chat=1"));
	assert_false(local_path_ok("//evil.test/"));
	assert_false(local_path_ok("/\\evil.test"));
	assert_false(local_path_ok("https://evil.test/"));
	assert_false(local_path_ok("/a\r\nSet-Cookie: x"));
	assert_false(local_path_ok(NULL));
}

static void arena_grows_and_resets(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *small = arena_strdup(&a, "x");
	char *big = arena_alloc(&a, 100000);
	memset(big, 'b', 100000);
	char *after = arena_printf(&a, "%s-%d", small, 42);
	assert_string_equal(after, "x-42");
	assert_true(a.total >= 100000);
	arena_reset(&a);
	assert_int_equal(a.total, 0);
	/* the reset keeps the first chunk: the next request reuses its memory */
	const char *lit = "again";
	char *again = arena_strdup(&a, lit);
	assert_ptr_not_equal(again, lit);
	assert_string_equal(again, "again");
	assert_ptr_equal(again, small);
	assert_int_equal(a.total, 16); /* 6 bytes, aligned */
	/* a copy is a copy: changing it leaves the source alone */
	again[0] = 'A';
	assert_string_equal(lit, "again");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_accepts_valid_text),
		cmocka_unit_test(utf8_refuses_invalid_text),
		cmocka_unit_test(decode_percent_and_plus),
		cmocka_unit_test(decode_refuses_bad_input),
		cmocka_unit_test(form_fields),
		cmocka_unit_test(form_refuses_too_many_fields),
		cmocka_unit_test(ids_are_positive_integers),
		cmocka_unit_test(cookies),
		cmocka_unit_test(redirect_targets),
		cmocka_unit_test(arena_grows_and_resets),
	};
	return cmocka_run_group_tests_name("http", tests, setup, teardown);
}
