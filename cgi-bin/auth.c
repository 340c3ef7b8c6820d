#include "auth.h"

#include "access.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "inbox.h"
#include "log.h"

#include <assert.h>
#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

/* OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. */
#define ARGON_T 2
#define ARGON_M 19456
#define ARGON_P 1
#define TOKEN_BYTES 32
/* Sign-in throttles (see throttle_begin), over LOGIN_THROTTLE_MINUTES. */
#define MAX_FAILS_PER_PAIR 5        /* one account from one address: a wall for that pair */
#define MAX_FAILS_PER_ADDRESS 20    /* one address, whatever the accounts */
#define ACCOUNT_SLOW_AFTER 5        /* one account from anywhere: then slower, see account_delay */
#define ACCOUNT_SLOW_MAX_SECONDS 60
#define KNOWN_ADDRESS_DAYS 30       /* an address the user signed in from: see count_recent */

const char *role_name(enum role role)
{
	static const char *const names[] = { "superadmin", "admin", "manager", "agent" };
	return names[role];
}

static int random_bytes(unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int random_token(char out[2 * TOKEN_BYTES + 1])
{
	unsigned char raw[TOKEN_BYTES];
	if (random_bytes(raw, sizeof raw) < 0)
		return -1;
	hex(raw, sizeof raw, out);
	return 0;
}

static void sha256(const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	if (!EVP_Digest(data, n, out, &len, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

static int token_well_formed(const char *t)
{
	if (!t || strlen(t) != 2 * TOKEN_BYTES)
		return 0;
	return strspn(t, "0123456789abcdef") == 2 * TOKEN_BYTES;
}

static int same_token(const char *a, const char *b)
{
	size_t n = strlen(a);
	return b && n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

/* ---- argon2id, in memory that goes back to the system
 *
 * Each hash needs ARGON_M KiB. With libargon2's malloc, glibc raised its
 * mmap threshold after the first free and then kept the blocks in every
 * worker thread's arena: ~177 MB after a burst of sign-ins. Here the blocks
 * come from mmap and go back with munmap, and at most HASHES_AT_ONCE hashes
 * run at once in a process (the others wait their turn). The encoded form
 * is argon2's own ($argon2id$v=19$m=...,t=...,p=...$salt$hash, base64
 * without padding), so hashes made either way verify either way. */
#define HASHES_AT_ONCE 1
#define SALT_BYTES 16
#define HASH_BYTES 32
/* what a stored hash may ask for: more would be a denial of service */
#define ARGON_M_MAX 65536
#define ARGON_T_MAX 16

static sem_t hash_slots;
static pthread_once_t hash_slots_once = PTHREAD_ONCE_INIT;

static void hash_slots_init(void)
{
	if (sem_init(&hash_slots, 0, HASHES_AT_ONCE) != 0)
		abort();
}

static int argon_alloc(uint8_t **memory, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ARGON2_MEMORY_ALLOCATION_ERROR;
	*memory = p;
	return ARGON2_OK;
}

static void argon_free(uint8_t *memory, size_t bytes)
{
	if (munmap(memory, bytes) != 0)
		log_error(NULL, "munmap of an argon2 block failed");
}

/* Runs argon2id into out, in one of the process's hash slots. */
static int argon_run(const char *password, const uint8_t *salt, size_t salt_len,
		     uint32_t t, uint32_t m, uint32_t p, uint8_t *out, size_t out_len)
{
	argon2_context ctx = {
		.out = out, .outlen = (uint32_t)out_len,
		.pwd = (uint8_t *)password, .pwdlen = (uint32_t)strlen(password),
		.salt = (uint8_t *)salt, .saltlen = (uint32_t)salt_len,
		.t_cost = t, .m_cost = m, .lanes = p, .threads = p,
		.version = ARGON2_VERSION_13,
		.allocate_cbk = argon_alloc, .free_cbk = argon_free,
		.flags = ARGON2_DEFAULT_FLAGS,
	};
	pthread_once(&hash_slots_once, hash_slots_init);
	while (sem_wait(&hash_slots) != 0)
		;   /* EINTR */
	int rc = argon2id_ctx(&ctx);
	sem_post(&hash_slots);
	return rc == ARGON2_OK ? 0 : -1;
}

static const char b64_digits[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 without padding; returns the length written (out has room). */
static size_t b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = b64_digits[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = b64_digits[(acc << (6 - bits)) & 63];
	out[o] = '\0';
	return o;
}

/* Decodes n base64 digits (no padding) into at most cap bytes; -1 if bad. */
static long b64_decode(const char *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = in[i] ? strchr(b64_digits, in[i]) : NULL;
		if (!d)
			return -1;
		acc = (acc << 6) | (uint32_t)(d - b64_digits);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return bits >= 6 ? -1 : (long)o;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	uint8_t salt[SALT_BYTES], hash[HASH_BYTES];
	char salt64[2 * SALT_BYTES], hash64[2 * HASH_BYTES];
	if (random_bytes(salt, sizeof salt) < 0 ||
	    argon_run(password, salt, sizeof salt, ARGON_T, ARGON_M, ARGON_P, hash, sizeof hash) < 0)
		return -1;
	b64_encode(salt, sizeof salt, salt64);
	b64_encode(hash, sizeof hash, hash64);
	int n = snprintf(out, PASSWORD_HASH_MAX, "$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
			 ARGON2_VERSION_13, ARGON_M, ARGON_T, ARGON_P, salt64, hash64);
	return n > 0 && n < PASSWORD_HASH_MAX ? 0 : -1;
}

int password_verify(const char *encoded, const char *password)
{
	unsigned version, m, t, p;
	int at = 0;
	if (sscanf(encoded, "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &version, &m, &t, &p, &at) != 4 ||
	    at == 0 || version != ARGON2_VERSION_13 || m < 8 || m > ARGON_M_MAX ||
	    t < 1 || t > ARGON_T_MAX || p < 1 || p > 4 || m < 8 * p)
		return 0;
	const char *salt64 = encoded + at, *dollar = strchr(salt64, '$');
	if (!dollar)
		return 0;
	const char *hash64 = dollar + 1;
	uint8_t salt[64], want[64], got[64];
	long salt_len = b64_decode(salt64, (size_t)(dollar - salt64), salt, sizeof salt);
	long hash_len = b64_decode(hash64, strlen(hash64), want, sizeof want);
	if (salt_len < 8 || hash_len < 16 ||
	    argon_run(password, salt, (size_t)salt_len, t, m, p, got, (size_t)hash_len) < 0)
		return 0;
	return CRYPTO_memcmp(got, want, (size_t)hash_len) == 0;
}

int password_length_ok(const char *p)
{
	size_t bytes = strlen(p);
	if (bytes > PASSWORD_MAX_BYTES || !utf8_valid(p, bytes))
		return 0;
	size_t chars = 0;
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if ((*c & 0xc0) != 0x80)
			chars++;
	return chars >= PASSWORD_MIN && chars <= PASSWORD_MAX;
}


/* Cookies are __Host- prefixed (and Secure) when smsdesk is served over https. */
static const char *cookie_name(const struct req *r, const char *base)
{
	if (strcmp(base, "session") == 0)
		return r->cfg->secure_cookies ? "__Host-smsdesk_session" : "smsdesk_session";
	return r->cfg->secure_cookies ? "__Host-smsdesk_pre" : "smsdesk_pre";
}

static void set_cookie(struct req *r, const char *name, const char *value, int expire)
{
	char *v = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
			       r->cfg->secure_cookies ? "; Secure" : "",
			       expire ? "; Max-Age=0" : "");
	resp_header(r, "Set-Cookie", v);
}

int auth_load_session(struct req *r)
{
	r->session = NULL;
	const char *token = params_get(&r->cookies, cookie_name(r, "session"));
	if (!token_well_formed(token))
		return 0;
	unsigned char h[32];
	sha256(token, strlen(token), h);
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT s.id, s.csrf_token, u.id, COALESCE(u.org_id, 0), u.role, u.name,"
		     " u.email, u.time_zone, u.sms_number, u.sms_permission, u.mms_enabled,"
		     " u.display_images, o.name, o.sms_enabled, o.sms_level,"
		     " s.last_seen_at < NOW() - INTERVAL 60 SECOND, o.time_zone, o.quiet_hours,"
		     " n.user_id IS NOT NULL, n.epoch, n.session_id,"
		     " IF(n.unread_epoch = n.epoch, n.unread, 0),"
		     " COALESCE(uo.n, 0), COALESCE(uu.n, 0), n.list_version,"
		     " " SQL_NEEDS_REPLY_COUNT("u.org_id", "u.id", "u.role")
		     " FROM sessions s JOIN users u ON u.id = s.user_id"
		     " LEFT JOIN organizations o ON o.id = u.org_id"
		     " LEFT JOIN sms_notify n ON n.user_id = u.id"
		     " LEFT JOIN unmatched_counts uo ON uo.org_id = u.org_id AND uo.user_id = 0"
		     " LEFT JOIN unmatched_counts uu ON uu.org_id = u.org_id AND uu.user_id = u.id"
		     " WHERE s.token_hash = ? AND u.active = 1"
		     " AND s.last_seen_at > NOW() - INTERVAL ? MINUTE"
		     " AND s.created_at > NOW() - INTERVAL ? HOUR",
		     "bii", h, sizeof h, (long long)r->cfg->session_idle_minutes,
		     (long long)r->cfg->session_absolute_hours) < 0)
		return 503;
	if (rows.n != 1)
		return 0;
	assert(rows.cols == 26);  /* the session's columns read below, 0 to 25 */
	struct session *s = arena_calloc(r->a, 1, sizeof *s);
	s->id = db_get_ll(&rows, 0, 0);
	s->csrf = db_get(&rows, 0, 1);
	s->user_id = db_get_ll(&rows, 0, 2);
	s->org_id = db_get_ll(&rows, 0, 3);
	s->role_name = db_get(&rows, 0, 4);
	s->role = !strcmp(s->role_name, "superadmin") ? ROLE_SUPERADMIN :
		  !strcmp(s->role_name, "admin") ? ROLE_ADMIN :
		  !strcmp(s->role_name, "manager") ? ROLE_MANAGER : ROLE_AGENT;
	s->name = db_get(&rows, 0, 5);
	s->email = db_get(&rows, 0, 6);
	s->time_zone = db_get(&rows, 0, 7);
	s->sms_number = db_get(&rows, 0, 8);
	s->sms_permission = db_get_ll(&rows, 0, 9) != 0;
	s->mms_enabled = db_get_ll(&rows, 0, 10) != 0;
	s->display_images = db_get_ll(&rows, 0, 11) != 0;
	s->org_name = db_get(&rows, 0, 12);
	s->org_sms_enabled = db_get_ll(&rows, 0, 13) != 0;
	s->org_sms_level = db_get(&rows, 0, 14);
	s->org_time_zone = db_get(&rows, 0, 16);
	s->org_quiet_hours = db_get(&rows, 0, 17);
	s->has_notify = db_get_ll(&rows, 0, 18) != 0;
	s->notify_epoch = db_get_ll(&rows, 0, 19);
	s->notify_session = db_get_ll(&rows, 0, 20);
	s->notify_unread = db_get_ll(&rows, 0, 21);
	s->unmatched_org = db_get_ll(&rows, 0, 22);
	s->unmatched_own = db_get_ll(&rows, 0, 23);
	s->list_version = db_get_ll(&rows, 0, 24);
	s->needs_reply = db_get_ll(&rows, 0, 25);
	/* idle expiry needs last_seen_at, but a write per request is waste */
	if (db_get_ll(&rows, 0, 15) &&
	    db_exec(r->db, "UPDATE sessions SET last_seen_at = NOW() WHERE id = ?", "i", s->id) < 0)
		return 503;
	r->session = s;
	return 0;
}

int login_form_token(const unsigned char key[LOGIN_KEY_BYTES], const char *pre, char out[65])
{
	char msg[128];
	unsigned char mac[32];
	unsigned int len = sizeof mac;
	int n = snprintf(msg, sizeof msg, "smsdesk-login:%s", pre);
	if (n < 0 || (size_t)n >= sizeof msg ||
	    !HMAC(EVP_sha256(), key, LOGIN_KEY_BYTES, (const unsigned char *)msg, (size_t)n,
		  mac, &len) || len != sizeof mac)
		return -1;
	hex(mac, sizeof mac, out);
	return 0;
}

/* The sign-in form's key: made by whichever process needs it first and kept
 * in MariaDB, so that every host against the database shares it; read once
 * per process. 0, or -1 when MariaDB failed. */
static unsigned char login_key[LOGIN_KEY_BYTES];
static int login_key_loaded;
static pthread_mutex_t login_key_lock = PTHREAD_MUTEX_INITIALIZER;

static int login_key_get(struct req *r, unsigned char out[LOGIN_KEY_BYTES])
{
	pthread_mutex_lock(&login_key_lock);
	if (!login_key_loaded) {
		unsigned char fresh[LOGIN_KEY_BYTES];
		struct db_rows rows;
		if (random_bytes(fresh, sizeof fresh) == 0 &&
		    db_exec(r->db, "INSERT IGNORE INTO server_secrets (name, secret)"
				   " VALUES ('login_form', ?)", "b", fresh, sizeof fresh) >= 0 &&
		    db_query(r->db, r->a, &rows, "SELECT secret FROM server_secrets"
			     " WHERE name = 'login_form'", "") >= 0 &&
		    rows.n == 1 && rows.len[0] == LOGIN_KEY_BYTES) {
			memcpy(login_key, db_get(&rows, 0, 0), LOGIN_KEY_BYTES);
			login_key_loaded = 1;
		}
		explicit_bzero(fresh, sizeof fresh);
	}
	int ok = login_key_loaded;
	if (ok)
		memcpy(out, login_key, LOGIN_KEY_BYTES);
	pthread_mutex_unlock(&login_key_lock);
	return ok ? 0 : -1;
}

/* The form token is a MAC of the pre-login cookie under the server's key:
 * another site can neither read the cookie nor, knowing one, make the token. */
static const char *login_csrf_for(struct req *r, const char *pre)
{
	unsigned char key[LOGIN_KEY_BYTES];
	char *out = arena_alloc(r->a, 65);
	int rc = login_key_get(r, key) < 0 ? -1 : login_form_token(key, pre, out);
	explicit_bzero(key, sizeof key);
	return rc < 0 ? NULL : out;
}

const char *auth_login_csrf(struct req *r)
{
	const char *name = cookie_name(r, "pre");
	const char *pre = params_get(&r->cookies, name);
	if (!token_well_formed(pre)) {
		char *fresh = arena_alloc(r->a, 2 * TOKEN_BYTES + 1);
		if (random_token(fresh) < 0)
			return NULL;
		set_cookie(r, name, fresh, 0);
		pre = fresh;
	}
	return login_csrf_for(r, pre);
}

int auth_check_csrf(struct req *r)
{
	const char *given = params_get(&r->form, "csrf");
	if (!given)
		return 403;
	if (r->session)
		return same_token(r->session->csrf, given) ? 0 : 403;
	const char *pre = params_get(&r->cookies, cookie_name(r, "pre"));
	if (!token_well_formed(pre))
		return 403;
	const char *want = login_csrf_for(r, pre);
	if (!want)
		return 503;
	return same_token(want, given) ? 0 : 403;
}

int auth_start_session(struct req *r, long long user_id)
{
	char token[2 * TOKEN_BYTES + 1], csrf[2 * TOKEN_BYTES + 1];
	if (random_token(token) < 0 || random_token(csrf) < 0)
		return 500;
	unsigned char h[32];
	sha256(token, strlen(token), h);
	/* a session id never survives a sign-in: the old one is dropped */
	if (r->session && auth_end_session(r))
		return 503;
	if (db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND (last_seen_at < NOW() - INTERVAL ? MINUTE"
			   " OR created_at < NOW() - INTERVAL ? HOUR)", "iii", user_id,
		    (long long)r->cfg->session_idle_minutes,
		    (long long)r->cfg->session_absolute_hours) < 0 ||
	    db_exec(r->db, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
			   " last_seen_at, remote_addr, user_agent) VALUES (?, ?, ?, NOW(), NOW(), ?, ?)",
		    "bisss", h, sizeof h, user_id, csrf, r->remote_addr, r->user_agent) < 0)
		return 503;
	set_cookie(r, cookie_name(r, "session"), token, 0);
	set_cookie(r, cookie_name(r, "pre"), "", 1);
	return 0;
}

int auth_end_session(struct req *r)
{
	if (r->session &&
	    db_exec(r->db, "DELETE FROM sessions WHERE id = ?", "i", r->session->id) < 0)
		return 503;
	r->session = NULL;
	set_cookie(r, cookie_name(r, "session"), "", 1);
	return 0;
}

/* Verifying against a real hash for unknown accounts keeps the answer's
 * timing from telling which emails exist. */
static char dummy[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[2 * TOKEN_BYTES + 1];
	if (random_token(pw) < 0 || password_hash(pw, dummy) < 0)
		dummy[0] = '\0';
}

/* Serialises the attempts on one account and from one address, on every
 * host: the attempt's transaction locks both keys' rows, always in key
 * order ('a:' before 'e:'), then counts and records. A key seen for the
 * first time gets its row outside the transaction (in the same order), and
 * the lock is tried again. On success the transaction is open. */
static int lock_keys(struct req *r, const char *email)
{
	const char *address = arena_printf(r->a, "a:%s", r->remote_addr);
	const char *account = arena_printf(r->a, "e:%s", email);
	for (int tries = 0; tries < 3; tries++) {
		struct db_rows rows;
		if (db_begin(r->db) < 0)
			return -1;
		if (db_query(r->db, r->a, &rows, "SELECT lock_key FROM login_throttle_locks"
			     " WHERE lock_key IN (?, ?) ORDER BY lock_key FOR UPDATE",
			     "ss", address, account) == 0 && rows.n == 2)
			return 0;
		db_rollback(r->db);
		if (db_unavailable(r->db))
			return -1;
		/* new keys, or (rarely) a deadlock while another request made them */
		if (db_exec(r->db, "INSERT IGNORE INTO login_throttle_locks (lock_key)"
				   " VALUES (?), (?)", "ss", address, account) < 0 &&
		    db_unavailable(r->db))
			return -1;
	}
	return -1;
}

struct recent {
	long long pair, address, account;   /* failures within the window */
	long long idle_seconds;             /* since the account's last attempt */
	int known_address;                  /* signed in to this account from here */
};

/* Failures count from the account's (or the pair's) last success, by id:
 * DATETIME has whole seconds, and a failure in the same second as a success
 * still counts. An address's failures never reset: signing in to one's own
 * account must not buy another round of guesses at others'. They count on
 * the accounts never signed in to from there, so that the typos of an
 * office behind one address do not add up to a wall. In-flight attempts
 * count as failures until they succeed. */
static int count_recent(struct req *r, const char *email, struct recent *c)
{
	const char *addr = r->remote_addr;
	long long window = LOGIN_THROTTLE_MINUTES, known_days = KNOWN_ADDRESS_DAYS;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT"
		     " (SELECT COUNT(*) FROM login_attempts WHERE email = ? AND remote_addr = ?"
		     "  AND succeeded = 0 AND attempted_at > NOW() - INTERVAL ? MINUTE"
		     "  AND id > (SELECT COALESCE(MAX(id), 0) FROM login_attempts"
		     "   WHERE email = ? AND remote_addr = ? AND succeeded = 1)),"
		     " (SELECT COUNT(*) FROM login_attempts f WHERE f.remote_addr = ? AND f.succeeded = 0"
		     "  AND f.attempted_at > NOW() - INTERVAL ? MINUTE AND NOT EXISTS (SELECT 1"
		     "   FROM login_attempts k WHERE k.email = f.email AND k.remote_addr = f.remote_addr"
		     "   AND k.succeeded = 1 AND k.attempted_at > NOW() - INTERVAL ? DAY)),"
		     " (SELECT COUNT(*) FROM login_attempts WHERE email = ? AND succeeded = 0"
		     "  AND attempted_at > NOW() - INTERVAL ? MINUTE"
		     "  AND id > (SELECT COALESCE(MAX(id), 0) FROM login_attempts"
		     "   WHERE email = ? AND succeeded = 1)),"
		     " (SELECT COALESCE(TIMESTAMPDIFF(SECOND, MAX(attempted_at), NOW()), 1000000)"
		     "  FROM login_attempts WHERE email = ?),"
		     " EXISTS (SELECT 1 FROM login_attempts WHERE email = ? AND remote_addr = ?"
		     "  AND succeeded = 1 AND attempted_at > NOW() - INTERVAL ? DAY)",
		     "ssisssiisissssi", email, addr, window, email, addr, addr, window, known_days, email, window,
		     email, email, email, addr, known_days) < 0 ||
	    rows.n != 1)
		return -1;
	assert(rows.cols == 5);
	c->pair = db_get_ll(&rows, 0, 0);
	c->address = db_get_ll(&rows, 0, 1);
	c->account = db_get_ll(&rows, 0, 2);
	c->idle_seconds = db_get_ll(&rows, 0, 3);
	c->known_address = db_get_ll(&rows, 0, 4) != 0;
	return 0;
}

/* The account's slow-down: after ACCOUNT_SLOW_AFTER failures from anywhere,
 * an address that never signed in to it waits 2, 4, 8 ... up to
 * ACCOUNT_SLOW_MAX_SECONDS after the account's last attempt (2 at least:
 * DATETIME's whole seconds make 1 any time at all). It slows a guesser with
 * many addresses; it never walls the account off, and the addresses its
 * user signs in from are not slowed at all. */
static long long account_delay(const struct recent *c)
{
	if (c->known_address || c->account < ACCOUNT_SLOW_AFTER)
		return 0;
	long long steps = c->account - ACCOUNT_SLOW_AFTER;
	long long delay = steps >= 5 ? ACCOUNT_SLOW_MAX_SECONDS : 2LL << steps;
	return delay > ACCOUNT_SLOW_MAX_SECONDS ? ACCOUNT_SLOW_MAX_SECONDS : delay;
}

/* Checks the throttles and records the attempt, as a failure until
 * throttle_end says otherwise, in one transaction under the keys' locks:
 * parallel guesses cannot all pass the check before any is recorded. */
static enum login_result throttle_begin(struct req *r, const char *email, long long *attempt)
{
	struct recent c;
	if (lock_keys(r, email) < 0)
		return LOGIN_ERROR;
	if (count_recent(r, email, &c) < 0)
		goto fail;
	enum login_result verdict = LOGIN_OK;
	/* an address's wall is for the accounts it never signed in to: a
	 * sprayer behind a shared address does not lock its users out */
	if (c.pair >= MAX_FAILS_PER_PAIR ||
	    (c.address >= MAX_FAILS_PER_ADDRESS && !c.known_address))
		verdict = LOGIN_THROTTLED;
	else if (c.idle_seconds < account_delay(&c))
		verdict = LOGIN_SLOWED;
	if (verdict != LOGIN_OK) {
		db_rollback(r->db);
		log_warn(r->id, "password check refused by throttle (failures: %lld this account from"
			 " here, %lld from here, %lld this account)", c.pair, c.address, c.account);
		return verdict;
	}
	if (db_exec(r->db, "INSERT INTO login_attempts (email, remote_addr, succeeded)"
			   " VALUES (?, ?, 0)", "ss", email, r->remote_addr) < 0)
		goto fail;
	*attempt = db_insert_id(r->db);
	if (db_commit(r->db) < 0)
		goto fail;
	return LOGIN_OK;
fail:
	db_rollback(r->db);
	return LOGIN_ERROR;
}

static enum login_result throttle_end(struct req *r, long long attempt, int ok)
{
	if (ok && db_exec(r->db, "UPDATE login_attempts SET succeeded = 1 WHERE id = ?",
			  "i", attempt) < 0)
		return LOGIN_ERROR;
	return ok ? LOGIN_OK : LOGIN_WRONG;
}

enum login_result auth_login(struct req *r, const char *email, const char *password,
			     long long *user_id)
{
	long long attempt;
	enum login_result rc = throttle_begin(r, email, &attempt);
	if (rc != LOGIN_OK)
		return rc;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT id, password_hash FROM users WHERE email = ? AND active = 1",
		     "s", email) < 0)
		return LOGIN_ERROR;
	int ok;
	if (rows.n == 1) {
		ok = password_verify(db_get(&rows, 0, 1), password);
		*user_id = db_get_ll(&rows, 0, 0);
	} else {
		pthread_once(&dummy_once, dummy_make);
		if (dummy[0])
			password_verify(dummy, password);
		ok = 0;
	}
	return throttle_end(r, attempt, ok);
}

enum login_result auth_check_password(struct req *r, const char *password)
{
	const struct session *s = r->session;
	long long attempt;
	enum login_result rc = throttle_begin(r, s->email, &attempt);
	if (rc != LOGIN_OK)
		return rc;
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT password_hash FROM users WHERE id = ?",
		     "i", s->user_id) < 0)
		return LOGIN_ERROR;
	int ok = rows.n == 1 && password_verify(db_get(&rows, 0, 0), password);
	return throttle_end(r, attempt, ok);
}

long long auth_drop_sessions(struct db *db, long long user_id, long long keep_id)
{
	if (keep_id)
		return db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "ii", user_id,
			       keep_id);
	return db_exec(db, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
}
