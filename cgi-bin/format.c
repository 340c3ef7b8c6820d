#include "format.h"

#include "arena.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD HH:MM" into its parts; 0 or -1. */
static int parse_local(const char *s, struct tm *tm)
{
	memset(tm, 0, sizeof *tm);
	if (!s || strlen(s) < 16 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || s[10] != ' ' || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2))
		return -1;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d", &tm->tm_year, &tm->tm_mon, &tm->tm_mday,
		   &tm->tm_hour, &tm->tm_min) != 5)
		return -1;
	tm->tm_year -= 1900;
	tm->tm_mon -= 1;
	tm->tm_hour %= 24;
	return 0;
}

static const char *const months[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };
static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday" };

const char *format_clock(struct arena *a, const char *local)
{
	struct tm tm;
	if (parse_local(local, &tm) < 0)
		return local ? local : "";
	int h = tm.tm_hour % 12;
	return arena_printf(a, "%d:%02d %s", h ? h : 12, tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM");
}

/* Days since the epoch of a civil date (timegm normalises and gives the weekday). */
static long long day_number(struct tm *tm)
{
	struct tm t = *tm;
	t.tm_hour = 12;
	t.tm_min = 0;
	time_t v = timegm(&t);
	*tm = t;
	return (long long)v / 86400;
}

const char *format_day(struct arena *a, const char *local, const char *today)
{
	struct tm tm, now;
	if (parse_local(local, &tm) < 0)
		return local ? local : "";
	long long d = day_number(&tm);
	if (today && parse_local(arena_printf(a, "%.10s 00:00", today), &now) == 0) {
		long long t = day_number(&now);
		if (d == t)
			return "Today";
		if (d == t - 1)
			return "Yesterday";
	}
	return arena_printf(a, "%s, %s %d, %d", weekdays[tm.tm_wday % 7], months[tm.tm_mon % 12],
			    tm.tm_mday, tm.tm_year + 1900);
}

const char *format_when(struct arena *a, const char *local, const char *today)
{
	struct tm tm;
	if (parse_local(local, &tm) < 0)
		return local ? local : "";
	if (today && strncmp(local, today, 10) == 0)
		return format_clock(a, local);
	char month[4];
	snprintf(month, sizeof month, "%.3s", months[tm.tm_mon % 12]);
	if (today && strncmp(local, today, 4) == 0)
		return arena_printf(a, "%s %d", month, tm.tm_mday);
	return arena_printf(a, "%s %d, %d", month, tm.tm_mday, tm.tm_year + 1900);
}
