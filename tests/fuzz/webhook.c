/* The carrier's callbacks (cgi-bin/carrier_twilio.c, as
 * webhook_twilio.c uses it): the first line of the input is the signed
 * address, the second the X-Twilio-Signature, the rest the form body.
 * Properties: a body signed with the account's token is accepted and the
 * same signature over any other address is not; an inbound message that
 * parses has fields of Twilio's shape and at most CARRIER_MEDIA_MAX images,
 * each with an http(s) address. */
#include "fuzz.h"

#include "carrier.h"
#include "config.h"
#include "http.h"

static void fuzz_one(const uint8_t *data, size_t n)
{
	char *url = fuzz_field(data, n, 0), *sig = fuzz_field(data, n, 1);
	size_t off = 0;
	for (int i = 0; i < 2; i++) {
		const uint8_t *nl = off < n ? memchr(data + off, '\n', n - off) : NULL;
		off = nl ? (size_t)(nl - data) + 1 : n;
	}
	struct arena a;
	arena_init(&a);
	struct params form;
	const char *body = arena_strndup(&a, (const char *)data + off, n - off);
	if (parse_urlencoded(&a, body, strlen(body), &form) != PARSE_OK)
		goto out;

	struct config cfg = { 0 };
	cfg.carrier_auth_token = "12345678901234567890123456789012";
	char good[29];
	FUZZ_CHECK(twilio_signature(cfg.carrier_auth_token, url, &form, good) == 0);
	FUZZ_CHECK(strlen(good) == 28);
	FUZZ_CHECK(carrier_twilio.verify(&cfg, url, &form, good) == 1);
	char *other = arena_printf(&a, "%sx", url);
	FUZZ_CHECK(carrier_twilio.verify(&cfg, other, &form, good) == 0);
	if (carrier_twilio.verify(&cfg, url, &form, sig))
		FUZZ_CHECK(strcmp(sig, good) == 0);
	cfg.carrier_auth_token = "";
	FUZZ_CHECK(carrier_twilio.verify(&cfg, url, &form, good) == 0);

	struct carrier_inbound in;
	const char *why = NULL;
	if (carrier_twilio.parse_inbound(&form, &in, &why) == 0) {
		FUZZ_CHECK(in.sid && in.account && in.from && in.to && in.body);
		FUZZ_CHECK(strlen(in.sid) == 34 && strlen(in.account) == 34);
		FUZZ_CHECK(in.from[0] == '+' && in.to[0] == '+');
		FUZZ_CHECK(in.num_media >= 0 && in.num_media <= CARRIER_MEDIA_MAX);
		for (int i = 0; i < in.num_media; i++) {
			FUZZ_CHECK(in.media_url[i] && in.media_type[i]);
			FUZZ_CHECK(strncmp(in.media_url[i], "http://", 7) == 0 ||
				   strncmp(in.media_url[i], "https://", 8) == 0);
		}
	} else {
		FUZZ_CHECK(why && *why);
	}
	struct carrier_status st;
	if (carrier_twilio.parse_status(&form, &st) == 0) {
		FUZZ_CHECK(st.sid && st.status && st.account);
		FUZZ_CHECK(strlen(st.sid) == 34 && strlen(st.account) == 34);
		FUZZ_CHECK(st.error_code >= 0 && st.error_code <= 999999);
	}
out:
	arena_free(&a);
	free(url);
	free(sig);
}
