/* Times shown to people. MariaDB keeps every DATETIME in UTC; the program
 * turns them into the viewer's zone with Google's CCTZ (the system's
 * zoneinfo), so times are right on a MariaDB without time zone tables. */
#ifndef SMSDESK_TZ_H
#define SMSDESK_TZ_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
struct arena;
struct db_rows;

/* Formats utc_datetime ("YYYY-MM-DD HH:MM:SS[.ffffff]", a DATETIME as
 * MariaDB returns it) as "YYYY-MM-DD HH:MM" in zone (an IANA name; UTC when
 * the zone is unknown). Returns 0, or -1 when the input is not a DATETIME
 * or out is too small (out is then ""). Thread-safe: zones are loaded once
 * per process and cached. */
int tz_format(const char *zone, const char *utc_datetime, char *out, size_t n);

/* tz_format into the arena; NULL for NULL (an SQL NULL), the input itself
 * when it is not a DATETIME. */
const char *tz_local(struct arena *a, const char *zone, const char *utc_datetime);
/* Rewrites column col of every row (UTC DATETIMEs) with tz_local. */
void tz_local_column(struct arena *a, const char *zone, struct db_rows *rows, size_t col);
/* tz_local to the second: "YYYY-MM-DD HH:MM:SS" (records that are read
 * to the second: the loan file). */
const char *tz_local_seconds(struct arena *a, const char *zone, const char *utc_datetime);

/* A civil time: what a clock on the wall of a zone shows. */
struct tz_civil {
	int year, month, day, hour, minute, second;
};
/* The wall clock of zone (an IANA name; UTC when unknown) at epoch_s. 0 or -1. */
int tz_civil_at(const char *zone, long long epoch_s, struct tz_civil *out);
/* The instant the wall clock of zone shows c (a time skipped by a DST
 * change counts as the instant just after it); -1 when c is not a valid
 * date and time. */
int tz_instant(const char *zone, const struct tz_civil *c, long long *epoch_s);
/* "YYYY-MM-DD?HH:MM" or "YYYY-MM-DD?HH:MM:SS", ? being sep (' ' as
 * MariaDB and tz_local write, 'T' as HTML and RFC 3339 do), into c,
 * checked as a real date and time (February 30 is no date); *rest (when
 * given) points after it. 0 or -1. */
int tz_civil_parse(const char *text, char sep, struct tz_civil *c, const char **rest);
/* Days from 1970-01-01 to c's date, and its weekday (0 Sunday, when
 * weekday is given). */
long long tz_day_number(const struct tz_civil *c, int *weekday);
/* RFC 3339 to the second, "2026-11-20T10:00:00Z" or with an offset
 * ("-06:00"), as epoch seconds: 0, or -1 for anything else. */
int tz_parse_rfc3339(const char *text, long long *epoch_s);
/* A wall-clock time in zone as an HTML datetime-local field sends it,
 * "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS", as epoch seconds (tz_instant's
 * rules: a time skipped by a DST change is the instant just after it).
 * 0, or -1 when text is no such time. */
int tz_parse_local(const char *zone, const char *text, long long *epoch_s);
/* epoch_s on zone's wall clock, formatted as strftime would (%Z: the
 * zone's abbreviation, CST). 0, or -1 (out is then ""). */
int tz_strftime(const char *zone, long long epoch_s, const char *fmt, char *out, size_t n);
/* The zone's short name at epoch_s, from the tz database: "CST" or "CDT"
 * for America/Chicago. A zone the database names only by its offset
 * ("+03", "-0330") reads "UTC+3", "UTC-3:30"; plain UTC reads "UTC".
 * 0, or -1 (out is then ""). */
int tz_abbrev(const char *zone, long long epoch_s, char *out, size_t n);
/* In one look-up of zone (the pages' times, format.h): the wall clock at
 * epoch_s into *at, the year on it at now_s into *now_year, and tz_abbrev's
 * name at epoch_s into abbr. 0 or -1. */
int tz_shown(const char *zone, long long epoch_s, long long now_s, struct tz_civil *at,
	     int *now_year, char *abbr, size_t n);
/* A DATETIME as MariaDB returns it, UTC ("YYYY-MM-DD HH:MM:SS[.ffffff]"),
 * as epoch seconds: 0, or -1 when it is no such time. */
int tz_utc_epoch(const char *utc_datetime, long long *epoch_s);
/* True when the system knows the zone by that name. */
int tz_known(const char *zone);
#ifdef __cplusplus
}
#endif
#endif
