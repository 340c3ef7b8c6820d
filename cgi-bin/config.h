/* Configuration: a `key = value` file named by SMSDESK_CONF, each key
 * overridable by the environment variable SMSDESK_<KEY>. */
#ifndef SMSDESK_CONFIG_H
#define SMSDESK_CONFIG_H
#include <stddef.h>

struct config {
	char *db_socket, *db_host, *db_user, *db_password, *db_name;
	int db_port;
	char *listen;          /* unix socket path, host:port, or empty for fd 0 */
	int listen_mode;       /* permissions of a unix socket */
	int workers;
	char *public_url;
	char *carrier_base_url, *carrier_account_sid, *carrier_auth_token;
	long media_max_bytes;
	int media_timeout_ms;         /* one image, end to end */
	int media_low_speed_bytes;    /* slower than this a second ... */
	int media_low_speed_seconds;  /* ... for this long: given up */
	int media_allow_loopback;     /* tests: the carrier's stand-in is on loopback */
	int carrier_timeout_ms;      /* one API request, end to end */
	int carrier_rate_per_number; /* messages a second from one number; 0: no limit */
	int carrier_retry_base_ms, carrier_retry_max_ms, carrier_max_attempts;
	int dispatcher;              /* run the dispatcher thread (1) or not (0) */
	long max_body_bytes;
	char *templates_dir;
	char *schema_dir;
	char *static_dir;
	int session_idle_minutes;
	int session_absolute_hours;
	char *test_clock_file;  /* tests only: the movable clock's offset (clock.h) */
	int log_debug;         /* log.debug = on: a debug line per request */
	int secure_cookies;    /* derived: public_url is https */
};

/* Loads defaults, then the file (path may be NULL), then the environment.
 * On error returns -1 and writes a message naming the key into err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* Sets one key from text; used by the loader and by the tests. */
int config_set(struct config *c, const char *key, const char *value,
	       char *err, size_t errlen);
void config_free(struct config *c);
#endif
