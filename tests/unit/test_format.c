/* Times as people read them (format.c; phone numbers: test_validate.c), and failed
 * texts in plain words (failure.c). */
#include "unit.h"

#include "arena.h"
#include "failure.h"
#include "format.h"
#include "rules.h"

#include <string.h>

static void clocks(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(format_clock(&a, "2026-11-20 14:05"), "2:05 PM");
	assert_string_equal(format_clock(&a, "2026-11-20 00:00"), "12:00 AM");
	assert_string_equal(format_clock(&a, "2026-11-20 12:30"), "12:30 PM");
	assert_string_equal(format_clock(&a, "2026-11-20 09:07"), "9:07 AM");
	assert_string_equal(format_clock(&a, "garbage"), "garbage");
	arena_free(&a);
}

static void days(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(format_day(&a, "2026-11-20 14:05", "2026-11-20 18:00"), "Today");
	assert_string_equal(format_day(&a, "2026-11-30 23:59", "2026-12-01 00:10"), "Yesterday");
	assert_string_equal(format_day(&a, "2026-11-20 14:05", "2026-11-30 08:00"), "Friday, November 20, 2026");
	assert_string_equal(format_day(&a, "2024-02-29 10:00", NULL), "Thursday, February 29, 2024");
	assert_string_equal(format_when(&a, "2026-11-20 14:05", "2026-11-20 15:00"), "2:05 PM");
	assert_string_equal(format_when(&a, "2026-01-02 14:05", "2026-11-20 15:00"), "Jan 2");
	assert_string_equal(format_when(&a, "2025-12-31 14:05", "2026-01-01 15:00"), "Dec 31, 2025");
	arena_free(&a);
}

static void failures(void **state)
{
	(void)state;
	assert_string_equal(failure_words(21211)->text, "The number is not a valid phone number.");
	assert_false(failure_words(21211)->resend);
	assert_false(failure_words(21614)->resend);     /* a landline */
	assert_false(failure_words(21610)->resend);     /* opted out */
	assert_true(failure_words(30003)->resend);      /* unreachable for now */
	assert_true(failure_words(20429)->resend);      /* carrier busy */
	assert_true(failure_words(99999)->resend);      /* unknown: the rules decide again */
	assert_non_null(failure_words(0)->text);
}

static void former_agent(void **state)
{
	(void)state;
	struct send_facts f = { .org_sms_enabled = 1, .sender_permitted = 1, .sender_has_number = 1,
				.own_conversation = 1, .assigned = 0, .was_assigned = 1 };
	assert_string_equal(rules_send_refusal(&f), "no_longer_assigned");
	assert_string_equal(rules_refusal_text("no_longer_assigned"), "You are no longer assigned to this lead");
	f.was_assigned = 0;
	assert_string_equal(rules_send_refusal(&f), "not_assigned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clocks),
		cmocka_unit_test(days),
		cmocka_unit_test(failures),
		cmocka_unit_test(former_agent),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
