/* The movable clock (clock.h). */
#include "clock.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN 4096

static char path[PATH_MAX_LEN];   /* set once at start-up, before threads */

/* A request's offset, read once (clock_hold) instead of on every use. */
static _Thread_local struct { int held; long long offset; } request_clock;

void clock_use_file(const char *p)
{
	snprintf(path, sizeof path, "%s", p ? p : "");
}

int clock_movable(void)
{
	return path[0] != '\0';
}

/* The offset in seconds the file holds: a missing or empty file is 0 (the
 * tests remove it to go back to the real time), a malformed one too, said
 * in the log. */
static long long offset_from_file(void)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char text[64] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	if (n == 0)
		return 0;
	char *end;
	errno = 0;
	long long off = strtoll(text, &end, 10);
	while (*end == '\n' || *end == ' ')
		end++;
	/* a hundred years either way is more than any test needs */
	if (errno || end == text || *end || off > 3155760000LL || off < -3155760000LL) {
		log_error(NULL, "clock: %s does not hold a whole number of seconds; using the real time",
			  path);
		return 0;
	}
	return off;
}

long long clock_offset_s(void)
{
	if (!path[0])
		return 0;
	if (request_clock.held)
		return request_clock.offset;
	return offset_from_file();
}

void clock_hold(void)
{
	request_clock.held = 0;
	if (path[0]) {
		request_clock.offset = offset_from_file();
		request_clock.held = 1;
	}
}

void clock_release(void)
{
	request_clock.held = 0;
}

long long clock_now_us(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (long long)time(NULL) * 1000000LL;
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000 + clock_offset_s() * 1000000LL;
}

time_t clock_now(void)
{
	return (time_t)(clock_now_us() / 1000000LL);
}

struct timespec clock_deadline(long ms)
{
	struct timespec until;
	if (clock_gettime(CLOCK_REALTIME, &until) != 0) {
		until.tv_sec = time(NULL);
		until.tv_nsec = 0;
	}
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return until;
}
