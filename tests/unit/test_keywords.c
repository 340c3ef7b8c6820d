/* Consent keywords and plain-words revocations: what withdraws, what
 * grants, what only asks the agent to look, and the look-alikes that must
 * change nothing. */
#include "unit.h"

#include "keywords.h"

static void is(const char *body, enum keyword want)
{
	enum keyword got = keyword_classify(body);
	if (got != want)
		fail_msg("keyword_classify(\"%s\") = %s, want %s", body, keyword_name(got),
			 keyword_name(want));
}

static void single_keywords_any_case_and_punctuation(void **state)
{
	(void)state;
	const char *stops[] = { "STOP", "stop", "Stop.", "  stop!  ", "STOPALL", "Unsubscribe",
				"cancel", "END", "quit", "Revoke", "OPTOUT", "block", "\"STOP\"" };
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		is(stops[i], KEYWORD_STOP);
	const char *starts[] = { "START", "start", "Yes", "YES!", "unstop", " Start. " };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
		is(starts[i], KEYWORD_START);
	is("HELP", KEYWORD_HELP);
	is("info?", KEYWORD_HELP);
}

static void plain_words_revoke(void **state)
{
	(void)state;
	const char *phrases[] = {
		"opt out", "OPT OUT", "Opt-out", "please opt me out", "Please opt me out.",
		"stop texting me", "Stop texting me!", "unsubscribe me", "remove me from your list",
		"do not text me", "Don't text me", "Don’t text me anymore", "please stop",
		"stop please", "take me off your list", "no more texts", "STOP thank you",
	};
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		is(phrases[i], KEYWORD_STOP);
}

static void look_alikes_do_not(void **state)
{
	(void)state;
	is("don't stop", KEYWORD_NONE);
	is("stop by the office at 3", KEYWORD_NONE);
	is("Yes please send the rate sheet", KEYWORD_NONE);
	is("I'll start the paperwork", KEYWORD_NONE);
	is("the end of the month works", KEYWORD_NONE);
	is("Can you help me with the form?", KEYWORD_NONE);
	is("stopping by later", KEYWORD_NONE);
	is("", KEYWORD_NONE);
	is("😀", KEYWORD_NONE);
}

static void mentions_are_possible_opt_outs(void **state)
{
	(void)state;
	is("can I opt out later if I want?", KEYWORD_MAYBE_STOP);
	is("maybe stop texting me so early", KEYWORD_MAYBE_STOP);
	is("how do I unsubscribe from the emails", KEYWORD_MAYBE_STOP);
	/* a letter outside ASCII (an emoji, an accent) or a long text: the
	 * mention is still found, in any case */
	is("Can I OPT OUT later? \xf0\x9f\x99\x82", KEYWORD_MAYBE_STOP);
	is("How do I Unsubscribe, Jos\xc3\xa9?", KEYWORD_MAYBE_STOP);
	is("can I opt out later? \xf0\x9f\x99\x82", KEYWORD_MAYBE_STOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_keywords_any_case_and_punctuation),
		cmocka_unit_test(plain_words_revoke),
		cmocka_unit_test(look_alikes_do_not),
		cmocka_unit_test(mentions_are_possible_opt_outs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
