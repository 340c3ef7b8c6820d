/* Quiet hours (rules.c) and the recipient's place (place.c): both sides of
 * the window, across midnight, two zones, an area code in two zones, a
 * state with a narrower window, daylight saving, and the setting's shape. */
#include "unit.h"

#include "place.h"
#include "rules.h"
#include "tz.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

static long long at(const char *zone, int y, int mo, int d, int h, int mi)
{
	struct tz_civil c = { y, mo, d, h, mi, 0 };
	long long t = 0;
	assert_int_equal(tz_instant(zone, &c, &t), 0);
	return t;
}

/* the instant as "YYYY-MM-DD HH:MM" on zone's wall clock */
static const char *wall(const char *zone, long long t)
{
	static char out[32];
	struct tz_civil c;
	assert_int_equal(tz_civil_at(zone, t, &c), 0);
	snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
	return out;
}

static struct quiet_window window(const char *text)
{
	struct quiet_window w;
	if (rules_quiet_hours_parse(text, &w) != 0)
		fail_msg("%s refused", text);
	return w;
}

static const char *send_at(const char *const *zones, size_t n, const char *setting,
			   const char *state, long long now)
{
	struct quiet_window w = rules_quiet_window(window(setting), state);
	long long t = rules_quiet_send_at(now, w, zones, n);
	if (t < 0)
		fail_msg("no time found");
	if (t == now)
		return "now";
	return wall(zones[0], t);
}

static void setting_shape(void **state)
{
	(void)state;
	struct quiet_window w;
	assert_int_equal(rules_quiet_hours_parse(QUIET_HOURS_DEFAULT, &w), 0);
	assert_int_equal(w.open, 8 * 60);
	assert_int_equal(w.close, 21 * 60);
	assert_int_equal(rules_quiet_hours_parse("09:30-17:45", &w), 0);
	assert_int_equal(w.open, 9 * 60 + 30);
	assert_int_equal(rules_quiet_hours_parse("00:00-24:00", &w), 0);
	const char *refused[] = {
		"", "8:00-21:00", "08:00-21:0", "08:00 21:00", "08:00-21:00 ", "08-21",
		"22:00-06:00",  /* across midnight: the laws' windows are daytime */
		"09:00-09:30",  /* shorter than an hour */
		"21:00-08:00", "08:00-08:00", "25:00-26:00", "08:60-21:00", "08:00-24:01",
		"20:30-23:00",  /* leaves half an hour in Florida */
		"+8:00-21:00", " 8:00-21:00", "ab:cd-ef:gh",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (rules_quiet_hours_parse(refused[i], &w) == 0)
			fail_msg("\"%s\" accepted", refused[i]);
	assert_int_equal(rules_quiet_hours_parse(NULL, &w), -1);
}

static void both_sides_and_midnight(void **state)
{
	(void)state;
	const char *chicago[] = { "America/Chicago" };
	/* inside: now */
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 1, 8, 0)), "now");
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 1, 20, 59)), "now");
	/* after the close: the next morning */
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 1, 21, 0)), "2026-12-02 08:00");
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 1, 21, 5)), "2026-12-02 08:00");
	/* across midnight, and the last day of the month and of the year */
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 1, 23, 59)), "2026-12-02 08:00");
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 2, 0, 30)), "2026-12-02 08:00");
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 31, 22, 0)), "2027-01-01 08:00");
	/* before the open: the same morning */
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX",
				    at("America/Chicago", 2026, 12, 2, 7, 59)), "2026-12-02 08:00");
	/* the organization's own window */
	assert_string_equal(send_at(chicago, 1, "09:30-17:00", "TX",
				    at("America/Chicago", 2026, 12, 2, 9, 0)), "2026-12-02 09:30");
	assert_string_equal(send_at(chicago, 1, "09:30-17:00", "TX",
				    at("America/Chicago", 2026, 12, 2, 17, 0)), "2026-12-03 09:30");
}

static void zones_and_states(void **state)
{
	(void)state;
	const char *chicago[] = { "America/Chicago" }, *la[] = { "America/Los_Angeles" };
	const char *new_york[] = { "America/New_York" };
	/* 21:05 in Texas is 19:05 in California: held there, not here */
	long long t = at("America/Chicago", 2026, 12, 1, 21, 5);
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX", t), "2026-12-02 08:00");
	assert_string_equal(send_at(la, 1, "08:00-21:00", "CA", t), "now");
	/* 07:30 in California, 09:30 in Texas */
	t = at("America/Los_Angeles", 2026, 12, 2, 7, 30);
	assert_string_equal(send_at(la, 1, "08:00-21:00", "CA", t), "2026-12-02 08:00");
	assert_string_equal(send_at(chicago, 1, "08:00-21:00", "TX", t), "now");
	/* Florida's law closes at 20:00, New York's federal window at 21:00 */
	t = at("America/New_York", 2026, 12, 1, 20, 30);
	assert_string_equal(send_at(new_york, 1, "08:00-21:00", "FL", t), "2026-12-02 08:00");
	assert_string_equal(send_at(new_york, 1, "08:00-21:00", "NY", t), "now");
	/* the state narrows the organization's window, never widens it */
	struct quiet_window w = rules_quiet_window(window("09:00-21:00"), "OK");
	assert_int_equal(w.open, 9 * 60);
	assert_int_equal(w.close, 20 * 60);
	w = rules_quiet_window(window("08:00-19:00"), "MD");
	assert_int_equal(w.close, 19 * 60);
	w = rules_quiet_window(window("08:00-21:00"), "WA");
	assert_int_equal(w.close, 20 * 60);
	w = rules_quiet_window(window("08:00-21:00"), NULL);
	assert_int_equal(w.close, 21 * 60);
	/* an area code in two zones: both must allow it (08:30 Eastern is
	 * 07:30 Central: it waits for 08:00 Central, 09:00 Eastern) */
	const char *panhandle[] = { "America/New_York", "America/Chicago" };
	t = at("America/New_York", 2026, 12, 2, 8, 30);
	assert_string_equal(send_at(panhandle, 2, "08:00-21:00", "FL", t), "2026-12-02 09:00");
	/* and it closes with the first of them: 20:00 Eastern in Florida */
	t = at("America/New_York", 2026, 12, 2, 20, 0);
	assert_string_equal(send_at(panhandle, 2, "08:00-21:00", "FL", t), "2026-12-03 09:00");
}

static void daylight_saving(void **state)
{
	(void)state;
	const char *chicago[] = { "America/Chicago" };
	struct quiet_window w = window("08:00-21:00");
	/* the night the clocks go forward (2026-03-08): 08:00 CDT is 13:00 UTC */
	long long t = rules_quiet_send_at(at("America/Chicago", 2026, 3, 7, 21, 30), w, chicago, 1);
	assert_string_equal(wall("America/Chicago", t), "2026-03-08 08:00");
	assert_string_equal(wall("UTC", t), "2026-03-08 13:00");
	/* and back (2026-11-01): 08:00 CST is 14:00 UTC */
	t = rules_quiet_send_at(at("America/Chicago", 2026, 10, 31, 22, 0), w, chicago, 1);
	assert_string_equal(wall("America/Chicago", t), "2026-11-01 08:00");
	assert_string_equal(wall("UTC", t), "2026-11-01 14:00");
	/* Arizona keeps standard time: 08:00 MST all year */
	const char *phoenix[] = { "America/Phoenix" };
	t = rules_quiet_send_at(at("America/Phoenix", 2026, 7, 1, 22, 0), w, phoenix, 1);
	assert_string_equal(wall("UTC", t), "2026-07-02 15:00");
	assert_int_equal(rules_quiet_send_at(t, w, NULL, 0), -1);
}

/* cgi-bin/area_codes.inc against libphonenumber's geocoder: every area
 * code, several exchanges each (not only the one the generator asked for):
 * wherever the geocoder names a state, the table names the same one, and
 * every area code of the table is one the geocoder places there. */
static void area_codes_follow_the_geocoder(void **state)
{
	(void)state;
	static const int exchanges[] = { 201, 234, 355, 412, 555, 620, 747, 890, 962 };
	int placed = 0;
	for (int npa = 200; npa <= 999; npa++) {
		char area[4];
		snprintf(area, sizeof area, "%03d", npa);
		const char *table = place_state_of_area_code(area);
		int seen = 0;
		for (size_t i = 0; i < sizeof exchanges / sizeof exchanges[0]; i++) {
			char e164[16], where[128];
			snprintf(e164, sizeof e164, "+1%03d%03d4567", npa, exchanges[i]);
			assert_int_equal(phone_geo_description(e164, where, sizeof where), 0);
			const char *geo = place_state_of(where);
			if (!geo)
				continue;
			seen = 1;
			if (!table || strcmp(table, geo) != 0)
				fail_msg("area code %s: the geocoder says %s (%s), the table %s", area,
					 geo, where, table ? table : "nothing");
		}
		placed += seen;
	}
	/* most of the table's codes are placed by one of those exchanges */
	assert_true(placed > 300);
}

static void kinds(void **state)
{
	(void)state;
	assert_true(rules_quiet_hours_apply("user"));
	assert_true(rules_quiet_hours_apply("consent_request"));
	assert_false(rules_quiet_hours_apply("automatic"));
	assert_false(rules_quiet_hours_apply("image_notice"));
}

static void places(void **state)
{
	(void)state;
	assert_string_equal(place_state_of("Texas"), "TX");
	assert_string_equal(place_state_of("Austin, TX"), "TX");
	assert_string_equal(place_state_of("Washington State"), "WA");
	assert_string_equal(place_state_of("Washington D.C."), "DC");
	assert_null(place_state_of("Ontario"));
	assert_null(place_state_of("United States"));
	assert_null(place_state_of("Toronto, ON"));
	assert_null(place_state_of(""));
	struct place p;
	/* the geocoder itself: Austin, El Paso, the Panhandle, Seattle */
	place_of_number("+15125550110", &p);
	assert_string_equal(p.state, "TX");
	assert_int_equal(p.nzones, 1);
	assert_string_equal(p.zones[0], "America/Chicago");
	place_of_number("+19155550123", &p);
	assert_string_equal(p.state, "TX");
	assert_string_equal(p.zones[0], "America/Denver");
	place_of_number("+18505550123", &p);
	assert_string_equal(p.state, "FL");
	assert_int_equal(p.nzones, 2);
	place_of_number("+12065550123", &p);
	assert_string_equal(p.state, "WA");
	assert_string_equal(p.zones[0], "America/Los_Angeles");
	place_of_number("+14055550123", &p);
	assert_string_equal(p.state, "OK");
	/* toll-free and foreign numbers: unknown (the organization's zone) */
	place_of_number("+18005550123", &p);
	assert_int_equal(p.nzones, 0);
	assert_string_equal(p.state, "");
	place_of_number("+447946095800", &p);
	assert_int_equal(p.nzones, 0);
	place_of_number(NULL, &p);
	assert_int_equal(p.nzones, 0);
	/* every zone in the tables exists */
	const char *codes[] = { "TX", "FL", "IN", "KY", "TN", "MI", "ND", "SD", "NE", "KS", "OR",
				"ID", "AZ", "HI", "AK", "DC", "PR", "WA", "CA", "NY" };
	const char *areas[] = { "915", "850", "219", "812", "270", "606", "423", "865", "906", "701",
				"605", "308", "620", "785", "541", "208", "000" };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		for (size_t j = 0; j < sizeof areas / sizeof areas[0]; j++) {
			place_of_state(codes[i], areas[j], &p);
			assert_true(p.nzones >= 1);
			for (size_t z = 0; z < p.nzones; z++)
				if (!tz_known(p.zones[z]))
					fail_msg("%s %s: unknown zone %s", codes[i], areas[j], p.zones[z]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(setting_shape),
		cmocka_unit_test(both_sides_and_midnight),
		cmocka_unit_test(zones_and_states),
		cmocka_unit_test(daylight_saving),
		cmocka_unit_test(kinds),
		cmocka_unit_test(places),
		cmocka_unit_test(area_codes_follow_the_geocoder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
