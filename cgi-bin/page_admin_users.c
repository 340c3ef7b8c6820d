/* /admin/users: an organization's admin lists, creates and edits the
 * organization's users: role, SMS permission and number, MMS, images,
 * active. Every user id goes through access_org_user. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "users.h"
#include "validate.h"

#include <ctype.h>
#include <string.h>

static int redirect_flash(struct req *r, const char *kind, const char *code)
{
	if (!strcmp(kind, "error"))
		log_info(r->id, "%s %s refused: %s", r->method, r->path, code);
	resp_redirect(r, arena_printf(r->a, "/admin/users?%s=%s", kind, code));
	return 0;
}

/* An unchecked checkbox is not sent at all: present means on. */
static long long checkbox(const struct req *r, const char *name)
{
	return params_get(&r->form, name) != NULL;
}

/* Reads the shared fields; returns NULL or the flash code of the first error. */
static const char *read_fields(struct req *r, struct user_fields *f)
{
	f->role = params_get(&r->form, "role");
	if (!role_valid(f->role))
		return "bad_role";
	const char *number = text_trim(r->a, params_get(&r->form, "sms_number"));
	f->sms_number = NULL;
	if (*number) {
		char *e164 = arena_alloc(r->a, E164_MAX + 1);
		if (phone_normalize(number, e164) < 0)
			return "bad_phone";
		f->sms_number = e164;
	}
	const char *nmls = text_trim(r->a, params_get(&r->form, "nmls_id"));
	f->nmls_id = *nmls ? nmls : NULL;
	if (f->nmls_id && !nmls_id_valid(f->nmls_id))
		return "bad_nmls";
	f->sms_permission = checkbox(r, "sms_permission");
	f->mms_enabled = checkbox(r, "mms_enabled");
	f->display_images = checkbox(r, "display_images");
	return NULL;
}

static void set_role_selected(tmpl_dict *row, const char *role)
{
	if (!strcmp(role, "admin"))
		tmpl_show(row, "ROLE_ADMIN");
	else if (!strcmp(role, "manager"))
		tmpl_show(row, "ROLE_MANAGER");
	else
		tmpl_show(row, "ROLE_AGENT");
}

static void add_user_row(struct req *r, tmpl_dict *d, const struct user_row *u)
{
	tmpl_dict *row = tmpl_section(d, "USERS");
	tmpl_set_int(row, "ID", u->id);
	tmpl_set(row, "NAME", u->name);
	tmpl_set(row, "EMAIL", u->email);
	tmpl_set(row, "ROLE", u->role);
	tmpl_set(row, "SMS_NUMBER", u->sms_number ? u->sms_number : "");
	tmpl_set(row, "NMLS_ID", u->nmls_id ? u->nmls_id : "");
	tmpl_set(row, "CSRF", r->session->csrf);
	if (u->sms_permission)
		tmpl_show(row, "SMS_PERMISSION");
	if (u->mms_enabled)
		tmpl_show(row, "MMS_ENABLED");
	if (u->display_images)
		tmpl_show(row, "DISPLAY_IMAGES");
	tmpl_show(row, u->active ? "ACTIVE" : "INACTIVE");
	/* an admin's own role and active flag are shown, not offered */
	if (u->id == r->session->user_id) {
		tmpl_show(row, "SELF");
	} else {
		tmpl_dict *edit = tmpl_section(row, "EDITABLE");
		set_role_selected(edit, u->role);
	}
}

int page_admin_users(struct req *r)
{
	struct user_row *users;
	size_t n;
	if (users_list(r->db, r->a, r->session->org_id, &users, &n) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Users", "admin_users.tpl");
	tmpl_set(d, "ORG_NAME", r->session->org_name);
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set_int(d, "PASSWORD_MIN", PASSWORD_MIN);
	tmpl_set_int(d, "PASSWORD_MAX", PASSWORD_MAX);
	tmpl_set_int(d, "USER_COUNT", (long long)n);
	for (size_t i = 0; i < n; i++)
		add_user_row(r, d, &users[i]);
	return page_finish(r);
}

/* The new user's form, read once; problem: the flash code of its first
 * error, or NULL. */
struct new_user {
	char *email;
	const char *name, *password;
	struct user_fields f;
	const char *problem;
};

static void new_user_read(struct req *r, struct new_user *u)
{
	u->email = text_trim(r->a, params_get(&r->form, "email"));
	for (char *c = u->email; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	u->name = text_trim(r->a, params_get(&r->form, "name"));
	u->password = params_get(&r->form, "password");
	u->problem = NULL;
	if (!email_valid(u->email))
		u->problem = "bad_email";
	else if (!text_valid(u->name, 200))
		u->problem = "bad_name";
	else if ((u->problem = read_fields(r, &u->f)) == NULL &&
		 (!u->password || !password_length_ok(u->password)))
		u->problem = "bad_password";
}

/* Which unique key refused the new user: the email or the SMS number. The
 * answer names the field, never whose value it is: emails and numbers are
 * unique across the service, and an admin must not learn from it that
 * another organization has them. */
static int dup_code(struct req *r, const char *email, const char **code)
{
	int taken = users_email_taken(r->db, r->a, email);
	if (taken < 0)
		return 503;
	*code = taken ? "email_unusable" : "number_unusable";
	return 0;
}

int page_admin_users_create(struct req *r)
{
	struct new_user u;
	new_user_read(r, &u);
	if (u.problem)
		return redirect_flash(r, "error", u.problem);

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(u.password, hash) < 0)
		return 500;
	/* a new user starts in the organization's time zone */
	long long id = 0;
	long long rc = users_create(r->db, r->session->org_id, u.email, u.name, hash, &u.f, &id);
	if (rc == DB_DUP) {
		const char *code;
		int st = dup_code(r, u.email, &code);
		return st ? st : redirect_flash(r, "error", code);
	}
	if (rc != 1)
		return 503;
	log_info(r->id, "admin %lld created user %lld", r->session->user_id, id);
	return redirect_flash(r, "done", "created");
}

/* The edit form, read once: the shared fields (problem: the flash code
 * of their first error, or NULL) and the active checkbox. */
struct user_edit {
	struct user_fields f;
	const char *problem;
	long long active;
};

static void user_edit_read(struct req *r, struct user_edit *e)
{
	e->problem = read_fields(r, &e->f);
	e->active = checkbox(r, "active");
}

int page_admin_user_update(struct req *r)
{
	long long id = r->ids[0];
	struct user_edit e;
	user_edit_read(r, &e);
	int rc = access_org_user(r, id);
	if (rc)
		return rc;
	if (e.problem)
		return redirect_flash(r, "error", e.problem);
	if (id == r->session->user_id && (strcmp(e.f.role, "admin") != 0 || !e.active))
		return redirect_flash(r, "error", "self");
	rc = users_update(r->db, r->session->org_id, id, &e.f, e.active);
	if (rc == DB_DUP)
		return redirect_flash(r, "error", "number_unusable");
	if (rc)
		return 503;
	log_info(r->id, "admin %lld updated user %lld%s", r->session->user_id, id,
		 e.active ? "" : " (inactive)");
	return redirect_flash(r, "done", "saved");
}
