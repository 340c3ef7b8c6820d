/* Validators for what smsdesk stores: phone numbers, emails, text, roles,
 * time zones. */
#include "unit.h"

#include "validate.h"

#include <stdio.h>
#include <string.h>

static void phone_is(const char *in, const char *want)
{
	char out[E164_MAX + 1];
	memset(out, 'x', sizeof out);
	if (phone_normalize(in, out) != 0)
		fail_msg("phone_normalize(\"%s\") refused it, want %s", in, want);
	assert_string_equal(out, want);
}

static void phone_refused(const char *in)
{
	char out[E164_MAX + 1];
	if (phone_normalize(in, out) != -1)
		fail_msg("phone_normalize(\"%s\") accepted it as %s", in, out);
}

static void phone_loose_formats(void **state)
{
	(void)state;
	phone_is("(512) 555-0112", "+15125550112");
	phone_is("512.555.0112", "+15125550112");
	phone_is("512-555-0112", "+15125550112");
	phone_is("  512 555 0112", "+15125550112");
	phone_is("+1 (512) 555-0112", "+15125550112");
}

static void phone_us_numbers(void **state)
{
	(void)state;
	phone_is("5125550112", "+15125550112");       /* 10 digits are US */
	phone_is("15125550112", "+15125550112");      /* 11 with the leading 1 */
	phone_is("+15125550112", "+15125550112");     /* already E.164 */
	phone_is("2105550183", "+12105550183");
}

static void phone_international(void **state)
{
	(void)state;
	phone_is("+44 20 7946 0958", "+442079460958");
	phone_is("+33 1 23 45 67 89", "+33123456789");
	phone_is("+49 30 12345678", "+493012345678");
	phone_is("+49 1512 3456789", "+4915123456789");      /* a German mobile */
	phone_is("+81 90-1234-5678", "+819012345678");
}

/* libphonenumber knows which numbers exist: the right length and shape
 * is not enough */
static void phone_refuses_numbers_that_cannot_exist(void **state)
{
	(void)state;
	phone_refused("+491234567890123");  /* 15 digits, but no German number */
	phone_refused("+15555550100");      /* 555 is no US area code */
	phone_refused("+15120001800");      /* no exchange starts with 0 */
	phone_refused("+1 512 555 0100 ext 5"); /* extensions cannot be texted */
	phone_refused("+1 512 +555 0100");
}

static void display(const char *e164, const char *want)
{
	char out[PHONE_DISPLAY_MAX];
	assert_int_equal(phone_display(e164, out, sizeof out), 0);
	assert_string_equal(out, want);
}

static void phone_shown_as_people_write_them(void **state)
{
	(void)state;
	display("+15125550110", "(512) 555-0110");
	display("+442079460958", "+44 20 7946 0958");
	display("+14165550123", "+1 416-555-0123");  /* Canada: not a US number */
	display("+1512555011", "+1512555011");        /* no valid number: as it is */
	char tiny[4];
	assert_int_equal(phone_display("+15125550110", tiny, sizeof tiny), -1);
}

/* Shown again and again, more numbers than the thread remembers (64), each
 * with a number that shares its slot or not: always its own display. */
static void phone_shown_again(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 200; i++) {
			char e164[16], want[32];
			snprintf(e164, sizeof e164, "+1512555%04d", 100 + i);
			snprintf(want, sizeof want, "(512) 555-%04d", 100 + i);
			display(e164, want);
			display("+442079460958", "+44 20 7946 0958");
			display("+1512555011", "+1512555011");
		}
	char tiny[4];
	assert_int_equal(phone_display("+442079460958", tiny, sizeof tiny), -1);
}

static void phone_refuses_invalid(void **state)
{
	(void)state;
	phone_refused("");
	phone_refused("+");
	phone_refused("512-555-CALL");               /* letters */
	phone_refused("512 555 0112 ext 3");
	phone_refused("+1555");                      /* too short */
	phone_refused("555-0112");
	phone_refused("+1234567");                   /* 7 digits */
	phone_refused("+1234567890123456");          /* 16 digits */
	phone_refused("51255501120");                /* 11 digits, not a leading 1 */
	phone_refused("123456789012345678901234567890123456789");
	phone_refused("+0123456789");                /* no country code starts with 0 */
	phone_refused("0125550112");                 /* US area code starting with 0 */
	phone_refused("1125550112");                 /* US area code starting with 1 */
	phone_refused("+10125550112");
	phone_refused("+11125550112");
	phone_refused("5121550112");                 /* US exchange starting with 1 */
	phone_refused("+1512055011");                /* +1 needs 11 digits */
	phone_refused("++15125550112");
	phone_refused("512+5550112");
	phone_refused("512_555_0112");
	phone_refused("512\n5550112");
}

static void emails(void **state)
{
	(void)state;
	assert_true(email_valid("a@b.co"));
	assert_true(email_valid("first.last+tag@example.com"));
	assert_true(email_valid("root@smsdesk.test"));
	const char *bad[] = { "", "a", "a@b", "@b.co", "a@b.", "a@.co", "a@@b.co", "a@b@c.co",
			      "a b@c.co", "a<b@c.co", "a@c.co>", "\"a\"@c.co", "a@b.co,c@d.co",
			      "a\t@b.co" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (email_valid(bad[i]))
			fail_msg("email_valid(\"%s\") accepted it", bad[i]);
	char longest[256];
	memset(longest, 'a', sizeof longest);
	memcpy(longest + 254 - 6, "@b.com", 7);     /* 254 characters */
	assert_true(email_valid(longest));
	memset(longest, 'a', sizeof longest);
	memcpy(longest + 255 - 6, "@b.com", 7);     /* 255 */
	assert_false(email_valid(longest));
}

static void texts(void **state)
{
	(void)state;
	assert_true(text_valid("Bob Brown", 200));
	assert_true(text_valid("  padded  ", 200));
	assert_true(text_valid("Jos\xc3\xa9", 4));     /* characters, not bytes */
	assert_false(text_valid("Jos\xc3\xa9", 3));
	assert_true(text_valid("abc", 3));
	assert_false(text_valid("abcd", 3));
	assert_false(text_valid("", 200));
	assert_false(text_valid("   ", 200));
	assert_false(text_valid("a\tb", 200));
	assert_false(text_valid("a\nb", 200));
	assert_false(text_valid("a\x7f", 200));
}

static void roles(void **state)
{
	(void)state;
	assert_true(role_valid("admin"));
	assert_true(role_valid("manager"));
	assert_true(role_valid("agent"));
	/* a superadmin is made by smsdeskctl, never through a form */
	assert_false(role_valid("superadmin"));
	assert_false(role_valid("Admin"));
	assert_false(role_valid("agent "));
	assert_false(role_valid(""));
	assert_false(role_valid(NULL));
}

static void time_zones(void **state)
{
	(void)state;
	assert_true(time_zone_valid("America/Chicago"));
	assert_true(time_zone_valid("America/Denver"));
	assert_true(time_zone_valid("UTC"));
	assert_false(time_zone_valid("Mars/Olympus_Mons"));
	assert_false(time_zone_valid("America"));          /* a directory */
	assert_false(time_zone_valid("../../etc/passwd"));
	assert_false(time_zone_valid("/etc/passwd"));
	assert_false(time_zone_valid("America/Chicago\n"));
	assert_false(time_zone_valid("America/Chicago "));
	assert_false(time_zone_valid(""));
	assert_false(time_zone_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_loose_formats),
		cmocka_unit_test(phone_us_numbers),
		cmocka_unit_test(phone_international),
		cmocka_unit_test(phone_refuses_invalid),
		cmocka_unit_test(phone_refuses_numbers_that_cannot_exist),
		cmocka_unit_test(phone_shown_as_people_write_them),
		cmocka_unit_test(phone_shown_again),
		cmocka_unit_test(emails),
		cmocka_unit_test(texts),
		cmocka_unit_test(roles),
		cmocka_unit_test(time_zones),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
