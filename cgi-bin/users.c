/* The users table (users.h). Each statement's columns are named by the
 * enum next to it. */
#include "users.h"

#include "arena.h"
#include "auth.h"
#include "db.h"

#include <string.h>

enum { UL_ID, UL_NAME, UL_EMAIL, UL_ROLE, UL_SMS_PERMISSION, UL_SMS_NUMBER, UL_MMS_ENABLED,
       UL_DISPLAY_IMAGES, UL_ACTIVE, UL_NMLS_ID };
#define USERS_LIST_SQL \
	"SELECT id, name, email, role, sms_permission, sms_number, mms_enabled," \
	" display_images, active, nmls_id FROM users WHERE org_id = ?" \
	" ORDER BY active DESC, name, id"

int users_list(struct db *db, struct arena *a, long long org_id, struct user_row **out,
	       size_t *n)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, USERS_LIST_SQL, "i", org_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = rows.n;
	for (size_t i = 0; i < rows.n; i++) {
		struct user_row *u = &(*out)[i];
		u->id = db_get_ll(&rows, i, UL_ID);
		u->name = db_get(&rows, i, UL_NAME);
		u->email = db_get(&rows, i, UL_EMAIL);
		u->role = db_get(&rows, i, UL_ROLE);
		u->sms_number = db_get(&rows, i, UL_SMS_NUMBER);
		u->nmls_id = db_get(&rows, i, UL_NMLS_ID);
		u->sms_permission = db_get_ll(&rows, i, UL_SMS_PERMISSION) != 0;
		u->mms_enabled = db_get_ll(&rows, i, UL_MMS_ENABLED) != 0;
		u->display_images = db_get_ll(&rows, i, UL_DISPLAY_IMAGES) != 0;
		u->active = db_get_ll(&rows, i, UL_ACTIVE) != 0;
	}
	return 0;
}

int users_email_taken(struct db *db, struct arena *a, const char *email)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT 1 FROM users WHERE email = ?", "s", email) < 0)
		return -1;
	return rows.n != 0;
}

long long users_create(struct db *db, long long org_id, const char *email, const char *name,
		       const char *password_hash, const struct user_fields *f, long long *id)
{
	long long rc = db_exec(db,
		"INSERT INTO users (org_id, role, email, name, password_hash, time_zone,"
		" sms_permission, sms_number, mms_enabled, display_images, nmls_id)"
		" SELECT id, ?, ?, ?, ?, time_zone, ?, ?, ?, ?, ? FROM organizations WHERE id = ?",
		"ssssisiisi", f->role, email, name, password_hash, f->sms_permission, f->sms_number,
		f->mms_enabled, f->display_images, f->nmls_id, org_id);
	if (rc == 1)
		*id = db_insert_id(db);
	return rc;
}

long long users_create_admin(struct db *db, long long org_id, const char *email,
			     const char *name, const char *password_hash, const char *time_zone)
{
	return db_exec(db,
		"INSERT INTO users (org_id, role, email, name, password_hash, time_zone)"
		" VALUES (?, 'admin', ?, ?, ?, ?)", "issss", org_id, email, name, password_hash,
		time_zone);
}

int users_update(struct db *db, long long org_id, long long id, const struct user_fields *f,
		 long long active)
{
	if (db_begin(db) < 0)
		return DB_ERR;
	long long rc = db_exec(db,
		"UPDATE users SET role = ?, sms_permission = ?, sms_number = ?, mms_enabled = ?,"
		" display_images = ?, nmls_id = ?, active = ?, updated_at = NOW()"
		" WHERE id = ? AND org_id = ?",
		"sisiisiii", f->role, f->sms_permission, f->sms_number, f->mms_enabled,
		f->display_images, f->nmls_id, active, id, org_id);
	if (rc >= 0 && !active)
		rc = auth_drop_sessions(db, id, 0);
	if (rc >= 0 && db_commit(db) < 0)
		rc = DB_ERR;
	if (rc < 0)
		db_rollback(db);
	return rc == DB_DUP ? DB_DUP : rc < 0 ? DB_ERR : 0;
}

int users_set_password(struct db *db, long long user_id, const char *password_hash,
		       long long keep_session)
{
	if (db_begin(db) < 0)
		return -1;
	if (db_exec(db, "UPDATE users SET password_hash = ?, updated_at = NOW() WHERE id = ?",
		    "si", password_hash, user_id) < 0 ||
	    auth_drop_sessions(db, user_id, keep_session) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

enum { LONGEST_NAME, LONGEST_NMLS_ID };
#define USERS_LONGEST_SQL \
	"SELECT (SELECT name FROM users WHERE org_id = ? AND sms_number IS NOT NULL" \
	"  ORDER BY CHAR_LENGTH(name) DESC LIMIT 1)," \
	" (SELECT nmls_id FROM users WHERE org_id = ? AND nmls_id IS NOT NULL" \
	"  ORDER BY CHAR_LENGTH(nmls_id) DESC LIMIT 1)"

int users_longest(struct db *db, struct arena *a, long long org_id, const char **name,
		  const char **nmls_id)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, USERS_LONGEST_SQL, "ii", org_id, org_id) < 0 || rows.n != 1)
		return -1;
	*name = db_get(&rows, 0, LONGEST_NAME);
	*nmls_id = db_get(&rows, 0, LONGEST_NMLS_ID);
	return 0;
}

enum { NMLS_ID };

int users_nmls_id(struct db *db, struct arena *a, long long user_id, const char **nmls_id)
{
	struct db_rows rows;
	if (db_query(db, a, &rows, "SELECT nmls_id FROM users WHERE id = ?", "i", user_id) < 0 ||
	    rows.n != 1)
		return -1;
	*nmls_id = db_get(&rows, 0, NMLS_ID);
	return 0;
}
