/* /superadmin/orgs: the service's organizations, their SMS switch and
 * level; a new organization is created together with its first admin. */
#include "pages.h"

#include "auth.h"
#include "db.h"
#include "log.h"
#include "validate.h"

#include <ctype.h>
#include <string.h>

static int redirect_flash(struct req *r, const char *kind, const char *code)
{
	if (!strcmp(kind, "error"))
		log_info(r->id, "%s %s refused: %s", r->method, r->path, code);
	resp_redirect(r, arena_printf(r->a, "/superadmin/orgs?%s=%s", kind, code));
	return 0;
}

static int level_valid(const char *level)
{
	return level && (!strcmp(level, "standard") || !strcmp(level, "advanced"));
}

static void add_org_row(struct req *r, tmpl_dict *d, const struct db_rows *rows, size_t i)
{
	tmpl_dict *row = tmpl_section(d, "ORGS");
	tmpl_set_int(row, "ID", db_get_ll(rows, i, 0));
	tmpl_set(row, "NAME", db_get(rows, i, 1));
	tmpl_set(row, "TIME_ZONE", db_get(rows, i, 4));
	tmpl_set_int(row, "USERS", db_get_ll(rows, i, 5));
	tmpl_set_int(row, "ACTIVE_USERS", db_get_ll(rows, i, 6));
	tmpl_set(row, "CSRF", r->session->csrf);
	int enabled = db_get_ll(rows, i, 2) != 0;
	tmpl_show(row, enabled ? "SMS_ON" : "SMS_OFF");
	tmpl_show(row, strcmp(db_get(rows, i, 3), "advanced") ? "LEVEL_STANDARD" : "LEVEL_ADVANCED");
}

int page_superadmin_orgs(struct req *r)
{
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows,
		     "SELECT o.id, o.name, o.sms_enabled, o.sms_level, o.time_zone,"
		     " COUNT(u.id), COALESCE(SUM(u.active), 0)"
		     " FROM organizations o LEFT JOIN users u ON u.org_id = o.id"
		     " GROUP BY o.id, o.name, o.sms_enabled, o.sms_level, o.time_zone"
		     " ORDER BY o.name, o.id", "") < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Organizations", "superadmin_orgs.tpl");
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set_int(d, "ORG_COUNT", (long long)rows.n);
	tmpl_set_int(d, "PASSWORD_MIN", PASSWORD_MIN);
	tmpl_set_int(d, "PASSWORD_MAX", PASSWORD_MAX);
	for (size_t i = 0; i < rows.n; i++)
		add_org_row(r, d, &rows, i);
	if (rows.n == 0)
		tmpl_show(d, "NO_ORGS");
	return page_finish(r);
}

int page_superadmin_org_update(struct req *r)
{
	long long id = r->ids[0];
	const char *level = params_get(&r->form, "sms_level");
	long long enabled = params_get(&r->form, "sms_enabled") != NULL;
	/* an unknown id is 404 whatever the form says */
	struct db_rows rows;
	if (db_query(r->db, r->a, &rows, "SELECT 1 FROM organizations WHERE id = ?", "i", id) < 0)
		return 503;
	if (rows.n != 1)
		return 404;
	if (!level_valid(level))
		return redirect_flash(r, "error", "bad_level");
	if (db_exec(r->db, "UPDATE organizations SET sms_enabled = ?, sms_level = ?,"
			   " updated_at = NOW() WHERE id = ?", "isi", enabled, level, id) < 0)
		return 503;
	log_info(r->id, "organization %lld: sms %s, level %s", id, enabled ? "on" : "off", level);
	return redirect_flash(r, "done", "saved");
}

struct new_org {
	const char *name, *time_zone, *level;
	long long sms_enabled;
	const char *admin_email, *admin_name, *admin_password;
};

/* Reads and validates the form; NULL or the flash code of the first error. */
static const char *read_new_org(struct req *r, struct new_org *o)
{
	o->name = text_trim(r->a, params_get(&r->form, "name"));
	o->time_zone = text_trim(r->a, params_get(&r->form, "time_zone"));
	o->level = params_get(&r->form, "sms_level");
	o->sms_enabled = params_get(&r->form, "sms_enabled") != NULL;
	char *email = text_trim(r->a, params_get(&r->form, "admin_email"));
	for (char *c = email; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	o->admin_email = email;
	o->admin_name = text_trim(r->a, params_get(&r->form, "admin_name"));
	o->admin_password = params_get(&r->form, "admin_password");
	if (!text_valid(o->name, 200))
		return "bad_name";
	if (!time_zone_valid(o->time_zone))
		return "bad_time_zone";
	if (!level_valid(o->level))
		return "bad_level";
	if (!email_valid(o->admin_email))
		return "bad_email";
	if (!text_valid(o->admin_name, 200))
		return "bad_name";
	if (!o->admin_password || !password_length_ok(o->admin_password))
		return "bad_password";
	return NULL;
}

/* The organization and its admin in one transaction: all or nothing.
 * Returns 0, DB_DUP (the admin's email is taken) or DB_ERR. */
static int store_org(struct req *r, const struct new_org *o, const char *hash)
{
	if (db_begin(r->db) < 0)
		return DB_ERR;
	long long rc = db_exec(r->db,
		"INSERT INTO organizations (name, sms_enabled, sms_level, time_zone)"
		" VALUES (?, ?, ?, ?)", "siss", o->name, o->sms_enabled, o->level, o->time_zone);
	if (rc >= 0) {
		long long org_id = db_insert_id(r->db);
		rc = db_exec(r->db,
			"INSERT INTO users (org_id, role, email, name, password_hash, time_zone)"
			" VALUES (?, 'admin', ?, ?, ?, ?)", "issss", org_id, o->admin_email,
			o->admin_name, hash, o->time_zone);
	}
	if (rc >= 0 && db_commit(r->db) < 0)
		rc = DB_ERR;
	if (rc < 0) {
		db_rollback(r->db);
		return rc == DB_DUP ? DB_DUP : DB_ERR;
	}
	return 0;
}

int page_superadmin_orgs_create(struct req *r)
{
	struct new_org o;
	const char *bad = read_new_org(r, &o);
	if (bad)
		return redirect_flash(r, "error", bad);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(o.admin_password, hash) < 0)
		return 500;
	int rc = store_org(r, &o, hash);
	if (rc == DB_DUP)
		return redirect_flash(r, "error", "dup_email");
	if (rc)
		return 503;
	log_info(r->id, "superadmin %lld created an organization with admin %s",
		 r->session->user_id, o.admin_email);
	return redirect_flash(r, "done", "created");
}
