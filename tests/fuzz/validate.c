/* The validators of stored values (cgi-bin/validate.c, http.c): emails,
 * names and texts, roles, NMLS IDs, time zone names (looked up in
 * zoneinfo: a name must not lead outside it), redirect paths after login.
 * Properties: url_encode then url_decode gives the text back; text_trim
 * never grows a text; a time zone name never holds "..". */
#include "fuzz.h"

#include "http.h"
#include "validate.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *s = fuzz_string(data, n);
	size_t len = strlen(s);
	struct arena a;
	arena_init(&a);
	(void)email_valid(s);
	(void)text_valid(s, 200);
	(void)role_valid(s);
	if (nmls_id_valid(s))
		FUZZ_CHECK(len >= 1 && len <= NMLS_ID_MAX && strspn(s, "0123456789") == len);
	if (time_zone_valid(s))
		FUZZ_CHECK(strstr(s, "..") == NULL && s[0] != '/');
	if (local_path_ok(s))
		FUZZ_CHECK(s[0] == '/' && s[1] != '/' && s[1] != '\\');
	char *t = text_trim(&a, s);
	FUZZ_CHECK(t && strlen(t) <= len);
	if (utf8_valid(s, len)) {
		char *enc = url_encode(&a, s), *dec = NULL;
		FUZZ_CHECK(enc);
		FUZZ_CHECK(url_decode(&a, enc, strlen(enc), 0, &dec) == PARSE_OK);
		FUZZ_CHECK(strcmp(dec, s) == 0);
	}
	arena_free(&a);
	free(s);
}
