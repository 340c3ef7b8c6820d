/* /admin/users: an organization's admin lists, creates and edits the
 * organization's users: role, SMS permission and number, MMS, images,
 * active. Every user id goes through access_org_user. */
#include "pages.h"

#include "access.h"
#include "auth.h"
#include "db.h"
#include "log.h"
#include "validate.h"

#include <ctype.h>
#include <string.h>

/* The values both forms share, read and validated before anything is written. */
struct user_fields {
	const char *role;
	const char *sms_number;   /* E.164, or NULL for none */
	const char *nmls_id;      /* digits, or NULL for none */
	long long sms_permission, mms_enabled, display_images;
};

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

static void add_user_row(struct req *r, tmpl_dict *d, const struct db_rows *rows, size_t i)
{
	tmpl_dict *row = tmpl_section(d, "USERS");
	long long id = db_get_ll(rows, i, 0);
	const char *number = db_get(rows, i, 5);
	tmpl_set_int(row, "ID", id);
	tmpl_set(row, "NAME", db_get(rows, i, 1));
	tmpl_set(row, "EMAIL", db_get(rows, i, 2));
	tmpl_set(row, "ROLE", db_get(rows, i, 3));
	tmpl_set(row, "SMS_NUMBER", number ? number : "");
	tmpl_set(row, "NMLS_ID", db_get(rows, i, 9) ? db_get(rows, i, 9) : "");
	tmpl_set(row, "CSRF", r->session->csrf);
	if (db_get_ll(rows, i, 4))
		tmpl_show(row, "SMS_PERMISSION");
	if (db_get_ll(rows, i, 6))
		tmpl_show(row, "MMS_ENABLED");
	if (db_get_ll(rows, i, 7))
		tmpl_show(row, "DISPLAY_IMAGES");
	int active = db_get_ll(rows, i, 8) != 0;
	tmpl_show(row, active ? "ACTIVE" : "INACTIVE");
	/* an admin's own role and active flag are shown, not offered */
	if (id == r->session->user_id) {
		tmpl_show(row, "SELF");
	} else {
		tmpl_dict *edit = tmpl_section(row, "EDITABLE");
		set_role_selected(edit, db_get(rows, i, 3));
	}
}

int page_admin_users(struct req *r)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT id, name, email, role, sms_permission, sms_number, mms_enabled,"
		     " display_images, active, nmls_id FROM users WHERE org_id = ?"
		     " ORDER BY active DESC, name, id",
		     "i", r->session->org_id) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Users", "admin_users.tpl");
	tmpl_set(d, "ORG_NAME", r->session->org_name);
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set_int(d, "PASSWORD_MIN", PASSWORD_MIN);
	tmpl_set_int(d, "PASSWORD_MAX", PASSWORD_MAX);
	tmpl_set_int(d, "USER_COUNT", (long long)rows.n);
	for (size_t i = 0; i < rows.n; i++)
		add_user_row(r, d, &rows, i);
	return page_finish(r);
}

/* Which unique key refused the new user: the email or the SMS number. The
 * answer names the field, never whose value it is: emails and numbers are
 * unique across the service, and an admin must not learn from it that
 * another organization has them. */
static int dup_code(struct req *r, const char *email, const char **code)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT 1 FROM users WHERE email = ?", "s", email) < 0)
		return 503;
	*code = rows.n ? "email_unusable" : "number_unusable";
	return 0;
}

int page_admin_users_create(struct req *r)
{
	char *email = text_trim(r->a, params_get(&r->form, "email"));
	for (char *c = email; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	const char *name = text_trim(r->a, params_get(&r->form, "name"));
	const char *password = params_get(&r->form, "password");
	struct user_fields f;
	if (!email_valid(email))
		return redirect_flash(r, "error", "bad_email");
	if (!text_valid(name, 200))
		return redirect_flash(r, "error", "bad_name");
	const char *bad = read_fields(r, &f);
	if (bad)
		return redirect_flash(r, "error", bad);
	if (!password || !password_length_ok(password))
		return redirect_flash(r, "error", "bad_password");

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) < 0)
		return 500;
	/* a new user starts in the organization's time zone */
	long long rc = db_exec(r->db,
		"INSERT INTO users (org_id, role, email, name, password_hash, time_zone,"
		" sms_permission, sms_number, mms_enabled, display_images, nmls_id)"
		" SELECT id, ?, ?, ?, ?, time_zone, ?, ?, ?, ?, ? FROM organizations WHERE id = ?",
		"ssssisiisi", f.role, email, name, hash, f.sms_permission, f.sms_number,
		f.mms_enabled, f.display_images, f.nmls_id, r->session->org_id);
	if (rc == DB_DUP) {
		const char *code;
		int st = dup_code(r, email, &code);
		return st ? st : redirect_flash(r, "error", code);
	}
	if (rc != 1)
		return 503;
	log_info(r->id, "admin %lld created user %lld", r->session->user_id, db_insert_id(r->db));
	return redirect_flash(r, "done", "created");
}

/* Saves the user's fields; a deactivated user's sessions end with it.
 * Returns 0, DB_DUP (the SMS number is taken) or DB_ERR. */
static int store_user(struct req *r, long long id, const struct user_fields *f, long long active)
{
	if (db_begin(r->db) < 0)
		return DB_ERR;
	long long rc = db_exec(r->db,
		"UPDATE users SET role = ?, sms_permission = ?, sms_number = ?, mms_enabled = ?,"
		" display_images = ?, nmls_id = ?, active = ?, updated_at = NOW()"
		" WHERE id = ? AND org_id = ?",
		"sisiisiii", f->role, f->sms_permission, f->sms_number, f->mms_enabled,
		f->display_images, f->nmls_id, active, id, r->session->org_id);
	if (rc >= 0 && !active)
		rc = db_exec(r->db, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	if (rc >= 0 && db_commit(r->db) < 0)
		rc = DB_ERR;
	if (rc < 0)
		db_rollback(r->db);
	return rc == DB_DUP ? DB_DUP : rc < 0 ? DB_ERR : 0;
}

int page_admin_user_update(struct req *r)
{
	long long id = r->ids[0];
	int rc = access_org_user(r, id);
	if (rc)
		return rc;
	struct user_fields f;
	const char *bad = read_fields(r, &f);
	if (bad)
		return redirect_flash(r, "error", bad);
	long long active = checkbox(r, "active");
	if (id == r->session->user_id && (strcmp(f.role, "admin") != 0 || !active))
		return redirect_flash(r, "error", "self");
	rc = store_user(r, id, &f, active);
	if (rc == DB_DUP)
		return redirect_flash(r, "error", "number_unusable");
	if (rc)
		return 503;
	log_info(r->id, "admin %lld updated user %lld%s", r->session->user_id, id,
		 active ? "" : " (inactive)");
	return redirect_flash(r, "done", "saved");
}
