/* Configuration file, environment overrides and start-up errors. */
#include "unit.h"

#include "clock.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void write_conf(const char *text)
{
	strcpy(path, "/tmp/smsdesk-test-conf-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int cleanup(void **state)
{
	(void)state;
	if (*path)
		unlink(path);
	*path = '\0';
	unsetenv("SMSDESK_WORKERS");
	unsetenv("SMSDESK_DB_NAME");
	unsetenv("SMSDESK_NO_SUCH_KEY");
	return 0;
}

static void defaults(void **state)
{
	(void)state;
	struct config c;
	char err[256];
	assert_int_equal(config_load(&c, NULL, err, sizeof err), 0);
	assert_int_equal(c.workers, 8);
	assert_string_equal(c.db_name, "smsdesk");
	assert_int_equal(c.max_body_bytes, 65536);
	assert_int_equal(c.media_max_bytes, 5242880);
	assert_false(c.secure_cookies);
	assert_false(c.log_debug);
	config_free(&c);
}

static void file_and_environment(void **state)
{
	(void)state;
	write_conf("# comment\n\n db.name = crm \nworkers=4\npublic_url = https://sms.example.test/\n"
		   "carrier.auth_token = secret = with equals\nlog.debug = on\n");
	setenv("SMSDESK_WORKERS", "16", 1);
	struct config c;
	char err[256];
	assert_int_equal(config_load(&c, path, err, sizeof err), 0);
	assert_string_equal(c.db_name, "crm");
	assert_int_equal(c.workers, 16); /* the environment wins over the file */
	assert_string_equal(c.public_url, "https://sms.example.test"); /* no trailing slash */
	assert_true(c.secure_cookies);
	assert_string_equal(c.carrier_auth_token, "secret = with equals");
	assert_true(c.log_debug);
	config_free(&c);
}

static void unknown_key_is_named(void **state)
{
	(void)state;
	write_conf("db.name = crm\nworkerz = 4\n");
	struct config c;
	char err[256];
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "workerz"));
	assert_non_null(strstr(err, ":2:"));
	config_free(&c);
}

static void bad_values_are_named(void **state)
{
	(void)state;
	const char *bad[] = { "workers = 0\n", "workers = many\n", "db.port = 70000\n",
			      "public_url = ftp://x\n", "listen.mode = 999\n", "no equals sign\n",
			      "log.debug = yes\n" };
	const char *want[] = { "workers", "workers", "db.port", "public_url", "listen.mode", "key = value",
			       "log.debug" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_conf(bad[i]);
		struct config c;
		char err[256];
		assert_int_equal(config_load(&c, path, err, sizeof err), -1);
		assert_non_null(strstr(err, want[i]));
		config_free(&c);
		unlink(path);
	}
}

static void unknown_environment_variable(void **state)
{
	(void)state;
	setenv("SMSDESK_NO_SUCH_KEY", "1", 1);
	struct config c;
	char err[256];
	assert_int_equal(config_load(&c, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "SMSDESK_NO_SUCH_KEY"));
	config_free(&c);
}

/* The movable clock is for tests: refused unless public_url is loopback;
 * when taken, the clock reads its offset from the file. */
static void test_clock_only_on_loopback(void **state)
{
	(void)state;
	struct config c;
	char err[512];
	const char *refused[] = { "https://sms.example.com", "http://127.0.0.1.example.com",
				  "http://10.0.0.1:8080", "http://localhostx:80", "http://[::2]:80" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "public_url = %s\ntest.clock_file = /tmp/x\n", refused[i]);
		write_conf(text);
		if (config_load(&c, path, err, sizeof err) != -1)
			fail_msg("test.clock_file accepted with public_url %s", refused[i]);
		assert_non_null(strstr(err, "test.clock_file"));
		config_free(&c);
		unlink(path);
	}
	assert_false(clock_movable());
	char clock_path[] = "/tmp/smsdesk-test-clock-XXXXXX";
	int fd = mkstemp(clock_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "-86400\n", 7), 7);
	close(fd);
	char text[256];
	snprintf(text, sizeof text, "public_url = http://127.0.0.1:9000\ntest.clock_file = %s\n", clock_path);
	write_conf(text);
	assert_int_equal(config_load(&c, path, err, sizeof err), 0);
	assert_true(clock_movable());
	assert_int_equal(clock_offset_s(), -86400);
	long long moved = (long long)clock_now();
	assert_true(moved <= (long long)time(NULL) - 86400 + 1 && moved >= (long long)time(NULL) - 86400 - 1);
	unlink(clock_path);
	assert_int_equal(clock_offset_s(), 0);   /* no file: the real time */
	config_free(&c);
	/* and without the key, the real clock */
	unlink(path);
	write_conf("public_url = http://127.0.0.1:9000\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), 0);
	assert_false(clock_movable());
	config_free(&c);
}

static void missing_file(void **state)
{
	(void)state;
	struct config c;
	char err[256];
	assert_int_equal(config_load(&c, "/nonexistent/smsdesk.conf", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/smsdesk.conf"));
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(defaults, cleanup),
		cmocka_unit_test_teardown(file_and_environment, cleanup),
		cmocka_unit_test_teardown(unknown_key_is_named, cleanup),
		cmocka_unit_test_teardown(bad_values_are_named, cleanup),
		cmocka_unit_test_teardown(unknown_environment_variable, cleanup),
		cmocka_unit_test_teardown(missing_file, cleanup),
		cmocka_unit_test_teardown(test_clock_only_on_loopback, cleanup),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
