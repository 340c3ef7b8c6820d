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
#include "format.h"
#include "orgs.h"
#include "reports.h"

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

/* The report's rows and trend, from reports.c. */
struct usage {
	struct usage_row *rows;
	size_t n;
	struct usage_month *trend;
	size_t months;
};

static int load_rows(struct req *r, long long org_id, const struct month *m, struct usage *u)
{
	return reports_usage(r->db, r->a, org_id, m->start, m->end, m->day, &u->rows, &u->n);
}

/* The twelve months up to this one: sent, received and billed a month. */
static int load_trend(struct req *r, long long org_id, const struct month *m, struct usage *u)
{
	struct month first;
	month_set(&first, m->year, m->mon - (TREND_MONTHS - 1));
	return reports_usage_trend(r->db, r->a, org_id, first.day, m->day, &u->trend, &u->months);
}

/* Horizontal bars: texts sent and received per row, scaled to the largest. */
static void fill_bars(tmpl_dict *d, const struct usage *u)
{
	long long max = 1;
	for (size_t i = 0; i < u->n; i++) {
		if (u->rows[i].sent > max)
			max = u->rows[i].sent;
		if (u->rows[i].received > max)
			max = u->rows[i].received;
	}
	long long span = CHART_W - LABEL_W - 60;
	tmpl_set_int(d, "BARS_W", CHART_W);
	tmpl_set_int(d, "BARS_H", (long long)(u->n * 2 * (BAR_H + 2) + u->n * BAR_GAP + 10));
	long long y = 5;
	for (size_t i = 0; i < u->n; i++) {
		tmpl_dict *b = tmpl_section(d, "BAR");
		long long sent = u->rows[i].sent, got = u->rows[i].received;
		tmpl_set(b, "LABEL", u->rows[i].name);
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
static void fill_trend(struct req *r, tmpl_dict *d, const struct usage *u, const struct month *m)
{
	long long billed[TREND_MONTHS] = { 0 }, sent[TREND_MONTHS] = { 0 }, got[TREND_MONTHS] = { 0 };
	struct month months[TREND_MONTHS];
	long long max = 1;
	for (int k = 0; k < TREND_MONTHS; k++) {
		month_set(&months[k], m->year, m->mon - (TREND_MONTHS - 1) + k);
		for (size_t i = 0; i < u->months; i++)
			if (strcmp(u->trend[i].month, months[k].name) == 0) {
				sent[k] = u->trend[i].sent;
				got[k] = u->trend[i].received;
				billed[k] = u->trend[i].billed;
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
		tmpl_set(b, "MONTH_TEXT", format_month(r->a, months[k].year, months[k].mon));
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
		/* "Oct": twelve months in a row name each month once */
		tmpl_set(b, "SHORT", arena_printf(r->a, "%.3s", format_month(r->a, months[k].year,
									 months[k].mon)));
	}
}

/* The report's whose and when, read from the query once. */
struct report_args {
	long long org_id;         /* 0: every organization */
	struct month m;
};

/* 0 or a status. */
static int report_args(struct req *r, struct report_args *q)
{
	int rc = scope_read(r, &q->org_id);
	if (rc)
		return rc;
	if (month_read(r, &q->m) < 0) {
		r->notice = "Choose a month as YYYY-MM.";
		return 400;
	}
	return 0;
}

/* The table: a row per user (organization), and the totals. */
static void fill_table(struct req *r, tmpl_dict *d, const struct report_args *q,
		       const struct usage *u)
{
	struct usage_row total = { 0 };
	for (size_t i = 0; i < u->n; i++) {
		const struct usage_row *e = &u->rows[i];
		tmpl_dict *t = tmpl_section(d, "ROW");
		tmpl_set(t, "NAME", e->name);
		if (!q->org_id)
			tmpl_set(tmpl_section(t, "ORG_LINK"), "LINK",
				 arena_printf(r->a, "/reports/usage?month=%s&org=%s", q->m.name, e->id));
		else
			tmpl_show(t, "PLAIN");
		tmpl_set_int(t, "SENT", e->sent);
		tmpl_set_int(t, "RECEIVED", e->received);
		tmpl_set_int(t, "BILLED", e->billed);
		tmpl_set_int(t, "FAILED", e->failed);
		tmpl_set_int(t, "OPTOUTS", e->opted_out);
		total.sent += e->sent;
		total.received += e->received;
		total.billed += e->billed;
		total.failed += e->failed;
		total.opted_out += e->opted_out;
	}
	if (u->n == 0)
		tmpl_show(d, "NO_ROWS");
	tmpl_set_int(d, "TOTAL_SENT", total.sent);
	tmpl_set_int(d, "TOTAL_RECEIVED", total.received);
	tmpl_set_int(d, "TOTAL_BILLED", total.billed);
	tmpl_set_int(d, "TOTAL_FAILED", total.failed);
	tmpl_set_int(d, "TOTAL_OPTOUTS", total.opted_out);
}

int page_usage_report(struct req *r)
{
	struct report_args q;
	struct month prev, next;
	int rc = report_args(r, &q);
	if (rc)
		return rc;
	struct usage u;
	if (load_rows(r, q.org_id, &q.m, &u) < 0 || load_trend(r, q.org_id, &q.m, &u) < 0)
		return 503;
	const char *org_name = "every organization";
	if (q.org_id) {
		int found = orgs_name(r->db, r->a, q.org_id, &org_name);
		if (found < 0)
			return 503;
		if (!found)
			return 404;
	}
	month_set(&prev, q.m.year, q.m.mon - 1);
	month_set(&next, q.m.year, q.m.mon + 1);
	tmpl_dict *d = page_begin(r, "Usage report", "report.tpl");
	const char *scope = q.org_id && r->session->role == ROLE_SUPERADMIN ?
		arena_printf(r->a, "&org=%lld", q.org_id) : "";
	tmpl_set(d, "ORG_NAME", org_name);
	tmpl_set(d, "MONTH", q.m.name);
	tmpl_set(d, "SCOPE", scope);
	tmpl_set(d, "PREV", prev.name);
	tmpl_set(d, "NEXT", next.name);
	tmpl_set(d, "MONTH_TEXT", format_month(r->a, q.m.year, q.m.mon));
	tmpl_set(d, "PREV_TEXT", format_month(r->a, prev.year, prev.mon));
	tmpl_set(d, "NEXT_TEXT", format_month(r->a, next.year, next.mon));
	tmpl_set(d, "ROW_KIND", q.org_id ? "User" : "Organization");
	if (q.org_id && r->session->role == ROLE_SUPERADMIN)
		tmpl_set_int(tmpl_section(d, "ORG_FIELD"), "ORG_ID", q.org_id);
	fill_table(r, d, &q, &u);
	fill_bars(d, &u);
	fill_trend(r, d, &u, &q.m);
	return page_finish(r);
}

int page_usage_report_csv(struct req *r)
{
	struct report_args q;
	int rc = report_args(r, &q);
	if (rc)
		return rc;
	struct usage u;
	if (load_rows(r, q.org_id, &q.m, &u) < 0)
		return 503;
	struct buf b = { 0 };
	const char *const head[] = { "month", q.org_id ? "user_id" : "organization_id",
					    q.org_id ? "user" : "organization", "sent", "received",
					    "billed", "failed", "opted_out" };
	size_t ncols = sizeof head / sizeof head[0];
	for (size_t c = 0; c < ncols; c++)
		csv_cell(&b, head[c], c + 1 == ncols);
	for (size_t i = 0; i < u.n; i++) {
		const struct usage_row *e = &u.rows[i];
		const long long figures[] = { e->sent, e->received, e->billed, e->failed, e->opted_out };
		csv_cell(&b, q.m.name, 0);
		csv_cell(&b, e->id, 0);
		csv_cell(&b, e->name, 0);
		for (size_t c = 0; c < sizeof figures / sizeof figures[0]; c++)
			csv_cell(&b, arena_printf(r->a, "%lld", figures[c]),
				 c + 1 == sizeof figures / sizeof figures[0]);
	}
	resp_text(r, 200, "text/csv; charset=utf-8", b.p ? b.p : "");
	buf_free(&b);
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"smsdesk-usage-%s.csv\"", q.m.name));
	return 0;
}
