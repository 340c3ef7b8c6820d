#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Appends s to line[len..cap), every control character (ESC, CR, LF, DEL,
 * ...) written as \xNN, so that a log line stays one line and no terminal
 * escape in a request reaches whoever reads the log. Stops before a
 * character that does not fit whole; returns the new length. */
static size_t put_escaped(char *line, size_t len, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int control = c < 0x20 || c == 0x7f;
		if (len + (control ? 4 : 1) > cap)
			break;
		if (!control) {
			line[len++] = (char)c;
			continue;
		}
		line[len++] = '\\';
		line[len++] = 'x';
		line[len++] = hex[c >> 4];
		line[len++] = hex[c & 15];
	}
	return len;
}

void log_msg(const char *level, const char *rid, const char *fmt, ...)
{
	char msg[2048], line[4096];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s [",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	/* room for "] " and the newline is kept back */
	size_t len = put_escaped(line, (size_t)n, sizeof line - 3, rid ? rid : "-");
	line[len++] = ']';
	line[len++] = ' ';
	len = put_escaped(line, len, sizeof line - 1, msg);
	line[len++] = '\n';
	/* One write per line keeps lines from different threads whole. */
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w; /* nowhere left to report a failed log write */
}
