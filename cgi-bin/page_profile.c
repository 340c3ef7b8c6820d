/* /profile: who the signed-in user is, their SMS number and permissions,
 * and the form to change their password. */
#include "pages.h"

#include "auth.h"
#include "log.h"
#include "users.h"

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

/* The form, read once: the three password fields as sent. */
struct password_form {
	const char *current, *fresh, *confirm;
};

static void password_form_read(const struct req *r, struct password_form *f)
{
	f->current = params_get(&r->form, "current");
	f->fresh = params_get(&r->form, "new");
	f->confirm = params_get(&r->form, "confirm");
}

/* The first reason to refuse the form before the current password is
 * checked, or NULL. */
static const char *password_form_problem(const struct password_form *f)
{
	if (!f->fresh || !password_length_ok(f->fresh))
		return "bad_password";
	if (!f->confirm || strcmp(f->fresh, f->confirm) != 0)
		return "password_mismatch";
	if (!f->current || strlen(f->current) > PASSWORD_MAX_BYTES)
		return "wrong_password";
	return NULL;
}

int page_profile_password(struct req *r)
{
	const struct session *s = r->session;
	struct password_form f;
	password_form_read(r, &f);
	const char *problem = password_form_problem(&f);
	if (problem)
		return redirect_error(r, problem);

	/* the sign-in throttles: a stolen session is no oracle for the password */
	switch (auth_check_password(r, f.current)) {
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
	if (password_hash(f.fresh, hash) < 0)
		return 500;
	/* every other session of the user ends with it, so that a stolen
	 * session does not outlive the password change */
	if (users_set_password(r->db, s->user_id, hash, s->id) < 0)
		return 503;
	log_info(r->id, "user %lld changed their password", s->user_id);
	resp_redirect(r, "/profile?done=password_changed");
	return 0;
}
