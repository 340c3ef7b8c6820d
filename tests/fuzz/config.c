/* The configuration file (cgi-bin/config.c): the input is the file
 * SMSDESK_CONF names. Properties: a refused file names why in err; an
 * accepted one has its values in their ranges. */
#include "fuzz.h"

#include "config.h"

#include <unistd.h>

static void fuzz_one(const uint8_t *data, size_t n)
{
	static char path[64];
	if (!*path) {
		/* the environment is smsdesk's second source: none of it here */
		for (char **e = environ; e && *e;)
			if (strncmp(*e, "SMSDESK_", 8) == 0) {
				char name[128];
				snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
				FUZZ_CHECK(unsetenv(name) == 0);
			} else {
				e++;
			}
		snprintf(path, sizeof path, "/tmp/smsdesk-fuzz-config.%ld", (long)getpid());
	}
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f);
	FUZZ_CHECK(fwrite(data, 1, n, f) == n);
	FUZZ_CHECK(fclose(f) == 0);
	struct config c;
	char err[512] = "";
	int rc = config_load(&c, path, err, sizeof err);
	FUZZ_CHECK(unlink(path) == 0);
	if (rc < 0) {
		FUZZ_CHECK(*err);
	} else {
		FUZZ_CHECK(c.workers >= 1 && c.workers <= 256);
		FUZZ_CHECK(c.db_port > 0 && c.db_port <= 65535);
		FUZZ_CHECK(c.public_url && c.carrier_base_url && c.listen);
		FUZZ_CHECK(c.max_body_bytes > 0);
	}
	config_free(&c);
}
