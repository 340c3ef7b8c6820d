/* The carrier's answers (cgi-bin/carrier_twilio.c): the first line of the
 * input is the HTTP status, the second the text sent, the rest the JSON
 * body, read both as a create's answer (twilio_read_answer) and as a
 * look-up's message list (twilio_find_in_list). Properties: the outcome
 * follows the status (2xx accepted with a sid or unknown, 429 retried,
 * 5xx unknown, else rejected); a sid or message is always terminated; a
 * message found in the list carries the text and a sid known() does not
 * claim. */
#include "fuzz.h"

#include "carrier.h"

/* Claims every sid that starts with "SMx" as another message's. */
static int known(void *ctx, const char *sid)
{
	++*(int *)ctx;
	return strncmp(sid, "SMx", 3) == 0;
}

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *status_s = fuzz_field(data, n, 0), *text = fuzz_field(data, n, 1);
	size_t off = 0;
	for (int i = 0; i < 2; i++) {
		const uint8_t *nl = off < n ? memchr(data + off, '\n', n - off) : NULL;
		off = nl ? (size_t)(nl - data) + 1 : n;
	}
	const char *body = (const char *)data + off;
	size_t len = n - off;
	long status = strtol(status_s, NULL, 10) % 1000;

	struct carrier_result r;
	memset(&r, 0, sizeof r);
	twilio_read_answer(status, len ? body : NULL, len, 7, &r);
	FUZZ_CHECK(memchr(r.sid, '\0', sizeof r.sid) && memchr(r.error_message, '\0', sizeof r.error_message));
	FUZZ_CHECK(r.http_status == (int)status && r.retry_after == 7);
	if (status >= 200 && status < 300)
		FUZZ_CHECK(r.outcome == (r.sid[0] ? CARRIER_ACCEPTED : CARRIER_UNKNOWN));
	else
		FUZZ_CHECK(r.outcome == (status == 429   ? CARRIER_RETRY :
					 status >= 500   ? CARRIER_UNKNOWN :
							   CARRIER_REJECTED));

	memset(&r, 0, sizeof r);
	int calls = 0;
	int found = twilio_find_in_list(body, len, text, known, &calls, &r);
	FUZZ_CHECK(found >= -1 && found <= 1);
	if (found == 1) {
		FUZZ_CHECK(r.outcome == CARRIER_ACCEPTED && r.sid[0] && strlen(r.sid) <= 64);
		FUZZ_CHECK(strncmp(r.sid, "SMx", 3) != 0 && calls >= 1);
	}
	free(status_s);
	free(text);
}
