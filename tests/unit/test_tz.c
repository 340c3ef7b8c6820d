/* Local times computed in the program (CCTZ), not by MariaDB's CONVERT_TZ:
 * daylight saving, zones east and west of UTC, fractions, bad input, and
 * many threads loading the same zones at once. */
#include "unit.h"

#include "arena.h"
#include "db.h"
#include "tz.h"

#include <pthread.h>
#include <string.h>

static void local_is(const char *zone, const char *utc, const char *want)
{
	char out[32];
	memset(out, 'x', sizeof out);
	if (tz_format(zone, utc, out, sizeof out) != 0)
		fail_msg("tz_format(%s, %s) refused it, want %s", zone, utc, want);
	if (strcmp(out, want) != 0)
		fail_msg("tz_format(%s, %s) = %s, want %s", zone, utc, out, want);
}

static void zones_and_daylight_saving(void **state)
{
	(void)state;
	/* Chicago: CST (-6) in winter, CDT (-5) in summer */
	local_is("America/Chicago", "2026-11-20 10:00:00", "2026-11-20 04:00");
	local_is("America/Chicago", "2026-07-01 10:00:00", "2026-07-01 05:00");
	/* the switch to daylight saving, 2026-03-08 08:00 UTC */
	local_is("America/Chicago", "2026-03-08 07:59:59", "2026-03-08 01:59");
	local_is("America/Chicago", "2026-03-08 08:00:00", "2026-03-08 03:00");
	/* the day changes backwards and forwards */
	local_is("America/Los_Angeles", "2026-01-01 03:30:00", "2025-12-31 19:30");
	local_is("Asia/Kolkata", "2026-01-01 20:00:00", "2026-01-02 01:30");
	local_is("UTC", "2026-05-05 05:05:05", "2026-05-05 05:05");
}

static void fractions_and_fallbacks(void **state)
{
	(void)state;
	/* DATETIME(6) as MariaDB returns it */
	local_is("America/New_York", "2026-11-20 10:00:00.123456", "2026-11-20 05:00");
	/* an unknown or empty zone shows UTC, as before */
	local_is("Mars/Olympus_Mons", "2026-11-20 10:00:00", "2026-11-20 10:00");
	local_is("", "2026-11-20 10:00:00", "2026-11-20 10:00");
	local_is(NULL, "2026-11-20 10:00:00", "2026-11-20 10:00");
}

static void bad_input(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(tz_format("UTC", "yesterday", out, sizeof out), -1);
	assert_string_equal(out, "");
	assert_int_equal(tz_format("UTC", "2026-02-30 10:00:00", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", "2026-11-20 10:00:00x", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", NULL, out, sizeof out), -1);
	/* what is not MariaDB's own shape: short, unpadded, signed, a bad separator */
	assert_int_equal(tz_format("UTC", "2026-11-20 10:00", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", "2026-1-20 10:00:00", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", "2026-11-20 10:-1:00", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", "2026-11-20T10:00:00", out, sizeof out), -1);
	assert_int_equal(tz_format("UTC", "", out, sizeof out), -1);
	/* too small for "YYYY-MM-DD HH:MM" and its NUL */
	char small[16];
	assert_int_equal(tz_format("UTC", "2026-11-20 10:00:00", small, sizeof small), -1);
	assert_string_equal(small, "");
}

static void arena_helpers(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_null(tz_local(&a, "UTC", NULL));
	assert_string_equal(tz_local(&a, "Europe/Berlin", "2026-06-01 12:00:00"), "2026-06-01 14:00");
	assert_string_equal(tz_local(&a, "UTC", "not a time"), "not a time");
	char *cell[] = { "1", "2026-12-24 18:00:00", "2", NULL };
	unsigned long len[] = { 1, 19, 1, 0 };
	struct db_rows rows = { .n = 2, .cols = 2, .cell = cell, .len = len };
	tz_local_column(&a, "America/Chicago", &rows, 1);
	assert_string_equal(cell[1], "2026-12-24 12:00");
	assert_int_equal(len[1], 16);
	assert_null(cell[3]);
	assert_string_equal(cell[0], "1");
	arena_free(&a);
}

/* The loan file's times: to the second, fractions dropped, the same
 * fallbacks as tz_local. */
static void to_the_second(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_null(tz_local_seconds(&a, "UTC", NULL));
	assert_string_equal(tz_local_seconds(&a, "America/New_York", "2026-11-20 15:04:59.999999"),
			    "2026-11-20 10:04:59");
	assert_string_equal(tz_local_seconds(&a, "Europe/Berlin", "2026-06-01 12:00:07"),
			    "2026-06-01 14:00:07");
	/* the hour that repeats in the fall: each UTC second has its own local one */
	assert_string_equal(tz_local_seconds(&a, "America/Chicago", "2026-11-01 06:30:01"),
			    "2026-11-01 01:30:01");
	assert_string_equal(tz_local_seconds(&a, "America/Chicago", "2026-11-01 07:30:01"),
			    "2026-11-01 01:30:01");
	assert_string_equal(tz_local_seconds(&a, "No/Such_Zone", "2026-11-20 15:04:05"),
			    "2026-11-20 15:04:05");
	assert_string_equal(tz_local_seconds(&a, "", "2026-11-20 15:04:05"), "2026-11-20 15:04:05");
	assert_string_equal(tz_local_seconds(&a, "UTC", "2026-02-30 10:00:00"), "2026-02-30 10:00:00");
	assert_string_equal(tz_local_seconds(&a, "UTC", "not a time"), "not a time");
	arena_free(&a);
}

static const char *const thread_zones[] = { "America/Chicago", "America/Denver", "Europe/Paris",
					    "Australia/Sydney" };
static const char *const thread_want[] = { "2026-11-20 04:00", "2026-11-20 03:00",
					   "2026-11-20 11:00", "2026-11-20 21:00" };

static void *format_many(void *arg)
{
	long k = (long)arg;
	for (int i = 0; i < 2000; i++) {
		char out[32];
		size_t z = (size_t)(k + i) % 4;
		if (tz_format(thread_zones[z], "2026-11-20 10:00:00", out, sizeof out) != 0 ||
		    strcmp(out, thread_want[z]) != 0)
			return (void *)1;
	}
	return NULL;
}

static void threads_share_the_cache(void **state)
{
	(void)state;
	pthread_t t[8];
	for (long k = 0; k < 8; k++)
		assert_int_equal(pthread_create(&t[k], NULL, format_many, (void *)k), 0);
	for (int k = 0; k < 8; k++) {
		void *rc;
		assert_int_equal(pthread_join(t[k], &rc), 0);
		assert_null(rc);
	}
}

/* Send later's field: a datetime-local value on the sender's wall clock. */
static void parse_local(void **state)
{
	(void)state;
	long long t = 0;
	assert_int_equal(tz_parse_local("America/Chicago", "2026-03-10T09:30", &t), 0);
	assert_int_equal(t, 1773153000);  /* 14:30 UTC: daylight saving time */
	assert_int_equal(tz_parse_local("America/Chicago", "2026-03-10T09:30:15", &t), 0);
	assert_int_equal(t, 1773153015);
	/* 2:30 does not happen that night: the instant the clock jumped */
	assert_int_equal(tz_parse_local("America/Chicago", "2026-03-08T02:30", &t), 0);
	assert_int_equal(t, 1772956800);
	/* 1:30 happens twice: the first */
	assert_int_equal(tz_parse_local("America/Chicago", "2026-11-01T01:30", &t), 0);
	assert_int_equal(t, 1793514600);
	/* a year typed far ahead (Send later) is read, not overflowed */
	assert_int_equal(tz_parse_local("America/Chicago", "3000-01-01T09:00", &t), 0);
	assert_int_equal(t, 32503734000LL);
	const char *bad[] = {
		"", "2026-02-30T10:00", "2026-03-10 09:30", "2026-03-10T09:30:1", "2026-03-10T09:30Z",
		"2026-03-10T09:30:15 ", "2026-3-10T09:30", "2026-03-10T9:30x", "+026-03-10T09:30",
		"2026-03-10T24:00", "tomorrow",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tz_parse_local("America/Chicago", bad[i], &t) != -1)
			fail_msg("tz_parse_local took \"%s\"", bad[i]);
	assert_int_equal(tz_parse_local("America/Chicago", NULL, &t), -1);
}

/* The import file's times: RFC 3339 to the second, Z or an offset. */
static void parse_rfc3339(void **state)
{
	(void)state;
	long long t;
	assert_int_equal(tz_parse_rfc3339("2026-11-20T10:00:00Z", &t), 0);
	assert_int_equal(t, 1795168800LL);
	assert_int_equal(tz_parse_rfc3339("2026-11-20T04:00:00-06:00", &t), 0);
	assert_int_equal(t, 1795168800LL);
	assert_int_equal(tz_parse_rfc3339("2026-11-20T15:30:00+05:30", &t), 0);
	assert_int_equal(t, 1795168800LL);
	/* any four-digit year, beyond the system clock's nanoseconds (1678 to
	 * 2262): converted in seconds, no overflow (found by fuzzing the import) */
	assert_int_equal(tz_parse_rfc3339("1026-11-20T10:00:00Z", &t), 0);
	assert_int_equal(t, -29761826400LL);
	assert_int_equal(tz_parse_rfc3339("9999-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, 253402300799LL);
	assert_int_equal(tz_parse_rfc3339("0001-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, -62135596800LL);
	static const char *const bad[] = {
		"2026-02-30T10:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T10:00Z",
		"2026-11-20 10:00:00Z", "2026-11-20T10:00:00", "2026-11-20T10:00:00+0600",
		"2026-11-20T10:00:00+24:00", "2026-11-20T10:00:00Zx", "2026-1-20T10:00:00Z", "", "Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tz_parse_rfc3339(bad[i], &t) != -1)
			fail_msg("tz_parse_rfc3339 took \"%s\"", bad[i]);
	assert_int_equal(tz_parse_rfc3339(NULL, &t), -1);
	struct tz_civil c;
	int weekday = -1;
	assert_int_equal(tz_civil_parse("2026-12-07 04:30", ' ', &c, NULL), 0);
	assert_int_equal(tz_day_number(&c, &weekday), 20794);
	assert_int_equal(weekday, 1); /* a Monday */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zones_and_daylight_saving),
		cmocka_unit_test(fractions_and_fallbacks),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(arena_helpers),
		cmocka_unit_test(to_the_second),
		cmocka_unit_test(threads_share_the_cache),
		cmocka_unit_test(parse_local),
		cmocka_unit_test(parse_rfc3339),
	};
	return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
