/* Twilio's Messages API over libcurl, and its callback signatures. */
#include "carrier.h"

#include "arena.h"
#include "config.h"
#include "http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ANSWER (1 << 20)

struct carrier {
	const struct config *cfg;
	CURL *curl;
	struct buf answer;
	long retry_after;
	int (*should_stop)(void);
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct carrier *c = ctx;
	size_t len = size * n;
	if (c->answer.len + len > MAX_ANSWER)
		return 0; /* an answer that large is not Twilio's: abort */
	buf_append(&c->answer, p, len);
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct carrier *c = ctx;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
		char tmp[32];
		size_t vlen = len - (sizeof name - 1);
		if (vlen >= sizeof tmp)
			vlen = sizeof tmp - 1;
		memcpy(tmp, p + sizeof name - 1, vlen);
		tmp[vlen] = '\0';
		long v = strtol(tmp, NULL, 10);
		if (v > 0 && v < 86400)
			c->retry_after = v;
	}
	return len;
}

/* Aborting leaves the outcome unknown: the message is looked up later. */
static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct carrier *c = ctx;
	(void)dt, (void)dn, (void)ut, (void)un;
	return c->should_stop && c->should_stop();
}

static struct carrier *twilio_open(const struct config *cfg, int (*should_stop)(void))
{
	struct carrier *c = xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	c->should_stop = should_stop;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return NULL;
	}
	return c;
}

static void twilio_close(struct carrier *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	buf_free(&c->answer);
	free(c);
}

/* Sets up one request on the kept handle (connections are reused). */
static int prepare(struct carrier *c, const char *url)
{
	CURL *h = c->curl;
	curl_easy_reset(h);
	buf_clear(&c->answer);
	c->retry_after = 0;
	return curl_easy_setopt(h, CURLOPT_URL, url) ||
	       curl_easy_setopt(h, CURLOPT_USERNAME, c->cfg->carrier_account_sid) ||
	       curl_easy_setopt(h, CURLOPT_PASSWORD, c->cfg->carrier_auth_token) ||
	       curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) ||
	       curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->cfg->carrier_timeout_ms) ||
	       curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L) ||
	       curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) ||
	       curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) ||
	       curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress) ||
	       curl_easy_setopt(h, CURLOPT_XFERINFODATA, c) ||
	       curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
	       curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) ||
	       curl_easy_setopt(h, CURLOPT_WRITEDATA, c) ||
	       curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) ||
	       curl_easy_setopt(h, CURLOPT_HEADERDATA, c) ||
	       curl_easy_setopt(h, CURLOPT_USERAGENT, "smsdesk/1") ? -1 : 0;
}

static void add_field(CURL *h, struct buf *b, const char *name, const char *value)
{
	char *v = curl_easy_escape(h, value, 0);
	buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, v ? v : "");
	curl_free(v);
}

/* Twilio's error body: {"code": 21610, "message": "...", "status": 400} */
static void read_error(const char *body, size_t len, struct carrier_result *out)
{
	json_error_t jerr;
	json_t *j = json_loadb(body ? body : "", body ? len : 0, 0, &jerr);
	json_t *code = j ? json_object_get(j, "code") : NULL;
	json_t *msg = j ? json_object_get(j, "message") : NULL;
	out->error_code = json_is_integer(code) ? (int)json_integer_value(code) : out->http_status;
	snprintf(out->error_message, sizeof out->error_message, "%s",
		 json_is_string(msg) ? json_string_value(msg) : "the carrier refused the message");
	json_decref(j);
}

static int read_sid(json_t *msg, char sid[65])
{
	json_t *s = json_object_get(msg, "sid");
	if (!json_is_string(s) || strlen(json_string_value(s)) == 0 ||
	    strlen(json_string_value(s)) > 64)
		return -1;
	snprintf(sid, 65, "%s", json_string_value(s));
	return 0;
}

void twilio_read_answer(long status, const char *body, size_t len, long retry_after,
			struct carrier_result *out)
{
	out->http_status = (int)status;
	out->retry_after = retry_after;
	if (status >= 200 && status < 300) {
		json_error_t jerr;
		json_t *j = json_loadb(body ? body : "", body ? len : 0, 0, &jerr);
		if (j && read_sid(j, out->sid) == 0) {
			out->outcome = CARRIER_ACCEPTED;
		} else {
			/* accepted, but we cannot tell which message: ask later */
			out->outcome = CARRIER_UNKNOWN;
			snprintf(out->error_message, sizeof out->error_message,
				 "unreadable answer from the carrier");
		}
		json_decref(j);
		return;
	}
	read_error(body, len, out);
	/* a 5xx may come from a gateway after the carrier created the message:
	 * look it up before sending again */
	out->outcome = status == 429 ? CARRIER_RETRY : status >= 500 ? CARRIER_UNKNOWN :
		       CARRIER_REJECTED;
}

static void twilio_send(struct carrier *c, const struct carrier_message *m,
			struct carrier_result *out)
{
	memset(out, 0, sizeof *out);
	char url[1024];
	snprintf(url, sizeof url, "%s/2010-04-01/Accounts/%s/Messages.json",
		 c->cfg->carrier_base_url, c->cfg->carrier_account_sid);
	struct buf form = { 0 };
	if (prepare(c, url) < 0) {
		out->outcome = CARRIER_RETRY;
		snprintf(out->error_message, sizeof out->error_message, "cannot set up libcurl");
		return;
	}
	add_field(c->curl, &form, "To", m->to);
	add_field(c->curl, &form, "From", m->from);
	add_field(c->curl, &form, "Body", m->body);
	if (m->status_callback)
		add_field(c->curl, &form, "StatusCallback", m->status_callback);
	CURLcode rc = curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, form.p);
	/* libcurl sends a request again by itself when a reused connection
	 * closes before any answer, and the carrier may have created the text
	 * by then: a create always goes on a connection of its own, so that
	 * whether to send again is decided here, after a look-up */
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(c->curl, CURLOPT_FRESH_CONNECT, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)form.len);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(c->curl);
	buf_free(&form);
	if (rc != CURLE_OK) {
		/* refused before anything was sent: certainly not created */
		int before = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
			     rc == CURLE_COULDNT_RESOLVE_PROXY;
		out->outcome = before ? CARRIER_RETRY : CARRIER_UNKNOWN;
		snprintf(out->error_message, sizeof out->error_message, "%s", curl_easy_strerror(rc));
		return;
	}
	long status = 0;
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	twilio_read_answer(status, c->answer.p, c->answer.len, c->retry_after, out);
}

static int twilio_lookup(struct carrier *c, const struct carrier_message *m,
			 int (*known)(void *ctx, const char *sid), void *ctx,
			 struct carrier_result *out)
{
	memset(out, 0, sizeof *out);
	char *to = curl_easy_escape(c->curl, m->to, 0);
	char *from = curl_easy_escape(c->curl, m->from, 0);
	char url[1024];
	/* No DateSent filter: a message still in the carrier's own queue has
	 * no send date yet. The list comes newest first. */
	int n = snprintf(url, sizeof url,
			 "%s/2010-04-01/Accounts/%s/Messages.json?To=%s&From=%s&PageSize=200",
			 c->cfg->carrier_base_url, c->cfg->carrier_account_sid, to ? to : "",
			 from ? from : "");
	curl_free(to);
	curl_free(from);
	if (n < 0 || (size_t)n >= sizeof url || prepare(c, url) < 0 ||
	    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L) != CURLE_OK ||
	    curl_easy_perform(c->curl) != CURLE_OK)
		return -1;
	long status = 0;
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200)
		return -1;
	return twilio_find_in_list(c->answer.p, c->answer.len, m->body, known, ctx, out);
}

int twilio_find_in_list(const char *answer, size_t len, const char *text,
			int (*known)(void *ctx, const char *sid), void *ctx,
			struct carrier_result *out)
{
	json_error_t jerr;
	json_t *j = json_loadb(answer ? answer : "", answer ? len : 0, 0, &jerr);
	json_t *list = j ? json_object_get(j, "messages") : NULL;
	if (!json_is_array(list)) {
		json_decref(j);
		return -1;
	}
	int found = 0;
	size_t i;
	json_t *msg;
	json_array_foreach(list, i, msg) {
		json_t *body = json_object_get(msg, "body");
		char sid[65];
		if (!json_is_string(body) || strcmp(json_string_value(body), text) != 0 ||
		    read_sid(msg, sid) < 0)
			continue;
		int k = known(ctx, sid);
		if (k < 0) {
			found = -1;
			break;
		}
		if (k)
			continue;
		memcpy(out->sid, sid, sizeof sid);
		out->outcome = CARRIER_ACCEPTED;
		found = 1;
		break;
	}
	json_decref(j);
	return found;
}

static int param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

int twilio_signature(const char *token, const char *url, const struct params *form,
		     char out[29])
{
	struct param *sorted = NULL;
	if (form->n) {
		sorted = xmalloc(form->n * sizeof *sorted);
		memcpy(sorted, form->v, form->n * sizeof *sorted);
		qsort(sorted, form->n, sizeof *sorted, param_cmp);
	}
	struct buf data = { 0 };
	buf_puts(&data, url);
	for (size_t i = 0; i < form->n; i++) {
		buf_puts(&data, sorted[i].name);
		buf_puts(&data, sorted[i].value);
	}
	free(sorted);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	int ok = HMAC(EVP_sha1(), token, (int)strlen(token), (const unsigned char *)data.p,
		      data.len, mac, &maclen) != NULL && maclen == 20;
	buf_free(&data);
	if (!ok)
		return -1;
	return EVP_EncodeBlock((unsigned char *)out, mac, 20) == 28 ? 0 : -1;
}

static int twilio_verify(const struct config *cfg, const char *url, const struct params *form,
			 const char *signature)
{
	char want[29];
	if (!signature || !*cfg->carrier_auth_token ||
	    twilio_signature(cfg->carrier_auth_token, url, form, want) < 0)
		return 0;
	return strlen(signature) == 28 && CRYPTO_memcmp(want, signature, 28) == 0;
}

/* ---- Twilio's fields, each in its shape */

/* PREFIX then 32 lower-case hex digits: a message's sid (SM, MM), an
 * account's (AC). */
static int sid_shaped(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s && strncmp(s, prefix, n) == 0 && strlen(s + n) == 32 &&
	       strspn(s + n, "0123456789abcdef") == 32;
}

static int message_sid_shaped(const char *s)
{
	return sid_shaped(s, "SM") || sid_shaped(s, "MM");
}

/* E.164: +, a first digit 1-9, at most 15 digits in all. */
static int e164_shaped(const char *s)
{
	size_t n = s && s[0] == '+' ? strlen(s + 1) : 0;
	return n >= 2 && n <= 15 && s[1] != '0' && strspn(s + 1, "0123456789") == n;
}

/* A count or a code: 1 to max_digits digits. */
static int digits_shaped(const char *s, size_t max_digits)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 1 && n <= max_digits && strspn(s, "0123456789") == n;
}

/* The statuses Twilio reports for a message. */
static int status_known(const char *s)
{
	static const char *const known[] = {
		"accepted", "scheduled", "canceled", "queued", "sending", "sent", "failed",
		"delivered", "undelivered", "receiving", "received", "read", "partially_delivered",
	};
	for (size_t i = 0; s && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(s, known[i]) == 0)
			return 1;
	return 0;
}

static int twilio_parse_status(const struct params *form, struct carrier_status *out)
{
	out->sid = params_get(form, "MessageSid");
	out->status = params_get(form, "MessageStatus");
	if (!out->status)
		out->status = params_get(form, "SmsStatus");
	out->account = params_get(form, "AccountSid");
	const char *code = params_get(form, "ErrorCode");
	const char *sms_sid = params_get(form, "SmsSid");
	if (!message_sid_shaped(out->sid) || !sid_shaped(out->account, "AC") ||
	    !status_known(out->status) || (code && *code && !digits_shaped(code, 6)) ||
	    (sms_sid && strcmp(sms_sid, out->sid) != 0))
		return -1;
	out->error_code = code && *code ? atoi(code) : 0;
	return 0;
}

/* MediaUrlN and MediaContentTypeN only for N below NumMedia. */
static int media_fields_beyond(const struct params *form, int num_media)
{
	for (size_t i = 0; i < form->n; i++) {
		const char *name = form->v[i].name, *index = NULL;
		if (strncmp(name, "MediaUrl", 8) == 0)
			index = name + 8;
		else if (strncmp(name, "MediaContentType", 16) == 0)
			index = name + 16;
		if (index && (!digits_shaped(index, 2) || atoi(index) >= num_media))
			return 1;
	}
	return 0;
}

static const char *inbound_shape_refusal(const struct params *form, const struct carrier_inbound *in,
					 const char *num_media)
{
	const char *sms_sid = params_get(form, "SmsMessageSid");
	const char *sms_sid2 = params_get(form, "SmsSid");
	if (!message_sid_shaped(in->sid) || (sms_sid && strcmp(sms_sid, in->sid) != 0) ||
	    (sms_sid2 && strcmp(sms_sid2, in->sid) != 0))
		return "MessageSid is missing or not a message sid (SM or MM and 32 hex digits).";
	if (!sid_shaped(in->account, "AC"))
		return "AccountSid is missing or not an account sid (AC and 32 hex digits).";
	if (!e164_shaped(in->from) || !e164_shaped(in->to))
		return "From or To is missing or not a number in E.164.";
	if (!digits_shaped(num_media, 2) || atoi(num_media) > CARRIER_MEDIA_MAX)
		return "NumMedia is missing or not a number from 0 to 10.";
	if (media_fields_beyond(form, atoi(num_media)))
		return "A MediaUrl or MediaContentType is beyond NumMedia.";
	return NULL;
}

static int twilio_parse_inbound(const struct params *form, struct carrier_inbound *out,
				const char **why)
{
	memset(out, 0, sizeof *out);
	out->sid = params_get(form, "MessageSid");
	if (!out->sid)
		out->sid = params_get(form, "SmsMessageSid");
	out->account = params_get(form, "AccountSid");
	out->from = params_get(form, "From");
	out->to = params_get(form, "To");
	out->body = params_get(form, "Body");
	if (!out->body)
		out->body = "";
	const char *n = params_get(form, "NumMedia");
	if ((*why = inbound_shape_refusal(form, out, n)))
		return -1;
	out->num_media = atoi(n);
	for (int i = 0; i < out->num_media; i++) {
		char name[32];
		snprintf(name, sizeof name, "MediaUrl%d", i);
		out->media_url[i] = params_get(form, name);
		snprintf(name, sizeof name, "MediaContentType%d", i);
		out->media_type[i] = params_get(form, name);
		if (!out->media_url[i] || !*out->media_url[i] || strlen(out->media_url[i]) > 2048 ||
		    (strncmp(out->media_url[i], "https://", 8) != 0 &&
		     strncmp(out->media_url[i], "http://", 7) != 0)) {
			*why = "A MediaUrl is missing, too long or not http(s).";
			return -1;
		}
		if (!out->media_type[i] || strlen(out->media_type[i]) > 128)
			out->media_type[i] = "";
	}
	return 0;
}

const struct carrier_driver carrier_twilio = {
	.name = "twilio",
	.open = twilio_open,
	.close = twilio_close,
	.send = twilio_send,
	.lookup = twilio_lookup,
	.verify = twilio_verify,
	.parse_status = twilio_parse_status,
	.parse_inbound = twilio_parse_inbound,
};
