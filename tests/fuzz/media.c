/* The media type checks (cgi-bin/media.c): the first line of the input
 * is an image's Content-Type, the second and third two URLs. Properties:
 * a kept type is lower case without parameters, has an extension and is
 * never SVG, XML or HTML; same-origin is symmetric and true of a URL and
 * itself whenever it is true of any. */
#include "fuzz.h"

#include "media.h"

#include <ctype.h>

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *type = fuzz_field(data, n, 0), *u1 = fuzz_field(data, n, 1),
	     *u2 = fuzz_field(data, n, 2);
	char out[64], tiny[4];
	if (media_image_type(type, out, sizeof out) == 0) {
		FUZZ_CHECK(strncmp(out, "image/", 6) == 0);
		for (const char *c = out; *c; c++)
			FUZZ_CHECK(!isupper((unsigned char)*c) && *c != ';' && !isspace((unsigned char)*c));
		FUZZ_CHECK(!strstr(out, "svg") && !strstr(out, "xml") && !strstr(out, "html"));
		FUZZ_CHECK(strcmp(media_extension(out), "img") != 0);
		(void)media_shown_inline(out);
	}
	(void)media_image_type(type, tiny, sizeof tiny);
	FUZZ_CHECK(media_extension(type));
	int same = media_same_origin(u1, u2);
	FUZZ_CHECK(same == 0 || same == 1);
	FUZZ_CHECK(media_same_origin(u2, u1) == same);
	if (same)
		FUZZ_CHECK(media_same_origin(u1, u1) == 1);
	free(type);
	free(u1);
	free(u2);
}
