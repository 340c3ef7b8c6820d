/* Times as people read them (format.c; phone numbers: test_validate.c), and failed
 * texts in plain words (failure.c). */
#include "unit.h"

#include "arena.h"
#include "failure.h"
#include "format.h"
#include "rules.h"
#include "tz.h"

#include <string.h>

static void clocks(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(format_clock(&a, "2026-11-20 14:05"), "2:05 PM");
	assert_string_equal(format_clock(&a, "2026-11-20 00:00"), "12:00 AM");
	assert_string_equal(format_clock(&a, "2026-11-20 12:30"), "12:30 PM");
	assert_string_equal(format_clock(&a, "2026-11-20 09:07"), "9:07 AM");
	assert_string_equal(format_clock(&a, "garbage"), "garbage");
	arena_free(&a);
}

static void days(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(format_day(&a, "2026-11-20 14:05", "2026-11-20 18:00"), "Today");
	assert_string_equal(format_day(&a, "2026-11-30 23:59", "2026-12-01 00:10"), "Yesterday");
	assert_string_equal(format_day(&a, "2026-11-20 14:05", "2026-11-30 08:00"), "Friday, November 20, 2026");
	assert_string_equal(format_day(&a, "2024-02-29 10:00", NULL), "Thursday, February 29, 2024");
	arena_free(&a);
}

/* epoch seconds of a UTC "YYYY-MM-DD HH:MM:SS" */
static long long utc(const char *datetime)
{
	long long t = -1;
	assert_int_equal(tz_utc_epoch(datetime, &t), 0);
	return t;
}

static void times(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *chi = "America/Chicago";
	long long now = utc("2026-12-07 15:00:00");
	/* no leading zero on the day or the hour; 12 at noon and midnight */
	assert_string_equal(format_time(&a, chi, utc("2026-12-07 00:41:00"), now), "Dec 6, 6:41 PM");
	assert_string_equal(format_time(&a, chi, utc("2026-12-01 15:05:59"), now), "Dec 1, 9:05 AM");
	assert_string_equal(format_time(&a, chi, utc("2026-07-04 05:00:00"), now), "Jul 4, 12:00 AM");
	assert_string_equal(format_time(&a, chi, utc("2026-07-04 17:30:00"), now), "Jul 4, 12:30 PM");
	/* the year when it is not this year on the viewer's wall clock */
	assert_string_equal(format_time(&a, chi, utc("2025-12-07 00:41:00"), now), "Dec 6, 2025, 6:41 PM");
	assert_string_equal(format_time(&a, chi, utc("2027-01-02 18:00:00"), now), "Jan 2, 2027, 12:00 PM");
	/* New Year's Eve in Chicago while it is already 2026 in UTC: no year;
	 * once it is 2026 in Chicago too, the year */
	assert_string_equal(format_time(&a, chi, utc("2026-01-01 03:00:00"), utc("2026-01-01 04:00:00")),
			    "Dec 31, 9:00 PM");
	assert_string_equal(format_time(&a, chi, utc("2026-01-01 03:00:00"), utc("2026-01-01 06:00:00")),
			    "Dec 31, 2025, 9:00 PM");
	assert_string_equal(format_time(&a, "UTC", utc("2026-01-01 03:00:00"), utc("2026-01-01 04:00:00")),
			    "Jan 1, 3:00 AM");
	/* the zone's short name, on both sides of the DST changes of 2026 */
	assert_string_equal(format_time_zoned(&a, chi, utc("2026-12-07 00:41:00"), now), "Dec 6, 6:41 PM CST");
	assert_string_equal(format_time_zoned(&a, chi, utc("2026-03-08 07:59:00"), now), "Mar 8, 1:59 AM CST");
	assert_string_equal(format_time_zoned(&a, chi, utc("2026-03-08 08:00:00"), now), "Mar 8, 3:00 AM CDT");
	/* 1:30 AM twice on November 1: first CDT, then CST */
	assert_string_equal(format_time_zoned(&a, chi, utc("2026-11-01 06:30:00"), now), "Nov 1, 1:30 AM CDT");
	assert_string_equal(format_time_zoned(&a, chi, utc("2026-11-01 07:30:00"), now), "Nov 1, 1:30 AM CST");
	assert_string_equal(format_time_zoned(&a, "America/New_York", utc("2026-06-01 16:00:00"), now),
			    "Jun 1, 12:00 PM EDT");
	/* zones whose short name is a number */
	assert_string_equal(format_time_zoned(&a, "Europe/Istanbul", utc("2026-12-06 15:41:00"), now),
			    "Dec 6, 6:41 PM UTC+3");
	assert_string_equal(format_time_zoned(&a, "America/Sao_Paulo", utc("2026-12-06 21:41:00"), now),
			    "Dec 6, 6:41 PM UTC-3");
	assert_string_equal(format_time_zoned(&a, "Asia/Tehran", utc("2026-12-06 15:11:00"), now),
			    "Dec 6, 6:41 PM UTC+3:30");
	/* UTC, and a zone the system does not know (read as UTC) */
	assert_string_equal(format_time_zoned(&a, "UTC", utc("2026-12-06 18:41:00"), now), "Dec 6, 6:41 PM UTC");
	assert_string_equal(format_time_zoned(&a, "Mars/Olympus", utc("2026-12-06 18:41:00"), now),
			    "Dec 6, 6:41 PM UTC");
	/* dates alone, months, and the machine-readable form */
	assert_string_equal(format_date(&a, 2026, 12, 6), "Dec 6, 2026");
	assert_string_equal(format_date(&a, 2024, 2, 29), "Feb 29, 2024");
	assert_string_equal(format_month(&a, 2026, 11), "Nov 2026");
	assert_string_equal(format_iso(&a, utc("2026-12-07 00:41:05")), "2026-12-07T00:41:05Z");
	/* a DATETIME as MariaDB returns it */
	struct shown_time t = format_utc(&a, chi, "2026-12-07 00:41:00.123456", now, 1);
	assert_string_equal(t.text, "Dec 6, 6:41 PM CST");
	assert_string_equal(t.iso, "2026-12-07T00:41:00Z");
	t = format_utc(&a, chi, "2026-12-07 00:41:00", now, 0);
	assert_string_equal(t.text, "Dec 6, 6:41 PM");
	t = format_utc(&a, chi, NULL, now, 1);
	assert_string_equal(t.text, "");
	assert_null(t.iso);
	t = format_utc(&a, chi, "2026-02-30 10:00:00", now, 1);
	assert_string_equal(t.text, "2026-02-30 10:00:00");
	assert_null(t.iso);
	/* from the wall clock as tz_local writes it (the chat's texts) */
	t = format_local(&a, chi, "2026-12-06 18:41", now, 1);
	assert_string_equal(t.text, "Dec 6, 6:41 PM CST");
	assert_string_equal(t.iso, "2026-12-07T00:41:00Z");
	t = format_local(&a, chi, "2026-07-04 12:05", now, 1);
	assert_string_equal(t.text, "Jul 4, 12:05 PM CDT");
	assert_string_equal(t.iso, "2026-07-04T17:05:00Z");
	t = format_local(&a, chi, "garbage", now, 1);
	assert_string_equal(t.text, "garbage");
	assert_null(t.iso);
	/* a zone setting's label */
	assert_string_equal(format_zone_label(&a, chi, now), "Central (CST)");
	assert_string_equal(format_zone_label(&a, chi, utc("2026-07-04 12:00:00")), "Central (CDT)");
	assert_string_equal(format_zone_label(&a, "Europe/Istanbul", now), "Istanbul (UTC+3)");
	assert_string_equal(format_zone_label(&a, "America/Argentina/Buenos_Aires", now), "Buenos Aires (UTC-3)");
	assert_string_equal(format_zone_label(&a, "UTC", now), "UTC");
	/* a clock time with the zone: the chatbox's quiet hours */
	assert_string_equal(format_clock_zoned(&a, "America/New_York", utc("2026-12-08 01:30:00")), "8:30 PM EST");
	assert_string_equal(format_clock_zoned(&a, "America/New_York", utc("2026-07-04 04:05:00")), "12:05 AM EDT");
	arena_free(&a);
}

static void abbreviations(void **state)
{
	(void)state;
	char z[16];
	long long winter = utc("2026-01-15 12:00:00"), summer = utc("2026-07-15 12:00:00");
	assert_int_equal(tz_abbrev("America/Chicago", winter, z, sizeof z), 0);
	assert_string_equal(z, "CST");
	assert_int_equal(tz_abbrev("America/Chicago", summer, z, sizeof z), 0);
	assert_string_equal(z, "CDT");
	assert_int_equal(tz_abbrev("America/Phoenix", summer, z, sizeof z), 0);
	assert_string_equal(z, "MST");
	assert_int_equal(tz_abbrev("Pacific/Honolulu", summer, z, sizeof z), 0);
	assert_string_equal(z, "HST");
	assert_int_equal(tz_abbrev("Europe/Istanbul", summer, z, sizeof z), 0);
	assert_string_equal(z, "UTC+3");
	assert_int_equal(tz_abbrev("Asia/Kathmandu", summer, z, sizeof z), 0);
	assert_string_equal(z, "UTC+5:45");
	assert_int_equal(tz_abbrev("UTC", summer, z, sizeof z), 0);
	assert_string_equal(z, "UTC");
	/* too small a buffer: -1 and "" */
	assert_int_equal(tz_abbrev("Europe/Istanbul", summer, z, 4), -1);
	assert_string_equal(z, "");
	/* no DATETIME, no epoch */
	long long t;
	assert_int_equal(tz_utc_epoch("2026-12-07T00:41:00", &t), -1);
	assert_int_equal(tz_utc_epoch("2026-12-07 00:41", &t), -1);
	assert_int_equal(tz_utc_epoch("1970-01-01 00:00:10", &t), 0);
	assert_int_equal(t, 10);
}

static void failures(void **state)
{
	(void)state;
	assert_string_equal(failure_words(21211)->text, "The number is not a valid phone number.");
	assert_false(failure_words(21211)->resend);
	assert_false(failure_words(21614)->resend);     /* a landline */
	assert_false(failure_words(21610)->resend);     /* opted out */
	assert_true(failure_words(30003)->resend);      /* unreachable for now */
	assert_true(failure_words(20429)->resend);      /* carrier busy */
	assert_true(failure_words(99999)->resend);      /* unknown: the rules decide again */
	assert_non_null(failure_words(0)->text);
}

static void former_agent(void **state)
{
	(void)state;
	struct send_facts f = { .org_sms_enabled = 1, .sender_permitted = 1, .sender_has_number = 1,
				.own_conversation = 1, .assigned = 0, .was_assigned = 1 };
	assert_string_equal(rules_send_refusal(&f), "no_longer_assigned");
	assert_string_equal(rules_refusal_text("no_longer_assigned"), "You are no longer assigned to this lead");
	f.was_assigned = 0;
	assert_string_equal(rules_send_refusal(&f), "not_assigned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clocks),
		cmocka_unit_test(days),
		cmocka_unit_test(times),
		cmocka_unit_test(abbreviations),
		cmocka_unit_test(failures),
		cmocka_unit_test(former_agent),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
