// The extern "C" bridge to CCTZ: UTC DATETIMEs from MariaDB shown in a zone.
#include "tz.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <stdio.h>
#include <string.h>

#include <chrono>
#include <map>
#include <mutex>
#include <new>
#include <string>

extern "C" {
#include "arena.h"
#include "db.h"
}

namespace {
std::mutex zones_lock;
std::map<std::string, cctz::time_zone> *zones;  // never freed: a handful of zones

// The zone named, loaded once; UTC when the system does not know it
// (*known says which).
cctz::time_zone zone_named(const char *name, bool *known = nullptr)
{
	std::lock_guard<std::mutex> hold(zones_lock);
	if (!zones)
		zones = new std::map<std::string, cctz::time_zone>();
	auto it = zones->find(name);
	if (it != zones->end()) {
		if (known)
			*known = it->second.name() == name || strcmp(name, "UTC") == 0;
		return it->second;
	}
	cctz::time_zone tz;
	bool loaded = cctz::load_time_zone(name, &tz);
	if (!loaded)
		tz = cctz::utc_time_zone();
	if (known)
		*known = loaded;
	// a bounded cache: names come from the database, not from requests
	if (zones->size() < 1024)
		zones->emplace(name, tz);
	return tz;
}

// An instant as cctz reads it, and back, in seconds from the Unix epoch:
// the system clock's own nanoseconds hold only the years 1678 to 2262, and
// a year the user typed may be any of 0000-9999.
cctz::time_point<cctz::seconds> instant(long long epoch_s)
{
	return std::chrono::time_point_cast<cctz::seconds>(std::chrono::system_clock::from_time_t(0)) +
	       cctz::seconds(epoch_s);
}

long long epoch_of(cctz::time_point<cctz::seconds> when)
{
	return (long long)(when - instant(0)).count();
}
}  // namespace

namespace {
// digits of s[0..n) as a number, or -1 if one is not a digit
int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]" (as MariaDB writes a DATETIME, UTC) in
// zone tz as "YYYY-MM-DD HH:MM" into out (at least 17 bytes), or with
// seconds "YYYY-MM-DD HH:MM:SS" (at least 20 bytes): 0, or -1 when it is
// not such a time. Parsed and written by hand: a page converts every
// row's time, and sscanf and snprintf cost more than the rest.
int format_in(const cctz::time_zone &tz, const char *utc_datetime, char *out,
	      bool seconds = false)
{
	const char *t = utc_datetime;
	if (strnlen(t, 20) < 19 || t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' ||
	    t[16] != ':' || (t[19] != '\0' && t[19] != '.'))
		return -1;
	int y = digits(t, 4), mo = digits(t + 5, 2), d = digits(t + 8, 2);
	int h = digits(t + 11, 2), mi = digits(t + 14, 2), s = digits(t + 17, 2);
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0)
		return -1;
	cctz::civil_second utc(y, mo, d, h, mi, s);
	// civil_second normalises 2026-02-30 into March: refuse what is not a date
	if (utc.year() != y || utc.month() != mo || utc.day() != d || utc.hour() != h ||
	    utc.minute() != mi || utc.second() != s)
		return -1;
	cctz::civil_second local = cctz::convert(cctz::convert(utc, cctz::utc_time_zone()), tz);
	if (local.year() < 0 || local.year() > 9999)
		return -1;
	put_digits(out, (int)local.year(), 4);
	out[4] = '-';
	put_digits(out + 5, local.month(), 2);
	out[7] = '-';
	put_digits(out + 8, local.day(), 2);
	out[10] = ' ';
	put_digits(out + 11, local.hour(), 2);
	out[13] = ':';
	put_digits(out + 14, local.minute(), 2);
	out[16] = '\0';
	if (seconds) {
		out[16] = ':';
		put_digits(out + 17, local.second(), 2);
		out[19] = '\0';
	}
	return 0;
}
}  // namespace

extern "C" int tz_format(const char *zone, const char *utc_datetime, char *out, size_t n)
{
	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	if (!utc_datetime || n < 17)
		return -1;
	try {
		return format_in(zone_named(zone && *zone ? zone : "UTC"), utc_datetime, out);
	} catch (const std::bad_alloc &) {
		out[0] = '\0';
		return -1;
	}
}

extern "C" const char *tz_local(struct arena *a, const char *zone, const char *utc_datetime)
{
	if (!utc_datetime)
		return NULL;
	char out[32];
	if (tz_format(zone, utc_datetime, out, sizeof out) != 0)
		return utc_datetime;
	return arena_strdup(a, out);
}

extern "C" void tz_local_column(struct arena *a, const char *zone, struct db_rows *rows, size_t col)
{
	if (col >= rows->cols || rows->n == 0)
		return;
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");  // once a column
		for (size_t i = 0; i < rows->n; i++) {
			char **cell = &rows->cell[i * rows->cols + col];
			char out[17];
			if (!*cell || format_in(tz, *cell, out) != 0)
				continue;  /* shown as it is, as tz_local does */
			*cell = arena_strdup(a, out);
			rows->len[i * rows->cols + col] = strlen(out);
		}
	} catch (const std::bad_alloc &) {
		return;  /* the times stay in UTC */
	}
}

extern "C" int tz_civil_at(const char *zone, long long epoch_s, struct tz_civil *out)
{
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");
		cctz::civil_second c = cctz::convert(instant(epoch_s), tz);
		*out = { (int)c.year(), c.month(), c.day(), c.hour(), c.minute(), c.second() };
	} catch (const std::bad_alloc &) {
		return -1;
	}
	return 0;
}

extern "C" int tz_instant(const char *zone, const struct tz_civil *c, long long *epoch_s)
{
	cctz::civil_second cs(c->year, c->month, c->day, c->hour, c->minute, c->second);
	if (cs.year() != c->year || cs.month() != c->month || cs.day() != c->day ||
	    cs.hour() != c->hour || cs.minute() != c->minute || cs.second() != c->second)
		return -1;
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");
		const cctz::time_zone::civil_lookup cl = tz.lookup(cs);
		// skipped (spring forward): the instant the clock jumped
		*epoch_s = epoch_of(cl.kind == cctz::time_zone::civil_lookup::SKIPPED ? cl.trans : cl.pre);
	} catch (const std::bad_alloc &) {
		return -1;
	}
	return 0;
}

extern "C" int tz_known(const char *zone)
{
	bool known = false;
	try {
		if (zone && *zone)
			zone_named(zone, &known);
	} catch (const std::bad_alloc &) {
		return 0;
	}
	return known;
}

extern "C" int tz_strftime(const char *zone, long long epoch_s, const char *fmt, char *out, size_t n)
{
	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");
		std::string text = cctz::format(fmt, instant(epoch_s), tz);
		if (text.size() + 1 > n)
			return -1;
		memcpy(out, text.c_str(), text.size() + 1);
	} catch (const std::bad_alloc &) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

extern "C" const char *tz_local_seconds(struct arena *a, const char *zone, const char *utc_datetime)
{
	if (!utc_datetime)
		return NULL;
	char out[20];
	try {
		if (format_in(zone_named(zone && *zone ? zone : "UTC"), utc_datetime, out, true) != 0)
			return utc_datetime;
	} catch (const std::bad_alloc &) {
		return utc_datetime;
	}
	return arena_strdup(a, out);
}

extern "C" int tz_civil_parse(const char *text, char sep, struct tz_civil *c, const char **rest)
{
	const char *t = text;
	size_t n = t ? strnlen(t, 19) : 0;
	if (n < 16 || t[4] != '-' || t[7] != '-' || t[10] != sep || t[13] != ':')
		return -1;
	int seconds = n == 19 && t[16] == ':' && digits(t + 17, 2) >= 0;
	*c = (struct tz_civil){ digits(t, 4), digits(t + 5, 2), digits(t + 8, 2),
				digits(t + 11, 2), digits(t + 14, 2), seconds ? digits(t + 17, 2) : 0 };
	if (c->year < 0 || c->month < 0 || c->day < 0 || c->hour < 0 || c->minute < 0)
		return -1;
	// a real date and time: cctz would carry February 30 into March
	cctz::civil_second cs(c->year, c->month, c->day, c->hour, c->minute, c->second);
	if (cs.year() != c->year || cs.month() != c->month || cs.day() != c->day ||
	    cs.hour() != c->hour || cs.minute() != c->minute || cs.second() != c->second)
		return -1;
	if (rest)
		*rest = t + (seconds ? 19 : 16);
	return 0;
}

extern "C" long long tz_day_number(const struct tz_civil *c, int *weekday)
{
	cctz::civil_day d(c->year, c->month, c->day);
	if (weekday) {
		static const cctz::weekday order[] = {
			cctz::weekday::sunday, cctz::weekday::monday, cctz::weekday::tuesday,
			cctz::weekday::wednesday, cctz::weekday::thursday, cctz::weekday::friday,
			cctz::weekday::saturday,
		};
		cctz::weekday w = cctz::get_weekday(d);
		for (int i = 0; i < 7; i++)
			if (order[i] == w)
				*weekday = i;
	}
	return (long long)(d - cctz::civil_day(1970, 1, 1));
}

extern "C" int tz_parse_local(const char *zone, const char *text, long long *epoch_s)
{
	struct tz_civil c;
	const char *rest;
	size_t n = text ? strnlen(text, 20) : 0;
	if ((n != 16 && n != 19) || tz_civil_parse(text, 'T', &c, &rest) < 0 || *rest)
		return -1;
	return tz_instant(zone, &c, epoch_s);
}

extern "C" int tz_parse_rfc3339(const char *text, long long *epoch_s)
{
	struct tz_civil c;
	const char *z;
	size_t n = text ? strnlen(text, 26) : 0;
	if (n < 20 || n != 19 + (text[19] == 'Z' ? 1 : 6) ||
	    tz_civil_parse(text, 'T', &c, &z) < 0 || z != text + 19)
		return -1;
	long long offset = 0;
	if (strcmp(z, "Z") != 0) {
		int h = digits(z + 1, 2), m = digits(z + 4, 2);
		if ((z[0] != '+' && z[0] != '-') || z[3] != ':' || h < 0 || h > 23 || m < 0 || m > 59)
			return -1;
		offset = (h * 60LL + m) * 60 * (z[0] == '-' ? -1 : 1);
	}
	long long local;
	if (tz_instant("UTC", &c, &local) < 0)
		return -1;
	*epoch_s = local - offset;
	return 0;
}

namespace {
// A zone's abbreviation from the tz database as people read it: "CST" as
// it is, a number ("+03", "-0330") as "UTC+3", "UTC-3:30". 0 or -1.
int readable_abbrev(const char *z, char *out, size_t n)
{
	out[0] = '\0';
	if (!*z)
		return -1;
	if (z[0] != '+' && z[0] != '-') {
		if (strlen(z) + 1 > n)
			return -1;
		memcpy(out, z, strlen(z) + 1);
		return 0;
	}
	// "+03", "-0330", "+0545": hours and, when not whole, minutes
	size_t len = strlen(z);
	int h = len >= 3 ? digits(z + 1, 2) : -1;
	int m = len == 5 ? digits(z + 3, 2) : len == 3 ? 0 : -1;
	if (h < 0 || m < 0)
		return -1;
	int w = m ? snprintf(out, n, "UTC%c%d:%02d", z[0], h, m)
		  : snprintf(out, n, "UTC%c%d", z[0], h);
	if (w < 0 || (size_t)w >= n) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

}  // namespace

extern "C" int tz_abbrev(const char *zone, long long epoch_s, char *out, size_t n)
{
	if (!out || n == 0)
		return -1;
	out[0] = '\0';
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");
		return readable_abbrev(tz.lookup(instant(epoch_s)).abbr, out, n);
	} catch (const std::bad_alloc &) {
		return -1;
	}
}

extern "C" int tz_shown(const char *zone, long long epoch_s, long long now_s, struct tz_civil *at,
			int *now_year, char *abbr, size_t n)
{
	if (!abbr || n == 0)
		return -1;
	abbr[0] = '\0';
	try {
		cctz::time_zone tz = zone_named(zone && *zone ? zone : "UTC");  // once
		const cctz::time_zone::absolute_lookup l = tz.lookup(instant(epoch_s));
		*at = { (int)l.cs.year(), l.cs.month(), l.cs.day(), l.cs.hour(), l.cs.minute(),
			l.cs.second() };
		*now_year = (int)tz.lookup(instant(now_s)).cs.year();
		return readable_abbrev(l.abbr, abbr, n);
	} catch (const std::bad_alloc &) {
		return -1;
	}
}

extern "C" int tz_utc_epoch(const char *utc_datetime, long long *epoch_s)
{
	struct tz_civil c;
	const char *rest;
	if (tz_civil_parse(utc_datetime, ' ', &c, &rest) < 0 || rest != utc_datetime + 19 ||
	    (*rest != '\0' && *rest != '.'))
		return -1;
	return tz_instant("UTC", &c, epoch_s);
}
