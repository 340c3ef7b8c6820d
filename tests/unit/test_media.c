/* The media worker's rules: which answers are kept as images, where the
 * carrier's credentials may go, which addresses a download may connect to,
 * and the file name extension of a type. */
#include "unit.h"

#include "media.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

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

/* media_address_allowed on the text form of an address, v4 or v6. */
static int allowed(const char *ip, int allow_loopback)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	memset(&in4, 0, sizeof in4);
	memset(&in6, 0, sizeof in6);
	if (inet_pton(AF_INET, ip, &in4.sin_addr) == 1) {
		in4.sin_family = AF_INET;
		return media_address_allowed((const struct sockaddr *)&in4, allow_loopback);
	}
	if (inet_pton(AF_INET6, ip, &in6.sin6_addr) == 1) {
		in6.sin6_family = AF_INET6;
		return media_address_allowed((const struct sockaddr *)&in6, allow_loopback);
	}
	fail_msg("%s is not an address", ip);
	return -1;
}

static void closed(const char *ip)
{
	if (allowed(ip, 0) != 0 || allowed(ip, 1) != 0)
		fail_msg("%s is let through", ip);
}

static void open_(const char *ip)
{
	if (allowed(ip, 0) != 1 || allowed(ip, 1) != 1)
		fail_msg("%s is refused", ip);
}

static void loopback_only_when_allowed(const char *ip)
{
	if (allowed(ip, 0) != 0)
		fail_msg("%s is let through with media.allow_loopback off", ip);
	if (allowed(ip, 1) != 1)
		fail_msg("%s is refused with media.allow_loopback on", ip);
}

static void public_addresses_only(void **state)
{
	(void)state;
	/* public */
	open_("8.8.8.8");
	open_("54.172.60.0");          /* a Twilio media host's range */
	open_("100.63.255.255");       /* just below CGNAT */
	open_("100.128.0.0");          /* just above it */
	open_("172.15.255.255");
	open_("172.32.0.0");
	open_("2600:1f18::1");
	open_("2001:4860:4860::8888");
	open_("::ffff:8.8.8.8");       /* v4-mapped public */
	/* loopback: the tests' stand-in only */
	loopback_only_when_allowed("127.0.0.1");
	loopback_only_when_allowed("127.255.0.9");
	loopback_only_when_allowed("::1");
	loopback_only_when_allowed("::ffff:127.0.0.1");
	/* never */
	closed("0.0.0.0");
	closed("10.0.0.1");
	closed("10.255.255.255");
	closed("100.64.0.1");          /* CGNAT */
	closed("100.127.255.254");
	closed("169.254.169.254");     /* cloud metadata */
	closed("169.254.0.1");
	closed("172.16.0.1");
	closed("172.31.255.255");
	closed("192.168.1.1");
	closed("192.0.0.1");
	closed("192.0.2.1");
	closed("198.18.0.1");
	closed("224.0.0.1");           /* multicast */
	closed("239.255.255.250");
	closed("240.0.0.1");
	closed("255.255.255.255");
	closed("::");
	closed("::ffff:169.254.169.254");   /* v4-mapped */
	closed("::ffff:10.0.0.1");
	closed("::ffff:192.168.0.1");
	closed("::ffff:100.64.0.1");
	closed("::127.0.0.1");              /* v4-compatible */
	closed("64:ff9b::a9fe:a9fe");       /* NAT64 of 169.254.169.254 */
	closed("64:ff9b::7f00:1");          /* NAT64 of 127.0.0.1 */
	closed("2002:a9fe:a9fe::1");        /* 6to4 of 169.254.169.254 */
	closed("2002:7f00:1::1");           /* 6to4 of 127.0.0.1 */
	closed("fd00:ec2::254");            /* AWS metadata over IPv6 */
	closed("fc00::1");
	closed("fe80::1");
	closed("fec0::1");
	closed("ff02::1");
	closed("2001:db8::1");
	closed("2001::1");                  /* Teredo */
	closed("100::1");
	closed("4000::1");                  /* not global unicast */
	assert_false(media_address_allowed(NULL, 1));
	struct sockaddr other;
	memset(&other, 0, sizeof other);
	other.sa_family = AF_UNIX;
	assert_false(media_address_allowed(&other, 1));
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
		cmocka_unit_test(public_addresses_only),
		cmocka_unit_test(extensions),
	};
	return cmocka_run_group_tests_name("media", tests, NULL, NULL);
}
