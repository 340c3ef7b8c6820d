#include "router.h"

#include "pages.h"

#include <stdio.h>
#include <string.h>

static const struct route routes[] = {
	{ "GET",  "/",                     page_home,             ACCESS_ANYONE, 0 },
	{ "GET",  "/healthz",              page_healthz,          ACCESS_ANYONE, ROUTE_NO_SESSION },
	/* nginx's own errors (e.g. its 413) are rendered here: internal there */
	{ "GET",  "/_error/#",             page_status_error,     ACCESS_ANYONE, ROUTE_NO_SESSION },
	{ "GET",  "/login",                page_login,            ACCESS_ANYONE, 0 },
	{ "POST", "/login",                page_login_post,       ACCESS_ANYONE, 0 },
	{ "POST", "/logout",               page_logout,           ACCESS_SIGNED_IN, 0 },
	{ "GET",  "/leads",                page_leads,            ACCESS_ORG, 0 },
	{ "POST", "/leads",                page_leads_create,     ACCESS_ADMIN, 0 },
	{ "GET",  "/leads/#",              page_lead,             ACCESS_ORG, 0 },
	{ "POST", "/leads/#/contacts",     page_lead_contact_add, ACCESS_ADMIN, 0 },
	{ "POST", "/leads/#/contacts/#",   page_lead_contact_edit, ACCESS_ADMIN, 0 },
	{ "POST", "/leads/#/partners",     page_lead_partner_link, ACCESS_ADMIN, 0 },
	{ "POST", "/leads/#/assignments",  page_lead_assignments, ACCESS_ADMIN, 0 },
	{ "GET",  "/profile",              page_profile,          ACCESS_SIGNED_IN, 0 },
	{ "POST", "/profile/password",     page_profile_password, ACCESS_SIGNED_IN, 0 },
	{ "GET",  "/admin/users",          page_admin_users,      ACCESS_ADMIN, 0 },
	{ "POST", "/admin/users",          page_admin_users_create, ACCESS_ADMIN, 0 },
	{ "POST", "/admin/users/#",        page_admin_user_update, ACCESS_ADMIN, 0 },
	{ "GET",  "/admin/settings",       page_admin_settings,   ACCESS_ADMIN, 0 },
	{ "POST", "/admin/settings",       page_admin_settings_save, ACCESS_ADMIN, 0 },
	{ "GET",  "/reports/usage",        page_usage_report,     ACCESS_SIGNED_IN, 0 },
	{ "GET",  "/reports/usage.csv",    page_usage_report_csv, ACCESS_SIGNED_IN, 0 },
	{ "GET",  "/superadmin/orgs",      page_superadmin_orgs,  ACCESS_SUPERADMIN, 0 },
	{ "POST", "/superadmin/orgs",      page_superadmin_orgs_create, ACCESS_SUPERADMIN, 0 },
	{ "POST", "/superadmin/orgs/#",    page_superadmin_org_update, ACCESS_SUPERADMIN, 0 },
	{ "GET",  "/leads/#/consents",     page_consents,         ACCESS_ORG, 0 },
	{ "GET",  "/leads/#/consents.csv", page_consents_csv,     ACCESS_ORG, 0 },
	{ "GET",  "/leads/#/loanfile",     page_loanfile,         ACCESS_ORG, 0 },
	{ "GET",  "/leads/#/loanfile.csv", page_loanfile_csv,     ACCESS_ORG, 0 },
	{ "POST", "/leads/#/consents/optout", page_consents_opt_out, ACCESS_ORG, 0 },
	{ "POST", "/sms/send",             page_sms_send,         ACCESS_ORG, 0 },
	{ "POST", "/sms/resend",           page_sms_resend,       ACCESS_ORG, 0 },
	{ "POST", "/sms/cancel",           page_sms_cancel,       ACCESS_ORG, 0 },
	{ "POST", "/sms/consent",          page_sms_consent,      ACCESS_ORG, 0 },
	{ "GET",  "/notifications",        page_notifications,    ACCESS_ORG, 0 },
	{ "GET",  "/unmatched",            page_unmatched,        ACCESS_ORG, 0 },
	{ "GET",  "/unmatched/#",          page_unmatched_file_form, ACCESS_ORG, 0 },
	{ "POST", "/unmatched/#/file",     page_unmatched_file,   ACCESS_ORG, 0 },
	{ "GET",  "/media/#",              page_media,            ACCESS_ORG, 0 },
	/* the carrier signs its callbacks instead of carrying a csrf token */
	{ "POST", "/webhooks/twilio/sms",    webhook_twilio_sms,    ACCESS_ANYONE,
	  ROUTE_NO_CSRF | ROUTE_NO_SESSION },
	{ "POST", "/webhooks/twilio/status", webhook_twilio_status, ACCESS_ANYONE,
	  ROUTE_NO_CSRF | ROUTE_NO_SESSION },
	{ "GET",  "/inbox",                page_inbox,            ACCESS_ORG, 0 },
	{ "POST", "/inbox/done",           page_inbox_done,       ACCESS_ORG, 0 },
	{ "POST", "/inbox/unread",         page_inbox_unread,     ACCESS_ORG, 0 },
	{ "GET",  "/replies",              page_replies,          ACCESS_ORG, 0 },
	{ "POST", "/replies",              page_replies_create,   ACCESS_ORG, 0 },
	{ "POST", "/replies/#",            page_replies_update,   ACCESS_ORG, 0 },
	{ "POST", "/replies/#/delete",     page_replies_delete,   ACCESS_ORG, 0 },
	{ "POST", "/unmatched/#/create",   page_unmatched_create, ACCESS_ORG, 0 },
};

/* Matches one pattern; '#' takes a run of digits not starting with 0. */
static int pattern_match(const char *pat, const char *path, long long ids[2])
{
	int nid = 0;
	while (*pat && *path) {
		if (*pat == '#') {
			if (*path < '1' || *path > '9')
				return 0;
			long long v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 18)
					return 0;
				v = v * 10 + (*path++ - '0');
			}
			if (nid < 2)
				ids[nid++] = v;
			pat++;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return *pat == '\0' && *path == '\0';
}

const struct route *route_find(const struct route *table, size_t n,
			       const char *method, const char *path,
			       long long ids[2], int *status, char *allow,
			       size_t allowlen)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_known = 0;
	size_t used = 0;
	if (allowlen)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		long long got[2] = { 0, 0 };
		if (!pattern_match(table[i].pattern, path, got))
			continue;
		if (strcmp(table[i].method, m) == 0) {
			ids[0] = got[0];
			ids[1] = got[1];
			return &table[i];
		}
		path_known = 1;
		int w = snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "",
				 table[i].method);
		if (w > 0 && (size_t)w < allowlen - used)
			used += (size_t)w;
	}
	*status = path_known ? 405 : 404;
	return NULL;
}

const struct route *router_match(const char *method, const char *path,
				 long long ids[2], int *status, char *allow,
				 size_t allowlen)
{
	return route_find(routes, sizeof routes / sizeof routes[0], method, path,
			  ids, status, allow, allowlen);
}
