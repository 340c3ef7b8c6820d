/* How the carrier's answers are read (carrier_twilio.c): a create's answer
 * by HTTP status and body (a sid, Twilio's error JSON, malformed JSON, an
 * empty body), and the look-up's message list. */
#include "unit.h"

#include "carrier.h"

#include <stdio.h>
#include <string.h>

#define SID "SM0123456789abcdef0123456789abcdef"
#define SID64 "SM01234567890123456789012345678901234567890123456789012345678901"
#define SID65 SID64 "2"
#define DEFAULT_REFUSAL "the carrier refused the message"
#define UNREADABLE "unreadable answer from the carrier"

static const char *outcome_name(enum carrier_outcome o)
{
	switch (o) {
	case CARRIER_ACCEPTED: return "accepted";
	case CARRIER_RETRY: return "retry";
	case CARRIER_UNKNOWN: return "unknown";
	case CARRIER_REJECTED: return "rejected";
	}
	return "?";
}

static const struct answer_case {
	long status;
	const char *body;        /* NULL: no body at all */
	long retry_after;
	enum carrier_outcome outcome;
	const char *sid;         /* when accepted */
	int error_code;          /* when not 2xx */
	const char *message;     /* error_message */
} answers[] = {
	/* success */
	{ 201, "{\"sid\": \"" SID "\", \"status\": \"queued\"}", 0, CARRIER_ACCEPTED, SID, 0, "" },
	{ 200, "{\"sid\": \"" SID "\"}", 0, CARRIER_ACCEPTED, SID, 0, "" },
	{ 299, "{\"sid\": \"" SID64 "\"}", 0, CARRIER_ACCEPTED, SID64, 0, "" },  /* the longest sid */
	/* success, but which message? look it up */
	{ 201, "{\"sid\": \"" SID65 "\"}", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "{\"sid\": \"\"}", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "{\"sid\": 12}", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "{\"status\": \"queued\"}", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "{\"sid\": \"" SID "\"", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },  /* cut short */
	{ 201, "<html>OK</html>", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, NULL, 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	{ 201, "[\"" SID "\"]", 0, CARRIER_UNKNOWN, "", 0, UNREADABLE },
	/* Twilio's errors: its code and message */
	{ 400, "{\"code\": 21610, \"message\": \"Attempt to send to unsubscribed recipient\","
	       " \"status\": 400}", 0, CARRIER_REJECTED, "", 21610,
	  "Attempt to send to unsubscribed recipient" },
	{ 400, "{\"code\": 21211, \"message\": \"Invalid 'To' Phone Number\"}", 0,
	  CARRIER_REJECTED, "", 21211, "Invalid 'To' Phone Number" },
	{ 401, "{\"code\": 20003, \"message\": \"Authenticate\"}", 0, CARRIER_REJECTED, "", 20003,
	  "Authenticate" },
	{ 404, "{\"code\": 20404, \"message\": \"Not found\"}", 0, CARRIER_REJECTED, "", 20404,
	  "Not found" },
	/* a 2xx-looking error code in a 3xx: not accepted */
	{ 302, "{\"sid\": \"" SID "\"}", 0, CARRIER_REJECTED, "", 302, DEFAULT_REFUSAL },
	/* busy: again later, after Retry-After */
	{ 429, "{\"code\": 20429, \"message\": \"Too Many Requests\"}", 30, CARRIER_RETRY, "",
	  20429, "Too Many Requests" },
	{ 429, "", 0, CARRIER_RETRY, "", 429, DEFAULT_REFUSAL },
	/* a 5xx may come after the carrier created it: look it up */
	{ 500, "{\"code\": 20500, \"message\": \"Internal Server Error\"}", 0, CARRIER_UNKNOWN, "",
	  20500, "Internal Server Error" },
	{ 502, "<html>Bad Gateway</html>", 0, CARRIER_UNKNOWN, "", 502, DEFAULT_REFUSAL },
	{ 503, NULL, 5, CARRIER_UNKNOWN, "", 503, DEFAULT_REFUSAL },
	/* malformed error bodies: the HTTP status and a sentence */
	{ 400, "", 0, CARRIER_REJECTED, "", 400, DEFAULT_REFUSAL },
	{ 400, NULL, 0, CARRIER_REJECTED, "", 400, DEFAULT_REFUSAL },
	{ 400, "{\"code\": 21610, \"message\":", 0, CARRIER_REJECTED, "", 400, DEFAULT_REFUSAL },
	{ 400, "{\"code\": \"21610\", \"message\": \"text code\"}", 0, CARRIER_REJECTED, "", 400,
	  "text code" },
	{ 400, "{\"code\": 21610, \"message\": 7}", 0, CARRIER_REJECTED, "", 21610,
	  DEFAULT_REFUSAL },
	{ 400, "{\"code\": 21610}", 0, CARRIER_REJECTED, "", 21610, DEFAULT_REFUSAL },
	{ 400, "[1, 2]", 0, CARRIER_REJECTED, "", 400, DEFAULT_REFUSAL },
};

static void create_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		const struct answer_case *c = &answers[i];
		struct carrier_result r;
		memset(&r, 0, sizeof r);
		twilio_read_answer(c->status, c->body, c->body ? strlen(c->body) : 0, c->retry_after,
				   &r);
		if (r.outcome != c->outcome)
			fail_msg("answer %zu (%ld): %s, want %s", i, c->status, outcome_name(r.outcome),
				 outcome_name(c->outcome));
		if (strcmp(r.sid, c->sid) != 0)
			fail_msg("answer %zu: sid \"%s\", want \"%s\"", i, r.sid, c->sid);
		if (r.error_code != c->error_code)
			fail_msg("answer %zu: code %d, want %d", i, r.error_code, c->error_code);
		if (strcmp(r.error_message, c->message) != 0)
			fail_msg("answer %zu: message \"%s\", want \"%s\"", i, r.error_message,
				 c->message);
		assert_int_equal(r.http_status, c->status);
		assert_int_equal(r.retry_after, c->retry_after);
	}
}

/* a message longer than the result's buffer is cut, not overrun */
static void long_error_message(void **state)
{
	(void)state;
	char body[1200], msg[1000];
	memset(msg, 'x', sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	snprintf(body, sizeof body, "{\"code\": 30007, \"message\": \"%s\"}", msg);
	struct carrier_result r;
	memset(&r, 0, sizeof r);
	twilio_read_answer(400, body, strlen(body), 0, &r);
	assert_int_equal(r.outcome, CARRIER_REJECTED);
	assert_int_equal(r.error_code, 30007);
	assert_int_equal(strlen(r.error_message), sizeof r.error_message - 1);
	/* the length given counts, not the NUL: a body cut in the middle is malformed */
	memset(&r, 0, sizeof r);
	const char *ok = "{\"sid\": \"" SID "\"}";
	twilio_read_answer(201, ok, strlen(ok) - 1, 0, &r);
	assert_int_equal(r.outcome, CARRIER_UNKNOWN);
}

/* known(): sids listed in ctx (NULL-terminated) are another message's;
 * "FAIL" makes it fail */
static int known(void *ctx, const char *sid)
{
	for (const char *const *k = ctx; *k; k++) {
		if (strcmp(*k, "FAIL") == 0)
			return -1;
		if (strcmp(*k, sid) == 0)
			return 1;
	}
	return 0;
}

#define LIST3                                                                          \
	"{\"messages\": [{\"sid\": \"SMnewest\", \"body\": \"other text\"},"           \
	" {\"sid\": \"SMmine2\", \"body\": \"Hello\"},"                                \
	" {\"sid\": \"SMmine1\", \"body\": \"Hello\"}]}"

static const struct list_case {
	const char *answer;
	const char *text;
	const char *known[3];
	int found;
	const char *sid;
} lists[] = {
	{ LIST3, "Hello", { NULL }, 1, "SMmine2" },            /* the newest with that body */
	{ LIST3, "Hello", { "SMmine2", NULL }, 1, "SMmine1" }, /* that one is another text's */
	{ LIST3, "Hello", { "SMmine2", "SMmine1", NULL }, 0, "" },
	{ LIST3, "hello", { NULL }, 0, "" },                   /* the body exactly */
	{ LIST3, "Hello", { "FAIL", NULL }, -1, "" },
	{ "{\"messages\": []}", "Hello", { NULL }, 0, "" },
	{ "{\"messages\": [{\"body\": \"Hello\"}, {\"sid\": \"\", \"body\": \"Hello\"},"
	  " {\"sid\": \"SMok\", \"body\": \"Hello\"}]}", "Hello", { NULL }, 1, "SMok" },
	{ "{\"messages\": [{\"sid\": \"SMx\", \"body\": null}]}", "Hello", { NULL }, 0, "" },
	{ "{\"messages\": [{\"sid\": \"" SID65 "\", \"body\": \"Hello\"}]}", "Hello", { NULL }, 0,
	  "" },
	/* not a list */
	{ "{\"messages\": {}}", "Hello", { NULL }, -1, "" },
	{ "{\"message\": []}", "Hello", { NULL }, -1, "" },
	{ "{\"messages\": [", "Hello", { NULL }, -1, "" },
	{ "", "Hello", { NULL }, -1, "" },
	{ NULL, "Hello", { NULL }, -1, "" },
};

static void lookup_lists(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		const struct list_case *c = &lists[i];
		struct carrier_result r;
		memset(&r, 0, sizeof r);
		int found = twilio_find_in_list(c->answer, c->answer ? strlen(c->answer) : 0, c->text,
						known, (void *)c->known, &r);
		if (found != c->found)
			fail_msg("list %zu: found %d, want %d", i, found, c->found);
		if (strcmp(r.sid, c->sid) != 0)
			fail_msg("list %zu: sid \"%s\", want \"%s\"", i, r.sid, c->sid);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_answers),
		cmocka_unit_test(long_error_message),
		cmocka_unit_test(lookup_lists),
	};
	return cmocka_run_group_tests_name("carrier", tests, NULL, NULL);
}
