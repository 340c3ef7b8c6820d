/* The import file (cgi-bin/import.c, smsdeskctl import): the whole input
 * is the JSON file, read and checked by import_check as import_file does
 * before it touches the database. Property: a refused file says why in
 * one line. */
#include "fuzz.h"

#include "import.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *msg = NULL;
	size_t msglen = 0;
	FILE *err = open_memstream(&msg, &msglen);
	if (!err)
		abort();
	int rc = import_check((const char *)data, n, "fuzz.json", err);
	FUZZ_CHECK(fclose(err) == 0);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0) {
		FUZZ_CHECK(msglen > 0 && msg[msglen - 1] == '\n');
		FUZZ_CHECK(memchr(msg, '\n', msglen) == msg + msglen - 1);
	} else {
		FUZZ_CHECK(msglen == 0);
	}
	free(msg);
}
