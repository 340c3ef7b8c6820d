/* The organizations table (orgs.h). Each statement's columns are named by
 * the enum next to it. */
#include "orgs.h"

#include "arena.h"
#include "consent.h"
#include "db.h"
#include "users.h"

enum { OL_ID, OL_NAME, OL_SMS_ENABLED, OL_SMS_LEVEL, OL_TIME_ZONE, OL_USERS, OL_ACTIVE_USERS };
#define ORGS_LIST_SQL \
	"SELECT o.id, o.name, o.sms_enabled, o.sms_level, o.time_zone," \
	" COUNT(u.id), COALESCE(SUM(u.active), 0)" \
	" FROM organizations o LEFT JOIN users u ON u.org_id = o.id" \
	" GROUP BY o.id, o.name, o.sms_enabled, o.sms_level, o.time_zone" \
	" ORDER BY o.name, o.id"

int orgs_list(struct db *db, struct arena *a, struct org_row **out, size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, ORGS_LIST_SQL, "") < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = rows.n;
	for (size_t i = 0; i < rows.n; i++) {
		struct org_row *o = &(*out)[i];
		o->id = db_get_ll(&rows, i, OL_ID);
		o->name = db_get(&rows, i, OL_NAME);
		o->sms_enabled = db_get_ll(&rows, i, OL_SMS_ENABLED) != 0;
		o->sms_level = db_get(&rows, i, OL_SMS_LEVEL);
		o->time_zone = db_get(&rows, i, OL_TIME_ZONE);
		o->users = db_get_ll(&rows, i, OL_USERS);
		o->active_users = db_get_ll(&rows, i, OL_ACTIVE_USERS);
	}
	return 0;
}

int orgs_exists(struct db *db, struct arena *a, long long id)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT 1 FROM organizations WHERE id = ?", "i", id) < 0)
		return -1;
	return rows.n == 1;
}

enum { ON_NAME };

int orgs_name(struct db *db, struct arena *a, long long id, const char **name)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT name FROM organizations WHERE id = ?", "i", id) < 0)
		return -1;
	if (rows.n != 1)
		return 0;
	*name = db_get(&rows, 0, ON_NAME);
	return 1;
}

int orgs_set_sms(struct db *db, long long id, long long sms_enabled, const char *level)
{
	return db_exec(db, "UPDATE organizations SET sms_enabled = ?, sms_level = ?,"
			   " updated_at = NOW() WHERE id = ?", "isi", sms_enabled, level, id) < 0 ? -1 : 0;
}

int orgs_create(struct db *db, const struct org_new *o, const char *admin_password_hash)
{
	if (db_begin(db) < 0)
		return DB_ERR;
	long long rc = db_exec(db,
		"INSERT INTO organizations (name, sms_enabled, sms_level, time_zone)"
		" VALUES (?, ?, ?, ?)", "siss", o->name, o->sms_enabled, o->level, o->time_zone);
	if (rc >= 0)
		rc = users_create_admin(db, db_insert_id(db), o->admin_email, o->admin_name,
					admin_password_hash, o->time_zone);
	if (rc >= 0 && db_commit(db) < 0)
		rc = DB_ERR;
	if (rc < 0) {
		db_rollback(db);
		return rc == DB_DUP ? DB_DUP : DB_ERR;
	}
	return 0;
}

enum { OP_SENSITIVE_POLICY, OP_QUIET_HOURS };

int orgs_policy(struct db *db, struct arena *a, long long id, struct org_policy *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT sensitive_policy, quiet_hours FROM organizations"
		     " WHERE id = ?", "i", id) < 0 || rows.n != 1)
		return -1;
	out->sensitive_policy = db_get(&rows, 0, OP_SENSITIVE_POLICY);
	out->quiet_hours = db_get(&rows, 0, OP_QUIET_HOURS);
	return 0;
}

int orgs_save_settings(struct db *db, long long id, const struct org_settings *s)
{
	return db_exec(db, "UPDATE organizations SET consent_request_text = NULLIF(?, ?),"
			   " consent_cooloff_hours = ?, help_contact = ?,"
			   " sensitive_policy = COALESCE(?, sensitive_policy),"
			   " quiet_hours = COALESCE(?, quiet_hours) WHERE id = ?",
		       "ssisssi", s->wording, CONSENT_REQUEST_DEFAULT, s->cooloff_hours,
		       s->help_contact, s->sensitive_policy, s->quiet_hours, id) < 0 ? -1 : 0;
}
