/* The log (cgi-bin/log.c): one line per event, control characters escaped. */
#include "unit.h"

#include "log.h"

#include <string.h>
#include <unistd.h>

/* What one log_msg call writes to stderr. */
static char *logged(char *out, size_t cap, const char *rid, const char *text)
{
	int p[2], saved = dup(STDERR_FILENO);
	assert_int_equal(pipe(p), 0);
	assert_true(saved >= 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	log_msg("info", rid, "path %s", text);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(p[1]);
	ssize_t n = read(p[0], out, cap - 1);
	close(p[0]);
	assert_true(n > 0);
	out[n] = '\0';
	return out;
}

static void control_characters_are_escaped(void **state)
{
	(void)state;
	char line[8192];
	logged(line, sizeof line, "r\x1b", "/x\x1b[31m\r\nnext\x7f\ttab\x01");
	assert_non_null(strstr(line, " info [r\\x1b] path /x\\x1b[31m\\x0d\\x0anext\\x7f\\x09tab\\x01\n"));
	assert_null(strchr(line, '\x1b'));
	assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
}

static void text_is_kept(void **state)
{
	(void)state;
	char line[8192];
	logged(line, sizeof line, NULL, "/leads/12?q=é😀");
	assert_non_null(strstr(line, " info [-] path /leads/12?q=é😀\n"));
}

static void long_lines_stay_one_line(void **state)
{
	(void)state;
	char line[8192], text[3000];
	memset(text, '\x1b', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	logged(line, sizeof line, "rid", text);
	size_t len = strlen(line);
	assert_true(len <= 4096);
	assert_ptr_equal(strchr(line, '\n'), line + len - 1);
	assert_null(strchr(line, '\x1b'));
	/* cut before an escape that does not fit whole */
	assert_memory_equal(line + len - 5, "\\x1b\n", 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_characters_are_escaped),
		cmocka_unit_test(text_is_kept),
		cmocka_unit_test(long_lines_stay_one_line),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
