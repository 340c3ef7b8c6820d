/* The route table: patterns, ids, 404 and 405. */
#include "unit.h"

#include "router.h"

#include <string.h>

static int h1(struct req *r) { (void)r; return 1; }
static int h2(struct req *r) { (void)r; return 2; }

static const struct route table[] = {
	{ "GET", "/leads", h1, ACCESS_ORG, 0 },
	{ "GET", "/leads/#", h2, ACCESS_ORG, 0 },
	{ "POST", "/leads/#", h1, ACCESS_ORG, 0 },
	{ "GET", "/leads/#/contacts/#", h2, ACCESS_ORG, 0 },
};
#define N (sizeof table / sizeof table[0])

static const struct route *find(const char *m, const char *p, long long ids[2], int *st, char *allow)
{
	return route_find(table, N, m, p, ids, st, allow, 64);
}

static void exact_and_numeric(void **state)
{
	(void)state;
	long long ids[2] = { 0, 0 };
	int st = 0;
	char allow[64];
	assert_ptr_equal(find("GET", "/leads", ids, &st, allow), &table[0]);
	assert_ptr_equal(find("GET", "/leads/42", ids, &st, allow), &table[1]);
	assert_int_equal(ids[0], 42);
	assert_ptr_equal(find("POST", "/leads/7", ids, &st, allow), &table[2]);
	assert_ptr_equal(find("GET", "/leads/3/contacts/9", ids, &st, allow), &table[3]);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 9);
	assert_ptr_equal(find("HEAD", "/leads", ids, &st, allow), &table[0]);
}

static void not_found(void **state)
{
	(void)state;
	long long ids[2];
	int st = 0;
	char allow[64];
	const char *paths[] = { "/lead", "/leads/", "/leads/0", "/leads/01", "/leads/x",
				"/leads/-1", "/leads/1/", "/leads/1234567890123456789", "" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		st = 0;
		assert_null(find("GET", paths[i], ids, &st, allow));
		assert_int_equal(st, 404);
	}
}

static void method_not_allowed(void **state)
{
	(void)state;
	long long ids[2];
	int st = 0;
	char allow[64];
	assert_null(find("DELETE", "/leads/5", ids, &st, allow));
	assert_int_equal(st, 405);
	assert_string_equal(allow, "GET, POST");
	assert_null(find("POST", "/leads", ids, &st, allow));
	assert_int_equal(st, 405);
	assert_string_equal(allow, "GET");
}

static void smsdesk_table(void **state)
{
	(void)state;
	long long ids[2];
	int st = 0;
	char allow[64];
	const struct route *r = router_match("GET", "/healthz", ids, &st, allow, sizeof allow);
	assert_non_null(r);
	assert_int_equal(r->access, ACCESS_ANYONE);
	assert_null(router_match("GET", "/no-such-page", ids, &st, allow, sizeof allow));
	assert_int_equal(st, 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_and_numeric),
		cmocka_unit_test(not_found),
		cmocka_unit_test(method_not_allowed),
		cmocka_unit_test(smsdesk_table),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
