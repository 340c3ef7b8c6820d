#include "config.h"

#include "arena.h"
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern char **environ;

enum kind { K_STR, K_INT, K_LONG, K_MODE, K_URL, K_ONOFF };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	const char *def;
	long min, max;
};

#define S(n, f, d) { n, K_STR, offsetof(struct config, f), d, 0, 0 }
#define U(n, f, d) { n, K_URL, offsetof(struct config, f), d, 0, 0 }
#define I(n, f, d, lo, hi) { n, K_INT, offsetof(struct config, f), d, lo, hi }
#define B(n, f, d) { n, K_ONOFF, offsetof(struct config, f), d, 0, 1 }
#define L(n, f, d, lo, hi) { n, K_LONG, offsetof(struct config, f), d, lo, hi }

static const struct key keys[] = {
	S("db.socket", db_socket, ""),
	S("db.host", db_host, ""),
	I("db.port", db_port, "3306", 1, 65535),
	S("db.user", db_user, "smsdesk"),
	S("db.password", db_password, ""),
	S("db.name", db_name, "smsdesk"),
	S("listen", listen, ""),
	{ "listen.mode", K_MODE, offsetof(struct config, listen_mode), "0660", 0, 0777 },
	I("workers", workers, "8", 1, 256),
	U("public_url", public_url, "http://127.0.0.1:8080"),
	U("carrier.base_url", carrier_base_url, "http://127.0.0.1:8081"),
	S("carrier.account_sid", carrier_account_sid, ""),
	S("carrier.auth_token", carrier_auth_token, ""),
	I("carrier.timeout_ms", carrier_timeout_ms, "10000", 100, 120000),
	I("carrier.rate_per_number", carrier_rate_per_number, "1", 0, 1000),
	I("carrier.retry_base_ms", carrier_retry_base_ms, "1000", 10, 600000),
	I("carrier.retry_max_ms", carrier_retry_max_ms, "60000", 10, 3600000),
	I("carrier.max_attempts", carrier_max_attempts, "12", 1, 1000),
	I("dispatcher", dispatcher, "1", 0, 1),
	L("media.max_bytes", media_max_bytes, "5242880", 1024, 104857600),
	I("media.timeout_ms", media_timeout_ms, "60000", 100, 600000),
	I("media.low_speed_bytes", media_low_speed_bytes, "1024", 1, 1048576),
	I("media.low_speed_seconds", media_low_speed_seconds, "10", 1, 600),
	B("media.allow_loopback", media_allow_loopback, "off"),
	L("max_body_bytes", max_body_bytes, "65536", 1024, 104857600),
	S("templates", templates_dir, "templates"),
	S("schema", schema_dir, "schema"),
	S("static", static_dir, "static"),
	I("session.idle_minutes", session_idle_minutes, "120", 1, 525600),
	I("session.absolute_hours", session_absolute_hours, "12", 1, 8760),
	S("test.clock_file", test_clock_file, ""),
	B("log.debug", log_debug, "off"),
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const struct key *key_find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int parse_long(const char *v, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

int config_set(struct config *c, const char *name, const char *value,
	       char *err, size_t errlen)
{
	const struct key *k = key_find(name);
	if (!k) {
		snprintf(err, errlen, "unknown configuration key '%s'", name);
		return -1;
	}
	char *field = (char *)c + k->offset;
	long n;
	switch (k->kind) {
	case K_URL:
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			snprintf(err, errlen, "%s: '%s' is not an http:// or https:// URL",
				 name, value);
			return -1;
		}
		/* fall through */
	case K_STR: {
		char **s = (char **)field;
		free(*s);
		*s = xstrdup(value);
		/* A trailing slash would double up when paths are appended. */
		if (k->kind == K_URL) {
			size_t len = strlen(*s);
			while (len > 0 && (*s)[len - 1] == '/')
				(*s)[--len] = '\0';
		}
		return 0;
	}
	case K_MODE: {
		char *end;
		errno = 0;
		n = strtol(value, &end, 8);
		if (errno || end == value || *end || n < k->min || n > k->max) {
			snprintf(err, errlen, "%s: '%s' is not an octal file mode", name, value);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	}
	case K_ONOFF:
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			snprintf(err, errlen, "%s: '%s' is neither on nor off", name, value);
			return -1;
		}
		*(int *)field = value[1] == 'n';
		return 0;
	case K_INT:
	case K_LONG:
		if (parse_long(value, &n) < 0 || n < k->min || n > k->max) {
			snprintf(err, errlen, "%s: '%s' is not a whole number from %ld to %ld",
				 name, value, k->min, k->max);
			return -1;
		}
		if (k->kind == K_INT)
			*(int *)field = (int)n;
		else
			*(long *)field = n;
		return 0;
	}
	return -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open configuration file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			rc = -1;
			break;
		}
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		char msg[512];
		if (config_set(c, key, value, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "error reading %s", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* SMSDESK_DB_SOCKET -> db.socket; only keys we know are mapped back. */
static const struct key *key_for_env(const char *envname, size_t len)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const char *k = keys[i].name;
		if (strlen(k) != len)
			continue;
		size_t j;
		for (j = 0; j < len; j++) {
			char want = k[j] == '.' ? '_' : (char)toupper((unsigned char)k[j]);
			if (envname[j] != want)
				break;
		}
		if (j == len)
			return &keys[i];
	}
	return NULL;
}

static int load_env(struct config *c, char *err, size_t errlen)
{
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, "SMSDESK_", 8) != 0)
			continue;
		const char *name = *e + 8, *eq = strchr(name, '=');
		if (!eq)
			continue;
		size_t len = (size_t)(eq - name);
		if (len == 4 && strncmp(name, "CONF", 4) == 0)
			continue;
		const struct key *k = key_for_env(name, len);
		if (!k) {
			snprintf(err, errlen, "unknown configuration variable %.*s",
				 (int)(len + 8), *e);
			return -1;
		}
		char msg[512];
		if (config_set(c, k->name, eq + 1, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "environment: %s", msg);
			return -1;
		}
	}
	return 0;
}

/* http://127.x.y.z[:port], localhost or [::1]: nobody else can reach it */
static int url_is_loopback(const char *url)
{
	const char *host = strstr(url, "://");
	if (!host)
		return 0;
	host += 3;
	size_t n = strcspn(host, ":/");
	if (host[0] == '[')
		return strncmp(host, "[::1]", 5) == 0 && (host[5] == '\0' || host[5] == ':' || host[5] == '/');
	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	int a, b, c, d, used = 0;
	return strncmp(host, "127.", 4) == 0 &&
	       sscanf(host, "%d.%d.%d.%d%n", &a, &b, &c, &d, &used) == 4 && (size_t)used == n &&
	       b >= 0 && b <= 255 && c >= 0 && c <= 255 && d >= 0 && d <= 255;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < NKEYS; i++)
		if (config_set(c, keys[i].name, keys[i].def, err, errlen) < 0)
			return -1;
	if (path && *path && load_file(c, path, err, errlen) < 0)
		return -1;
	if (load_env(c, err, errlen) < 0)
		return -1;
	c->secure_cookies = strncasecmp(c->public_url, "https://", 8) == 0;
	if (*c->test_clock_file && !url_is_loopback(c->public_url)) {
		snprintf(err, errlen, "test.clock_file moves the clock for the tests only: it is refused"
			 " unless public_url is a loopback address (127.0.0.1, localhost, [::1])");
		return -1;
	}
	if (c->media_allow_loopback && !url_is_loopback(c->carrier_base_url)) {
		snprintf(err, errlen, "media.allow_loopback lets images come from loopback addresses for"
			 " the tests' stand-in carrier only: it is refused unless carrier.base_url is a"
			 " loopback address (127.0.0.1, localhost, [::1])");
		return -1;
	}
	clock_use_file(c->test_clock_file);
	return 0;
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].kind == K_STR || keys[i].kind == K_URL) {
			char **s = (char **)((char *)c + keys[i].offset);
			free(*s);
			*s = NULL;
		}
}
