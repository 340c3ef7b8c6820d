/* /reports/usage: texts per month and per user, for an organization's
 * admins (their organization) and the superadmin (every organization, or
 * one): texts sent (accepted by the carrier) and received, billed messages
 * (the 160/70 rule, as stored with each text), failures and opt-outs, with
 * charts drawn as SVG on the server, a month picker and a CSV download.
 * Months are calendar months in UTC. */
#include "pages.h"

#include "auth.h"
#include "clock.h"
#include "csv.h"
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TREND_MONTHS 12
#define CHART_W 560
#define BAR_H 18
#define BAR_GAP 8
#define LABEL_W 150
#define TREND_H 160

struct month {
	int year, mon;            /* 1..12 */
	char name[8];             /* "2026-11" */
	char start[20], end[20];  /* "2026-11-01 00:00:00", the next month's start */
	char day[11];             /* "2026-11-01", its key in usage_monthly */
};

static void month_set(struct month *m, int year, int mon)
{
	while (mon < 1) {
		mon += 12;
		year--;
	}
	while (mon > 12) {
		mon -= 12;
		year++;
	}
	m->year = year;
	m->mon = mon;
	snprintf(m->name, sizeof m->name, "%04d-%02d", year, mon);
	snprintf(m->start, sizeof m->start, "%04d-%02d-01 00:00:00", year, mon);
	snprintf(m->day, sizeof m->day, "%04d-%02d-01", year, mon);
	snprintf(m->end, sizeof m->end, "%04d-%02d-01 00:00:00", mon == 12 ? year + 1 : year,
		 mon == 12 ? 1 : mon + 1);
}

/* ?month=YYYY-MM, else the current month; -1 when malformed. */
static int month_read(struct req *r, struct month *m)
{
	const char *v = params_get(&r->query, "month");
	if (!v || !*v) {
		time_t now = clock_now();
		struct tm tm;
		if (!gmtime_r(&now, &tm))
			return -1;
		month_set(m, tm.tm_year + 1900, tm.tm_mon + 1);
		return 0;
	}
	int y, mo;
	char tail;
	if (strlen(v) != 7 || sscanf(v, "%4d-%2d%c", &y, &mo, &tail) != 2 || y < 2000 ||
	    y > 2999 || mo < 1 || mo > 12)
		return -1;
	month_set(m, y, mo);
	return 0;
}

/* Whose figures: the admin's organization; for the superadmin ?org=ID or
 * every organization (0). 0, 403 or 404. */
static int scope_read(struct req *r, long long *org_id)
{
	const struct session *s = r->session;
	if (s->role == ROLE_ADMIN) {
		*org_id = s->org_id;
		return 0;
	}
	if (s->role != ROLE_SUPERADMIN) {
		r->notice = "The usage report is for administrators.";
		return 403;
	}
	*org_id = params_id(&r->query, "org");
	return params_get(&r->query, "org") && *org_id <= 0 ? 404 : 0;
}

enum { C_ID, C_NAME, C_SENT, C_RECEIVED, C_BILLED, C_FAILED, C_OPTOUTS };

/* One row per user of the organization (or per organization, for every
 * one), with the month's figures, read from the monthly summary the
 * messages triggers keep (schema/0023-usage-summary.sql): its cost does not
 * grow with the texts. */
static int load_rows(struct req *r, long long org_id, const struct month *m, struct db_rows *rows)
{
	/* opt-outs: numbers that opted out, counted for the agent whose text
	 * caused it (their STOP's receiver, the carrier's refused sender) or
	 * the user who recorded it */
#define FIGURES(key, name, sum, from, where) \
	"SELECT " key ", " name ", COALESCE(" sum "(t.sent), 0), COALESCE(" sum "(t.received), 0)," \
	" COALESCE(" sum "(t.billed), 0), COALESCE(" sum "(t.failed), 0)," \
	" (SELECT COUNT(DISTINCT l.contact_number) FROM consent_ledger l" \
	"  LEFT JOIN messages lm ON lm.id = l.message_id" \
	"  WHERE l.new_status = 'none' AND l.source IN ('reply', 'carrier', 'manual')" \
	"  AND l.created_at >= ? AND l.created_at < ? AND " where ")" \
	" FROM " from
	if (org_id)
		return db_query(r->db, r->a, rows,
				FIGURES("u.id", "u.name", "",
					"users u LEFT JOIN usage_monthly t ON t.org_id = u.org_id"
					" AND t.month = ? AND t.user_id = u.id"
					" WHERE u.org_id = ? AND (u.role <> 'admin' OR t.sent + t.received + t.failed > 0)"
					" ORDER BY u.name, u.id",
					"l.org_id = u.org_id AND COALESCE(lm.user_id, l.changed_by) = u.id"),
				"sssi", m->start, m->end, m->day, org_id);
	return db_query(r->db, r->a, rows,
			FIGURES("o.id", "o.name", "SUM",
				"organizations o LEFT JOIN usage_monthly t ON t.org_id = o.id AND t.month = ?"
				" GROUP BY o.id, o.name ORDER BY o.name, o.id",
				"l.org_id = o.id"),
			"sss", m->start, m->end, m->day);
#undef FIGURES
}

/* The twelve months up to this one: sent, received and billed a month. */
static int load_trend(struct req *r, long long org_id, const struct month *m, struct db_rows *rows)
{
	struct month first;
	month_set(&first, m->year, m->mon - (TREND_MONTHS - 1));
	if (org_id)
		return db_query(r->db, r->a, rows,
				"SELECT DATE_FORMAT(month, '%Y-%m'), SUM(sent), SUM(received), SUM(billed)"
				" FROM usage_monthly WHERE org_id = ? AND month >= ? AND month <= ?"
				" GROUP BY month ORDER BY month",
				"iss", org_id, first.day, m->day);
	return db_query(r->db, r->a, rows,
			"SELECT DATE_FORMAT(month, '%Y-%m'), SUM(sent), SUM(received), SUM(billed)"
			" FROM usage_monthly WHERE month >= ? AND month <= ?"
			" GROUP BY month ORDER BY month",
			"ss", first.day, m->day);
}

static long long cell(const struct db_rows *rows, size_t i, size_t c)
{
	return db_get(rows, i, c) ? db_get_ll(rows, i, c) : 0;
}

/* Horizontal bars: texts sent and received per row, scaled to the largest. */
static void fill_bars(tmpl_dict *d, const struct db_rows *rows)
{
	long long max = 1;
	for (size_t i = 0; i < rows->n; i++) {
		if (cell(rows, i, C_SENT) > max)
			max = cell(rows, i, C_SENT);
		if (cell(rows, i, C_RECEIVED) > max)
			max = cell(rows, i, C_RECEIVED);
	}
	long long span = CHART_W - LABEL_W - 60;
	tmpl_set_int(d, "BARS_W", CHART_W);
	tmpl_set_int(d, "BARS_H", (long long)(rows->n * 2 * (BAR_H + 2) + rows->n * BAR_GAP + 10));
	long long y = 5;
	for (size_t i = 0; i < rows->n; i++) {
		tmpl_dict *b = tmpl_section(d, "BAR");
		long long sent = cell(rows, i, C_SENT), got = cell(rows, i, C_RECEIVED);
		tmpl_set(b, "LABEL", db_get(rows, i, C_NAME));
		tmpl_set_int(b, "LABEL_Y", y + BAR_H + 4);
		tmpl_set_int(b, "X", LABEL_W);
		tmpl_set_int(b, "SENT_Y", y);
		tmpl_set_int(b, "SENT_W", sent * span / max + (sent > 0));
		tmpl_set_int(b, "SENT", sent);
		tmpl_set_int(b, "SENT_TX", LABEL_W + sent * span / max + 6);
		tmpl_set_int(b, "SENT_TY", y + BAR_H - 4);
		tmpl_set_int(b, "GOT_Y", y + BAR_H + 2);
		tmpl_set_int(b, "GOT_W", got * span / max + (got > 0));
		tmpl_set_int(b, "GOT", got);
		tmpl_set_int(b, "GOT_TX", LABEL_W + got * span / max + 6);
		tmpl_set_int(b, "GOT_TY", y + 2 * BAR_H - 2);
		tmpl_set_int(b, "BAR_H", BAR_H);
		y += 2 * (BAR_H + 2) + BAR_GAP;
	}
}

/* Vertical bars: billed messages in each of the twelve months. */
static void fill_trend(tmpl_dict *d, const struct db_rows *trend, const struct month *m)
{
	long long billed[TREND_MONTHS] = { 0 }, sent[TREND_MONTHS] = { 0 }, got[TREND_MONTHS] = { 0 };
	struct month months[TREND_MONTHS];
	long long max = 1;
	for (int k = 0; k < TREND_MONTHS; k++) {
		month_set(&months[k], m->year, m->mon - (TREND_MONTHS - 1) + k);
		for (size_t i = 0; i < trend->n; i++)
			if (strcmp(db_get(trend, i, 0), months[k].name) == 0) {
				sent[k] = cell(trend, i, 1);
				got[k] = cell(trend, i, 2);
				billed[k] = cell(trend, i, 3);
			}
		if (billed[k] > max)
			max = billed[k];
	}
	long long col = CHART_W / TREND_MONTHS;
	tmpl_set_int(d, "TREND_W", CHART_W);
	tmpl_set_int(d, "TREND_H", TREND_H + 40);
	for (int k = 0; k < TREND_MONTHS; k++) {
		tmpl_dict *b = tmpl_section(d, "MONTH_BAR");
		long long h = billed[k] * TREND_H / max + (billed[k] > 0);
		tmpl_set(b, "MONTH", months[k].name);
		tmpl_set_int(b, "X", k * col + 6);
		tmpl_set_int(b, "W", col - 12);
		tmpl_set_int(b, "Y", TREND_H - h + 18);
		tmpl_set_int(b, "H", h);
		tmpl_set_int(b, "BILLED", billed[k]);
		tmpl_set_int(b, "SENT", sent[k]);
		tmpl_set_int(b, "RECEIVED", got[k]);
		tmpl_set_int(b, "TX", k * col + col / 2);
		tmpl_set_int(b, "TY", TREND_H - h + 14);
		tmpl_set_int(b, "LY", TREND_H + 34);
		tmpl_set(b, "SHORT", months[k].name + 5);
	}
}

/* The report's whose and when, from the query: 0 or a status. */
static int report_args(struct req *r, long long *org_id, struct month *m)
{
	int rc = scope_read(r, org_id);
	if (rc)
		return rc;
	if (month_read(r, m) < 0) {
		r->notice = "Choose a month as YYYY-MM.";
		return 400;
	}
	return 0;
}

int page_usage_report(struct req *r)
{
	struct month m, prev, next;
	long long org_id;
	int rc = report_args(r, &org_id, &m);
	if (rc)
		return rc;
	struct db_rows rows, trend, org;
	if (load_rows(r, org_id, &m, &rows) < 0 || load_trend(r, org_id, &m, &trend) < 0)
		return 503;
	const char *org_name = "every organization";
	if (org_id) {
		if (db_query(r->db, r->a, &org, "SELECT name FROM organizations WHERE id = ?", "i",
			     org_id) < 0)
			return 503;
		if (org.n != 1)
			return 404;
		org_name = db_get(&org, 0, 0);
	}
	month_set(&prev, m.year, m.mon - 1);
	month_set(&next, m.year, m.mon + 1);
	tmpl_dict *d = page_begin(r, "Usage report", "report.tpl");
	const char *scope = org_id && r->session->role == ROLE_SUPERADMIN ?
		arena_printf(r->a, "&org=%lld", org_id) : "";
	tmpl_set(d, "ORG_NAME", org_name);
	tmpl_set(d, "MONTH", m.name);
	tmpl_set(d, "SCOPE", scope);
	tmpl_set(d, "PREV", prev.name);
	tmpl_set(d, "NEXT", next.name);
	tmpl_set(d, "ROW_KIND", org_id ? "User" : "Organization");
	if (org_id && r->session->role == ROLE_SUPERADMIN)
		tmpl_set_int(tmpl_section(d, "ORG_FIELD"), "ORG_ID", org_id);
	long long total[C_OPTOUTS + 1] = { 0 };
	for (size_t i = 0; i < rows.n; i++) {
		tmpl_dict *t = tmpl_section(d, "ROW");
		tmpl_set(t, "NAME", db_get(&rows, i, C_NAME));
		if (!org_id)
			tmpl_set(tmpl_section(t, "ORG_LINK"), "LINK",
				 arena_printf(r->a, "/reports/usage?month=%s&org=%s", m.name,
					      db_get(&rows, i, C_ID)));
		else
			tmpl_show(t, "PLAIN");
		static const char *const keys[] = { "", "", "SENT", "RECEIVED", "BILLED", "FAILED",
						    "OPTOUTS" };
		for (int c = C_SENT; c <= C_OPTOUTS; c++) {
			tmpl_set_int(t, keys[c], cell(&rows, i, (size_t)c));
			total[c] += cell(&rows, i, (size_t)c);
		}
	}
	if (rows.n == 0)
		tmpl_show(d, "NO_ROWS");
	tmpl_set_int(d, "TOTAL_SENT", total[C_SENT]);
	tmpl_set_int(d, "TOTAL_RECEIVED", total[C_RECEIVED]);
	tmpl_set_int(d, "TOTAL_BILLED", total[C_BILLED]);
	tmpl_set_int(d, "TOTAL_FAILED", total[C_FAILED]);
	tmpl_set_int(d, "TOTAL_OPTOUTS", total[C_OPTOUTS]);
	fill_bars(d, &rows);
	fill_trend(d, &trend, &m);
	return page_finish(r);
}

int page_usage_report_csv(struct req *r)
{
	struct month m;
	long long org_id;
	int rc = report_args(r, &org_id, &m);
	if (rc)
		return rc;
	struct db_rows rows;
	if (load_rows(r, org_id, &m, &rows) < 0)
		return 503;
	struct buf b = { 0 };
	const char *const head[] = { "month", org_id ? "user_id" : "organization_id",
					    org_id ? "user" : "organization", "sent", "received",
					    "billed", "failed", "opted_out" };
	size_t ncols = sizeof head / sizeof head[0];
	for (size_t c = 0; c < ncols; c++)
		csv_cell(&b, head[c], c + 1 == ncols);
	for (size_t i = 0; i < rows.n; i++) {
		csv_cell(&b, m.name, 0);
		for (size_t c = C_ID; c <= C_OPTOUTS; c++)
			csv_cell(&b, c >= C_SENT ? arena_printf(r->a, "%lld", cell(&rows, i, c))
						 : db_get(&rows, i, c), c == C_OPTOUTS);
	}
	resp_text(r, 200, "text/csv; charset=utf-8", b.p ? b.p : "");
	buf_free(&b);
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"smsdesk-usage-%s.csv\"", m.name));
	return 0;
}
