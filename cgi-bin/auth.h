/* Who is asking: passwords, sessions, CSRF tokens, sign-in throttling. */
#ifndef SMSDESK_AUTH_H
#define SMSDESK_AUTH_H
#include <stddef.h>

struct req;

enum role { ROLE_SUPERADMIN, ROLE_ADMIN, ROLE_MANAGER, ROLE_AGENT };

struct session {
	long long id, user_id, org_id;   /* org_id 0 for a superadmin */
	enum role role;
	const char *role_name, *name, *email, *time_zone, *sms_number;
	int sms_permission, mms_enabled, display_images;
	const char *org_name, *org_sms_level;
	const char *org_time_zone, *org_quiet_hours;  /* NULL for a superadmin */
	int org_sms_enabled;
	const char *csrf;
	/* the header's values, read in the same round trip (page.c): the
	 * user's sms_notify row (has_notify 0 when there is none yet) and the
	 * Unmatched counts, the organization's and the user's own */
	int has_notify;
	long long notify_epoch, notify_session, notify_unread;
	long long list_version;  /* of the user's lead list (leads.c) */
	long long unmatched_org, unmatched_own;
	/* conversations that need this user's reply (inbox.h) */
	long long needs_reply;
};

#define PASSWORD_HASH_MAX 128
/* Lengths in characters (Unicode code points), whoever counts them. */
#define PASSWORD_MIN 10
#define PASSWORD_MAX 256
/* UTF-8 takes at most 4 bytes a character. */
#define PASSWORD_MAX_BYTES (4 * PASSWORD_MAX)

/* argon2id; 0 or -1. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
int password_verify(const char *hash, const char *password);
/* The one rule for a new password, for the web forms, the import and
 * smsdeskctl alike: valid UTF-8 of PASSWORD_MIN to PASSWORD_MAX characters. */
int password_length_ok(const char *password);

/* Loads r->session from the session cookie (NULL when absent or expired).
 * Returns 0, or 503 when MariaDB failed. */
int auth_load_session(struct req *r);
/* 0 when the POST carries the right csrf field, else 403. */
int auth_check_csrf(struct req *r);
/* The token for the sign-in form, tied to a pre-login cookie it sets;
 * NULL when MariaDB failed (the key lives there). */
const char *auth_login_csrf(struct req *r);
#define LOGIN_KEY_BYTES 32
/* HMAC-SHA256 of the pre-login cookie under the server's key, 64 hex
 * digits: the sign-in form's token. 0 or -1. */
int login_form_token(const unsigned char key[LOGIN_KEY_BYTES], const char *pre, char out[65]);
/* Creates a fresh session for the user and sets its cookie. 0 or 503. */
int auth_start_session(struct req *r, long long user_id);
/* Deletes the current session and expires its cookie. */
int auth_end_session(struct req *r);
struct db;
/* Ends every session of the user but keep_id (0: every one), in the
 * caller's transaction (a password change, a deactivation). The rows
 * deleted, or DB_ERR. */
long long auth_drop_sessions(struct db *db, long long user_id, long long keep_id);

/* How long a wall for one account from one address, or for one address,
 * lasts after its last counted failure. */
#define LOGIN_THROTTLE_MINUTES 15
enum login_result {
	LOGIN_OK,
	LOGIN_WRONG,
	LOGIN_THROTTLED,   /* too many failures from this address (for this account or all) */
	LOGIN_SLOWED,      /* the account's slow-down: try again in a minute */
	LOGIN_ERROR,
};
/* Checks the throttles and the password, records the attempt. */
enum login_result auth_login(struct req *r, const char *email, const char *password,
			     long long *user_id);
/* The signed-in user's password (to change it), under the same throttles. */
enum login_result auth_check_password(struct req *r, const char *password);

const char *role_name(enum role role);
/* 256 random bits as 64 hex digits (and the NUL): tokens of any kind. */
int random_token(char out[65]);
#endif
