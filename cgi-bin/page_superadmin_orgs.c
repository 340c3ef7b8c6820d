/* /superadmin/orgs: the service's organizations, their SMS switch and
 * level; a new organization is created together with its first admin. */
#include "pages.h"

#include "auth.h"
#include "clock.h"
#include "db.h"
#include "format.h"
#include "log.h"
#include "orgs.h"
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

static void add_org_row(struct req *r, tmpl_dict *d, const struct org_row *o)
{
	tmpl_dict *row = tmpl_section(d, "ORGS");
	tmpl_set_int(row, "ID", o->id);
	tmpl_set(row, "NAME", o->name);
	tmpl_set(row, "TIME_ZONE", o->time_zone);
	tmpl_set(row, "ZONE_LABEL", format_zone_label(r->a, o->time_zone, clock_now()));
	tmpl_set_int(row, "USERS", o->users);
	tmpl_set_int(row, "ACTIVE_USERS", o->active_users);
	tmpl_set(row, "CSRF", r->session->csrf);
	tmpl_show(row, o->sms_enabled ? "SMS_ON" : "SMS_OFF");
	tmpl_show(row, strcmp(o->sms_level, "advanced") ? "LEVEL_STANDARD" : "LEVEL_ADVANCED");
}

int page_superadmin_orgs(struct req *r)
{
	struct org_row *orgs;
	size_t n;
	if (orgs_list(r->db, r->a, &orgs, &n) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Organizations", "superadmin_orgs.tpl");
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set_int(d, "ORG_COUNT", (long long)n);
	tmpl_set_int(d, "PASSWORD_MIN", PASSWORD_MIN);
	tmpl_set_int(d, "PASSWORD_MAX", PASSWORD_MAX);
	for (size_t i = 0; i < n; i++)
		add_org_row(r, d, &orgs[i]);
	if (n == 0)
		tmpl_show(d, "NO_ORGS");
	return page_finish(r);
}

/* The switch form, read once. */
struct org_switch {
	long long id;
	const char *level;
	long long sms_enabled;
};

int page_superadmin_org_update(struct req *r)
{
	struct org_switch w = {
		.id = r->ids[0],
		.level = params_get(&r->form, "sms_level"),
		.sms_enabled = params_get(&r->form, "sms_enabled") != NULL,
	};
	/* an unknown id is 404 whatever the form says */
	int exists = orgs_exists(r->db, r->a, w.id);
	if (exists < 0)
		return 503;
	if (!exists)
		return 404;
	if (!level_valid(w.level))
		return redirect_flash(r, "error", "bad_level");
	if (orgs_set_sms(r->db, w.id, w.sms_enabled, w.level) < 0)
		return 503;
	log_info(r->id, "organization %lld: sms %s, level %s", w.id, w.sms_enabled ? "on" : "off",
		 w.level);
	return redirect_flash(r, "done", "saved");
}

/* The new organization's form, read once. */
struct new_org {
	struct org_new org;
	const char *admin_password;
};

/* Reads and validates the form; NULL or the flash code of the first error. */
static const char *read_new_org(struct req *r, struct new_org *n)
{
	struct org_new *o = &n->org;
	o->name = text_trim(r->a, params_get(&r->form, "name"));
	o->time_zone = text_trim(r->a, params_get(&r->form, "time_zone"));
	o->level = params_get(&r->form, "sms_level");
	o->sms_enabled = params_get(&r->form, "sms_enabled") != NULL;
	char *email = text_trim(r->a, params_get(&r->form, "admin_email"));
	for (char *c = email; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	o->admin_email = email;
	o->admin_name = text_trim(r->a, params_get(&r->form, "admin_name"));
	n->admin_password = params_get(&r->form, "admin_password");
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
	if (!n->admin_password || !password_length_ok(n->admin_password))
		return "bad_password";
	return NULL;
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
	/* the organization and its admin: all or nothing */
	int rc = orgs_create(r->db, &o.org, hash);
	if (rc == DB_DUP)
		return redirect_flash(r, "error", "dup_email");
	if (rc)
		return 503;
	log_info(r->id, "superadmin %lld created an organization with admin %s",
		 r->session->user_id, o.org.admin_email);
	return redirect_flash(r, "done", "created");
}
