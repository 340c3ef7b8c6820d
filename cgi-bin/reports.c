/* The usage report's statements (reports.h). Each statement's columns
 * are named by the enum next to it. */
#include "reports.h"

#include "arena.h"
#include "db.h"

enum { UR_ID, UR_NAME, UR_SENT, UR_RECEIVED, UR_BILLED, UR_FAILED, UR_OPTED_OUT };

/* opt-outs: numbers that opted out, counted for the agent whose text
 * caused it (their STOP's receiver, the carrier's refused sender) or the
 * user who recorded it */
#define FIGURES(key, name, sum, from, where) \
	"SELECT " key ", " name ", COALESCE(" sum "(t.sent), 0), COALESCE(" sum "(t.received), 0)," \
	" COALESCE(" sum "(t.billed), 0), COALESCE(" sum "(t.failed), 0)," \
	" (SELECT COUNT(DISTINCT l.contact_number) FROM consent_ledger l" \
	"  LEFT JOIN messages lm ON lm.id = l.message_id" \
	"  WHERE l.new_status = 'none' AND l.source IN ('reply', 'carrier', 'manual')" \
	"  AND l.created_at >= ? AND l.created_at < ? AND " where ")" \
	" FROM " from
#define USAGE_BY_USER_SQL \
	FIGURES("u.id", "u.name", "", \
		"users u LEFT JOIN usage_monthly t ON t.org_id = u.org_id" \
		" AND t.month = ? AND t.user_id = u.id" \
		" WHERE u.org_id = ? AND (u.role <> 'admin' OR t.sent + t.received + t.failed > 0)" \
		" ORDER BY u.name, u.id", \
		"l.org_id = u.org_id AND COALESCE(lm.user_id, l.changed_by) = u.id")
#define USAGE_BY_ORG_SQL \
	FIGURES("o.id", "o.name", "SUM", \
		"organizations o LEFT JOIN usage_monthly t ON t.org_id = o.id AND t.month = ?" \
		" GROUP BY o.id, o.name ORDER BY o.name, o.id", \
		"l.org_id = o.id")

static long long figure(const struct db_rows *rows, size_t i, size_t c)
{
	return db_get(rows, i, c) ? db_get_ll(rows, i, c) : 0;
}

int reports_usage(struct db *db, struct arena *a, long long org_id, const char *start,
		  const char *end, const char *day, struct usage_row **out, size_t *n)
{
	struct db_rows rows;
	int rc = org_id ? db_query(db, a, &rows, USAGE_BY_USER_SQL, "sssi", start, end, day, org_id)
			: db_query(db, a, &rows, USAGE_BY_ORG_SQL, "sss", start, end, day);
	if (rc < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = rows.n;
	for (size_t i = 0; i < rows.n; i++) {
		struct usage_row *u = &(*out)[i];
		u->id = db_get(&rows, i, UR_ID);
		u->name = db_get(&rows, i, UR_NAME);
		u->sent = figure(&rows, i, UR_SENT);
		u->received = figure(&rows, i, UR_RECEIVED);
		u->billed = figure(&rows, i, UR_BILLED);
		u->failed = figure(&rows, i, UR_FAILED);
		u->opted_out = figure(&rows, i, UR_OPTED_OUT);
	}
	return 0;
}

enum { UT_MONTH, UT_SENT, UT_RECEIVED, UT_BILLED };
#define TREND_COLUMNS "SELECT DATE_FORMAT(month, '%Y-%m'), SUM(sent), SUM(received), SUM(billed)"

int reports_usage_trend(struct db *db, struct arena *a, long long org_id, const char *first_day,
			const char *last_day, struct usage_month **out, size_t *n)
{
	struct db_rows rows;
	int rc = org_id ? db_query(db, a, &rows, TREND_COLUMNS
				   " FROM usage_monthly WHERE org_id = ? AND month >= ? AND month <= ?"
				   " GROUP BY month ORDER BY month", "iss", org_id, first_day, last_day)
			: db_query(db, a, &rows, TREND_COLUMNS
				   " FROM usage_monthly WHERE month >= ? AND month <= ?"
				   " GROUP BY month ORDER BY month", "ss", first_day, last_day);
	if (rc < 0)
		return -1;
	*out = arena_calloc(a, rows.n + 1, sizeof **out);
	*n = rows.n;
	for (size_t i = 0; i < rows.n; i++) {
		struct usage_month *m = &(*out)[i];
		m->month = db_get(&rows, i, UT_MONTH);
		m->sent = figure(&rows, i, UT_SENT);
		m->received = figure(&rows, i, UT_RECEIVED);
		m->billed = figure(&rows, i, UT_BILLED);
	}
	return 0;
}
