/* The usage report's figures (/reports/usage), read from the monthly
 * summary the messages triggers keep (schema/0023-usage-summary.sql) and
 * the consent ledger's opt-outs. Rows come back as structs (in the arena
 * given), filled by column name; a missing figure is 0. */
#ifndef SMSDESK_REPORTS_H
#define SMSDESK_REPORTS_H
#include <stddef.h>

struct arena;
struct db;

/* One user's month (an organization's, for every organization). */
struct usage_row {
	const char *id;      /* as text, as it goes into links and the CSV */
	const char *name;
	long long sent, received, billed, failed, opted_out;
};
/* The month from start to end ("YYYY-MM-DD HH:MM:SS", end excluded; day
 * "YYYY-MM-01", its key in the summary): one row per user of org_id (an
 * admin only with texts of their own), by name; org_id 0: one per
 * organization. 0 or -1. */
int reports_usage(struct db *db, struct arena *a, long long org_id, const char *start,
		  const char *end, const char *day, struct usage_row **out, size_t *n);

/* One month's totals, "YYYY-MM". */
struct usage_month {
	const char *month;
	long long sent, received, billed;
};
/* The months from first_day to last_day (both "YYYY-MM-01") that have
 * figures, in order, of org_id (0: every organization). 0 or -1. */
int reports_usage_trend(struct db *db, struct arena *a, long long org_id, const char *first_day,
			const char *last_day, struct usage_month **out, size_t *n);
#endif
