/* The one clock smsdesk reads for what depends on the time of day (quiet
 * hours, send later, the consent cooling-off, the usage report's months,
 * the outbox's due times). In production it is the system's clock. The
 * end-to-end tests move it with the configuration key test.clock_file: a
 * file holding an offset in seconds from the real time, read on every
 * use (so a test moves a running smsdesk, its dispatcher and smsdeskctl at
 * once), except within a request: read once at its start (clock_hold), a
 * request sees one clock, and a page of 50 rows opens no file per row. The key is refused unless public_url is a loopback address, so
 * no reachable instance can run on a moved clock.
 *
 * MariaDB follows it: each request (and each dispatcher round) sets the
 * connection's session `timestamp` to clock_now_us() before its first
 * statement, which moves NOW(), UTC_TIMESTAMP() and CURRENT_TIMESTAMP
 * defaults with it; on the real clock nothing is sent (db.c). */
#ifndef SMSDESK_CLOCK_H
#define SMSDESK_CLOCK_H
#include <time.h>

/* Reads the offset from path from now on (NULL or "": the real clock). */
void clock_use_file(const char *path);
/* True when a clock file is configured (tests only). */
int clock_movable(void);
/* How far the clock is moved, in seconds (0: the real time). */
long long clock_offset_s(void);
/* From clock_hold to clock_release, this thread's clock_offset_s is the
 * one read at clock_hold (a request: smsdesk.c). Nothing on the real
 * clock. */
void clock_hold(void);
void clock_release(void);
/* Now, in microseconds / seconds since the epoch. */
long long clock_now_us(void);
time_t clock_now(void);
/* The real (system) time ms milliseconds from now, as
 * pthread_cond_timedwait takes its deadline: never the moved clock. */
struct timespec clock_deadline(long ms);
#endif
