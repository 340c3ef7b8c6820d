/* The saved_replies table; the rules are in replies.h. */
#include "replies.h"

#include "arena.h"
#include "db.h"


static void fill(const struct db_rows *rows, size_t i, struct reply *r)
{
	r->id = db_get_ll(rows, i, 0);
	r->org_wide = db_get(rows, i, 1) == NULL;
	r->name = db_get(rows, i, 2) ? db_get(rows, i, 2) : "";
	r->body = db_get(rows, i, 3) ? db_get(rows, i, 3) : "";
}

int replies_list(struct db *db, struct arena *a, long long org_id, long long user_id,
		 struct reply **out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT id, user_id, name, body FROM saved_replies"
		     " WHERE org_id = ? AND (user_id = ? OR user_id IS NULL)"
		     " ORDER BY user_id IS NULL, name, id",
		     "ii", org_id, user_id) < 0)
		return -1;
	*out = arena_calloc(a, rows.n ? rows.n : 1, sizeof **out);
	for (size_t i = 0; i < rows.n; i++)
		fill(&rows, i, &(*out)[i]);
	return (int)rows.n;
}

int replies_get(struct db *db, struct arena *a, long long org_id, long long user_id,
		long long id, struct reply *out)
{
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT id, user_id, name, body FROM saved_replies"
		     " WHERE id = ? AND org_id = ? AND (user_id = ? OR user_id IS NULL)",
		     "iii", id, org_id, user_id) < 0)
		return -1;
	if (rows.n == 0)
		return 0;
	fill(&rows, 0, out);
	return 1;
}

long long replies_create(struct db *db, long long org_id, long long user_id, int org_wide,
			 const char *name, const char *body)
{
	long long n = org_wide ?
		db_exec(db, "INSERT INTO saved_replies (org_id, user_id, name, body)"
			" VALUES (?, NULL, ?, ?)", "iss", org_id, name, body) :
		db_exec(db, "INSERT INTO saved_replies (org_id, user_id, name, body)"
			" VALUES (?, ?, ?, ?)", "iiss", org_id, user_id, name, body);
	if (n != 1)
		return -1;
	return db_insert_id(db);
}

int replies_update(struct db *db, long long org_id, long long id, const char *name,
		   const char *body)
{
	long long n = db_exec(db, "UPDATE saved_replies SET name = ?, body = ?,"
			      " updated_at = CURRENT_TIMESTAMP(6) WHERE id = ? AND org_id = ?",
			      "ssii", name, body, id, org_id);
	if (n < 0)
		return -1;
	return n > 0;
}

int replies_delete(struct db *db, long long org_id, long long id)
{
	long long n = db_exec(db, "DELETE FROM saved_replies WHERE id = ? AND org_id = ?",
			      "ii", id, org_id);
	if (n < 0)
		return -1;
	return n > 0;
}
