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

const char *format_when(struct arena *a, const char *local, const char *today)
{
	struct tz_civil c;
	if (parse_local(local, &c) < 0)
		return local ? local : "";
	if (today && strncmp(local, today, 10) == 0)
		return format_clock(a, local);
	char month[4];
	snprintf(month, sizeof month, "%.3s", months[(c.month - 1) % 12]);
	if (today && strncmp(local, today, 4) == 0)
		return arena_printf(a, "%s %d", month, c.day);
	return arena_printf(a, "%s %d, %d", month, c.day, c.year);
}
