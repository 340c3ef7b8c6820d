/* /login and /logout. */
#include "pages.h"

#include "auth.h"
#include "log.h"
#include "validate.h"

#include <ctype.h>
#include <string.h>

static const char *home_for(const struct req *r)
{
	return r->session && r->session->role == ROLE_SUPERADMIN ? "/superadmin/orgs" : "/leads";
}

static int render(struct req *r, int status, const char *email, const char *error)
{
	const char *csrf = auth_login_csrf(r);
	if (!csrf)
		return 503;
	tmpl_dict *d = page_begin(r, "Sign in", "login.tpl");
	tmpl_set(d, "CSRF", csrf);
	tmpl_set(d, "EMAIL", email);
	const char *next = params_get(&r->query, "next");
	if (!next)
		next = params_get(&r->form, "next");
	if (local_path_ok(next))
		tmpl_set(tmpl_section(d, "NEXT"), "NEXT_PATH", next);
	if (error)
		tmpl_set(tmpl_section(d, "ERROR"), "ERROR_TEXT", error);
	int rc = page_finish(r);
	r->status = status;
	return rc;
}

int page_login(struct req *r)
{
	if (r->session) {
		resp_redirect(r, home_for(r));
		return 0;
	}
	return render(r, 200, "", NULL);
}

int page_login_post(struct req *r)
{
	char *email = text_trim(r->a, params_get(&r->form, "email"));
	const char *password = params_get(&r->form, "password");
	for (char *c = email; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (!email_valid(email) || !password || !*password || strlen(password) > PASSWORD_MAX_BYTES)
		return render(r, 200, email, "Wrong email or password.");
	long long user_id = 0;
	switch (auth_login(r, email, password, &user_id)) {
	case LOGIN_OK:
		break;
	case LOGIN_WRONG:
		log_info(r->id, "sign-in failed");
		return render(r, 200, email, "Wrong email or password.");
	case LOGIN_THROTTLED:
		return render(r, 429, email, arena_printf(r->a, "Too many failed sign-in attempts."
			      " Wait %d minutes and try again.", LOGIN_THROTTLE_MINUTES));
	case LOGIN_SLOWED:
		return render(r, 429, email, "Too many failed sign-in attempts for this account."
			      " Wait a minute and try again.");
	case LOGIN_ERROR:
		return 503;
	}
	int rc = auth_start_session(r, user_id);
	if (rc)
		return rc;
	log_info(r->id, "user %lld signed in", user_id);
	const char *next = params_get(&r->form, "next");
	resp_redirect(r, local_path_ok(next) ? next : "/");
	return 0;
}

int page_logout(struct req *r)
{
	int rc = auth_end_session(r);
	if (rc)
		return rc;
	resp_redirect(r, "/login");
	return 0;
}
