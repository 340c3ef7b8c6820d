#include "auth.h"

#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. */
#define ARGON_T 2
#define ARGON_M 19456
#define ARGON_P 1
#define TOKEN_BYTES 32
#define THROTTLE_MINUTES 15
#define MAX_FAILS_PER_ACCOUNT 5
#define MAX_FAILS_PER_ADDRESS 20

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

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned char salt[16];
	if (random_bytes(salt, sizeof salt) < 0)
		return -1;
	int rc = argon2id_hash_encoded(ARGON_T, ARGON_M, ARGON_P, password, strlen(password),
				       salt, sizeof salt, 32, out, PASSWORD_HASH_MAX);
	return rc == ARGON2_OK ? 0 : -1;
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

int password_verify(const char *hash, const char *password)
{
	return argon2id_verify(hash, password, strlen(password)) == ARGON2_OK;
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
		     " s.last_seen_at < NOW() - INTERVAL 60 SECOND"
		     " FROM sessions s JOIN users u ON u.id = s.user_id"
		     " LEFT JOIN organizations o ON o.id = u.org_id"
		     " WHERE s.token_hash = ? AND u.active = 1"
		     " AND s.last_seen_at > NOW() - INTERVAL ? MINUTE"
		     " AND s.created_at > NOW() - INTERVAL ? HOUR",
		     "bii", h, sizeof h, (long long)r->cfg->session_idle_minutes,
		     (long long)r->cfg->session_absolute_hours) < 0)
		return 503;
	if (rows.n != 1)
		return 0;
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
	/* idle expiry needs last_seen_at, but a write per request is waste */
	if (db_get_ll(&rows, 0, 15) &&
	    db_exec(r->db, "UPDATE sessions SET last_seen_at = NOW() WHERE id = ?", "i", s->id) < 0)
		return 503;
	r->session = s;
	return 0;
}

static const char *login_csrf_for(struct req *r, const char *pre)
{
	/* the form token is a digest of the pre-login cookie: another site can
	 * neither read the cookie nor compute the token */
	char *msg = arena_printf(r->a, "smsdesk-login:%s", pre);
	unsigned char h[32];
	sha256(msg, strlen(msg), h);
	char *out = arena_alloc(r->a, 65);
	hex(h, sizeof h, out);
	return out;
}

const char *auth_login_csrf(struct req *r)
{
	const char *name = cookie_name(r, "pre");
	const char *pre = params_get(&r->cookies, name);
	if (!token_well_formed(pre)) {
		char *fresh = arena_alloc(r->a, 2 * TOKEN_BYTES + 1);
		if (random_token(fresh) < 0)
			return "";
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
	return same_token(login_csrf_for(r, pre), given) ? 0 : 403;
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

static int count(struct req *r, const char *sql, const char *value, long long *n)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, sql, "sis", value, (long long)THROTTLE_MINUTES, value) < 0 ||
	    rows.n != 1)
		return -1;
	*n = db_get_ll(&rows, 0, 0);
	return 0;
}

enum login_result auth_login(struct req *r, const char *email, const char *password,
			     long long *user_id)
{
	long long by_account, by_address;
	/* failures since the last success, within the window */
	if (count(r, "SELECT COUNT(*) FROM login_attempts WHERE email = ? AND succeeded = 0"
		     " AND attempted_at > GREATEST(NOW() - INTERVAL ? MINUTE, COALESCE((SELECT"
		     " MAX(attempted_at) FROM login_attempts WHERE email = ? AND succeeded = 1),"
		     " '1970-01-01'))", email, &by_account) < 0 ||
	    count(r, "SELECT COUNT(*) FROM login_attempts WHERE remote_addr = ? AND succeeded = 0"
		     " AND attempted_at > GREATEST(NOW() - INTERVAL ? MINUTE, COALESCE((SELECT"
		     " MAX(attempted_at) FROM login_attempts WHERE remote_addr = ? AND succeeded = 1),"
		     " '1970-01-01'))", r->remote_addr, &by_address) < 0)
		return LOGIN_ERROR;
	if (by_account >= MAX_FAILS_PER_ACCOUNT || by_address >= MAX_FAILS_PER_ADDRESS) {
		log_warn(r->id, "sign-in refused by throttle (account %lld, address %lld failures)",
			 by_account, by_address);
		return LOGIN_THROTTLED;
	}
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
	if (db_exec(r->db, "INSERT INTO login_attempts (email, remote_addr, succeeded) VALUES (?, ?, ?)",
		    "ssi", email, r->remote_addr, (long long)ok) < 0)
		return LOGIN_ERROR;
	return ok ? LOGIN_OK : LOGIN_WRONG;
}
