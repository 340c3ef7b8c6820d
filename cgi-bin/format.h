/* How numbers and times read on a page: as people write them. */
#ifndef SMSDESK_FORMAT_H
#define SMSDESK_FORMAT_H
struct arena;

/* "YYYY-MM-DD HH:MM" (tz_local) -> "2:05 PM"; malformed input as it is. */
const char *format_clock(struct arena *a, const char *local);
/* The day of a "YYYY-MM-DD HH:MM" as a heading: "Today", "Yesterday" or
 * "Friday, November 20, 2026", where today is the viewer's "YYYY-MM-DD". */
const char *format_day(struct arena *a, const char *local, const char *today);

/* Every instant a page shows, the one way: as the viewer in zone (an IANA
 * name; UTC when unknown) reads it, "Dec 6, 6:41 PM", with the year when
 * it is not the year of now on the viewer's wall clock ("Dec 6, 2025,
 * 6:41 PM"). t and now are epoch seconds. NULL only when out of memory. */
const char *format_time(struct arena *a, const char *zone, long long t, long long now);
/* format_time followed by the zone's short name at t (tz_abbrev):
 * "Dec 6, 6:41 PM CST", "Jul 4, 9:00 AM CDT", "Dec 6, 6:41 PM UTC+3". */
const char *format_time_zoned(struct arena *a, const char *zone, long long t, long long now);
/* A date alone: "Dec 6, 2026" (month 1 to 12). */
const char *format_date(struct arena *a, int year, int month, int day);
/* A month alone: "Dec 2026" (month 1 to 12). */
const char *format_month(struct arena *a, int year, int month);
/* t for a <time datetime="...">: RFC 3339 in UTC, "2026-12-07T00:41:00Z". */
const char *format_iso(struct arena *a, long long t);

/* A time read from MariaDB (a UTC DATETIME) as a page shows it. */
struct shown_time {
	const char *text;  /* format_time(_zoned); the input as it is when it is no DATETIME */
	const char *iso;   /* format_iso; NULL when it is no DATETIME */
};
/* utc (NULL: an SQL NULL, shown as "") for the viewer in zone, now being
 * clock_now(); with the zone's short name when zoned. */
struct shown_time format_utc(struct arena *a, const char *zone, const char *utc, long long now,
			     int zoned);
/* The same from local, zone's wall clock as tz_local writes it ("YYYY-MM-DD
 * HH:MM"): the hour a DST change repeats reads as its first. */
struct shown_time format_local(struct arena *a, const char *zone, const char *local, long long now,
			       int zoned);
/* A time zone setting as people name it, with its short name at now:
 * "Central (CST)" for America/Chicago, "Istanbul (UTC+3)" for a zone
 * without a common name (its city). The setting's value stays the IANA name. */
const char *format_zone_label(struct arena *a, const char *zone, long long now);
/* The wall clock of zone at t with its short name: "8:30 PM EST". */
const char *format_clock_zoned(struct arena *a, const char *zone, long long t);
#endif
