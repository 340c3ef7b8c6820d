/* The media worker: claims due message_media rows (FOR UPDATE SKIP LOCKED,
 * a claim token and a lease past the download's time limit), downloads each
 * outside any transaction, then records the outcome under the claim token.
 * It runs in its own thread (media_worker.c), never the dispatcher's, so a
 * slow or dead media host never delays a text; each download has a total
 * time limit (media.timeout_ms) and a low-speed limit.
 * Where it fetches from: only URLs on the carrier's own origin (the scheme,
 * host and port of carrier.base_url; anything else is never requested), and
 * redirects from there only to public addresses, checked on the address
 * each connection is about to use (so a name that resolves elsewhere the
 * second time changes nothing). What it keeps: image answers (raster types
 * only) up to media.max_bytes. The carrier's credentials go only to the
 * carrier's origin; redirects elsewhere (Twilio's media URLs redirect to a
 * storage host) are followed without them. What users see of a failure is a
 * plain reason; the details go to the log. */
#include "media.h"

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 4
#define STR_(x) #x
#define STR(x) STR_(x)
#define LEASE_EXTRA_S 30
#define MAX_REDIRECTS 5L
#define TYPE_MAX 128

struct media_fetcher {
	const struct config *cfg;
	CURL *curl;
	int (*should_stop)(void);
	media_backoff_fn backoff;
	struct buf body;
	int type_checked, too_large, not_image, blocked;
	char type[TYPE_MAX + 1];
	char blocked_at[INET6_ADDRSTRLEN];
};

enum fetch_outcome {
	FETCH_OK,        /* body and type hold the image */
	FETCH_REFUSED,   /* too large or not an image: for good */
	FETCH_FAILED,    /* refused by the server or a bad URL: for good */
	FETCH_RETRY,     /* connection error, timeout, 429, 5xx: later */
	FETCH_STOPPED,   /* cut off at shutdown: handed back, no attempt spent */
};

struct job {
	long long id, attempts;
	const char *url;
	enum fetch_outcome outcome;
	char error[256];   /* the details, for the log */
};

/* What users see of an image that could not be fetched (failed for good,
 * or after the last attempt): never the library's or the server's words. */
#define PLAIN_REASON "the image could not be fetched"

/* ---- rules */

int media_image_type(const char *content_type, char *out, size_t out_len)
{
	if (!out_len)
		return -1;
	const char *s = content_type ? content_type : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strcspn(s, ";");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	size_t o = 0;
	int token = n > 0;
	for (size_t i = 0; i < n && o + 1 < out_len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* RFC 9110 token characters and the one '/': nothing that could
		 * break a header line or a file name */
		if (!(isalnum(c) || strchr("!#$&^_.+-/", c)))
			token = 0;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
	if (!token || o != n)
		return -1;
	/* only raster types a browser shows without running anything: every
	 * name an SVG, XML or HTML document can hide behind is refused */
	static const char *const raster[] = {
		"image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/webp",
		"image/heic", "image/heif",
	};
	for (size_t i = 0; i < sizeof raster / sizeof raster[0]; i++)
		if (strcmp(out, raster[i]) == 0)
			return 0;
	return -1;
}

int media_shown_inline(const char *type)
{
	return type && strcmp(type, "image/heic") != 0 && strcmp(type, "image/heif") != 0;
}

struct origin {
	char *scheme, *host, *port;
};

static void origin_free(struct origin *o)
{
	curl_free(o->scheme);
	curl_free(o->host);
	curl_free(o->port);
}

static int origin_of(const char *url, struct origin *o)
{
	memset(o, 0, sizeof *o);
	CURLU *u = curl_url();
	if (!u)
		return -1;
	int rc = curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
		 curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) != CURLUE_OK ||
		 curl_url_get(u, CURLUPART_HOST, &o->host, 0) != CURLUE_OK ||
		 curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) != CURLUE_OK ? -1 : 0;
	curl_url_cleanup(u);
	if (rc < 0)
		origin_free(o);
	return rc;
}

int media_same_origin(const char *url, const char *base_url)
{
	struct origin a, b;
	if (!url || !base_url || origin_of(url, &a) < 0)
		return 0;
	if (origin_of(base_url, &b) < 0) {
		origin_free(&a);
		return 0;
	}
	int same = strcasecmp(a.scheme, b.scheme) == 0 && strcasecmp(a.host, b.host) == 0 &&
		   strcmp(a.port, b.port) == 0;
	origin_free(&a);
	origin_free(&b);
	return same;
}

/* IPv4 a.b.c.d as a host-order number. */
static int v4_public(uint32_t a, int allow_loopback)
{
	static const struct { uint32_t net; int bits; } closed[] = {
		{ 0x00000000u, 8 },   /* "this network" */
		{ 0x0a000000u, 8 },   /* private */
		{ 0x64400000u, 10 },  /* CGNAT, shared address space */
		{ 0xa9fe0000u, 16 },  /* link-local, cloud metadata (169.254.169.254) */
		{ 0xac100000u, 12 },  /* private */
		{ 0xc0000000u, 24 },  /* IETF protocol assignments */
		{ 0xc0000200u, 24 },  /* documentation */
		{ 0xc0586300u, 24 },  /* 6to4 relay anycast */
		{ 0xc0a80000u, 16 },  /* private */
		{ 0xc6120000u, 15 },  /* benchmarking */
		{ 0xc6336400u, 24 },  /* documentation */
		{ 0xcb007100u, 24 },  /* documentation */
		{ 0xe0000000u, 4 },   /* multicast */
		{ 0xf0000000u, 4 },   /* reserved, broadcast */
	};
	if ((a >> 24) == 127)
		return allow_loopback;
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++)
		if ((a >> (32 - closed[i].bits)) == (closed[i].net >> (32 - closed[i].bits)))
			return 0;
	return 1;
}

static uint32_t v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int v6_public(const unsigned char *b, int allow_loopback)
{
	static const unsigned char zero[16];
	/* ::ffff:a.b.c.d (v4-mapped) and ::a.b.c.d (v4-compatible, ::1 and ::
	 * among them): the IPv4 address's rules */
	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
		return v4_public(v4_at(b + 12), allow_loopback);
	if (memcmp(b, zero, 15) == 0 && b[15] == 1)
		return allow_loopback;                          /* ::1 */
	if (memcmp(b, zero, 12) == 0)
		return 0;                                       /* ::, ::a.b.c.d */
	/* 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address */
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	if (memcmp(b, nat64, 12) == 0)
		return v4_public(v4_at(b + 12), 0);
	if (b[0] == 0x20 && b[1] == 0x02)
		return v4_public(v4_at(b + 2), 0);
	if ((b[0] & 0xfe) == 0xfc)                          /* fc00::/7 unique local (fd00:ec2::254) */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)          /* fe80::/10 link-local */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)          /* fec0::/10 site-local */
		return 0;
	if (b[0] == 0xff)                                   /* multicast */
		return 0;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)  /* documentation */
		return 0;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)        /* Teredo */
		return 0;
	if (b[0] == 0x01 && b[1] == 0 && memcmp(b + 2, zero, 6) == 0)      /* 100::/64 discard */
		return 0;
	return (b[0] & 0xe0) == 0x20;                       /* 2000::/3: global unicast only */
}

int media_address_allowed(const struct sockaddr *sa, int allow_loopback)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return v4_public(ntohl(in->sin_addr.s_addr), allow_loopback);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return v6_public(in6->sin6_addr.s6_addr, allow_loopback);
	}
	return 0;
}

const char *media_extension(const char *type)
{
	static const char *const known[][2] = {
		{ "image/png", "png" }, { "image/jpeg", "jpg" }, { "image/jpg", "jpg" },
		{ "image/pjpeg", "jpg" }, { "image/gif", "gif" }, { "image/webp", "webp" },
		{ "image/heic", "heic" }, { "image/heif", "heif" },
	};
	for (size_t i = 0; type && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(type, known[i][0]) == 0)
			return known[i][1];
	return "img";
}

/* ---- libcurl */

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct media_fetcher *f = ctx;
	size_t len = size * n;
	long status = 0;
	if (curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
	    status < 200 || status > 299)
		return len; /* an error page: not kept */
	if (!f->type_checked) {
		char *ct = NULL;
		f->type_checked = 1;
		if (curl_easy_getinfo(f->curl, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK ||
		    media_image_type(ct, f->type, sizeof f->type) < 0) {
			f->not_image = 1;
			return 0; /* aborts: no need to download what is not kept */
		}
	}
	if (f->body.len + len > (size_t)f->cfg->media_max_bytes) {
		f->too_large = 1;
		return 0;
	}
	buf_append(&f->body, p, len);
	return len;
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct media_fetcher *f = ctx;
	(void)dt, (void)dn, (void)ut, (void)un;
	return f->should_stop && f->should_stop();
}

/* Every connection libcurl opens, the first and each redirect's, after its
 * name was resolved: only to an address media_address_allowed lets
 * through, so neither a redirect nor a name that resolves elsewhere later
 * reaches loopback, private or metadata addresses. */
static curl_socket_t on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct media_fetcher *f = ctx;
	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !media_address_allowed(&addr->addr, f->cfg->media_allow_loopback)) {
		char host[INET6_ADDRSTRLEN] = "?";
		const void *raw = addr->family == AF_INET6 ?
			(const void *)&((const struct sockaddr_in6 *)&addr->addr)->sin6_addr :
			(const void *)&((const struct sockaddr_in *)&addr->addr)->sin_addr;
		if ((addr->family == AF_INET || addr->family == AF_INET6) &&
		    !inet_ntop(addr->family, raw, host, sizeof host))
			snprintf(host, sizeof host, "?");
		f->blocked = 1;
		snprintf(f->blocked_at, sizeof f->blocked_at, "%s", host);
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

struct media_fetcher *media_fetcher_open(const struct config *cfg, int (*should_stop)(void),
					 media_backoff_fn backoff)
{
	struct origin o;
	if (origin_of(cfg->carrier_base_url, &o) < 0) {
		log_error("media", "carrier.base_url is not a URL libcurl can read");
		return NULL;
	}
	origin_free(&o);
	struct media_fetcher *f = xmalloc(sizeof *f);
	memset(f, 0, sizeof *f);
	f->cfg = cfg;
	f->should_stop = should_stop;
	f->backoff = backoff;
	f->curl = curl_easy_init();
	if (!f->curl) {
		log_error("media", "cannot start libcurl");
		free(f);
		return NULL;
	}
	return f;
}

void media_fetcher_close(struct media_fetcher *f)
{
	if (!f)
		return;
	curl_easy_cleanup(f->curl);
	buf_free(&f->body);
	free(f);
}

/* Sets up one download on the kept handle (connections are reused). */
static int prepare(struct media_fetcher *f, const char *url)
{
	CURL *h = f->curl;
	const struct config *cfg = f->cfg;
	curl_easy_reset(h);
	buf_clear(&f->body);
	f->type_checked = f->too_large = f->not_image = f->blocked = 0;
	f->type[0] = f->blocked_at[0] = '\0';
	if (curl_easy_setopt(h, CURLOPT_URL, url) ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) ||
	    curl_easy_setopt(h, CURLOPT_MAXREDIRS, MAX_REDIRECTS) ||
	    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    /* the default, said out loud: credentials never follow a redirect
	     * to another scheme, host or port */
	    curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L) ||
	    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cfg->media_max_bytes) ||
	    /* a slow or stalled host is given up on, not waited for */
	    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)cfg->media_timeout_ms) ||
	    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, (long)cfg->media_low_speed_bytes) ||
	    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)cfg->media_low_speed_seconds) ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L) ||
	    /* no proxy from the environment: the address check is on the
	     * connection to the media host itself */
	    curl_easy_setopt(h, CURLOPT_PROXY, "") ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket) ||
	    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, f) ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) ||
	    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress) ||
	    curl_easy_setopt(h, CURLOPT_XFERINFODATA, f) ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, f) ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT, "smsdesk/1"))
		return -1;
	if (!media_same_origin(url, cfg->carrier_base_url))
		return 0;
	return curl_easy_setopt(h, CURLOPT_USERNAME, cfg->carrier_account_sid) ||
	       curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->carrier_auth_token) ||
	       curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) ? -1 : 0;
}

static void fetch(struct media_fetcher *f, struct job *j)
{
	if (!media_same_origin(j->url, f->cfg->carrier_base_url)) {
		/* never requested: the carrier's media come from the carrier */
		j->outcome = FETCH_FAILED;
		snprintf(j->error, sizeof j->error, "not on the carrier's origin (carrier.base_url): %.200s",
			 j->url);
		return;
	}
	if (prepare(f, j->url) < 0) {
		j->outcome = FETCH_RETRY;
		snprintf(j->error, sizeof j->error, "cannot set up libcurl");
		return;
	}
	CURLcode rc = curl_easy_perform(f->curl);
	long status = 0;
	if (curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
		status = 0;
	if (f->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		j->outcome = FETCH_REFUSED;
		snprintf(j->error, sizeof j->error, "larger than the %ld bytes allowed (media.max_bytes)",
			 f->cfg->media_max_bytes);
		return;
	}
	if (f->not_image) {
		j->outcome = FETCH_REFUSED;
		snprintf(j->error, sizeof j->error, "not an image: Content-Type %s",
			 *f->type ? f->type : "missing");
		return;
	}
	if (rc != CURLE_OK && f->blocked) {
		/* (a name with a public address too may have been reached on it) */
		j->outcome = FETCH_FAILED;
		snprintf(j->error, sizeof j->error, "%s is not a public address: not connected to",
			 f->blocked_at);
		return;
	}
	if (rc != CURLE_OK) {
		/* a bad URL, a redirect loop or a redirect to another protocol
		 * will not get better; the network may */
		int for_good = rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT ||
			       rc == CURLE_TOO_MANY_REDIRECTS || rc == CURLE_LOGIN_DENIED;
		j->outcome = rc == CURLE_ABORTED_BY_CALLBACK ? FETCH_STOPPED :
			     for_good ? FETCH_FAILED : FETCH_RETRY;
		snprintf(j->error, sizeof j->error, "%s", rc == CURLE_ABORTED_BY_CALLBACK ?
			 "stopped at shutdown" : curl_easy_strerror(rc));
		return;
	}
	if (status == 429 || status >= 500) {
		j->outcome = FETCH_RETRY;
		snprintf(j->error, sizeof j->error, "HTTP %ld from the media server", status);
		return;
	}
	if (status < 200 || status > 299) {
		j->outcome = FETCH_FAILED;
		snprintf(j->error, sizeof j->error, "HTTP %ld from the media server", status);
		return;
	}
	if (!f->type_checked) { /* an empty answer never reached on_body */
		char *ct = NULL;
		if (curl_easy_getinfo(f->curl, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK ||
		    media_image_type(ct, f->type, sizeof f->type) < 0) {
			j->outcome = FETCH_REFUSED;
			snprintf(j->error, sizeof j->error, "not an image: Content-Type %s",
				 *f->type ? f->type : "missing");
			return;
		}
	}
	if (f->body.len == 0) {
		j->outcome = FETCH_REFUSED;
		snprintf(j->error, sizeof j->error, "the media server answered no bytes");
		return;
	}
	j->outcome = FETCH_OK;
}

/* ---- MariaDB */

/* Claims up to BATCH due rows under one token; how many, or -1. Each
 * row's lease covers the downloads before it in this round. */
static int claim(struct media_fetcher *f, struct db *db, struct arena *a, struct job *jobs,
		 unsigned long long token)
{
	struct db_rows rows;
	if (db_begin(db) < 0)
		return -1;
	if (db_query(db, a, &rows,
		     "SELECT id, attempts, url FROM message_media"
		     " WHERE status = 'pending' AND next_attempt_at <= NOW(6)"
		     " ORDER BY next_attempt_at, id LIMIT " STR(BATCH) " FOR UPDATE SKIP LOCKED", "") < 0)
		goto fail;
	long long timeout_ms = f->cfg->media_timeout_ms;
	int n = 0;
	for (size_t i = 0; i < rows.n && n < BATCH; i++) {
		struct job *j = &jobs[n++];
		memset(j, 0, sizeof *j);
		j->id = db_get_ll(&rows, i, 0);
		j->attempts = db_get_ll(&rows, i, 1) + 1;
		j->url = db_get(&rows, i, 2);
		long long lease_ms = timeout_ms * n + LEASE_EXTRA_S * 1000LL;
		if (db_exec(db, "UPDATE message_media SET attempts = attempts + 1, claim_token = ?,"
				" next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND WHERE id = ?",
			    "iii", (long long)token, lease_ms * 1000, j->id) < 0)
			goto fail;
	}
	if (db_commit(db) < 0)
		return -1;
	return n;
fail:
	db_rollback(db);
	return -1;
}

static long long record(struct media_fetcher *f, struct db *db, struct arena *a, struct job *j,
			unsigned long long token)
{
	const struct config *cfg = f->cfg;
	switch (j->outcome) {
	case FETCH_OK: {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		char hex[2 * 32 + 1];
		if (!EVP_Digest(f->body.p, f->body.len, md, &mdlen, EVP_sha256(), NULL) ||
		    mdlen != 32) {
			log_error("media", "media %lld: SHA-256 failed", j->id);
			return -1;
		}
		for (unsigned int i = 0; i < mdlen; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		log_info("media", "media %lld: fetched %zu bytes of %s", j->id, f->body.len, f->type);
		return db_exec(db, "UPDATE message_media SET status = 'fetched', bytes = ?,"
				   " content_type = ?, size = ?, sha256 = ?, error = '',"
				   " fetched_at = NOW(6), claim_token = 0"
				   " WHERE id = ? AND claim_token = ? AND status = 'pending'",
			       "bsisii", f->body.p, f->body.len, f->type, (long long)f->body.len, hex,
			       j->id, (long long)token);
	}
	case FETCH_REFUSED:
		/* too large, or not an image: smsdesk's own words */
		log_warn("media", "media %lld refused: %s", j->id, j->error);
		return db_exec(db, "UPDATE message_media SET status = 'refused', error = LEFT(?, 255),"
				   " claim_token = 0 WHERE id = ? AND claim_token = ? AND status = 'pending'",
			       "sii", j->error, j->id, (long long)token);
	case FETCH_FAILED:
		/* the details (a library's or a server's words, an address) go to
		 * the log only: users see the plain reason */
		log_warn("media", "media %lld failed: %s", j->id, j->error);
		return db_exec(db, "UPDATE message_media SET status = 'failed', error = ?,"
				   " claim_token = 0 WHERE id = ? AND claim_token = ? AND status = 'pending'",
			       "sii", PLAIN_REASON, j->id, (long long)token);
	case FETCH_RETRY:
	case FETCH_STOPPED: /* (handed back by media_fetch_round instead) */
		break;
	}
	if (j->attempts >= cfg->carrier_max_attempts) {
		log_warn("media", "media %lld failed: gave up after %lld attempts: %s", j->id,
			 j->attempts, j->error);
		const char *why = arena_printf(a, PLAIN_REASON " (%lld attempts)", j->attempts);
		return db_exec(db, "UPDATE message_media SET status = 'failed', error = ?,"
				   " claim_token = 0 WHERE id = ? AND claim_token = ? AND status = 'pending'",
			       "sii", why, j->id, (long long)token);
	}
	long long wait = f->backoff(cfg, j->attempts, 0);
	log_info("media", "media %lld: attempt %lld not fetched (%s); next in %lld ms", j->id,
		 j->attempts, j->error, wait);
	return db_exec(db, "UPDATE message_media SET next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND,"
			   " error = ?, claim_token = 0"
			   " WHERE id = ? AND claim_token = ? AND status = 'pending'",
		       "isii", wait * 1000, "not fetched yet: trying again", j->id, (long long)token);
}

/* Hands a claimed row back untouched (at shutdown, before its download). */
static long long release(struct db *db, const struct job *j, unsigned long long token)
{
	return db_exec(db, "UPDATE message_media SET attempts = attempts - 1, next_attempt_at = NOW(6),"
			   " claim_token = 0 WHERE id = ? AND claim_token = ? AND status = 'pending'",
		       "ii", j->id, (long long)token);
}

int media_fetch_round(struct media_fetcher *f, struct db *db, struct arena *a)
{
	struct job jobs[BATCH];
	unsigned long long token = 0;
	if (!f)
		return 0;
	if (getrandom(&token, sizeof token, 0) != (ssize_t)sizeof token)
		return -1;
	token = (token >> 1) | 1; /* fits a signed bind, never 0 */
	arena_reset(a);
	db_request_begin(db, "media");
	int n = claim(f, db, a, jobs, token);
	if (n <= 0)
		return n;
	int trouble = 0;
	for (int i = 0; i < n; i++) {
		int stop = f->should_stop && f->should_stop();
		if (!stop)
			fetch(f, &jobs[i]);
		/* a download cut off at shutdown is handed back like one not
		 * begun: a restart never spends an attempt, nor fails the last */
		stop = stop || jobs[i].outcome == FETCH_STOPPED;
		db_request_begin(db, "media");
		long long rc = stop ? release(db, &jobs[i], token) : record(f, db, a, &jobs[i], token);
		if (rc < 0) {
			/* the lease runs out and the row is fetched again */
			log_error("media", "media %lld: outcome not recorded", jobs[i].id);
			trouble = 1;
		} else if (rc == 0 && !stop) {
			log_warn("media", "media %lld: claim lost before its outcome was recorded",
				 jobs[i].id);
		}
	}
	/* one large image should not pin its memory between rounds */
	if (f->body.cap > (1u << 20))
		buf_free(&f->body);
	else
		buf_clear(&f->body);
	return trouble ? -1 : n;
}

/* ---- the stored images, for GET /media/ID (page_media.c) */

enum { MI_ID, MI_SIZE, MI_LEAD_ID, MI_USER_ID, MI_AGENT_MMS_ENABLED, MI_TYPE };
#define MEDIA_IMAGE_SQL \
	"SELECT mm.id, mm.size, COALESCE(m.lead_id, 0), COALESCE(m.user_id, 0)," \
	" COALESCE(u.mms_enabled, 0), mm.content_type" \
	" FROM message_media mm JOIN messages m ON m.id = mm.message_id" \
	" LEFT JOIN users u ON u.id = m.user_id" \
	" WHERE mm.id = ? AND m.org_id = ? AND m.direction = 'inbound'" \
	" AND mm.status = 'fetched'"

int media_image_find(struct db *db, struct arena *a, long long id, long long org_id,
		     struct media_image *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, MEDIA_IMAGE_SQL, "ii", id, org_id) < 0)
		return -1;
	if (rows.n != 1 || !db_get(&rows, 0, MI_TYPE))
		return 0;
	out->id = db_get_ll(&rows, 0, MI_ID);
	out->size = db_get_ll(&rows, 0, MI_SIZE);
	out->lead_id = db_get_ll(&rows, 0, MI_LEAD_ID);
	out->user_id = db_get_ll(&rows, 0, MI_USER_ID);
	out->agent_mms_enabled = db_get_ll(&rows, 0, MI_AGENT_MMS_ENABLED) != 0;
	out->type = db_get(&rows, 0, MI_TYPE);
	return 1;
}

enum { MB_BYTES };

int media_image_bytes(struct db *db, struct arena *a, long long id, const char **bytes,
		      size_t *len)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT bytes FROM message_media WHERE id = ?"
				   " AND status = 'fetched'", "i", id) < 0)
		return -1;
	if (rows.n != 1 || !db_get(&rows, 0, MB_BYTES))
		return 0;
	*bytes = db_get(&rows, 0, MB_BYTES);
	*len = rows.len[MB_BYTES];
	return 1;
}
