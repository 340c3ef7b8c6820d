/* How numbers and times read on a page: as people write them. */
#ifndef SMSDESK_FORMAT_H
#define SMSDESK_FORMAT_H
struct arena;

/* "YYYY-MM-DD HH:MM" (tz_local) -> "2:05 PM"; malformed input as it is. */
const char *format_clock(struct arena *a, const char *local);
/* The day of a "YYYY-MM-DD HH:MM" as a heading: "Today", "Yesterday" or
 * "Friday, November 20, 2026", where today is the viewer's "YYYY-MM-DD". */
const char *format_day(struct arena *a, const char *local, const char *today);
/* Short form for lists: the clock time today, else "Nov 20" (this year) or
 * "Nov 20, 2025". */
const char *format_when(struct arena *a, const char *local, const char *today);
#endif
