#include "format.h"

#include "arena.h"
#include "tz.h"

#include <stdio.h>
#include <string.h>

/* "YYYY-MM-DD HH:MM" (what tz_local writes; seconds after it ignored)
 * into its parts, through the time module: 0 or -1. */
static int parse_local(const char *s, struct tz_civil *c)
{
	return tz_civil_parse(s, ' ', c, NULL);
}

static const char *const months[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };
static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday" };

const char *format_clock(struct arena *a, const char *local)
{
	struct tz_civil c;
	if (parse_local(local, &c) < 0)
		return local ? local : "";
	int h = c.hour % 12;
	return arena_printf(a, "%d:%02d %s", h ? h : 12, c.minute, c.hour < 12 ? "AM" : "PM");
}

const char *format_day(struct arena *a, const char *local, const char *today)
{
	struct tz_civil c, now;
	int weekday = 0;
	if (parse_local(local, &c) < 0)
		return local ? local : "";
	long long d = tz_day_number(&c, &weekday);
	if (today && parse_local(arena_printf(a, "%.10s 00:00", today), &now) == 0) {
		long long t = tz_day_number(&now, NULL);
		if (d == t)
			return "Today";
		if (d == t - 1)
			return "Yesterday";
	}
	return arena_printf(a, "%s, %s %d, %d", weekdays[weekday % 7], months[(c.month - 1) % 12],
			    c.day, c.year);
}


static const char *month_abbr(int month)
{
	static const char *const abbr[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	return month >= 1 && month <= 12 ? abbr[month - 1] : "?";
}

/* v in decimal at p, at least min digits: past the last one */
static char *put_int(char *p, int v, int min)
{
	char d[12];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < 11);
	while (n < min)
		d[n++] = '0';
	while (n > 0)
		*p++ = d[--n];
	return p;
}

/* t on the viewer's wall clock, with the zone's short name when zoned.
 * Written by hand: a page writes every row's time, and printf costs more
 * than the rest (one zone look-up, tz_shown). */
static const char *time_for(struct arena *a, const char *zone, long long t, long long now,
			    int zoned)
{
	struct tz_civil c;
	int year;
	char abbr[16];
	if (tz_shown(zone, t, now, &c, &year, abbr, sizeof abbr) < 0 || c.year < 0 || c.year > 9999)
		return format_iso(a, t);
	char out[64], *p = out;
	int h = c.hour % 12;
	memcpy(p, month_abbr(c.month), 3);
	p[3] = ' ';
	p = put_int(p + 4, c.day, 1);
	*p++ = ',';
	*p++ = ' ';
	if (c.year != year) {
		p = put_int(p, c.year, 1);
		*p++ = ',';
		*p++ = ' ';
	}
	p = put_int(p, h ? h : 12, 1);
	*p++ = ':';
	p = put_int(p, c.minute, 2);
	memcpy(p, c.hour < 12 ? " AM" : " PM", 3);
	p += 3;
	if (zoned) {
		size_t n = strlen(abbr);  /* < 16: fits */
		*p++ = ' ';
		memcpy(p, abbr, n);
		p += n;
	}
	*p = '\0';
	return arena_strdup(a, out);
}

const char *format_time(struct arena *a, const char *zone, long long t, long long now)
{
	return time_for(a, zone, t, now, 0);
}

const char *format_time_zoned(struct arena *a, const char *zone, long long t, long long now)
{
	return time_for(a, zone, t, now, 1);
}

const char *format_date(struct arena *a, int year, int month, int day)
{
	return arena_printf(a, "%s %d, %d", month_abbr(month), day, year);
}

const char *format_month(struct arena *a, int year, int month)
{
	return arena_printf(a, "%s %d", month_abbr(month), year);
}

const char *format_iso(struct arena *a, long long t)
{
	struct tz_civil c;
	if (tz_civil_at("UTC", t, &c) < 0)
		return "";
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
			    c.minute, c.second);
}

struct shown_time format_utc(struct arena *a, const char *zone, const char *utc, long long now,
			     int zoned)
{
	long long t;
	if (!utc)
		return (struct shown_time){ "", NULL };
	if (tz_utc_epoch(utc, &t) < 0)
		return (struct shown_time){ utc, NULL };
	/* its ISO form is its own text: "YYYY-MM-DD HH:MM:SS" -> "...THH:MM:SSZ" */
	char iso[21];
	memcpy(iso, utc, 19);
	iso[10] = 'T';
	iso[19] = 'Z';
	iso[20] = '\0';
	return (struct shown_time){ time_for(a, zone, t, now, zoned), arena_strdup(a, iso) };
}

struct shown_time format_local(struct arena *a, const char *zone, const char *local, long long now,
			       int zoned)
{
	struct tz_civil c;
	long long t;
	if (!local)
		return (struct shown_time){ "", NULL };
	if (parse_local(local, &c) < 0 || tz_instant(zone, &c, &t) < 0)
		return (struct shown_time){ local, NULL };
	return (struct shown_time){ time_for(a, zone, t, now, zoned), format_iso(a, t) };
}

const char *format_clock_zoned(struct arena *a, const char *zone, long long t)
{
	struct tz_civil c;
	char abbr[16];
	if (tz_civil_at(zone, t, &c) < 0 || tz_abbrev(zone, t, abbr, sizeof abbr) < 0)
		return format_iso(a, t);
	int h = c.hour % 12;
	return arena_printf(a, "%d:%02d %s %s", h ? h : 12, c.minute, c.hour < 12 ? "AM" : "PM", abbr);
}

const char *format_zone_label(struct arena *a, const char *zone, long long now)
{
	static const struct { const char *zone, *name; } common[] = {
		{ "America/New_York", "Eastern" }, { "America/Chicago", "Central" },
		{ "America/Denver", "Mountain" }, { "America/Phoenix", "Arizona" },
		{ "America/Los_Angeles", "Pacific" }, { "America/Anchorage", "Alaska" },
		{ "Pacific/Honolulu", "Hawaii" }, { "America/Puerto_Rico", "Atlantic" },
	};
	const char *name = NULL;
	for (size_t i = 0; i < sizeof common / sizeof common[0] && zone; i++)
		if (strcmp(zone, common[i].zone) == 0)
			name = common[i].name;
	char *city = NULL;
	if (!name) {
		const char *slash = zone ? strrchr(zone, '/') : NULL;
		city = arena_strdup(a, slash ? slash + 1 : zone && *zone ? zone : "UTC");
		for (char *p = city; p && *p; p++)
			if (*p == '_')
				*p = ' ';
		name = city;
	}
	char abbr[16];
	if (tz_abbrev(zone, now, abbr, sizeof abbr) < 0 || strcmp(abbr, name) == 0)
		return name;
	return arena_printf(a, "%s (%s)", name, abbr);
}
