/* The texting rules (rules.c) as tables of cases: each refusal of who may
 * send and of a consent request, the order they are explained in (the
 * first rule broken wins), send later's limits at their exact boundaries,
 * the warnings, the image rules, the contacts' reading order, and quiet
 * hours' window at its edges. Every refusal code has its sentences. */
#include "unit.h"

#include "consent.h"
#include "rules.h"
#include "tz.h"

#include <stdio.h>
#include <string.h>

/* What breaks in a would-be text, from a text every rule lets go (the
 * facts() below): one bit per fact of struct send_facts. */
enum {
	SMS_OFF = 1 << 0,        /* org_sms_enabled = 0 */
	NO_PERMISSION = 1 << 1,  /* sender_permitted = 0 */
	NO_NUMBER = 1 << 2,      /* sender_has_number = 0 */
	OTHER_AGENT = 1 << 3,    /* own_conversation = 0 */
	UNASSIGNED = 1 << 4,     /* assigned = 0 */
	WAS_ASSIGNED = 1 << 5,   /* was_assigned = 1 */
	NO_CONTACT = 1 << 6,     /* has_contact = 0 */
	NO_MOBILE = 1 << 7,      /* has_mobile = 0 */
};

/* which facts are broken, and the consent */
struct broken {
	int facts, consent;
};

static struct send_facts facts(struct broken b)
{
	int broken = b.facts;
	struct send_facts f = {
		.org_sms_enabled = !(broken & SMS_OFF),
		.sender_permitted = !(broken & NO_PERMISSION),
		.sender_has_number = !(broken & NO_NUMBER),
		.own_conversation = !(broken & OTHER_AGENT),
		.assigned = !(broken & UNASSIGNED),
		.was_assigned = !!(broken & WAS_ASSIGNED),
		.has_contact = !(broken & NO_CONTACT),
		.has_mobile = !(broken & NO_MOBILE),
		.consent = b.consent,
	};
	return f;
}

#define ALL_BROKEN 0xff
#define GRANTED CONSENT_GRANTED
#define PENDING CONSENT_PENDING
#define NONE CONSENT_NONE

static const char *show(const char *code)
{
	return code ? code : "(may go)";
}

static void check(const char *what, size_t i, const char *got, const char *want)
{
	if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
		fail_msg("%s case %zu: got %s, want %s", what, i, show(got), show(want));
}

static const struct send_case {
	struct broken b;
	const char *want;
} send_cases[] = {
	{ { 0, GRANTED }, NULL },
	/* each rule alone */
	{ { SMS_OFF, GRANTED }, "sms_off" },
	{ { NO_PERMISSION, GRANTED }, "no_permission" },
	{ { NO_NUMBER, GRANTED }, "no_number" },
	{ { OTHER_AGENT, GRANTED }, "other_agent" },
	{ { UNASSIGNED, GRANTED }, "not_assigned" },
	{ { UNASSIGNED | WAS_ASSIGNED, GRANTED }, "no_longer_assigned" },
	{ { WAS_ASSIGNED, GRANTED }, NULL },  /* assigned again: was_assigned is moot */
	{ { NO_CONTACT, GRANTED }, "no_contact" },
	{ { NO_MOBILE, GRANTED }, "no_mobile" },
	{ { 0, PENDING }, "pending_consent" },
	{ { 0, NONE }, "no_consent" },
	{ { 0, 7 }, "no_consent" },  /* anything but granted */
	/* two broken: the first in the text box's order wins */
	{ { SMS_OFF, NONE }, "sms_off" },
	{ { NO_PERMISSION | NO_NUMBER, GRANTED }, "no_permission" },
	{ { NO_NUMBER | OTHER_AGENT, GRANTED }, "no_number" },
	{ { OTHER_AGENT | UNASSIGNED, GRANTED }, "other_agent" },
	{ { UNASSIGNED | NO_CONTACT, GRANTED }, "not_assigned" },
	{ { NO_CONTACT | NO_MOBILE, GRANTED }, "no_contact" },
	{ { NO_MOBILE, PENDING }, "no_mobile" },
	/* nothing holds */
	{ { ALL_BROKEN, NONE }, "sms_off" },
};

static void send_refusal(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof send_cases / sizeof send_cases[0]; i++) {
		struct send_facts f = facts(send_cases[i].b);
		check("send", i, rules_send_refusal(&f), send_cases[i].want);
	}
}

static const struct consent_case {
	struct broken b;
	int opted_out, asked_recently;
	const char *want;
} consent_cases[] = {
	/* the one text allowed without consent */
	{ { 0, NONE }, 0, 0, NULL },
	{ { 0, PENDING }, 0, 0, NULL },
	{ { 0, GRANTED }, 0, 0, "already_consented" },
	{ { 0, NONE }, 1, 0, "opted_out" },
	{ { 0, NONE }, 0, 1, "asked_recently" },
	{ { 0, PENDING }, 0, 1, "asked_recently" },
	/* the order: the sender's rules, then opted out, then consented, then
	 * the cooling-off */
	{ { 0, GRANTED }, 1, 1, "opted_out" },
	{ { 0, GRANTED }, 0, 1, "already_consented" },
	{ { 0, NONE }, 1, 1, "opted_out" },
	{ { SMS_OFF, NONE }, 1, 1, "sms_off" },
	{ { NO_PERMISSION, NONE }, 0, 0, "no_permission" },
	{ { NO_NUMBER, NONE }, 0, 0, "no_number" },
	{ { OTHER_AGENT, NONE }, 0, 0, "other_agent" },
	{ { UNASSIGNED, NONE }, 0, 0, "not_assigned" },
	{ { UNASSIGNED | WAS_ASSIGNED, NONE }, 0, 0,
	  "no_longer_assigned" },
	{ { NO_CONTACT, NONE }, 1, 0, "no_contact" },
	{ { NO_MOBILE, NONE }, 0, 1, "no_mobile" },
};

static void consent_request_refusal(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof consent_cases / sizeof consent_cases[0]; i++) {
		const struct consent_case *c = &consent_cases[i];
		struct send_facts f = facts(c->b);
		check("consent request", i,
		      rules_consent_request_refusal(&f, c->opted_out, c->asked_recently), c->want);
	}
}

#define NOW 1796000000LL  /* any instant: the rule is relative to now */
#define DAY 86400LL

static const struct later_case {
	long long at;
	const char *want;
} later_cases[] = {
	{ 0, "send_at_bad" },                      /* no valid time given */
	{ -5, "send_at_bad" },
	{ 1, "send_at_past" },
	{ NOW - 1, "send_at_past" },
	{ NOW, "send_at_past" },                   /* exactly now is not later */
	{ NOW + 1, NULL },
	{ NOW + DAY, NULL },
	{ NOW + SEND_LATER_MAX_DAYS * DAY - 1, NULL },
	{ NOW + SEND_LATER_MAX_DAYS * DAY, NULL }, /* exactly the limit: allowed */
	{ NOW + SEND_LATER_MAX_DAYS * DAY + 1, "send_at_too_far" },
	{ NOW + 2 * SEND_LATER_MAX_DAYS * DAY, "send_at_too_far" },
};

static void send_later_refusal(void **state)
{
	(void)state;
	assert_int_equal(SEND_LATER_MAX_DAYS, 365);
	for (size_t i = 0; i < sizeof later_cases / sizeof later_cases[0]; i++)
		check("send later", i, rules_send_later_refusal(NOW, later_cases[i].at),
		      later_cases[i].want);
}

static const struct warning_case {
	struct send_warnings w;
	int blocked, confirmed;
	const char *want;          /* rules_warning_refusal */
	const char *codes[3];      /* rules_warning_codes, in order */
} warning_cases[] = {
	{ { NULL, NULL, 0 }, 0, 0, NULL, { NULL } },
	{ { NULL, NULL, 0 }, 1, 1, NULL, { NULL } },
	{ { "ssn", NULL, 0 }, 0, 0, "sensitive_ssn", { "sensitive_ssn" } },
	{ { "ssn", NULL, 0 }, 0, 1, NULL, { "sensitive_ssn" } },
	{ { "ssn", NULL, 0 }, 1, 0, "sensitive_ssn_blocked", { "sensitive_ssn" } },
	{ { "ssn", NULL, 0 }, 1, 1, "sensitive_ssn_blocked", { "sensitive_ssn" } },
	{ { "card", NULL, 0 }, 0, 0, "sensitive_card", { "sensitive_card" } },
	{ { "card", NULL, 0 }, 1, 1, "sensitive_card_blocked", { "sensitive_card" } },
	{ { "bank_account", NULL, 0 }, 0, 0, "sensitive_bank_account", { "sensitive_bank_account" } },
	{ { "bank_account", NULL, 0 }, 1, 1, "sensitive_bank_account_blocked",
	  { "sensitive_bank_account" } },
	{ { "none", NULL, 0 }, 1, 0, NULL, { NULL } },   /* not a kind: nothing */
	{ { NULL, "bit.ly", 0 }, 0, 0, "link_shortener", { "link_shortener" } },
	{ { NULL, "bit.ly", 0 }, 1, 0, "link_shortener", { "link_shortener" } },
	{ { NULL, "bit.ly", 0 }, 0, 1, NULL, { "link_shortener" } },
	{ { NULL, NULL, 1 }, 0, 0, "lookalikes_cost", { "lookalikes_cost" } },
	{ { NULL, NULL, 1 }, 0, 1, NULL, { "lookalikes_cost" } },
	/* the order: sensitive data, then a shortener, then look-alikes */
	{ { "card", "bit.ly", 1 }, 0, 0, "sensitive_card",
	  { "sensitive_card", "link_shortener", "lookalikes_cost" } },
	{ { NULL, "bit.ly", 1 }, 0, 0, "link_shortener", { "link_shortener", "lookalikes_cost" } },
	/* one confirmation confirms them all, but never a block */
	{ { "card", "bit.ly", 1 }, 0, 1, NULL,
	  { "sensitive_card", "link_shortener", "lookalikes_cost" } },
	{ { "ssn", "bit.ly", 1 }, 1, 1, "sensitive_ssn_blocked",
	  { "sensitive_ssn", "link_shortener", "lookalikes_cost" } },
};

static void warnings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof warning_cases / sizeof warning_cases[0]; i++) {
		const struct warning_case *c = &warning_cases[i];
		check("warning", i, rules_warning_refusal(&c->w, c->blocked, c->confirmed), c->want);
		const char *codes[3] = { NULL, NULL, NULL };
		size_t n = rules_warning_codes(&c->w, codes), want_n = 0;
		while (want_n < 3 && c->codes[want_n])
			want_n++;
		if (n != want_n)
			fail_msg("warning case %zu: %zu codes, want %zu", i, n, want_n);
		for (size_t k = 0; k < n; k++) {
			check("warning codes", i, codes[k], c->codes[k]);
			/* every warning shown together is one Send anyway confirms */
			assert_true(rules_refusal_overridable(codes[k]));
		}
	}
}

static const struct sensitive_case {
	const char *kind;
	int blocked, send_anyway;
	const char *want;
} sensitive_cases[] = {
	{ NULL, 0, 0, NULL },
	{ NULL, 1, 0, NULL },
	{ "none", 0, 0, NULL },
	{ "SSN", 0, 0, NULL },  /* the names are exact */
	{ "", 1, 1, NULL },
	{ "ssn", 0, 0, "sensitive_ssn" },
	{ "ssn", 0, 1, NULL },
	{ "ssn", 1, 0, "sensitive_ssn_blocked" },
	{ "ssn", 1, 1, "sensitive_ssn_blocked" },
	{ "card", 0, 0, "sensitive_card" },
	{ "card", 0, 1, NULL },
	{ "card", 1, 0, "sensitive_card_blocked" },
	{ "card", 1, 1, "sensitive_card_blocked" },
	{ "bank_account", 0, 0, "sensitive_bank_account" },
	{ "bank_account", 0, 1, NULL },
	{ "bank_account", 1, 0, "sensitive_bank_account_blocked" },
	{ "bank_account", 1, 1, "sensitive_bank_account_blocked" },
};

static void sensitive_refusal(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sensitive_cases / sizeof sensitive_cases[0]; i++) {
		const struct sensitive_case *c = &sensitive_cases[i];
		const char *got = rules_sensitive_refusal(c->kind, c->blocked, c->send_anyway);
		check("sensitive", i, got, c->want);
		/* a warning can be confirmed, a block cannot */
		if (got)
			assert_int_equal(rules_refusal_overridable(got), !c->blocked);
	}
}

/* every code a rule returns has the chatbox's sentence; those a queued
 * text can meet have the dispatcher's reason too */
static void refusal_texts(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		int late, overridable;
	} codes[] = {
		{ "sms_off", 1, 0 }, { "no_permission", 1, 0 }, { "no_number", 1, 0 },
		{ "other_agent", 1, 0 }, { "not_assigned", 1, 0 }, { "no_longer_assigned", 1, 0 },
		{ "no_contact", 1, 0 }, { "no_mobile", 1, 0 }, { "pending_consent", 1, 0 },
		{ "no_consent", 1, 0 }, { "opted_out", 1, 0 }, { "already_consented", 1, 0 },
		{ "asked_recently", 1, 0 }, { "send_at_bad", 0, 0 }, { "send_at_past", 0, 0 },
		{ "send_at_too_far", 0, 0 }, { "sensitive_ssn", 0, 1 }, { "sensitive_card", 0, 1 },
		{ "sensitive_bank_account", 0, 1 }, { "sensitive_ssn_blocked", 0, 0 },
		{ "sensitive_card_blocked", 0, 0 }, { "sensitive_bank_account_blocked", 0, 0 },
		{ "link_shortener", 0, 1 }, { "lookalikes_cost", 0, 1 },
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char *text = rules_refusal_text(codes[i].code);
		const char *late = rules_refusal_late_text(codes[i].code);
		if (!text || !*text || !late)
			fail_msg("%s: no sentence", codes[i].code);
		if (codes[i].late && !*late)
			fail_msg("%s: no reason for a queued text", codes[i].code);
		if (rules_refusal_overridable(codes[i].code) != codes[i].overridable)
			fail_msg("%s: overridable is not %d", codes[i].code, codes[i].overridable);
	}
	assert_null(rules_refusal_text("no_such_code"));
	assert_null(rules_refusal_late_text("no_such_code"));
	assert_null(rules_refusal_text(NULL));
	assert_false(rules_refusal_overridable(NULL));
	assert_false(rules_refusal_overridable("no_such_code"));
}

static void images(void **state)
{
	(void)state;
	/* agent MMS, viewer/agent display images -> shown, notice due */
	static const struct {
		int mms, display, shown, notice;
	} cases[] = {
		{ 0, 0, 0, 0 },
		{ 0, 1, 0, 0 },  /* no MMS: nothing shown, and no notice either */
		{ 1, 0, 0, 1 },  /* MMS without display: the sender is told */
		{ 1, 1, 1, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!rules_image_shown(cases[i].mms, cases[i].display) != !cases[i].shown)
			fail_msg("image case %zu: shown is not %d", i, cases[i].shown);
		if (!rules_image_notice_text_due(cases[i].mms, cases[i].display) != !cases[i].notice)
			fail_msg("image case %zu: notice is not %d", i, cases[i].notice);
	}
	assert_int_equal(RULES_IMAGE_NOTICE_HOURS, 24);
}

static void contacts(void **state)
{
	(void)state;
	static const struct {
		const char *role;
		int order;
	} cases[] = {
		{ "borrower", 0 }, { "co_borrower", 1 }, { "external", 2 }, { "partner", 2 },
		{ "", 2 }, { "Borrower", 2 }, { "borrower ", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (rules_contact_reading_order(cases[i].role) != cases[i].order)
			fail_msg("%s: reading order %d, want %d", cases[i].role,
				 rules_contact_reading_order(cases[i].role), cases[i].order);
	/* the precedence among contacts sharing a number (the SQL), external
	 * first, then the borrower, then the co-borrower */
	assert_string_equal(SQL_CONTACT_PRECEDENCE("c.role"),
			    "FIELD(c.role, 'external', 'borrower', 'co_borrower')");
	/* a consent's scope follows the same roles */
	assert_string_equal(rules_consent_scope(1), "organization");
	assert_string_equal(rules_consent_scope(0), "pair");
	assert_string_equal(rules_consent_agent_number(1, "+15125550100"), "");
	assert_string_equal(rules_consent_agent_number(0, "+15125550100"), "+15125550100");
}

/* quiet hours at their edges (test_quiet has the zones, states and
 * daylight saving) */
static void quiet_boundaries(void **state)
{
	(void)state;
	static const struct {
		const char *setting;
		int ok;
	} settings[] = {
		{ "09:00-10:00", 1 },  /* exactly an hour */
		{ "09:00-09:59", 0 },  /* a minute short */
		{ "19:00-21:00", 1 },  /* an hour left in Florida (to 20:00) */
		{ "19:01-21:00", 0 },  /* 59 minutes left there */
		{ "00:00-24:00", 1 },
		{ "23:00-24:00", 0 },  /* nothing left in Florida */
		{ "08:00-24:01", 0 },
	};
	struct quiet_window w;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if ((rules_quiet_hours_parse(settings[i].setting, &w) == 0) != settings[i].ok)
			fail_msg("\"%s\": accepted is not %d", settings[i].setting, settings[i].ok);

	assert_int_equal(rules_quiet_hours_parse("08:00-21:00", &w), 0);
	const char *zone[] = { "America/Chicago" };
	static const struct {
		int h, m;
		int now;        /* goes now, else the next day at 08:00 or today at 08:00 */
		int next_day;
	} times[] = {
		{ 7, 59, 0, 0 },
		{ 8, 0, 1, 0 },   /* the opening minute is inside */
		{ 20, 59, 1, 0 },
		{ 21, 0, 0, 1 },  /* the closing minute is outside */
	};
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		struct tz_civil c = { 2026, 12, 2, times[i].h, times[i].m, 0 }, open = c;
		long long t, want;
		assert_int_equal(tz_instant(zone[0], &c, &t), 0);
		open.day += times[i].next_day;
		open.hour = 8;
		open.minute = 0;
		assert_int_equal(tz_instant(zone[0], &open, &want), 0);
		long long got = rules_quiet_send_at(t, w, zone, 1);
		if (got != (times[i].now ? t : want))
			fail_msg("%02d:%02d: goes at %lld, want %lld", times[i].h, times[i].m, got,
				 times[i].now ? t : want);
	}
	/* an empty window has no time */
	struct quiet_window empty = { 600, 600 };
	assert_int_equal(rules_quiet_send_at(NOW, empty, zone, 1), -1);
	static const struct {
		const char *kind;
		int held;
	} kinds[] = {
		{ "user", 1 }, { "consent_request", 1 }, { "automatic", 0 },
		{ "image_notice", 0 }, { "", 0 }, { NULL, 0 },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!rules_quiet_hours_apply(kinds[i].kind) != !kinds[i].held)
			fail_msg("kind %s: held is not %d", show(kinds[i].kind), kinds[i].held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(send_refusal),
		cmocka_unit_test(consent_request_refusal),
		cmocka_unit_test(send_later_refusal),
		cmocka_unit_test(warnings),
		cmocka_unit_test(sensitive_refusal),
		cmocka_unit_test(refusal_texts),
		cmocka_unit_test(images),
		cmocka_unit_test(contacts),
		cmocka_unit_test(quiet_boundaries),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
