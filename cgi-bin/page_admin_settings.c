/* /admin/settings: the organization's consent request wording, its
 * cooling-off between requests, the contact line of the HELP answer,
 * whether a text with sensitive data warns (Send anyway) or is blocked,
 * and the quiet hours (the window texts may reach their recipients in). */
#include "pages.h"

#include "auth.h"
#include "consent.h"
#include "db.h"
#include "rules.h"
#include "sms_text.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#define COOLOFF_MAX_HOURS 720


static const char *const errors[][2] = {
	{ "wording_keywords", "The wording must tell the contact to reply START to agree and STOP to opt out." },
	{ "wording_level", "With the longest name and NMLS ID of your agents, the wording does not fit your organization's SMS level (160 characters without special characters on standard, 640 on advanced)." },
	{ "bad_cooloff", "The cooling-off is a whole number of hours from 1 to 720." },
	{ "bad_help", "The help contact line is at most 160 characters, without control characters." },
	{ "bad_sensitive", "Choose whether texts with sensitive data are warned about or blocked." },
	{ "bad_quiet_hours", "Texting hours are two times of day, HH:MM-HH:MM (e.g. " QUIET_HOURS_DEFAULT "), the first earlier than the second, at least an hour apart, and leaving at least an hour inside 08:00-20:00 (the hours of Florida, Oklahoma, Maryland and Washington). A window across midnight is not allowed." },
};

int page_admin_settings(struct req *r)
{
	struct consent_settings cs;
	struct db_rows policy;
	if (consent_settings_load(r->db, r->a, r->session->org_id, &cs) < 0 ||
	    db_query(r->db, r->a, &policy, "SELECT sensitive_policy, quiet_hours FROM organizations"
		     " WHERE id = ?", "i", r->session->org_id) < 0 || policy.n != 1)
		return 503;
	tmpl_dict *d = page_begin(r, "Settings", "admin_settings.tpl");
	tmpl_show(d, strcmp(db_get(&policy, 0, 0), "block") == 0 ? "SENSITIVE_BLOCK" : "SENSITIVE_WARN");
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set(d, "QUIET_HOURS", db_get(&policy, 0, 1));
	tmpl_set(d, "QUIET_HOURS_DEFAULT", QUIET_HOURS_DEFAULT);
	tmpl_set(d, "WORDING", cs.wording);
	tmpl_set(d, "DEFAULT_WORDING", CONSENT_REQUEST_DEFAULT);
	tmpl_set_int(d, "COOLOFF", cs.cooloff_hours);
	tmpl_set(d, "HELP_CONTACT", cs.help_contact);
	tmpl_set(d, "LEVEL", r->session->org_sms_level);
	tmpl_set(d, "EXAMPLE", consent_request_text(r->a, cs.wording, r->session->name, cs.org_name, NULL));
	const char *err = params_get(&r->query, "problem");
	for (size_t i = 0; err && i < sizeof errors / sizeof errors[0]; i++)
		if (strcmp(errors[i][0], err) == 0)
			tmpl_set(tmpl_section(d, "PROBLEM"), "PROBLEM_TEXT", errors[i][1]);
	return page_finish(r);
}

static int refuse(struct req *r, const char *code)
{
	resp_redirect(r, arena_printf(r->a, "/admin/settings?problem=%s", code));
	return 0;
}

int page_admin_settings_save(struct req *r)
{
	struct consent_settings cs;
	if (consent_settings_load(r->db, r->a, r->session->org_id, &cs) < 0)
		return 503;
	char *wording = text_trim(r->a, params_get(&r->form, "wording"));
	const char *cooloff = params_get(&r->form, "cooloff_hours");
	char *help = text_trim(r->a, params_get(&r->form, "help_contact"));
	if (!wording || !*wording)
		wording = CONSENT_REQUEST_DEFAULT;
	if (!strstr(wording, "START") || !strstr(wording, "STOP"))
		return refuse(r, "wording_keywords");
	int advanced = r->session->org_sms_level && strcmp(r->session->org_sms_level, "advanced") == 0;
	/* it must fit for every agent of the organization: the longest name and
	 * the longest NMLS ID they have (a request that still does not fit,
	 * for an agent added later, is refused with its reason when sent) */
	struct db_rows longest_of;
	if (db_query(r->db, r->a, &longest_of,
		     "SELECT (SELECT name FROM users WHERE org_id = ? AND sms_number IS NOT NULL"
		     "  ORDER BY CHAR_LENGTH(name) DESC LIMIT 1),"
		     " (SELECT nmls_id FROM users WHERE org_id = ? AND nmls_id IS NOT NULL"
		     "  ORDER BY CHAR_LENGTH(nmls_id) DESC LIMIT 1)",
		     "ii", r->session->org_id, r->session->org_id) < 0 || longest_of.n != 1)
		return 503;
	const char *agent = db_get(&longest_of, 0, 0), *nmls = db_get(&longest_of, 0, 1);
	const char *longest = consent_request_text(r->a, wording, agent ? agent : r->session->name,
						   cs.org_name, nmls);
	if (strlen(wording) > CONSENT_WORDING_MAX || sms_check(longest, advanced, NULL) != SMS_OK)
		return refuse(r, "wording_level");
	char *end = NULL;
	long hours = cooloff ? strtol(cooloff, &end, 10) : 0;
	if (!cooloff || end == cooloff || *end || hours < 1 || hours > COOLOFF_MAX_HOURS)
		return refuse(r, "bad_cooloff");
	if (help && *help && !text_valid(help, 160))
		return refuse(r, "bad_help");
	/* absent: unchanged (a form from before the setting existed) */
	const char *policy = params_get(&r->form, "sensitive_policy");
	if (policy && strcmp(policy, "warn") != 0 && strcmp(policy, "block") != 0)
		return refuse(r, "bad_sensitive");
	/* absent: unchanged too */
	const char *quiet = params_get(&r->form, "quiet_hours");
	if (quiet)
		quiet = text_trim(r->a, quiet);
	struct quiet_window window;
	if (quiet && rules_quiet_hours_parse(quiet, &window) < 0)
		return refuse(r, "bad_quiet_hours");
	if (db_exec(r->db, "UPDATE organizations SET consent_request_text = NULLIF(?, ?),"
			   " consent_cooloff_hours = ?, help_contact = ?,"
			   " sensitive_policy = COALESCE(?, sensitive_policy),"
			   " quiet_hours = COALESCE(?, quiet_hours) WHERE id = ?",
		    "ssisssi", wording, CONSENT_REQUEST_DEFAULT, (long long)hours, help ? help : "",
		    policy, quiet, r->session->org_id) < 0)
		return 503;
	resp_redirect(r, "/admin/settings?done=saved");
	return 0;
}
