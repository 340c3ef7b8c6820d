/* One line per event on stderr: time, level, request id, message, with
 * every control character written as \xNN (a line is one line, and holds
 * no terminal escape). Secrets (passwords, tokens, cookies) are never
 * passed here. */
#ifndef SMSDESK_LOG_H
#define SMSDESK_LOG_H
void log_msg(const char *level, const char *rid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define log_info(rid, ...) log_msg("info", rid, __VA_ARGS__)
#define log_warn(rid, ...) log_msg("warn", rid, __VA_ARGS__)
#define log_error(rid, ...) log_msg("error", rid, __VA_ARGS__)
#endif
