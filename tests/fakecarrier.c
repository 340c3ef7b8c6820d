/* fakecarrier: a stand-in for the carrier's Twilio-compatible Messages API,
 * on loopback, for smsdesk's tests and `make run`.
 *
 *   fakecarrier [PORT]          (or FAKECARRIER_PORT; default 8081)
 *
 * Environment (defaults in brackets):
 *   FAKECARRIER_ACCOUNT_SID [AC000...0]   the account it accepts (AC, 32 hex digits)
 *   FAKECARRIER_AUTH_TOKEN [testtoken]    its password, and the key that
 *                                         signs status callbacks
 *   FAKECARRIER_CALLBACK_DELAY_MS [50]    between a message's callbacks
 *   FAKECARRIER_CALLBACK_THREADS [4]      callback senders
 *   FAKECARRIER_CALLBACK_RETRIES [2]      retries on connection error/5xx
 *   FAKECARRIER_CALLBACK_TIMEOUT_MS [5000]
 *   FAKECARRIER_MAX_RECORDS [100000]      per log (requests, callbacks, sink)
 *   FAKECARRIER_INBOUND_URL []            where a phone's replies go: smsdesk's
 *                                         public_url + /webhooks/twilio/sms
 *   FAKECARRIER_INBOUND_RETRIES [2]       retries of a reply's webhook on
 *                                         connection error, timeout, 429, 5xx
 *   FAKECARRIER_MEDIA_BIG_BYTES [6291456] the "big" image's size
 *
 * Twilio API (Basic auth):
 *   POST /2010-04-01/Accounts/SID/Messages.json        create
 *   GET  /2010-04-01/Accounts/SID/Messages.json        list (To, From,
 *        DateSent, DateSent<, DateSent>, PageSize, Page)
 *   GET  /2010-04-01/Accounts/SID/Messages/SMxxx.json  fetch
 *   GET  /2010-04-01/Accounts/SID/Messages/MMxxx/Media/MExxx[?kind=K]
 *        an inbound message's image (401 without auth); K picks a fixture:
 *        sample (an 8x8 PNG, the default), big (image/jpeg, size=N bytes,
 *        chunked=1 without a Content-Length), html (text/html), svg,
 *        redirect (302 to http://localhost:PORT/cdn/MExxx, another host
 *        name for this server, served without auth; to=K there; to=metadata
 *        and to=private send it to 169.254.169.254 and 10.0.0.1 instead),
 *        flaky (fails=N times 500 per media sid, then the sample), gone
 *        (404), empty (no bytes), slow (image/jpeg, size=N bytes, default
 *        120, one a second)
 * Control API for tests (no auth): see CONTROL_HELP below; the phone page
 * is /phone, where a phone can also reply (POST /phone/reply).
 *
 * One process: libmicrohttpd with a thread per connection (so a "delay"
 * fault may simply sleep), an in-memory store under one mutex, and a few
 * callback threads that each own a time-ordered queue and a keep-alive
 * curl handle. A message's callbacks always go through the same thread,
 * so they arrive in order. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define API_PREFIX "/2010-04-01/Accounts/"
#define API_VERSION "2010-04-01"
#define MAX_FAULTS 64
#define SID_LEN 34 /* "SM" + 32 hex */
#define BODY_MAX_CHARS 1600

static const char CONTROL_HELP[] =
	"fakecarrier control API (no auth)\n"
	"GET  /_fake/requests    every API request received (JSON array)\n"
	"GET  /_fake/messages    every message created (JSON array)\n"
	"GET  /_fake/callbacks   every status callback sent (JSON array)\n"
	"POST /_fake/callbacks   mode=normal|none|fail_at_sent  delay_ms=N\n"
	"POST /_fake/fail        count=N mode=500|502|503|429|4xx|delay|drop\n"
	"                        [retry_after=S] [code=21610 status=400 message=...] [ms=N]\n"
	"                        (appends to a queue; count=0 clears it)\n"
	"POST /_fake/reset       forget everything, back to the start-up settings\n"
	"GET  /_fake/stats       counters, pending callbacks and faults\n"
	"POST /_fake/sink[?status=NNN]  records any POST (a callback receiver)\n"
	"GET  /_fake/sink        what the sink received (JSON array)\n"
	"GET  /_fake/media-requests  every media request: path, kind, host, had_auth,\n"
	"                        auth_ok, status (JSON array)\n"
	"POST /_fake/inbound     from=+1.. to=+1.. [body=..] [media=none|sample|big|html|svg|\n"
	"                        redirect|flaky|gone|empty|slow] [url=..]: the phone texts the agent:\n"
	"                        a signed webhook to url (default FAKECARRIER_INBOUND_URL),\n"
	"                        retried on connection errors, 429 and 5xx; answers the\n"
	"                        record: sid, params, signature, status (smsdesk's), attempts\n"
	"GET  /_fake/inbound     every inbound message sent (JSON array)\n"
	"GET  /phone             the phone page (POST /phone/reply: from, to, body, image=1)\n";

/* ---- small utilities ---------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "2026-01-02T03:04:05.678Z" */
static void iso_now(char out[64])
{
	struct timespec ts;
	struct tm tm;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || !gmtime_r(&ts.tv_sec, &tm)) {
		snprintf(out, 64, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000000L);
}

/* Twilio's dates are RFC 2822 in English whatever the locale. */
static void rfc2822(time_t t, char out[40])
{
	static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(out, 40, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", wday[tm.tm_wday],
		 tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

static void utc_text(time_t t, char out[64])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 64, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, 64, "?");
}

static long env_long(const char *name, long def, long lo, long hi)
{
	const char *s = getenv(name);
	char *end;
	long v;
	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "fakecarrier: %s=%s is not a number in [%ld, %ld]\n", name, s, lo, hi);
		exit(2);
	}
	return v;
}

/* Parses a whole decimal number in [lo, hi]; -1 on anything else. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;
	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p;
		size_t k;
		uint32_t cp;
		if (c < 0x80) { p++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
		else return 0;
		if ((size_t)(e - p) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += k + 1;
	}
	return 1;
}

/* A JSON string for bytes that may not be UTF-8 (logs keep what came in,
 * with U+FFFD for what cannot be shown). */
static json_t *json_text(const char *s, size_t n)
{
	if (utf8_valid(s, n))
		return json_stringn(s, n);
	char *t = malloc(n * 3 + 1);
	size_t o = 0;
	json_t *j;
	if (!t)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			t[o++] = (char)ch;
		} else {
			t[o++] = (char)0xef; t[o++] = (char)0xbf; t[o++] = (char)0xbd;
		}
	}
	j = json_stringn(t, o);
	free(t);
	return j;
}

/* json_object_set_new that tells whether it worked (and frees v if not). */
static int jset(json_t *o, const char *k, json_t *v)
{
	if (!v)
		return -1;
	return json_object_set_new(o, k, v) == 0 ? 0 : -1;
}

static int jstr(json_t *o, const char *k, const char *s)
{
	return jset(o, k, s ? json_string(s) : json_null());
}

/* A growing text buffer; an allocation failure is remembered in oom. */
struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
	free(big);
}

/* The only way text reaches the phone page. */
static void buf_html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_add(b, s, 1);
		}
	}
}

/* ---- form bodies ---------------------------------------------------------- */

struct kv {
	char *name;
	char *value;
	size_t value_len; /* may hold NULs: strlen(value) < value_len then */
};

struct form {
	struct kv *v;
	size_t n, cap;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* application/x-www-form-urlencoded decoding of s[0..n); -1 on a bad escape. */
static int form_decode(const char *s, size_t n, char **out, size_t *out_len)
{
	char *d = malloc(n + 1);
	size_t o = 0;
	if (!d)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			d[o++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;
			if (i + 2 >= n) {
				free(d);
				return -1;
			}
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(d);
				return -1;
			}
			d[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	*out = d;
	*out_len = o;
	return 0;
}

static void form_free(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static int form_parse(struct form *f, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i, eq = SIZE_MAX;
		while (j < n && s[j] != '&') {
			if (s[j] == '=' && eq == SIZE_MAX)
				eq = j;
			j++;
		}
		if (j > i) {
			struct kv kv = {0};
			size_t name_end = eq == SIZE_MAX ? j : eq, name_len;
			if (f->n == f->cap) {
				size_t cap = f->cap ? f->cap * 2 : 16;
				struct kv *v = realloc(f->v, cap * sizeof *v);
				if (!v)
					return -1;
				f->v = v;
				f->cap = cap;
			}
			if (form_decode(s + i, name_end - i, &kv.name, &name_len) != 0)
				return -1;
			if (eq == SIZE_MAX) {
				kv.value = strdup("");
				kv.value_len = 0;
				if (!kv.value) {
					free(kv.name);
					return -1;
				}
			} else if (form_decode(s + eq + 1, j - eq - 1, &kv.value, &kv.value_len) != 0) {
				free(kv.name);
				return -1;
			}
			f->v[f->n++] = kv;
		}
		i = j + 1;
	}
	return 0;
}

static const struct kv *form_kv(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

static const char *form_get(const struct form *f, const char *name)
{
	const struct kv *kv = form_kv(f, name);
	return kv ? kv->value : NULL;
}

static size_t form_count(const struct form *f, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += strcmp(f->v[i].name, name) == 0;
	return n;
}

/* {name: value} with repeated names gathered into an array. */
static json_t *form_json(const struct form *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	for (size_t i = 0; i < f->n; i++) {
		json_t *v = json_text(f->v[i].value, f->v[i].value_len), *old;
		if (!v)
			goto fail;
		old = json_object_get(o, f->v[i].name);
		if (!old) {
			if (json_object_set_new(o, f->v[i].name, v) != 0)
				goto fail;
		} else if (json_is_array(old)) {
			if (json_array_append_new(old, v) != 0)
				goto fail;
		} else {
			json_t *a = json_array();
			if (!a || json_array_append(a, old) != 0 || json_array_append_new(a, v) != 0 ||
			    json_object_set_new(o, f->v[i].name, a) != 0) {
				json_decref(a);
				goto fail;
			}
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- GSM 03.38 and segments ------------------------------------------------ */

static uint32_t utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t cp;
	if (p[0] < 0x80) { cp = p[0]; *pp = p + 1; }
	else if (p[0] < 0xe0) { cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu); *pp = p + 2; }
	else if (p[0] < 0xf0) { cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu); *pp = p + 3; }
	else {
		cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) |
		     (p[3] & 0x3fu);
		*pp = p + 4;
	}
	return cp;
}

/* 1 for the basic table, 2 for the extension table, 0 if not GSM-7. */
static int gsm_width(uint32_t cp)
{
	static const uint32_t basic[] = {
		0xa3, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0xd8, 0xf8, 0xc5, 0xe5,
		0x394, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e,
		0xc6, 0xe6, 0xdf, 0xc9, 0xa4, 0xa1, 0xc4, 0xd6, 0xd1, 0xdc, 0xa7, 0xbf,
		0xe4, 0xf6, 0xf1, 0xfc, 0xe0};
	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp == '\f' || cp == 0x20ac)
		return 2;
	if (cp >= 0x20 && cp < 0x7f) {
		if (cp == '`')
			return 0;
		return strchr("^{}\\[~]|", (int)cp) ? 2 : 1;
	}
	for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++)
		if (basic[i] == cp)
			return 1;
	return 0;
}

/* Counts s (valid UTF-8) the way a carrier bills it. */
static void sms_measure(const char *s, unsigned *chars, unsigned *segments)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned gsm = 0, ucs2 = 0, n = 0;
	int all_gsm = 1;
	while (*p) {
		uint32_t cp = utf8_next(&p);
		int w = gsm_width(cp);
		if (w == 0)
			all_gsm = 0;
		gsm += (unsigned)w;
		ucs2 += cp > 0xffff ? 2 : 1;
		n++;
	}
	*chars = n;
	if (all_gsm)
		*segments = gsm <= 160 ? 1 : (gsm + 152) / 153;
	else
		*segments = ucs2 <= 70 ? 1 : (ucs2 + 66) / 67;
}

/* ---- the carrier's state ---------------------------------------------------- */

struct message {
	char sid[SID_LEN + 1];
	char *to, *from, *body, *status_callback;
	char status[16];
	int error_code; /* 0: none */
	unsigned segments, num_media;
	time_t created, updated;
	char cb_mode[16]; /* callback behaviour chosen when it was created */
	long cb_delay_ms;
};

enum fault_kind { FAULT_SERVER, FAULT_429, FAULT_4XX, FAULT_DELAY, FAULT_DROP };

struct fault {
	enum fault_kind kind;
	long count;
	int http_status;
	int code;
	long retry_after; /* < 0: no Retry-After header */
	long delay_ms;
	char message[256];
	const char *name; /* a literal: it outlives the request's copy */
};

struct cb_event {
	uint64_t due_ms, seq;
	unsigned long gen;
	size_t msg_index;
	char sid[SID_LEN + 1];
	char status[16];
	int error_code;
	char *url; /* NULL: no HTTP, only the stored status moves */
	char *to, *from;
};

struct carrier;

struct cb_worker {
	struct carrier *c;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct cb_event **heap;
	size_t n, cap;
	int stop;
	CURL *curl;
};

struct carrier {
	/* settings */
	unsigned port;
	char account_sid[128];
	char auth_token[256];
	size_t max_body;
	long default_cb_delay_ms;
	long cb_retries, cb_timeout_ms;
	size_t max_records;
	char inbound_url[2048];  /* smsdesk's /webhooks/twilio/sms, or "" */
	long inbound_retries;
	long big_bytes;          /* the "big" image's default size */

	/* the store: everything below up to the workers is under lock */
	pthread_mutex_t lock;
	unsigned long gen; /* bumped by reset: stale callbacks then change nothing */
	struct message **msgs;
	size_t nmsgs, capmsgs;
	json_t *requests, *callbacks, *sink;
	size_t requests_dropped, callbacks_dropped, sink_dropped;
	json_t *media_log;   /* every media request: path, host, had_auth */
	json_t *flaky;       /* media sid -> failures served so far */
	json_t *inbound;     /* every inbound message sent to smsdesk */
	size_t media_dropped, inbound_dropped;
	unsigned long callbacks_ok, callbacks_failed;
	struct fault faults[MAX_FAULTS];
	size_t nfaults;
	char cb_mode[16];
	long cb_delay_ms;

	struct cb_worker *workers;
	size_t nworkers;
	atomic_long cb_pending;
	atomic_ullong cb_seq;

	/* shutdown: wakes "delay" faults that sleep */
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	int stopping;
};

static int cond_init_monotonic(pthread_cond_t *cond)
{
	pthread_condattr_t a;
	int rc;
	if (pthread_condattr_init(&a) != 0)
		return -1;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(cond, &a);
	(void)pthread_condattr_destroy(&a);
	return rc == 0 ? 0 : -1;
}

static struct timespec deadline_in(uint64_t ms)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		ts.tv_sec = ts.tv_nsec = 0;
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Sleeps ms unless the program is stopping; returns -1 if it is. */
static int sleep_unless_stopping(struct carrier *c, long ms)
{
	struct timespec until = deadline_in((uint64_t)ms);
	int stopping;
	pthread_mutex_lock(&c->stop_lock);
	while (!c->stopping &&
	       pthread_cond_timedwait(&c->stop_cond, &c->stop_lock, &until) != ETIMEDOUT)
		;
	stopping = c->stopping;
	pthread_mutex_unlock(&c->stop_lock);
	return stopping ? -1 : 0;
}

static void message_free(struct message *m)
{
	if (!m)
		return;
	free(m->to);
	free(m->from);
	free(m->body);
	free(m->status_callback);
	free(m);
}

/* Appends to one of the logs, up to max_records. Caller holds c->lock. */
static void log_append(struct carrier *c, json_t *log, size_t *dropped, json_t *entry)
{
	if (!entry)
		return;
	if (json_array_size(log) >= c->max_records || json_array_append_new(log, entry) != 0) {
		if (json_array_size(log) >= c->max_records)
			json_decref(entry);
		(*dropped)++;
	}
}

static json_t *message_json(const struct carrier *c, const struct message *m)
{
	char created[40], updated[40], uri[256], media[272], num[16];
	json_t *o = json_object(), *sub = json_object();
	int e = 0;
	if (!o || !sub) {
		json_decref(o);
		json_decref(sub);
		return NULL;
	}
	rfc2822(m->created, created);
	rfc2822(m->updated, updated);
	snprintf(uri, sizeof uri, API_PREFIX "%s/Messages/%s.json", c->account_sid, m->sid);
	snprintf(media, sizeof media, API_PREFIX "%s/Messages/%s/Media.json", c->account_sid, m->sid);
	e |= jstr(o, "sid", m->sid);
	e |= jstr(o, "account_sid", c->account_sid);
	e |= jstr(o, "api_version", API_VERSION);
	e |= jstr(o, "to", m->to);
	e |= jstr(o, "from", m->from);
	e |= jstr(o, "messaging_service_sid", NULL);
	e |= jstr(o, "body", m->body);
	e |= jstr(o, "status", m->status);
	snprintf(num, sizeof num, "%u", m->segments);
	e |= jstr(o, "num_segments", num);
	snprintf(num, sizeof num, "%u", m->num_media);
	e |= jstr(o, "num_media", num);
	e |= jstr(o, "direction", "outbound-api");
	e |= jstr(o, "date_created", created);
	e |= jstr(o, "date_sent", created);
	e |= jstr(o, "date_updated", updated);
	e |= jstr(o, "price", NULL);
	e |= jstr(o, "price_unit", "USD");
	e |= jset(o, "error_code", m->error_code ? json_integer(m->error_code) : json_null());
	e |= jstr(o, "error_message", NULL);
	e |= jstr(o, "uri", uri);
	e |= jstr(sub, "media", media);
	e |= jset(o, "subresource_uris", sub);
	if (e) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- status callbacks ------------------------------------------------------- */

static void cb_event_free(struct cb_event *ev)
{
	if (!ev)
		return;
	free(ev->url);
	free(ev->to);
	free(ev->from);
	free(ev);
}

static int ev_before(const struct cb_event *a, const struct cb_event *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

/* Caller holds w->lock. */
static int heap_push(struct cb_worker *w, struct cb_event *ev)
{
	size_t i;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct cb_event **h = realloc(w->heap, cap * sizeof *h);
		if (!h)
			return -1;
		w->heap = h;
		w->cap = cap;
	}
	i = w->n++;
	w->heap[i] = ev;
	while (i > 0 && ev_before(w->heap[i], w->heap[(i - 1) / 2])) {
		struct cb_event *t = w->heap[i];
		w->heap[i] = w->heap[(i - 1) / 2];
		w->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return 0;
}

static struct cb_event *heap_pop(struct cb_worker *w)
{
	struct cb_event *top = w->heap[0];
	size_t i = 0;
	w->heap[0] = w->heap[--w->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < w->n && ev_before(w->heap[l], w->heap[m])) m = l;
		if (r < w->n && ev_before(w->heap[r], w->heap[m])) m = r;
		if (m == i)
			break;
		struct cb_event *t = w->heap[i];
		w->heap[i] = w->heap[m];
		w->heap[m] = t;
		i = m;
	}
	return top;
}

struct param {
	const char *name;
	const char *value;
};

static int param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	return r ? r : strcmp(x->value, y->value);
}

/* Twilio's X-Twilio-Signature: base64(HMAC-SHA1(token, url + the POST
 * parameters sorted by name, each name followed by its value)). Sorts p. */
static int twilio_sign(const char *token, const char *url, struct param *p, size_t n,
		       char out[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct buf b = {0};
	qsort(p, n, sizeof *p, param_cmp);
	buf_puts(&b, url);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, p[i].name);
		buf_puts(&b, p[i].value);
	}
	if (b.oom || !b.p ||
	    !HMAC(EVP_sha1(), token, (int)strlen(token), (const unsigned char *)b.p, b.len, md, &mdlen)) {
		free(b.p);
		return -1;
	}
	free(b.p);
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
	return 0;
}

static size_t discard_body(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

/* Moves the stored message on, unless a reset forgot it meanwhile. */
static void store_set_status(struct carrier *c, const struct cb_event *ev)
{
	pthread_mutex_lock(&c->lock);
	if (ev->gen == c->gen && ev->msg_index < c->nmsgs) {
		struct message *m = c->msgs[ev->msg_index];
		snprintf(m->status, sizeof m->status, "%s", ev->status);
		m->error_code = ev->error_code;
		m->updated = time(NULL);
	}
	pthread_mutex_unlock(&c->lock);
}

/* Waits ms on the worker's queue, or less if it is stopping. */
static void worker_pause(struct cb_worker *w, long ms)
{
	struct timespec until = deadline_in((uint64_t)ms);
	pthread_mutex_lock(&w->lock);
	while (!w->stop && pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&w->lock);
}

static void cb_deliver(struct cb_worker *w, struct cb_event *ev)
{
	struct carrier *c = w->c;
	char err_code[16], sig[64], when[64], errbuf[CURL_ERROR_SIZE];
	struct param p[9];
	size_t n = 0;
	struct buf body = {0};
	struct curl_slist *hdrs = NULL;
	long http = 0, attempts = 0;
	CURLcode rc = CURLE_OK;
	int ok = 0;
	json_t *entry, *params;
	struct buf sigh = {0};

	store_set_status(c, ev);
	if (!ev->url)
		return;

	p[n++] = (struct param){"MessageSid", ev->sid};
	p[n++] = (struct param){"SmsSid", ev->sid};
	p[n++] = (struct param){"AccountSid", c->account_sid};
	p[n++] = (struct param){"From", ev->from};
	p[n++] = (struct param){"To", ev->to};
	p[n++] = (struct param){"MessageStatus", ev->status};
	p[n++] = (struct param){"SmsStatus", ev->status};
	p[n++] = (struct param){"ApiVersion", API_VERSION};
	if (ev->error_code) {
		snprintf(err_code, sizeof err_code, "%d", ev->error_code);
		p[n++] = (struct param){"ErrorCode", err_code};
	}
	if (twilio_sign(c->auth_token, ev->url, p, n, sig) != 0) {
		fprintf(stderr, "fakecarrier: cannot sign a callback for %s\n", ev->sid);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *v = curl_easy_escape(w->curl, p[i].value, 0);
		if (!v) {
			body.oom = 1;
			break;
		}
		if (i)
			buf_puts(&body, "&");
		buf_puts(&body, p[i].name);
		buf_puts(&body, "=");
		buf_puts(&body, v);
		curl_free(v);
	}
	buf_puts(&sigh, "X-Twilio-Signature: ");
	buf_puts(&sigh, sig);
	if (body.oom || sigh.oom) {
		fprintf(stderr, "fakecarrier: out of memory for a callback\n");
		goto out;
	}
	const char *lines[] = {"Content-Type: application/x-www-form-urlencoded", sigh.p, "Expect:"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct curl_slist *h = curl_slist_append(hdrs, lines[i]);
		if (!h) { /* the list so far stays valid and is freed below */
			fprintf(stderr, "fakecarrier: out of memory for a callback\n");
			goto out;
		}
		hdrs = h;
	}

	for (;;) {
		errbuf[0] = '\0';
		attempts++;
		if (curl_easy_setopt(w->curl, CURLOPT_URL, ev->url) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, body.p) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE, (long)body.len) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		rc = curl_easy_perform(w->curl);
		http = 0;
		if (rc == CURLE_OK &&
		    curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &http) != CURLE_OK)
			http = 0;
		ok = rc == CURLE_OK && http >= 200 && http < 300;
		if (ok || attempts > c->cb_retries || (rc == CURLE_OK && http < 500 && http != 429))
			break;
		worker_pause(w, 100L << (attempts - 1));
		pthread_mutex_lock(&w->lock);
		int stop = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
	}
	(void)curl_easy_setopt(w->curl, CURLOPT_ERRORBUFFER, NULL);
	(void)curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, NULL);
	if (!ok)
		fprintf(stderr, "fakecarrier: callback %s %s to %s failed: %s (HTTP %ld, %ld attempts)\n",
			ev->sid, ev->status, ev->url,
			rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc)) : "bad status",
			http, attempts);

	iso_now(when);
	entry = json_object();
	params = json_object();
	if (entry && params) {
		int e = 0;
		for (size_t i = 0; i < n; i++)
			e |= jstr(params, p[i].name, p[i].value);
		e |= jstr(entry, "url", ev->url);
		e |= jset(entry, "params", params);
		params = NULL;
		e |= jstr(entry, "signature", sig);
		e |= jset(entry, "status", http ? json_integer(http) : json_null());
		e |= jset(entry, "ok", json_boolean(ok));
		e |= jset(entry, "attempts", json_integer(attempts));
		e |= jstr(entry, "error", rc != CURLE_OK ? curl_easy_strerror(rc) : NULL);
		e |= jstr(entry, "time", when);
		if (e) {
			json_decref(entry);
			entry = NULL;
		}
	} else {
		json_decref(entry);
		entry = NULL;
	}
	json_decref(params);
	pthread_mutex_lock(&c->lock);
	if (ok)
		c->callbacks_ok++;
	else
		c->callbacks_failed++;
	if (ev->gen == c->gen)
		log_append(c, c->callbacks, &c->callbacks_dropped, entry);
	else
		json_decref(entry);
	pthread_mutex_unlock(&c->lock);
out:
	curl_slist_free_all(hdrs);
	free(body.p);
	free(sigh.p);
}

static void *cb_worker_main(void *arg)
{
	struct cb_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		if (w->n == 0) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		uint64_t now = now_ms();
		if (w->heap[0]->due_ms > now) {
			struct timespec until = deadline_in(w->heap[0]->due_ms - now);
			(void)pthread_cond_timedwait(&w->cond, &w->lock, &until);
			continue;
		}
		struct cb_event *ev = heap_pop(w);
		pthread_mutex_unlock(&w->lock);
		cb_deliver(w, ev);
		cb_event_free(ev);
		atomic_fetch_sub(&w->c->cb_pending, 1);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Drops the callbacks not sent yet. */
static void workers_clear(struct carrier *c)
{
	for (size_t i = 0; i < c->nworkers; i++) {
		struct cb_worker *w = &c->workers[i];
		pthread_mutex_lock(&w->lock);
		while (w->n) {
			cb_event_free(w->heap[--w->n]);
			atomic_fetch_sub(&c->cb_pending, 1);
		}
		pthread_mutex_unlock(&w->lock);
	}
}

static int workers_start(struct carrier *c, size_t n)
{
	c->workers = calloc(n, sizeof *c->workers);
	if (!c->workers)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct cb_worker *w = &c->workers[i];
		w->c = c;
		w->curl = curl_easy_init();
		if (!w->curl || pthread_mutex_init(&w->lock, NULL) != 0 ||
		    cond_init_monotonic(&w->cond) != 0)
			return -1;
		if (curl_easy_setopt(w->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_TIMEOUT_MS, c->cb_timeout_ms) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_CONNECTTIMEOUT_MS, c->cb_timeout_ms) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_USERAGENT, "TwilioProxy/1.1 (smsdesk fakecarrier)") != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, discard_body) != CURLE_OK ||
		    curl_easy_setopt(w->curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK)
			return -1;
		if (pthread_create(&w->thread, NULL, cb_worker_main, w) != 0) {
			curl_easy_cleanup(w->curl);
			w->curl = NULL;
			return -1;
		}
		c->nworkers++;
	}
	return 0;
}

static void workers_stop(struct carrier *c)
{
	for (size_t i = 0; i < c->nworkers; i++) {
		struct cb_worker *w = &c->workers[i];
		pthread_mutex_lock(&w->lock);
		w->stop = 1;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	for (size_t i = 0; i < c->nworkers; i++)
		(void)pthread_join(c->workers[i].thread, NULL);
	workers_clear(c);
	for (size_t i = 0; i < c->nworkers; i++) {
		free(c->workers[i].heap);
		curl_easy_cleanup(c->workers[i].curl);
		pthread_mutex_destroy(&c->workers[i].lock);
		pthread_cond_destroy(&c->workers[i].cond);
	}
	free(c->workers);
	c->workers = NULL;
	c->nworkers = 0;
}

/* Queues the message's status changes: queued at once, then each next one
 * delay later (Twilio sends "queued" only after answering the create). */
static void callbacks_schedule(struct carrier *c, size_t idx, unsigned long gen)
{
	static const char *const normal[] = {"queued", "sent", "delivered"};
	static const char *const failing[] = {"queued", "sent", "undelivered"};
	const char *const *steps = normal;
	struct cb_event *ev[3] = {0};
	struct cb_worker *w;
	uint64_t t0 = now_ms();
	long delay;
	int with_http;
	size_t shard = 0;

	pthread_mutex_lock(&c->lock);
	if (gen != c->gen || idx >= c->nmsgs) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	struct message *m = c->msgs[idx];
	if (strcmp(m->cb_mode, "fail_at_sent") == 0)
		steps = failing;
	with_http = m->status_callback && strcmp(m->cb_mode, "none") != 0;
	delay = m->cb_delay_ms;
	for (int i = 0; i < 3; i++) {
		ev[i] = calloc(1, sizeof *ev[i]);
		if (!ev[i])
			break;
		ev[i]->due_ms = t0 + (uint64_t)delay * (uint64_t)i;
		ev[i]->seq = atomic_fetch_add(&c->cb_seq, 1);
		ev[i]->gen = gen;
		ev[i]->msg_index = idx;
		memcpy(ev[i]->sid, m->sid, sizeof ev[i]->sid);
		snprintf(ev[i]->status, sizeof ev[i]->status, "%s", steps[i]);
		ev[i]->error_code = steps == failing && i == 2 ? 30003 : 0;
		ev[i]->to = strdup(m->to);
		ev[i]->from = strdup(m->from);
		ev[i]->url = with_http ? strdup(m->status_callback) : NULL;
		if (!ev[i]->to || !ev[i]->from || (with_http && !ev[i]->url)) {
			cb_event_free(ev[i]);
			ev[i] = NULL;
			break;
		}
	}
	for (size_t i = 0; i < SID_LEN; i++)
		shard = shard * 31 + (unsigned char)m->sid[i];
	pthread_mutex_unlock(&c->lock);

	if (!ev[0] || !ev[1] || !ev[2]) {
		fprintf(stderr, "fakecarrier: out of memory scheduling callbacks\n");
		for (int i = 0; i < 3; i++)
			cb_event_free(ev[i]);
		return;
	}
	w = &c->workers[shard % c->nworkers];
	pthread_mutex_lock(&w->lock);
	for (int i = 0; i < 3; i++) {
		if (heap_push(w, ev[i]) != 0) {
			fprintf(stderr, "fakecarrier: out of memory queueing a callback\n");
			cb_event_free(ev[i]);
			continue;
		}
		atomic_fetch_add(&c->cb_pending, 1);
	}
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* ---- requests ------------------------------------------------------------------ */

struct request {
	struct carrier *c;
	char method[16];
	char *path;
	uint64_t started;
	char *body;
	size_t len, cap;
	int too_large;
	int answered; /* HTTP status sent, 0 none */
	const char *note; /* for the log line, e.g. the fault */
	struct form form;
	int form_read;
	int schedule; /* schedule callbacks for sched_idx once answered */
	size_t sched_idx;
	unsigned long sched_gen;
	/* the API request's record */
	int auth_ok;
	char *auth_user;
};

static void request_free(struct request *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->body);
	free(r->auth_user);
	form_free(&r->form);
	free(r);
}

/* Queues a response that takes ownership of data (malloc'ed, or NULL). */
static enum MHD_Result reply(struct request *r, struct MHD_Connection *conn, int status,
			     const char *ctype, char *data, size_t len,
			     const char *hname, const char *hvalue)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	resp = MHD_create_response_from_buffer(len, data, data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	if ((ctype && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype) != MHD_YES) ||
	    (hname && MHD_add_response_header(resp, hname, hvalue) != MHD_YES) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES)
		r->answered = status;
	return ret;
}

static enum MHD_Result reply_text(struct request *r, struct MHD_Connection *conn, int status,
				  const char *text)
{
	char *d = strdup(text);
	if (!d)
		return MHD_NO;
	return reply(r, conn, status, "text/plain; charset=utf-8", d, strlen(d), NULL, NULL);
}

/* Sends j (and drops the reference). */
static enum MHD_Result reply_json(struct request *r, struct MHD_Connection *conn, int status,
				  json_t *j, const char *hname, const char *hvalue)
{
	char *d;
	if (!j)
		return reply_text(r, conn, 500, "out of memory\n");
	d = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (!d)
		return reply_text(r, conn, 500, "out of memory\n");
	return reply(r, conn, status, "application/json", d, strlen(d), hname, hvalue);
}

/* Dumps a shared log under the lock. */
static enum MHD_Result reply_log(struct request *r, struct MHD_Connection *conn, json_t *log)
{
	char *d;
	pthread_mutex_lock(&r->c->lock);
	d = json_dumps(log, JSON_COMPACT);
	pthread_mutex_unlock(&r->c->lock);
	if (!d)
		return reply_text(r, conn, 500, "out of memory\n");
	return reply(r, conn, 200, "application/json", d, strlen(d), NULL, NULL);
}

/* Twilio's error body; message may quote the client's bytes. */
static json_t *twilio_error_json(int status, int code, const char *message)
{
	char more[64];
	json_t *o = json_object();
	int e = 0;
	if (!o)
		return NULL;
	snprintf(more, sizeof more, "https://www.twilio.com/docs/errors/%d", code);
	e |= jset(o, "code", json_integer(code));
	e |= jset(o, "message", json_text(message, strlen(message)));
	e |= jstr(o, "more_info", more);
	e |= jset(o, "status", json_integer(status));
	if (e) {
		json_decref(o);
		return NULL;
	}
	return o;
}

struct query_cb {
	json_t *obj;
	int err;
};

static enum MHD_Result query_collect(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct query_cb *q = cls;
	(void)kind;
	if (!key)
		return MHD_YES;
	if (!value)
		value = "";
	if (jset(q->obj, key, json_text(value, strlen(value))) != 0)
		q->err = 1;
	return MHD_YES;
}

static json_t *query_json(struct MHD_Connection *conn)
{
	struct query_cb q = {json_object(), 0};
	if (!q.obj)
		return NULL;
	(void)MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_collect, &q);
	if (q.err) {
		json_decref(q.obj);
		return NULL;
	}
	return q.obj;
}

/* One entry of /_fake/requests. */
static void record_request(struct request *r, struct MHD_Connection *conn, int status,
			   const char *fault)
{
	struct carrier *c = r->c;
	char when[64];
	json_t *e = json_object();
	int err = 0;
	iso_now(when);
	if (!e)
		return;
	err |= jstr(e, "method", r->method);
	err |= jset(e, "path", json_text(r->path, strlen(r->path)));
	err |= jset(e, "query", query_json(conn));
	err |= jset(e, "params", form_json(&r->form));
	err |= jset(e, "auth_ok", json_boolean(r->auth_ok));
	err |= jset(e, "auth_user", r->auth_user ? json_text(r->auth_user, strlen(r->auth_user)) : json_null());
	err |= jstr(e, "time", when);
	err |= jset(e, "status", status ? json_integer(status) : json_null());
	err |= jstr(e, "fault", fault);
	if (err) {
		json_decref(e);
		fprintf(stderr, "fakecarrier: out of memory recording a request\n");
		return;
	}
	pthread_mutex_lock(&c->lock);
	log_append(c, c->requests, &c->requests_dropped, e);
	pthread_mutex_unlock(&c->lock);
}

/* Every answer of the Twilio API goes through here, so it is recorded. */
static enum MHD_Result api_reply(struct request *r, struct MHD_Connection *conn, int status,
				 json_t *j, const char *hname, const char *hvalue, const char *fault)
{
	record_request(r, conn, status, fault);
	if (fault)
		r->note = fault;
	return reply_json(r, conn, status, j, hname, hvalue);
}

static enum MHD_Result api_error(struct request *r, struct MHD_Connection *conn, int status,
				 int code, const char *message)
{
	return api_reply(r, conn, status, twilio_error_json(status, code, message), NULL, NULL, NULL);
}

/* Basic auth against the account; remembers the user name for the log. */
static int check_auth(struct request *r, struct MHD_Connection *conn)
{
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	unsigned char *dec;
	size_t n, pad = 0;
	int len;
	char *colon;
	if (!h || strncasecmp(h, "Basic ", 6) != 0)
		return 0;
	h += 6;
	while (*h == ' ')
		h++;
	n = strlen(h);
	if (n == 0 || n % 4 != 0 || n > 4096)
		return 0;
	dec = malloc(n / 4 * 3 + 1);
	if (!dec)
		return 0;
	len = EVP_DecodeBlock(dec, (const unsigned char *)h, (int)n);
	if (len < 0) {
		free(dec);
		return 0;
	}
	if (h[n - 1] == '=') pad++;
	if (h[n - 2] == '=') pad++;
	if (len < (int)pad) {
		free(dec);
		return 0;
	}
	len -= (int)pad;
	dec[len] = '\0';
	if (strlen((char *)dec) != (size_t)len || !(colon = strchr((char *)dec, ':'))) {
		free(dec);
		return 0;
	}
	*colon = '\0';
	free(r->auth_user);
	r->auth_user = strdup((char *)dec); /* for the log; NULL there if out of memory */
	const char *pw = colon + 1;
	size_t ul = strlen((char *)dec), pl = strlen(pw);
	int ok = ul == strlen(r->c->account_sid) && pl == strlen(r->c->auth_token) &&
		 CRYPTO_memcmp(dec, r->c->account_sid, ul) == 0 &&
		 CRYPTO_memcmp(pw, r->c->auth_token, pl) == 0;
	OPENSSL_cleanse(dec, (size_t)len);
	free(dec);
	return ok;
}

static int is_e164(const char *s)
{
	size_t n = 0;
	if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return 0;
	for (s++; *s; s++, n++)
		if (*s < '0' || *s > '9')
			return 0;
	return n >= 2 && n <= 15;
}

static int is_callback_url(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return 0;
	if (strlen(s) > 2048 || strlen(s) < 9)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Takes the next create fault, if any: returns 1 and fills *f. */
static int fault_take(struct carrier *c, struct fault *f)
{
	int got = 0;
	pthread_mutex_lock(&c->lock);
	if (c->nfaults) {
		*f = c->faults[0];
		got = 1;
		if (--c->faults[0].count == 0) {
			memmove(c->faults, c->faults + 1, (c->nfaults - 1) * sizeof c->faults[0]);
			c->nfaults--;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return got;
}

/* "SM" + 32 random hex digits, like Twilio's message SIDs. */
static int random_sid(char out[SID_LEN + 1])
{
	unsigned char raw[16];
	if (RAND_bytes(raw, sizeof raw) != 1)
		return -1;
	out[0] = 'S';
	out[1] = 'M';
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* A value that is text: UTF-8, no NUL. */
static int form_text_ok(const struct form *f, const char *name)
{
	const struct kv *kv = form_kv(f, name);
	return !kv || (strlen(kv->value) == kv->value_len && utf8_valid(kv->value, kv->value_len));
}

static enum MHD_Result api_create(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	struct fault f;
	int faulty = fault_take(c, &f);
	const char *to, *from, *body, *cb, *fault_name = NULL;
	struct message *m;
	unsigned chars = 0;
	char text[400];
	json_t *j;
	size_t idx;
	unsigned long gen;

	if (faulty) {
		fault_name = f.name;
		switch (f.kind) {
		case FAULT_SERVER:
			return api_reply(r, conn, f.http_status,
					 twilio_error_json(f.http_status, 20500, "An internal server error has occurred"),
					 NULL, NULL, fault_name);
		case FAULT_429: {
			char ra[24];
			snprintf(ra, sizeof ra, "%ld", f.retry_after);
			return api_reply(r, conn, 429, twilio_error_json(429, 20429, "Too Many Requests"),
					 f.retry_after >= 0 ? MHD_HTTP_HEADER_RETRY_AFTER : NULL, ra, fault_name);
		}
		case FAULT_4XX:
			return api_reply(r, conn, f.http_status,
					 twilio_error_json(f.http_status, f.code, f.message), NULL, NULL, fault_name);
		case FAULT_DROP:
			record_request(r, conn, 0, fault_name);
			r->note = "drop";
			return MHD_NO; /* closes the connection without an answer */
		case FAULT_DELAY:
			break;
		}
	}

	if (form_get(&r->form, "MessagingServiceSid"))
		return api_error(r, conn, 400, 21703,
				 "The fake carrier sends from a From number only, not a Messaging Service");
	if (!form_text_ok(&r->form, "To") || !form_text_ok(&r->form, "From") ||
	    !form_text_ok(&r->form, "Body") || !form_text_ok(&r->form, "StatusCallback"))
		return api_error(r, conn, 400, 21602, "Message body is not valid UTF-8 text");
	to = form_get(&r->form, "To");
	from = form_get(&r->form, "From");
	body = form_get(&r->form, "Body");
	cb = form_get(&r->form, "StatusCallback");
	if (!to || !*to)
		return api_error(r, conn, 400, 21604, "A 'To' phone number is required.");
	if (!is_e164(to)) {
		snprintf(text, sizeof text, "The 'To' number %.40s is not a valid phone number.", to);
		return api_error(r, conn, 400, 21211, text);
	}
	if (!from || !*from)
		return api_error(r, conn, 400, 21603, "A 'From' phone number is required.");
	if (!is_e164(from)) {
		snprintf(text, sizeof text,
			 "The 'From' number %.40s is not a valid phone number, shortcode, or alphanumeric sender ID.",
			 from);
		return api_error(r, conn, 400, 21212, text);
	}
	if ((!body || !*body) && form_count(&r->form, "MediaUrl") == 0)
		return api_error(r, conn, 400, 21602, "Message body is required.");
	if (cb && *cb && !is_callback_url(cb))
		return api_error(r, conn, 400, 21609, "The StatusCallback URL is not a valid URL.");

	m = calloc(1, sizeof *m);
	if (!m)
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	m->to = strdup(to);
	m->from = strdup(from);
	m->body = strdup(body ? body : "");
	m->status_callback = cb && *cb ? strdup(cb) : NULL;
	if (random_sid(m->sid) != 0 || !m->to || !m->from || !m->body || (cb && *cb && !m->status_callback)) {
		message_free(m);
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	}
	sms_measure(m->body, &chars, &m->segments);
	if (chars > BODY_MAX_CHARS) {
		message_free(m);
		return api_error(r, conn, 400, 21617,
				 "The concatenated message body exceeds the 1600 character limit.");
	}
	m->num_media = (unsigned)form_count(&r->form, "MediaUrl");
	snprintf(m->status, sizeof m->status, "queued");
	m->created = m->updated = time(NULL);

	pthread_mutex_lock(&c->lock);
	snprintf(m->cb_mode, sizeof m->cb_mode, "%s", c->cb_mode);
	m->cb_delay_ms = c->cb_delay_ms;
	if (c->nmsgs == c->capmsgs) {
		size_t cap = c->capmsgs ? c->capmsgs * 2 : 256;
		struct message **v = realloc(c->msgs, cap * sizeof *v);
		if (!v) {
			pthread_mutex_unlock(&c->lock);
			message_free(m);
			return api_error(r, conn, 500, 20500, "An internal server error has occurred");
		}
		c->msgs = v;
		c->capmsgs = cap;
	}
	idx = c->nmsgs;
	c->msgs[c->nmsgs++] = m;
	gen = c->gen;
	j = message_json(c, m);
	pthread_mutex_unlock(&c->lock);

	if (faulty && f.kind == FAULT_DELAY) {
		/* accepted, but the answer comes too late: the carrier goes on
		 * with the message whether or not the client is still there */
		record_request(r, conn, 201, fault_name);
		r->note = fault_name;
		callbacks_schedule(c, idx, gen);
		(void)sleep_unless_stopping(c, f.delay_ms);
		return reply_json(r, conn, 201, j, NULL, NULL);
	}
	r->schedule = 1;
	r->sched_idx = idx;
	r->sched_gen = gen;
	return api_reply(r, conn, 201, j, NULL, NULL, NULL);
}

/* Day bounds: "YYYY-MM-DD" is the whole day; "YYYY-MM-DDTHH:MM:SSZ" a moment. */
static int parse_date(const char *s, time_t *from, time_t *to)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	size_t len = strlen(s);
	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
			return -1;
	} else if (len == 20 && s[10] == 'T' && s[19] == 'Z') {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 20)
			return -1;
	} else {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*from = timegm(&tm);
	if (*from == (time_t)-1)
		return -1;
	*to = len == 10 ? *from + 86399 : *from;
	return 0;
}

/* MHD leaves a raw '+' in a query as it is, but a client that encodes
 * form-style turns it into a space: both mean the E.164 plus. */
static void plus_fix(char *s)
{
	if (s && s[0] == ' ')
		s[0] = '+';
}

static enum MHD_Result api_list(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	const char *v;
	char *to = NULL, *from = NULL;
	time_t lo = 0, hi = (time_t)INT64_MAX, a, b;
	long page_size = 50, page = 0;
	json_t *out, *list;
	char base[600], uri[700], next[700], first[700], prev[700];
	size_t skip, matched = 0, shown = 0;
	int more = 0, e = 0;
	enum MHD_Result ret;

	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "PageSize")) &&
	    parse_long(v, 1, 1000, &page_size) != 0)
		return api_error(r, conn, 400, 20001, "PageSize must be between 1 and 1000");
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "Page")) &&
	    parse_long(v, 0, 1000000, &page) != 0)
		return api_error(r, conn, 400, 20001, "Page must be a whole number");
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "DateSent"))) {
		if (parse_date(v, &a, &b) != 0)
			return api_error(r, conn, 400, 20001, "DateSent must be YYYY-MM-DD");
		lo = a > lo ? a : lo;
		hi = b < hi ? b : hi;
	}
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "DateSent>"))) {
		if (parse_date(v, &a, &b) != 0)
			return api_error(r, conn, 400, 20001, "DateSent> must be YYYY-MM-DD");
		lo = a > lo ? a : lo;
	}
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "DateSent<"))) {
		if (parse_date(v, &a, &b) != 0)
			return api_error(r, conn, 400, 20001, "DateSent< must be YYYY-MM-DD");
		hi = b < hi ? b : hi;
	}
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "To")) && !(to = strdup(v)))
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "From")) && !(from = strdup(v))) {
		free(to);
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	}
	plus_fix(to);
	plus_fix(from);

	out = json_object();
	list = json_array();
	if (!out || !list) {
		json_decref(out);
		json_decref(list);
		free(to);
		free(from);
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	}
	skip = (size_t)page * (size_t)page_size;
	pthread_mutex_lock(&c->lock);
	for (size_t i = c->nmsgs; i-- > 0;) { /* newest first, as Twilio lists */
		const struct message *m = c->msgs[i];
		if ((to && strcmp(m->to, to) != 0) || (from && strcmp(m->from, from) != 0) ||
		    m->created < lo || m->created > hi)
			continue;
		if (matched++ < skip)
			continue;
		if (shown == (size_t)page_size) {
			more = 1;
			break;
		}
		if (json_array_append_new(list, message_json(c, m)) != 0)
			e = 1;
		shown++;
	}
	pthread_mutex_unlock(&c->lock);

	snprintf(base, sizeof base, API_PREFIX "%s/Messages.json", c->account_sid);
	snprintf(uri, sizeof uri, "%s?PageSize=%ld&Page=%ld", base, page_size, page);
	snprintf(first, sizeof first, "%s?PageSize=%ld&Page=0", base, page_size);
	snprintf(next, sizeof next, "%s?PageSize=%ld&Page=%ld", base, page_size, page + 1);
	snprintf(prev, sizeof prev, "%s?PageSize=%ld&Page=%ld", base, page_size, page - 1);
	e |= jset(out, "messages", list);
	e |= jset(out, "page", json_integer(page));
	e |= jset(out, "page_size", json_integer(page_size));
	e |= jset(out, "start", json_integer((json_int_t)skip));
	e |= jset(out, "end", json_integer((json_int_t)(shown ? skip + shown - 1 : skip)));
	e |= jstr(out, "uri", uri);
	e |= jstr(out, "first_page_uri", first);
	e |= jstr(out, "next_page_uri", more ? next : NULL);
	e |= jstr(out, "previous_page_uri", page > 0 ? prev : NULL);
	free(to);
	free(from);
	if (e) {
		json_decref(out);
		return api_error(r, conn, 500, 20500, "An internal server error has occurred");
	}
	ret = api_reply(r, conn, 200, out, NULL, NULL, NULL);
	return ret;
}

static enum MHD_Result api_fetch(struct request *r, struct MHD_Connection *conn, const char *sid)
{
	struct carrier *c = r->c;
	json_t *j = NULL;
	char text[160];
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->nmsgs && strlen(sid) == SID_LEN; i++)
		if (strcmp(c->msgs[i]->sid, sid) == 0) {
			j = message_json(c, c->msgs[i]);
			if (!j) {
				pthread_mutex_unlock(&c->lock);
				return api_error(r, conn, 500, 20500, "An internal server error has occurred");
			}
			break;
		}
	pthread_mutex_unlock(&c->lock);
	if (!j) {
		snprintf(text, sizeof text, "The requested resource %.100s was not found", r->path);
		return api_error(r, conn, 404, 20404, text);
	}
	return api_reply(r, conn, 200, j, NULL, NULL, NULL);
}

static int has_form_body(struct MHD_Connection *conn)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	return !ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

/* Parses the body as a form, once; -1 when it is not one. */
static int read_form(struct request *r)
{
	int rc;
	if (r->form_read)
		return r->form_read > 0 ? 0 : -1;
	rc = r->len ? form_parse(&r->form, r->body, r->len) : 0;
	if (rc != 0)
		form_free(&r->form);
	r->form_read = rc == 0 ? 1 : -1;
	return rc;
}

/* ---- media the carrier serves ----------------------------------------------------- */

/* The sample image: a valid 8x8 PNG (an uncompressed deflate block keeps it
 * free of zlib), made once at start-up. */
static unsigned char sample_png[512];
static size_t sample_png_len;

static uint32_t crc32_bytes(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t png_chunk(unsigned char *out, const char *type, const unsigned char *data, size_t n)
{
	put32(out, (uint32_t)n);
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, data, n);
	put32(out + 8 + n, crc32_bytes(out + 4, n + 4));
	return 12 + n;
}

static void sample_png_make(void)
{
	enum { W = 8, H = 8, ROW = 1 + 3 * W, RAW = H * ROW };
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	unsigned char raw[RAW], z[2 + 5 + RAW + 4], ihdr[13] = {0};
	uint32_t a = 1, b = 0;
	size_t o = 0;
	for (int y = 0; y < H; y++) {
		raw[y * ROW] = 0; /* filter: none */
		for (int x = 0; x < W; x++) {
			unsigned char *px = raw + y * ROW + 1 + 3 * x;
			int blue = (x / 2 + y / 2) % 2;
			px[0] = blue ? 0x1a : 0xff;
			px[1] = blue ? 0x73 : 0xff;
			px[2] = blue ? 0xe8 : 0xff;
		}
	}
	for (size_t i = 0; i < RAW; i++) {
		a = (a + raw[i]) % 65521u;
		b = (b + a) % 65521u;
	}
	z[0] = 0x78; /* deflate, 32K window; (0x78 * 256 + 0x01) % 31 == 0 */
	z[1] = 0x01;
	z[2] = 0x01; /* the final block, stored */
	z[3] = RAW & 0xff;
	z[4] = RAW >> 8;
	z[5] = (unsigned char)(~RAW & 0xff);
	z[6] = (unsigned char)((~RAW >> 8) & 0xff);
	memcpy(z + 7, raw, RAW);
	put32(z + 7 + RAW, (b << 16) | a);
	put32(ihdr, W);
	put32(ihdr + 4, H);
	ihdr[8] = 8; /* bits per sample */
	ihdr[9] = 2; /* truecolour */
	memcpy(sample_png, sig, sizeof sig);
	o = sizeof sig;
	o += png_chunk(sample_png + o, "IHDR", ihdr, sizeof ihdr);
	o += png_chunk(sample_png + o, "IDAT", z, sizeof z);
	o += png_chunk(sample_png + o, "IEND", NULL, 0);
	sample_png_len = o;
}

/* One entry of /_fake/media-requests: was an Authorization header sent? */
static void media_record(struct request *r, struct MHD_Connection *conn, const char *kind,
			 int status)
{
	struct carrier *c = r->c;
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char when[64];
	json_t *e = json_object();
	int err = !e;
	iso_now(when);
	err |= jset(e, "path", json_text(r->path, strlen(r->path)));
	err |= jset(e, "kind", json_text(kind, strlen(kind)));
	err |= jset(e, "host", host ? json_text(host, strlen(host)) : json_null());
	err |= jset(e, "had_auth", json_boolean(auth != NULL));
	err |= jset(e, "auth_ok", json_boolean(r->auth_ok));
	err |= jset(e, "status", json_integer(status));
	err |= jstr(e, "time", when);
	if (err) {
		json_decref(e);
		fprintf(stderr, "fakecarrier: out of memory recording a media request\n");
		return;
	}
	pthread_mutex_lock(&c->lock);
	log_append(c, c->media_log, &c->media_dropped, e);
	pthread_mutex_unlock(&c->lock);
}

/* Queues resp (taking it) with a type; every media answer ends here. */
static enum MHD_Result media_reply(struct request *r, struct MHD_Connection *conn,
				   const char *kind, int status, struct MHD_Response *resp,
				   const char *ctype)
{
	enum MHD_Result ret;
	media_record(r, conn, kind, status);
	if (!resp)
		return MHD_NO;
	if ((ctype && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype) != MHD_YES) ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES)
		r->answered = status;
	r->note = kind;
	return ret;
}

static struct MHD_Response *bytes_response(const void *p, size_t n)
{
	return MHD_create_response_from_buffer(n, (void *)p, MHD_RESPMEM_MUST_COPY);
}

static struct MHD_Response *text_response(const char *s)
{
	return bytes_response(s, strlen(s));
}

/* An image of unknown length (chunked): only the reader can stop it. */
struct big_body {
	size_t left;
};

static ssize_t big_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct big_body *b = cls;
	size_t n = max < b->left ? max : b->left;
	if (b->left == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	memset(buf, 0, n);
	if (pos == 0 && n >= 4)
		memcpy(buf, "\xff\xd8\xff\xe0", 4); /* a JPEG's start */
	b->left -= n;
	return (ssize_t)n;
}

/* An image that trickles in, one byte a second (a thread per connection:
 * sleeping here holds up no one else). */
static ssize_t slow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct big_body *b = cls;
	static const char start[4] = "\xff\xd8\xff\xe0";
	if (b->left == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max == 0)
		return 0;
	if (pos > 0)
		sleep(1);
	buf[0] = pos < sizeof start ? start[pos] : 0;
	b->left--;
	return 1;
}

static enum MHD_Result media_answer(struct request *r, struct MHD_Connection *conn,
				    const char *media_sid, int on_cdn)
{
	struct carrier *c = r->c;
	const char *kind = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "kind");
	const char *v;
	if (!kind || !*kind)
		kind = "sample";
	if (strcmp(kind, "sample") == 0)
		return media_reply(r, conn, "sample", 200, bytes_response(sample_png, sample_png_len),
				   "image/png");
	if (strcmp(kind, "empty") == 0)
		return media_reply(r, conn, kind, 200, text_response(""), "image/png");
	if (strcmp(kind, "big") == 0) {
		long size = c->big_bytes;
		if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "size")) &&
		    parse_long(v, 1, 256L << 20, &size) != 0)
			return media_reply(r, conn, kind, 400, text_response("size must be 1..268435456\n"),
					   "text/plain");
		v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "chunked");
		if (v && strcmp(v, "1") == 0) {
			struct big_body *b = malloc(sizeof *b);
			struct MHD_Response *resp;
			if (!b)
				return MHD_NO;
			b->left = (size_t)size;
			resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, big_read, b, free);
			if (!resp)
				free(b);
			return media_reply(r, conn, "big-chunked", 200, resp, "image/jpeg");
		}
		unsigned char *d = calloc(1, (size_t)size);
		if (!d)
			return MHD_NO;
		if (size >= 4)
			memcpy(d, "\xff\xd8\xff\xe0", 4);
		struct MHD_Response *resp = MHD_create_response_from_buffer((size_t)size, d, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(d);
		return media_reply(r, conn, kind, 200, resp, "image/jpeg");
	}
	if (strcmp(kind, "slow") == 0) {
		long size = 120;
		if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "size")) &&
		    parse_long(v, 1, 100000, &size) != 0)
			return media_reply(r, conn, kind, 400, text_response("size must be 1..100000\n"),
					   "text/plain");
		struct big_body *b = malloc(sizeof *b);
		struct MHD_Response *resp;
		if (!b)
			return MHD_NO;
		b->left = (size_t)size;
		resp = MHD_create_response_from_callback((uint64_t)size, 1, slow_read, b, free);
		if (!resp)
			free(b);
		return media_reply(r, conn, kind, 200, resp, "image/jpeg");
	}
	if (strcmp(kind, "html") == 0) {
		static const char html[] = "<!doctype html><title>Not an image</title><p>Hello</p>\n";
		return media_reply(r, conn, kind, 200, bytes_response(html, sizeof html - 1),
				   "text/html; charset=utf-8");
	}
	if (strcmp(kind, "svg") == 0) {
		/* type=: the Content-Type it is served as (image/svg+xml unless one
		 * of the other names scripts can hide behind) */
		static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
		static const char *const types[] = { "image/svg+xml", "image/svg", "image/x-svg+xml",
						     "image/xml", "image/html" };
		const char *want = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "type");
		const char *type = types[0];
		for (size_t i = 0; want && i < sizeof types / sizeof types[0]; i++)
			if (strcmp(want, types[i]) == 0)
				type = types[i];
		return media_reply(r, conn, kind, 200, bytes_response(svg, sizeof svg - 1), type);
	}
	if (strcmp(kind, "gone") == 0)
		return media_reply(r, conn, kind, 404, text_response("not found\n"), "text/plain");
	if (strcmp(kind, "redirect") == 0 && !on_cdn) {
		/* the same server under another host name: a client must not
		 * send the carrier's credentials there */
		char loc[256];
		const char *to = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "to");
		if (to && strcmp(to, "metadata") == 0)
			snprintf(loc, sizeof loc, "http://169.254.169.254/latest/meta-data/");
		else if (to && strcmp(to, "private") == 0)
			snprintf(loc, sizeof loc, "http://10.0.0.1/%s.png", media_sid);
		else {
			if (!to || (strcmp(to, "sample") != 0 && strcmp(to, "html") != 0 && strcmp(to, "big") != 0))
				to = "sample";
			snprintf(loc, sizeof loc, "http://localhost:%u/cdn/%s?kind=%s", c->port, media_sid, to);
		}
		struct MHD_Response *resp = text_response("");
		if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, loc) != MHD_YES) {
			MHD_destroy_response(resp);
			resp = NULL;
		}
		return media_reply(r, conn, kind, 302, resp, "text/plain");
	}
	if (strcmp(kind, "flaky") == 0) {
		/* fails= times 500 for this media sid, then the sample */
		long fails = 1, served;
		json_t *n;
		if ((v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "fails")) &&
		    parse_long(v, 0, 1000, &fails) != 0)
			fails = 1;
		pthread_mutex_lock(&c->lock);
		n = json_object_get(c->flaky, media_sid);
		served = json_is_integer(n) ? (long)json_integer_value(n) : 0;
		if (served < fails)
			(void)json_object_set_new(c->flaky, media_sid, json_integer(served + 1));
		pthread_mutex_unlock(&c->lock);
		if (served < fails)
			return media_reply(r, conn, kind, 500, text_response("flaky: try again\n"),
					   "text/plain");
		return media_reply(r, conn, kind, 200, bytes_response(sample_png, sample_png_len),
				   "image/png");
	}
	return media_reply(r, conn, kind, 400,
			   text_response("kind must be sample, big, html, svg, redirect, flaky, gone, empty or slow\n"),
			   "text/plain");
}

/* GET API_PREFIX SID/Messages/MMxxx/Media/MExxx: Basic auth, like Twilio. */
static int is_sid_text(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

/* The media sid when rest (after API_PREFIX) is SID/Messages/MM../Media/ME.., else NULL. */
static const char *media_path_sid(struct carrier *c, const char *rest)
{
	size_t n = strlen(c->account_sid);
	const char *mm, *me, *slash;
	if (strncmp(rest, c->account_sid, n) != 0 || strncmp(rest + n, "/Messages/", 10) != 0)
		return NULL;
	mm = rest + n + 10;
	slash = strchr(mm, '/');
	if (!slash || !is_sid_text(mm, (size_t)(slash - mm)) || strncmp(slash, "/Media/", 7) != 0)
		return NULL;
	me = slash + 7;
	return is_sid_text(me, strlen(me)) ? me : NULL;
}

static enum MHD_Result media_api(struct request *r, struct MHD_Connection *conn, const char *media_sid)
{
	const char *kind = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "kind");
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return media_reply(r, conn, kind ? kind : "sample", 405, text_response("method not allowed\n"),
				   "text/plain");
	r->auth_ok = check_auth(r, conn);
	if (!r->auth_ok) {
		struct MHD_Response *resp = text_response("{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
		if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
						    "Basic realm=\"Twilio API\"") != MHD_YES) {
			MHD_destroy_response(resp);
			resp = NULL;
		}
		return media_reply(r, conn, kind ? kind : "sample", 401, resp, "application/json");
	}
	return media_answer(r, conn, media_sid, 0);
}

/* GET /cdn/MExxx: where "redirect" sends clients (no auth, like a signed
 * storage URL). */
static enum MHD_Result media_cdn(struct request *r, struct MHD_Connection *conn)
{
	const char *sid = r->path + 5;
	if (!is_sid_text(sid, strlen(sid)) ||
	    (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
		return media_reply(r, conn, "cdn", 404, text_response("not found\n"), "text/plain");
	return media_answer(r, conn, sid, 1);
}

static enum MHD_Result api_dispatch(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	const char *rest = r->path + strlen(API_PREFIX), *slash;
	int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	int post = strcmp(r->method, "POST") == 0;
	char text[200];
	const char *media_sid = media_path_sid(c, rest);

	if (media_sid)
		return media_api(r, conn, media_sid);
	if (post) {
		if (!has_form_body(conn))
			return api_error(r, conn, 400, 20001,
					 "Content-Type must be application/x-www-form-urlencoded");
		if (read_form(r) != 0)
			return api_error(r, conn, 400, 20001, "The request body is not a valid form");
	}
	r->auth_ok = check_auth(r, conn);
	if (!r->auth_ok)
		return api_reply(r, conn, 401,
				 json_pack("{s:i, s:s, s:s, s:s, s:i}", "code", 20003, "detail",
					   "Your AccountSid or AuthToken was incorrect.", "message", "Authenticate",
					   "more_info", "https://www.twilio.com/docs/errors/20003", "status", 401),
				 MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"Twilio API\"", NULL);

	slash = strchr(rest, '/');
	if (!slash || (size_t)(slash - rest) != strlen(c->account_sid) ||
	    strncmp(rest, c->account_sid, strlen(c->account_sid)) != 0) {
		snprintf(text, sizeof text, "The requested resource %.120s was not found", r->path);
		return api_error(r, conn, 404, 20404, text);
	}
	rest = slash + 1;
	if (strcmp(rest, "Messages.json") == 0) {
		if (post)
			return api_create(r, conn);
		if (get)
			return api_list(r, conn);
		return api_error(r, conn, 405, 20004, "Method not allowed");
	}
	if (strncmp(rest, "Messages/", 9) == 0) {
		const char *sid = rest + 9, *dot = strstr(sid, ".json");
		if (dot && dot[5] == '\0' && !strchr(sid, '/') && (size_t)(dot - sid) < 64) {
			char s[64];
			memcpy(s, sid, (size_t)(dot - sid));
			s[dot - sid] = '\0';
			if (get)
				return api_fetch(r, conn, s);
			return api_error(r, conn, 405, 20004, "Method not allowed");
		}
	}
	snprintf(text, sizeof text, "The requested resource %.120s was not found", r->path);
	return api_error(r, conn, 404, 20404, text);
}

/* ---- the control API ------------------------------------------------------------ */

/* A control parameter from the form body or else the query string. */
static const char *ctl_param(struct request *r, struct MHD_Connection *conn, const char *name)
{
	const char *v = form_get(&r->form, name);
	return v ? v : MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result ctl_error(struct request *r, struct MHD_Connection *conn, int status,
				 const char *message)
{
	return reply_json(r, conn, status, json_pack("{s:s}", "error", message), NULL, NULL);
}

static const char *known_error_message(int code)
{
	switch (code) {
	case 21211: return "The 'To' number is not a valid phone number.";
	case 21408: return "Permission to send an SMS has not been enabled for the region "
			   "indicated by the 'To' number";
	case 21610: return "Attempt to send to unsubscribed recipient";
	case 21612: return "The 'To' phone number is not currently reachable via SMS";
	case 21614: return "'To' number is not a valid mobile number";
	case 20003: return "Authenticate";
	case 20404: return "The requested resource was not found";
	default: return "The request was refused";
	}
}

static enum MHD_Result ctl_fail(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	struct fault f;
	const char *mode = ctl_param(r, conn, "mode"), *v;
	long n;
	size_t total = 0;
	memset(&f, 0, sizeof f);
	f.count = 1;
	f.retry_after = -1;
	if ((v = ctl_param(r, conn, "count")) && parse_long(v, 0, 1000000, &f.count) != 0)
		return ctl_error(r, conn, 400, "count must be a whole number");
	if (f.count == 0) {
		pthread_mutex_lock(&c->lock);
		c->nfaults = 0;
		pthread_mutex_unlock(&c->lock);
		return reply_json(r, conn, 200, json_pack("{s:b, s:i}", "ok", 1, "faults_pending", 0), NULL, NULL);
	}
	if (!mode)
		return ctl_error(r, conn, 400, "mode is required: 500, 502, 503, 429, 4xx, delay or drop");
	if (strcmp(mode, "500") == 0 || strcmp(mode, "502") == 0 || strcmp(mode, "503") == 0) {
		f.kind = FAULT_SERVER;
		f.http_status = atoi(mode);
		f.name = mode[2] == '0' ? "500" : mode[2] == '2' ? "502" : "503";
	} else if (strcmp(mode, "429") == 0) {
		f.kind = FAULT_429;
		f.name = "429";
		if ((v = ctl_param(r, conn, "retry_after")) && parse_long(v, 0, 86400, &f.retry_after) != 0)
			return ctl_error(r, conn, 400, "retry_after must be seconds");
	} else if (strcmp(mode, "4xx") == 0) {
		f.kind = FAULT_4XX;
		f.name = "4xx";
		if (!(v = ctl_param(r, conn, "code")) || parse_long(v, 1, 99999, &n) != 0)
			return ctl_error(r, conn, 400, "4xx needs a Twilio error code, e.g. code=21610");
		f.code = (int)n;
		f.http_status = f.code == 20003 ? 401 : f.code == 20404 ? 404 : 400;
		if ((v = ctl_param(r, conn, "status"))) {
			if (parse_long(v, 400, 499, &n) != 0)
				return ctl_error(r, conn, 400, "status must be 400..499");
			f.http_status = (int)n;
		}
		v = ctl_param(r, conn, "message");
		if (v && !utf8_valid(v, strlen(v)))
			return ctl_error(r, conn, 400, "message must be UTF-8");
		snprintf(f.message, sizeof f.message, "%s", v && *v ? v : known_error_message(f.code));
	} else if (strcmp(mode, "delay") == 0) {
		f.kind = FAULT_DELAY;
		f.name = "delay";
		f.delay_ms = 3000;
		if ((v = ctl_param(r, conn, "ms")) && parse_long(v, 0, 600000, &f.delay_ms) != 0)
			return ctl_error(r, conn, 400, "ms must be 0..600000");
	} else if (strcmp(mode, "drop") == 0) {
		f.kind = FAULT_DROP;
		f.name = "drop";
	} else {
		return ctl_error(r, conn, 400, "mode must be 500, 502, 503, 429, 4xx, delay or drop");
	}
	pthread_mutex_lock(&c->lock);
	if (c->nfaults == MAX_FAULTS) {
		pthread_mutex_unlock(&c->lock);
		return ctl_error(r, conn, 400, "too many faults queued");
	}
	c->faults[c->nfaults++] = f;
	for (size_t i = 0; i < c->nfaults; i++)
		total += (size_t)c->faults[i].count;
	pthread_mutex_unlock(&c->lock);
	return reply_json(r, conn, 200, json_pack("{s:b, s:I}", "ok", 1, "faults_pending", (json_int_t)total),
			  NULL, NULL);
}

static json_t *callback_settings(struct carrier *c)
{
	json_t *j;
	pthread_mutex_lock(&c->lock);
	j = json_pack("{s:s, s:I}", "mode", c->cb_mode, "delay_ms", (json_int_t)c->cb_delay_ms);
	pthread_mutex_unlock(&c->lock);
	return j;
}

static enum MHD_Result ctl_callbacks_set(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	const char *mode = ctl_param(r, conn, "mode"), *v = ctl_param(r, conn, "delay_ms");
	long delay = -1;
	if (mode && strcmp(mode, "normal") != 0 && strcmp(mode, "none") != 0 &&
	    strcmp(mode, "fail_at_sent") != 0)
		return ctl_error(r, conn, 400, "mode must be normal, none or fail_at_sent");
	if (v && parse_long(v, 0, 600000, &delay) != 0)
		return ctl_error(r, conn, 400, "delay_ms must be 0..600000");
	pthread_mutex_lock(&c->lock);
	if (mode)
		snprintf(c->cb_mode, sizeof c->cb_mode, "%s", mode);
	if (delay >= 0)
		c->cb_delay_ms = delay;
	pthread_mutex_unlock(&c->lock);
	return reply_json(r, conn, 200, callback_settings(c), NULL, NULL);
}

static void store_reset(struct carrier *c)
{
	pthread_mutex_lock(&c->lock);
	c->gen++;
	for (size_t i = 0; i < c->nmsgs; i++)
		message_free(c->msgs[i]);
	c->nmsgs = 0;
	(void)json_array_clear(c->requests);
	(void)json_array_clear(c->callbacks);
	(void)json_array_clear(c->sink);
	(void)json_array_clear(c->media_log);
	(void)json_object_clear(c->flaky);
	(void)json_array_clear(c->inbound);
	c->requests_dropped = c->callbacks_dropped = c->sink_dropped = 0;
	c->media_dropped = c->inbound_dropped = 0;
	c->callbacks_ok = c->callbacks_failed = 0;
	c->nfaults = 0;
	snprintf(c->cb_mode, sizeof c->cb_mode, "normal");
	c->cb_delay_ms = c->default_cb_delay_ms;
	pthread_mutex_unlock(&c->lock);
	workers_clear(c);
}

static enum MHD_Result ctl_stats(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	json_t *j;
	json_int_t faults = 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->nfaults; i++)
		faults += c->faults[i].count;
	j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I}",
		      "pid", (json_int_t)getpid(),
		      "messages", (json_int_t)c->nmsgs,
		      "requests", (json_int_t)json_array_size(c->requests),
		      "requests_dropped", (json_int_t)c->requests_dropped,
		      "callbacks_pending", (json_int_t)atomic_load(&c->cb_pending),
		      "callbacks_ok", (json_int_t)c->callbacks_ok,
		      "callbacks_failed", (json_int_t)c->callbacks_failed,
		      "sink", (json_int_t)json_array_size(c->sink),
		      "faults_pending", faults,
		      "callback_mode", c->cb_mode,
		      "callback_delay_ms", (json_int_t)c->cb_delay_ms);
	pthread_mutex_unlock(&c->lock);
	return reply_json(r, conn, 200, j, NULL, NULL);
}

/* A callback receiver for tests: keeps the request as it came. */
static enum MHD_Result ctl_sink(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	const char *sig = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Twilio-Signature");
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *ua = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	const char *st = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "status");
	long status = 200;
	char when[64];
	json_t *e = json_object();
	int err = 0;
	if (st && parse_long(st, 200, 599, &status) != 0)
		status = 200;
	if (has_form_body(conn))
		(void)read_form(r); /* not a form: the raw body is kept anyway */
	iso_now(when);
	if (!e)
		return reply_text(r, conn, 500, "out of memory\n");
	err |= jset(e, "path", json_text(r->path, strlen(r->path)));
	err |= jset(e, "query", query_json(conn));
	err |= jset(e, "params", form_json(&r->form));
	err |= jset(e, "body", json_text(r->body ? r->body : "", r->len));
	err |= jset(e, "signature", sig ? json_text(sig, strlen(sig)) : json_null());
	err |= jset(e, "content_type", ct ? json_text(ct, strlen(ct)) : json_null());
	err |= jset(e, "user_agent", ua ? json_text(ua, strlen(ua)) : json_null());
	err |= jstr(e, "time", when);
	err |= jset(e, "answered", json_integer(status));
	if (err) {
		json_decref(e);
		return reply_text(r, conn, 500, "out of memory\n");
	}
	pthread_mutex_lock(&c->lock);
	log_append(c, c->sink, &c->sink_dropped, e);
	pthread_mutex_unlock(&c->lock);
	char *xml = strdup("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
	if (!xml)
		return MHD_NO;
	return reply(r, conn, (int)status, "text/xml", xml, strlen(xml), NULL, NULL);
}

/* ---- inbound messages: the phone replies ------------------------------------------ */

static int media_kind_known(const char *kind)
{
	static const char *const kinds[] = {"sample", "big", "html", "svg", "redirect", "flaky", "gone", "empty", "slow"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

struct inbound {
	const char *from, *to, *body;
	const char *media; /* NULL: none; else a media kind */
	const char *url;   /* where the webhook goes */
};

/* "MM" + 32 hex for a message, "ME" + 32 hex for a media item. */
static int random_sid_with(const char *prefix, char out[SID_LEN + 1])
{
	if (random_sid(out) != 0)
		return -1;
	out[0] = prefix[0];
	out[1] = prefix[1];
	return 0;
}

static json_t *attempt_json(long http, CURLcode rc, const char *errbuf)
{
	char when[64];
	iso_now(when);
	return json_pack("{s:o, s:o, s:s}", "status", http ? json_integer(http) : json_null(),
			 "error", rc != CURLE_OK ? json_string(errbuf[0] ? errbuf : curl_easy_strerror(rc)) : json_null(),
			 "time", when);
}

/* Builds, signs and posts one inbound message's webhook, as Twilio does
 * (retrying connection errors, timeouts, 429 and 5xx with backoff), and
 * records it in /_fake/inbound. Returns the record (a new reference), or
 * NULL when out of memory. */
static json_t *inbound_deliver(struct carrier *c, const struct inbound *in)
{
	char sid[SID_LEN + 1], media_sid[SID_LEN + 1], media_url[512] = "", sig[64], segs[16], when[64];
	char errbuf[CURL_ERROR_SIZE];
	const char *media_type = NULL, *body = in->body ? in->body : "";
	struct param p[16];
	size_t n = 0;
	unsigned chars = 0, segments = 0;
	struct buf form = {0}, sigh = {0};
	struct curl_slist *hdrs = NULL;
	json_t *attempts = json_array(), *entry = NULL;
	CURL *h = curl_easy_init();
	long http = 0, tries = 0;
	CURLcode rc = CURLE_OK;
	int ok = 0;

	if (!h || !attempts || random_sid_with("MM", sid) != 0 || random_sid_with("ME", media_sid) != 0)
		goto out;
	if (in->media) {
		int plain = strcmp(in->media, "sample") == 0;
		snprintf(media_url, sizeof media_url, "http://127.0.0.1:%u" API_PREFIX "%s/Messages/%s/Media/%s%s%s",
			 c->port, c->account_sid, sid, media_sid, plain ? "" : "?kind=", plain ? "" : in->media);
		/* what the carrier declares; smsdesk must trust the answer instead */
		media_type = strcmp(in->media, "svg") == 0 ? "image/svg+xml" :
			     strcmp(in->media, "big") == 0 || strcmp(in->media, "html") == 0 ? "image/jpeg" :
			     "image/png";
	}
	sms_measure(body, &chars, &segments);
	snprintf(segs, sizeof segs, "%u", segments ? segments : 1);
	p[n++] = (struct param){"MessageSid", sid};
	p[n++] = (struct param){"SmsMessageSid", sid};
	p[n++] = (struct param){"SmsSid", sid};
	p[n++] = (struct param){"AccountSid", c->account_sid};
	p[n++] = (struct param){"From", in->from};
	p[n++] = (struct param){"To", in->to};
	p[n++] = (struct param){"Body", body};
	p[n++] = (struct param){"NumMedia", in->media ? "1" : "0"};
	if (in->media) {
		p[n++] = (struct param){"MediaUrl0", media_url};
		p[n++] = (struct param){"MediaContentType0", media_type};
	}
	p[n++] = (struct param){"NumSegments", segs};
	p[n++] = (struct param){"SmsStatus", "received"};
	p[n++] = (struct param){"ApiVersion", API_VERSION};
	if (twilio_sign(c->auth_token, in->url, p, n, sig) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *v = curl_easy_escape(h, p[i].value, 0);
		if (!v)
			goto out;
		buf_printf(&form, "%s%s=%s", i ? "&" : "", p[i].name, v);
		curl_free(v);
	}
	buf_printf(&sigh, "X-Twilio-Signature: %s", sig);
	if (form.oom || sigh.oom)
		goto out;
	const char *lines[] = {"Content-Type: application/x-www-form-urlencoded", sigh.p, "Expect:"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct curl_slist *l = curl_slist_append(hdrs, lines[i]);
		if (!l)
			goto out;
		hdrs = l;
	}
	if (curl_easy_setopt(h, CURLOPT_URL, in->url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form.p) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)form.len) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->cb_timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, "TwilioProxy/1.1 (smsdesk fakecarrier)") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK)
		goto out;
	for (;;) {
		errbuf[0] = '\0';
		tries++;
		rc = curl_easy_perform(h);
		http = 0;
		if (rc == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http) != CURLE_OK)
			http = 0;
		ok = rc == CURLE_OK && http >= 200 && http < 300;
		if (json_array_append_new(attempts, attempt_json(http, rc, errbuf)) != 0)
			goto out;
		if (ok || tries > c->inbound_retries || (rc == CURLE_OK && http < 500 && http != 429))
			break;
		if (sleep_unless_stopping(c, 200L << (tries - 1)) != 0)
			break;
	}
	if (!ok)
		fprintf(stderr, "fakecarrier: inbound %s to %s failed: %s (HTTP %ld, %ld attempts)\n", sid,
			in->url, rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc)) : "bad status",
			http, tries);
	iso_now(when);
	entry = json_object();
	if (entry) {
		json_t *params = json_object();
		int e = !params;
		for (size_t i = 0; !e && i < n; i++)
			e |= jset(params, p[i].name, json_text(p[i].value, strlen(p[i].value)));
		e |= jstr(entry, "sid", sid);
		e |= jset(entry, "from", json_text(in->from, strlen(in->from)));
		e |= jset(entry, "to", json_text(in->to, strlen(in->to)));
		e |= jset(entry, "body", json_text(body, strlen(body)));
		e |= jstr(entry, "media", in->media);
		e |= jstr(entry, "media_url", in->media ? media_url : NULL);
		e |= jstr(entry, "url", in->url);
		e |= jset(entry, "params", params);
		e |= jstr(entry, "signature", sig);
		e |= jset(entry, "status", http ? json_integer(http) : json_null());
		e |= jset(entry, "ok", json_boolean(ok));
		e |= jset(entry, "attempts", json_incref(attempts));
		e |= jstr(entry, "time", when);
		if (e) {
			json_decref(entry);
			entry = NULL;
		}
	}
	if (entry) {
		pthread_mutex_lock(&c->lock);
		log_append(c, c->inbound, &c->inbound_dropped, json_incref(entry));
		pthread_mutex_unlock(&c->lock);
	}
out:
	if (!entry)
		fprintf(stderr, "fakecarrier: cannot send an inbound message (out of memory or libcurl)\n");
	json_decref(attempts);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	free(form.p);
	free(sigh.p);
	return entry;
}

/* POST /_fake/inbound from=&to=&body=&media=KIND[&url=]: the phone texts the
 * agent; answers what smsdesk's webhook answered. GET: every one sent. */
static enum MHD_Result ctl_inbound(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	struct inbound in = {0};
	const char *media = ctl_param(r, conn, "media");
	json_t *rec, *out;
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		return reply_log(r, conn, c->inbound);
	if (strcmp(r->method, "POST") != 0)
		return ctl_error(r, conn, 405, "method not allowed");
	char from[24], to[24];
	/* an unencoded '+' arrives as a space */
	snprintf(from, sizeof from, "%s", ctl_param(r, conn, "from") ? ctl_param(r, conn, "from") : "");
	snprintf(to, sizeof to, "%s", ctl_param(r, conn, "to") ? ctl_param(r, conn, "to") : "");
	plus_fix(from);
	plus_fix(to);
	in.from = from;
	in.to = to;
	in.body = ctl_param(r, conn, "body");
	in.url = ctl_param(r, conn, "url");
	if (!in.url || !*in.url)
		in.url = c->inbound_url;
	if (!is_e164(in.from) || !is_e164(in.to))
		return ctl_error(r, conn, 400, "from and to must be E.164 numbers");
	if (!form_text_ok(&r->form, "body") || (in.body && !utf8_valid(in.body, strlen(in.body))))
		return ctl_error(r, conn, 400, "body must be UTF-8 text");
	if (media && *media && strcmp(media, "none") != 0) {
		if (!media_kind_known(media))
			return ctl_error(r, conn, 400, "media must be none, sample, big, html, svg, redirect, flaky, gone, empty or slow");
		in.media = media;
	}
	if (!*in.url)
		return ctl_error(r, conn, 400, "no webhook URL: start with FAKECARRIER_INBOUND_URL or pass url=");
	if (!is_callback_url(in.url))
		return ctl_error(r, conn, 400, "url must be an http(s) URL");
	rec = inbound_deliver(c, &in);
	if (!rec)
		return ctl_error(r, conn, 500, "cannot send the inbound message");
	out = json_deep_copy(rec); /* the log's copy is shared */
	json_decref(rec);
	return reply_json(r, conn, 200, out, NULL, NULL);
}

static enum MHD_Result control_dispatch(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	const char *what = r->path + strlen("/_fake/");
	int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	int post = strcmp(r->method, "POST") == 0;

	if (post && has_form_body(conn) && read_form(r) != 0 && strncmp(what, "sink", 4) != 0)
		return ctl_error(r, conn, 400, "the body is not a valid form");
	if (strcmp(what, "sink") == 0 || strncmp(what, "sink/", 5) == 0) {
		if (post)
			return ctl_sink(r, conn);
		if (get)
			return reply_log(r, conn, c->sink);
	} else if (get && strcmp(what, "requests") == 0) {
		return reply_log(r, conn, c->requests);
	} else if (get && strcmp(what, "media-requests") == 0) {
		return reply_log(r, conn, c->media_log);
	} else if (strcmp(what, "inbound") == 0) {
		return ctl_inbound(r, conn);
	} else if (get && strcmp(what, "messages") == 0) {
		json_t *a = json_array();
		int e = !a;
		pthread_mutex_lock(&c->lock);
		for (size_t i = 0; !e && i < c->nmsgs; i++) {
			json_t *m = message_json(c, c->msgs[i]);
			e |= jstr(m, "status_callback", c->msgs[i]->status_callback);
			e |= json_array_append_new(a, m) != 0;
		}
		pthread_mutex_unlock(&c->lock);
		if (e) {
			json_decref(a);
			return reply_text(r, conn, 500, "out of memory\n");
		}
		return reply_json(r, conn, 200, a, NULL, NULL);
	} else if (strcmp(what, "callbacks") == 0) {
		if (get)
			return reply_log(r, conn, c->callbacks);
		if (post)
			return ctl_callbacks_set(r, conn);
	} else if (post && strcmp(what, "reset") == 0) {
		store_reset(c);
		return reply_json(r, conn, 200, json_pack("{s:b}", "ok", 1), NULL, NULL);
	} else if (post && strcmp(what, "fail") == 0) {
		return ctl_fail(r, conn);
	} else if (get && strcmp(what, "stats") == 0) {
		return ctl_stats(r, conn);
	} else if (get && *what == '\0') {
		return reply_text(r, conn, 200, CONTROL_HELP);
	} else if (strcmp(what, "requests") == 0 || strcmp(what, "messages") == 0 ||
		   strcmp(what, "reset") == 0 || strcmp(what, "fail") == 0 || strcmp(what, "stats") == 0) {
		return ctl_error(r, conn, 405, "method not allowed");
	} else {
		return ctl_error(r, conn, 404, "no such control endpoint; GET /_fake/ lists them");
	}
	return ctl_error(r, conn, 405, "method not allowed");
}

/* ---- the phone page ------------------------------------------------------------------ */

static void page_head(struct buf *b, const char *title)
{
	buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	buf_html(b, title);
	buf_puts(b, "</title>\n<style>\n"
		    "body{font-family:sans-serif;max-width:44em;margin:1em auto;padding:0 1em}\n"
		    "table{border-collapse:collapse}td,th{padding:.25em .75em;text-align:left}\n"
		    ".messages{list-style:none;padding:0}\n"
		    ".msg{background:#eee;border-radius:.75em;padding:.5em .75em;margin:.5em 0}\n"
		    ".meta{color:#555;font-size:.85em}.body{white-space:pre-wrap;margin-top:.25em}\n"
		    "</style></head><body>\n");
}

static void number_link(struct buf *b, const char *number)
{
	buf_puts(b, "<a href=\"/phone?number=");
	for (const char *p = number; *p; p++) { /* E.164: only '+' needs encoding */
		if (*p == '+')
			buf_puts(b, "%2B");
		else
			buf_html(b, (char[]){*p, '\0'});
	}
	buf_puts(b, "\">");
	buf_html(b, number);
	buf_puts(b, "</a>");
}

struct phone_row {
	const char *to;
	size_t idx;
};

static int phone_row_cmp(const void *a, const void *b)
{
	const struct phone_row *x = a, *y = b;
	int r = strcmp(x->to, y->to);
	return r ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Every number that received messages, with how many and the last one's
 * time (sorted, so a benchmark's thousands of messages stay cheap). */
static void phone_index(struct carrier *c, struct buf *b)
{
	struct phone_row *rows;
	size_t shown = 0;
	page_head(b, "Fake carrier: phones");
	buf_puts(b, "<h1>Phones</h1>\n<p>Numbers that received messages through the fake carrier.</p>\n");
	pthread_mutex_lock(&c->lock);
	rows = malloc((c->nmsgs ? c->nmsgs : 1) * sizeof *rows);
	if (!rows) {
		pthread_mutex_unlock(&c->lock);
		b->oom = 1;
		return;
	}
	for (size_t i = 0; i < c->nmsgs; i++)
		rows[i] = (struct phone_row){c->msgs[i]->to, i};
	qsort(rows, c->nmsgs, sizeof *rows, phone_row_cmp);
	for (size_t i = 0; i < c->nmsgs;) {
		size_t k = i;
		char when[64];
		while (k + 1 < c->nmsgs && strcmp(rows[k + 1].to, rows[i].to) == 0)
			k++;
		if (shown++ == 0)
			buf_puts(b, "<table>\n<tr><th>Number</th><th>Messages</th><th>Last message</th></tr>\n");
		utc_text(c->msgs[rows[k].idx]->created, when);
		buf_puts(b, "<tr><td>");
		number_link(b, rows[i].to);
		buf_printf(b, "</td><td>%zu</td><td>", k - i + 1);
		buf_html(b, when);
		buf_puts(b, "</td></tr>\n");
		i = k + 1;
	}
	pthread_mutex_unlock(&c->lock);
	free(rows);
	if (shown)
		buf_puts(b, "</table>\n");
	else
		buf_puts(b, "<p>No messages yet.</p>\n");
	buf_puts(b, "</body></html>\n");
}

static void phone_number(struct carrier *c, struct buf *b, const char *number)
{
	size_t shown = 0;
	page_head(b, "Fake carrier: phone");
	buf_puts(b, "<p><a href=\"/phone\">All phones</a></p>\n<h1>Phone ");
	buf_html(b, number);
	buf_puts(b, "</h1>\n");
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->nmsgs; i++) { /* oldest first: newest last */
		const struct message *m = c->msgs[i];
		char when[64];
		if (strcmp(m->to, number) != 0)
			continue;
		if (shown++ == 0)
			buf_puts(b, "<ol class=\"messages\">\n");
		utc_text(m->created, when);
		buf_puts(b, "<li class=\"msg\"><div class=\"meta\">From <span class=\"from\">");
		buf_html(b, m->from);
		buf_puts(b, "</span> at <time>");
		buf_html(b, when);
		buf_puts(b, "</time>, <span class=\"status\">");
		buf_html(b, m->status);
		buf_puts(b, "</span></div><div class=\"body\">");
		buf_html(b, m->body);
		buf_puts(b, "</div></li>\n");
	}
	if (shown)
		buf_puts(b, "</ol>\n");
	else
		buf_puts(b, "<p>No messages to this number yet.</p>\n");
	/* Replying as the borrower: From = this number, To = an agent's number
	 * that texted it; /phone/reply sends smsdesk the signed webhook. */
	const char *agents[16];
	size_t nagents = 0;
	for (size_t i = c->nmsgs; i-- > 0 && nagents < sizeof agents / sizeof agents[0];) {
		const struct message *m = c->msgs[i];
		size_t k;
		if (strcmp(m->to, number) != 0)
			continue;
		for (k = 0; k < nagents && strcmp(agents[k], m->from) != 0; k++)
			;
		if (k == nagents)
			agents[nagents++] = m->from;
	}
	buf_puts(b, "<section id=\"reply\"><h2>Reply</h2>\n");
	if (!*c->inbound_url)
		buf_puts(b, "<p>Replies are off: the fake carrier was started without FAKECARRIER_INBOUND_URL.</p>\n");
	buf_puts(b, "<form method=\"post\" action=\"/phone/reply\">\n<input type=\"hidden\" name=\"from\" value=\"");
	buf_html(b, number);
	buf_puts(b, "\">\n<p><label>To ");
	if (nagents) {
		buf_puts(b, "<select name=\"to\">");
		for (size_t k = 0; k < nagents; k++) {
			buf_puts(b, "<option>");
			buf_html(b, agents[k]);
			buf_puts(b, "</option>");
		}
		buf_puts(b, "</select>");
	} else {
		buf_puts(b, "<input name=\"to\" placeholder=\"+15125550100\" required>");
	}
	buf_puts(b, "</label></p>\n<p><label>Message<br><textarea name=\"body\" rows=\"3\" cols=\"40\"></textarea></label></p>\n"
		    "<p><label><input type=\"checkbox\" name=\"image\" value=\"1\"> attach a sample image</label></p>\n"
		    "<p><button type=\"submit\">Send reply</button></p>\n</form>\n");
	shown = 0;
	for (size_t i = 0; i < json_array_size(c->inbound); i++) {
		json_t *e = json_array_get(c->inbound, i), *st = json_object_get(e, "status");
		const char *from = json_string_value(json_object_get(e, "from"));
		const char *to = json_string_value(json_object_get(e, "to"));
		const char *text = json_string_value(json_object_get(e, "body"));
		const char *when = json_string_value(json_object_get(e, "time"));
		if (!from || strcmp(from, number) != 0)
			continue;
		if (shown++ == 0)
			buf_puts(b, "<h3>Sent from this phone</h3>\n<ol class=\"messages\">\n");
		buf_puts(b, "<li class=\"msg reply\"><div class=\"meta\">To <span class=\"to\">");
		buf_html(b, to ? to : "");
		buf_puts(b, "</span> at <time>");
		buf_html(b, when ? when : "");
		buf_puts(b, "</time>, ");
		if (json_is_integer(st))
			buf_printf(b, "smsdesk answered HTTP %lld", (long long)json_integer_value(st));
		else
			buf_puts(b, "smsdesk did not answer");
		size_t tries = json_array_size(json_object_get(e, "attempts"));
		buf_printf(b, " (%zu attempt%s)%s</div><div class=\"body\">", tries, tries == 1 ? "" : "s",
			   json_is_string(json_object_get(e, "media")) ? ", with an image" : "");
		buf_html(b, text ? text : "");
		buf_puts(b, "</div></li>\n");
	}
	if (shown)
		buf_puts(b, "</ol>\n");
	buf_puts(b, "</section>\n");
	pthread_mutex_unlock(&c->lock);
	buf_puts(b, "</body></html>\n");
}

/* POST /phone/reply from=&to=&body=[&image=1]: the form above. */
static enum MHD_Result phone_reply(struct request *r, struct MHD_Connection *conn)
{
	struct carrier *c = r->c;
	struct inbound in = {0};
	const char *image;
	char loc[64], *text;
	json_t *rec;
	if (strcmp(r->method, "POST") != 0)
		return reply_text(r, conn, 405, "method not allowed\n");
	if (!has_form_body(conn) || read_form(r) != 0)
		return reply_text(r, conn, 400, "the body is not a form\n");
	in.from = form_get(&r->form, "from");
	in.to = form_get(&r->form, "to");
	in.body = form_get(&r->form, "body");
	image = form_get(&r->form, "image");
	if (!is_e164(in.from) || !is_e164(in.to))
		return reply_text(r, conn, 400, "From and To must be phone numbers in E.164 (+15125550100)\n");
	if (!form_text_ok(&r->form, "body"))
		return reply_text(r, conn, 400, "the message must be UTF-8 text\n");
	if (!*c->inbound_url)
		return reply_text(r, conn, 503, "the fake carrier was started without FAKECARRIER_INBOUND_URL\n");
	in.media = image && strcmp(image, "1") == 0 ? "sample" : NULL;
	in.url = c->inbound_url;
	rec = inbound_deliver(c, &in);
	if (!rec)
		return reply_text(r, conn, 500, "cannot send the reply\n");
	json_decref(rec);
	snprintf(loc, sizeof loc, "/phone?number=%%2B%s#reply", in.from + 1);
	if (!(text = strdup("sent\n")))
		return MHD_NO;
	return reply(r, conn, 303, "text/plain; charset=utf-8", text, strlen(text), MHD_HTTP_HEADER_LOCATION, loc);
}

static enum MHD_Result phone_page(struct request *r, struct MHD_Connection *conn)
{
	const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "number");
	struct buf b = {0};
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return reply_text(r, conn, 405, "method not allowed\n");
	if (q && *q) {
		char *number = strdup(q);
		if (!number)
			return reply_text(r, conn, 500, "out of memory\n");
		plus_fix(number);
		if (!utf8_valid(number, strlen(number)))
			number[0] = '\0';
		phone_number(r->c, &b, number);
		free(number);
	} else {
		phone_index(r->c, &b);
	}
	if (b.oom || !b.p) {
		free(b.p);
		return reply_text(r, conn, 500, "out of memory\n");
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(b.len, b.p, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;
	if (!resp) {
		free(b.p);
		return MHD_NO;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8") != MHD_YES ||
	    MHD_add_response_header(resp, "Content-Security-Policy",
				    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'") != MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES)
		r->answered = 200;
	return ret;
}

/* ---- HTTP plumbing -------------------------------------------------------------------- */

static enum MHD_Result route(struct request *r, struct MHD_Connection *conn)
{
	if (strncmp(r->path, API_PREFIX, strlen(API_PREFIX)) == 0)
		return api_dispatch(r, conn);
	if (strncmp(r->path, "/_fake/", 7) == 0)
		return control_dispatch(r, conn);
	if (strcmp(r->path, "/_fake") == 0 || strcmp(r->path, "/") == 0)
		return reply_text(r, conn, 200, CONTROL_HELP);
	if (strcmp(r->path, "/phone") == 0)
		return phone_page(r, conn);
	if (strcmp(r->path, "/phone/reply") == 0)
		return phone_reply(r, conn);
	if (strncmp(r->path, "/cdn/", 5) == 0)
		return media_cdn(r, conn);
	return reply_json(r, conn, 404,
			  twilio_error_json(404, 20404, "The requested resource was not found"), NULL, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct carrier *c = cls;
	struct request *r = *req_cls;
	(void)version;

	if (!r) {
		const char *cl;
		long declared;
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->c = c;
		r->started = now_ms();
		snprintf(r->method, sizeof r->method, "%s", method);
		r->path = strdup(url);
		if (!r->path) {
			free(r);
			return MHD_NO;
		}
		*req_cls = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && parse_long(cl, 0, LONG_MAX, &declared) == 0 && (size_t)declared > c->max_body) {
			r->too_large = 1; /* refuse before reading it */
			return reply_json(r, conn, 413,
					  twilio_error_json(413, 20001, "The request body is too large"), NULL, NULL);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->too_large || r->len + n > c->max_body) {
			r->too_large = 1;
			return MHD_YES;
		}
		if (r->len + n + 1 > r->cap) {
			size_t cap = r->cap ? r->cap : 1024;
			while (cap < r->len + n + 1)
				cap *= 2;
			char *p = realloc(r->body, cap);
			if (!p)
				return MHD_NO;
			r->body = p;
			r->cap = cap;
		}
		memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->too_large)
		return reply_json(r, conn, 413,
				  twilio_error_json(413, 20001, "The request body is too large"), NULL, NULL);
	return route(r, conn);
}

static void log_line(const struct request *r, enum MHD_RequestTerminationCode toe)
{
	char when[64], path[200];
	size_t i;
	iso_now(when);
	for (i = 0; r->path[i] && i + 1 < sizeof path; i++) /* no control bytes in the log */
		path[i] = (unsigned char)r->path[i] < 0x20 || r->path[i] == 0x7f ? '?' : r->path[i];
	path[i] = '\0';
	if (r->answered)
		fprintf(stderr, "%s %s %s -> %d %llums%s%s%s\n", when, r->method, path, r->answered,
			(unsigned long long)(now_ms() - r->started), r->note ? " [" : "",
			r->note ? r->note : "", r->note ? "]" : "");
	else
		fprintf(stderr, "%s %s %s -> no answer (%s)%s%s%s\n", when, r->method, path,
			toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? "shutdown" : "closed",
			r->note ? " [" : "", r->note ? r->note : "", r->note ? "]" : "");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct carrier *c = cls;
	struct request *r = *req_cls;
	(void)conn;
	if (!r)
		return;
	log_line(r, toe);
	if (r->schedule) /* callbacks only after the answer is on its way */
		callbacks_schedule(c, r->sched_idx, r->sched_gen);
	request_free(r);
	*req_cls = NULL;
}

/* libmicrohttpd's own complaints, marked as such in the log. */
__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	if (vsnprintf(line, sizeof line, fmt, ap) < 0)
		return;
	line[strcspn(line, "\n")] = '\0';
	fprintf(stderr, "fakecarrier: libmicrohttpd: %s\n", line);
}

static void carrier_free(struct carrier *c)
{
	for (size_t i = 0; i < c->nmsgs; i++)
		message_free(c->msgs[i]);
	free(c->msgs);
	json_decref(c->requests);
	json_decref(c->callbacks);
	json_decref(c->sink);
	json_decref(c->media_log);
	json_decref(c->flaky);
	json_decref(c->inbound);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->stop_lock);
	pthread_cond_destroy(&c->stop_cond);
}

static void usage(void)
{
	fprintf(stderr, "usage: fakecarrier [PORT]   (or FAKECARRIER_PORT; see the top of tests/fakecarrier.c)\n");
}

int main(int argc, char **argv)
{
	static struct carrier carrier;
	struct carrier *c = &carrier;
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	sigset_t sigs;
	long port;
	int sig = 0;
	const char *s;

	if (argc > 2 || (argc == 2 && (argv[1][0] == '-' || parse_long(argv[1], 1, 65535, &port) != 0))) {
		usage();
		return 2;
	}
	if (argc == 1)
		port = env_long("FAKECARRIER_PORT", 8081, 1, 65535);
	c->port = (unsigned)port;
	s = getenv("FAKECARRIER_ACCOUNT_SID");
	snprintf(c->account_sid, sizeof c->account_sid, "%s", s && *s ? s : "AC00000000000000000000000000000000");
	s = getenv("FAKECARRIER_AUTH_TOKEN");
	snprintf(c->auth_token, sizeof c->auth_token, "%s", s && *s ? s : "testtoken");
	if (strchr(c->account_sid, ':') || strchr(c->account_sid, '/')) {
		fprintf(stderr, "fakecarrier: FAKECARRIER_ACCOUNT_SID must not contain ':' or '/'\n");
		return 2;
	}
	c->max_body = 64 * 1024;
	c->default_cb_delay_ms = env_long("FAKECARRIER_CALLBACK_DELAY_MS", 50, 0, 600000);
	c->cb_retries = env_long("FAKECARRIER_CALLBACK_RETRIES", 2, 0, 10);
	c->cb_timeout_ms = env_long("FAKECARRIER_CALLBACK_TIMEOUT_MS", 5000, 1, 600000);
	c->max_records = (size_t)env_long("FAKECARRIER_MAX_RECORDS", 100000, 1, 100000000);
	size_t nworkers = (size_t)env_long("FAKECARRIER_CALLBACK_THREADS", 4, 1, 64);
	c->cb_delay_ms = c->default_cb_delay_ms;
	snprintf(c->cb_mode, sizeof c->cb_mode, "normal");
	atomic_init(&c->cb_pending, 0);
	atomic_init(&c->cb_seq, 0);
	s = getenv("FAKECARRIER_INBOUND_URL");
	snprintf(c->inbound_url, sizeof c->inbound_url, "%s", s ? s : "");
	if (*c->inbound_url && !is_callback_url(c->inbound_url)) {
		fprintf(stderr, "fakecarrier: FAKECARRIER_INBOUND_URL must be an http(s) URL\n");
		return 2;
	}
	c->inbound_retries = env_long("FAKECARRIER_INBOUND_RETRIES", 2, 0, 10);
	c->big_bytes = env_long("FAKECARRIER_MEDIA_BIG_BYTES", 6L << 20, 1, 256L << 20);
	sample_png_make();
	c->requests = json_array();
	c->callbacks = json_array();
	c->sink = json_array();
	c->media_log = json_array();
	c->flaky = json_object();
	c->inbound = json_array();
	if (!c->requests || !c->callbacks || !c->sink || !c->media_log || !c->flaky || !c->inbound ||
	    pthread_mutex_init(&c->lock, NULL) != 0 || pthread_mutex_init(&c->stop_lock, NULL) != 0 ||
	    cond_init_monotonic(&c->stop_cond) != 0) {
		fprintf(stderr, "fakecarrier: cannot initialize\n");
		return 1;
	}

	/* every thread inherits this mask: only sigwait below sees the signals */
	if (sigemptyset(&sigs) != 0 || sigaddset(&sigs, SIGTERM) != 0 || sigaddset(&sigs, SIGINT) != 0 ||
	    pthread_sigmask(SIG_BLOCK, &sigs, NULL) != 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fprintf(stderr, "fakecarrier: cannot set up signals\n");
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "fakecarrier: curl_global_init failed\n");
		return 1;
	}
	if (workers_start(c, nworkers) != 0) {
		fprintf(stderr, "fakecarrier: cannot start the callback threads\n");
		workers_stop(c);
		curl_global_cleanup();
		carrier_free(c);
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)c->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
			     (uint16_t)c->port, NULL, NULL, on_request, c,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, c,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4000,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "fakecarrier: cannot listen on 127.0.0.1:%u\n", c->port);
		workers_stop(c);
		curl_global_cleanup();
		carrier_free(c);
		return 1;
	}
	fprintf(stderr, "fakecarrier: listening on http://127.0.0.1:%u/ (account %s, "
		"%zu callback threads, callback delay %ld ms)\n",
		c->port, c->account_sid, nworkers, c->default_cb_delay_ms);

	while (sig != SIGTERM && sig != SIGINT) {
		if (sigwait(&sigs, &sig) != 0)
			sig = 0;
	}
	fprintf(stderr, "fakecarrier: stopping (signal %d)\n", sig);
	pthread_mutex_lock(&c->stop_lock);
	c->stopping = 1;
	pthread_cond_broadcast(&c->stop_cond);
	pthread_mutex_unlock(&c->stop_lock);
	MHD_stop_daemon(d);
	workers_stop(c);
	curl_global_cleanup();
	carrier_free(c);
	return 0;
}
