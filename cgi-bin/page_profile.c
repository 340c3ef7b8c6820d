/* /profile: who the signed-in user is, their SMS number and permissions,
 * and the form to change their password. */
#include "pages.h"

#include "auth.h"
#include "db.h"
#include "log.h"

#include <string.h>

static const char *role_label(enum role role)
{
	switch (role) {
	case ROLE_SUPERADMIN: return "Service administrator";
	case ROLE_ADMIN: return "Administrator";
	case ROLE_MANAGER: return "Manager";
	case ROLE_AGENT: return "Agent";
	}
	return "";
}

static const char *yes_no(int on)
{
	return on ? "Yes" : "No";
}

int page_profile(struct req *r)
{
	/* the session is read from the database on every request, so it
	 * already holds the user's current number and permissions */
	const struct session *s = r->session;
	tmpl_dict *d = page_begin(r, "Profile", "profile.tpl");
	tmpl_set(d, "NAME", s->name);
	tmpl_set(d, "EMAIL", s->email);
	tmpl_set(d, "ROLE", role_label(s->role));
	if (s->org_name)
		tmpl_set(tmpl_section(d, "ORG"), "ORG_NAME", s->org_name);
	else
		tmpl_show(d, "NO_ORG");
	if (s->sms_number && *s->sms_number)
		tmpl_set(tmpl_section(d, "SMS_NUMBER"), "NUMBER", s->sms_number);
	else
		tmpl_show(d, "NO_SMS_NUMBER");
	tmpl_set(d, "SMS_PERMISSION", yes_no(s->sms_permission));
	tmpl_set(d, "MMS_ENABLED", yes_no(s->mms_enabled));
	tmpl_set(d, "DISPLAY_IMAGES", yes_no(s->display_images));
	tmpl_set(d, "CSRF", s->csrf);
	tmpl_set_int(d, "PASSWORD_MIN", PASSWORD_MIN);
	tmpl_set_int(d, "PASSWORD_MAX", PASSWORD_MAX);
	return page_finish(r);
}

static int redirect_error(struct req *r, const char *code)
{
	log_info(r->id, "password change refused: %s", code);
	resp_redirect(r, arena_printf(r->a, "/profile?error=%s", code));
	return 0;
}

/* Stores the new hash and ends every other session of the user, so that
 * a stolen session does not outlive the password change. */
static int store_password(struct req *r, const char *hash)
{
	const struct session *s = r->session;
	if (db_begin(r->db) < 0)
		return 503;
	if (db_exec(r->db, "UPDATE users SET password_hash = ?, updated_at = NOW() WHERE id = ?",
		    "si", hash, s->user_id) < 0 ||
	    db_exec(r->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?",
		    "ii", s->user_id, s->id) < 0 ||
	    db_commit(r->db) < 0) {
		db_rollback(r->db);
		return 503;
	}
	return 0;
}

int page_profile_password(struct req *r)
{
	const struct session *s = r->session;
	const char *current = params_get(&r->form, "current");
	const char *fresh = params_get(&r->form, "new");
	const char *confirm = params_get(&r->form, "confirm");
	if (!fresh || !password_length_ok(fresh))
		return redirect_error(r, "bad_password");
	if (!confirm || strcmp(fresh, confirm) != 0)
		return redirect_error(r, "password_mismatch");
	if (!current || strlen(current) > PASSWORD_MAX_BYTES)
		return redirect_error(r, "wrong_password");

	/* the sign-in throttles: a stolen session is no oracle for the password */
	switch (auth_check_password(r, current)) {
	case LOGIN_OK:
		break;
	case LOGIN_WRONG:
		return redirect_error(r, "wrong_password");
	case LOGIN_THROTTLED:
	case LOGIN_SLOWED:
		return redirect_error(r, "too_many_attempts");
	case LOGIN_ERROR:
		return 503;
	}
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(fresh, hash) < 0)
		return 500;
	int rc = store_password(r, hash);
	if (rc)
		return rc;
	log_info(r->id, "user %lld changed their password", s->user_id);
	resp_redirect(r, "/profile?done=password_changed");
	return 0;
}
