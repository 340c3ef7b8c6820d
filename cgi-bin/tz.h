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
#ifdef __cplusplus
}
#endif
#endif
