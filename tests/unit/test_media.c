/* The media worker's rules: which answers are kept as images, where the
 * carrier's credentials may go, and the file name extension of a type. */
#include "unit.h"

#include "media.h"

#include <string.h>

static void type_is(const char *header, const char *want)
{
	char out[129];
	if (media_image_type(header, out, sizeof out) != 0)
		fail_msg("media_image_type(\"%s\") refused it, want %s", header, want);
	assert_string_equal(out, want);
}

static void type_refused(const char *header)
{
	char out[129];
	if (media_image_type(header, out, sizeof out) != -1)
		fail_msg("media_image_type(\"%s\") accepted it as %s", header ? header : "(NULL)", out);
}

static void image_types_kept(void **state)
{
	(void)state;
	type_is("image/png", "image/png");
	type_is("IMAGE/JPEG", "image/jpeg");
	type_is("image/jpeg; charset=binary", "image/jpeg");
	type_is("  image/gif ;q=1", "image/gif");
	type_is("image/webp", "image/webp");
	type_is("image/heic", "image/heic");
	assert_true(media_shown_inline("image/png"));
	assert_false(media_shown_inline("image/heic"));
	assert_false(media_shown_inline("image/heif"));
}

static void other_types_refused(void **state)
{
	(void)state;
	type_refused(NULL);
	type_refused("");
	type_refused("text/html");
	type_refused("text/html; charset=utf-8");
	type_refused("application/octet-stream");
	type_refused("image/svg+xml");            /* can carry script */
	type_refused("Image/SVG+XML; charset=utf-8");
	type_refused("image/");
	type_refused("image");
	type_refused("image/png/x");
	type_refused("image/png\r\nSet-Cookie: x=1"); /* never into a header line */
	type_refused("image/p ng");
	type_refused("imagex/png");
	/* names an SVG, XML or HTML document is served under */
	type_refused("image/svg");
	type_refused("image/x-svg+xml");
	type_refused("image/xml");
	type_refused("image/html");
	/* raster, but not shown safely everywhere: refused too */
	type_refused("image/bmp");
	type_refused("image/tiff");
}

static void long_type_refused(void **state)
{
	(void)state;
	char big[300], out[16];
	memset(big, 'a', sizeof big);
	memcpy(big, "image/", 6);
	big[sizeof big - 1] = '\0';
	assert_int_equal(media_image_type(big, out, sizeof out), -1);
	assert_int_equal(strlen(out), sizeof out - 1);
}

static void credentials_only_to_the_carrier(void **state)
{
	(void)state;
	const char *base = "http://127.0.0.1:8081";
	assert_true(media_same_origin("http://127.0.0.1:8081/2010-04-01/Accounts/AC/Messages/MM1/Media/ME1", base));
	assert_true(media_same_origin("HTTP://127.0.0.1:8081/x?y=1", base));
	assert_true(media_same_origin("https://api.twilio.com/2010-04-01/x", "https://api.twilio.com"));
	assert_true(media_same_origin("https://api.twilio.com:443/x", "https://API.twilio.com/"));
	assert_false(media_same_origin("http://localhost:8081/x", base));        /* another host name */
	assert_false(media_same_origin("http://127.0.0.1:8082/x", base));        /* another port */
	assert_false(media_same_origin("https://127.0.0.1:8081/x", base));       /* another scheme */
	assert_false(media_same_origin("http://api.twilio.com/x", "https://api.twilio.com"));
	assert_false(media_same_origin("https://api.twilio.com.evil.test/x", "https://api.twilio.com"));
	assert_false(media_same_origin("https://evil.test/api.twilio.com", "https://api.twilio.com"));
	assert_false(media_same_origin("not a url", base));
	assert_false(media_same_origin(NULL, base));
	assert_false(media_same_origin("http://127.0.0.1:8081/x", "::"));
}

static void extensions(void **state)
{
	(void)state;
	assert_string_equal(media_extension("image/png"), "png");
	assert_string_equal(media_extension("image/jpeg"), "jpg");
	assert_string_equal(media_extension("image/gif"), "gif");
	assert_string_equal(media_extension("image/x-unknown"), "img");
	assert_string_equal(media_extension(NULL), "img");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(image_types_kept),
		cmocka_unit_test(other_types_refused),
		cmocka_unit_test(long_type_refused),
		cmocka_unit_test(credentials_only_to_the_carrier),
		cmocka_unit_test(extensions),
	};
	return cmocka_run_group_tests_name("media", tests, NULL, NULL);
}
