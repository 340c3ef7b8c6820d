/* /admin/settings: the organization's consent request wording, its
 * cooling-off between requests, the contact line of the HELP answer,
 * whether a text with sensitive data warns (Send anyway) or is blocked,
 * and the quiet hours (the window texts may reach their recipients in). */
#include "pages.h"

#include "auth.h"
#include "consent.h"
#include "orgs.h"
#include "rules.h"
#include "sms_text.h"
#include "users.h"
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
	const char *err = params_get(&r->query, "problem");
	struct consent_settings cs;
	struct org_policy policy;
	if (consent_settings_load(r->db, r->a, r->session->org_id, &cs) < 0 ||
	    orgs_policy(r->db, r->a, r->session->org_id, &policy) < 0)
		return 503;
	tmpl_dict *d = page_begin(r, "Settings", "admin_settings.tpl");
	tmpl_show(d, strcmp(policy.sensitive_policy, "block") == 0 ? "SENSITIVE_BLOCK" : "SENSITIVE_WARN");
	tmpl_set(d, "CSRF", r->session->csrf);
	tmpl_set(d, "QUIET_HOURS", policy.quiet_hours);
	tmpl_set(d, "QUIET_HOURS_DEFAULT", QUIET_HOURS_DEFAULT);
	tmpl_set(d, "WORDING", cs.wording);
	tmpl_set(d, "DEFAULT_WORDING", CONSENT_REQUEST_DEFAULT);
	tmpl_set_int(d, "COOLOFF", cs.cooloff_hours);
	tmpl_set(d, "HELP_CONTACT", cs.help_contact);
	tmpl_set(d, "LEVEL", r->session->org_sms_level);
	tmpl_set(d, "EXAMPLE", consent_request_text(r->a, cs.wording, r->session->name, cs.org_name, NULL));
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

/* The form, read once: its fields trimmed, absent ones NULL. */
struct settings_form {
	const char *wording;    /* the default when empty */
	const char *cooloff;    /* as sent */
	const char *help;
	const char *policy;     /* NULL: unchanged (a form from before the setting existed) */
	const char *quiet;      /* NULL: unchanged too */
};

static void settings_form_read(struct req *r, struct settings_form *f)
{
	char *wording = text_trim(r->a, params_get(&r->form, "wording"));
	f->wording = wording && *wording ? wording : CONSENT_REQUEST_DEFAULT;
	f->cooloff = params_get(&r->form, "cooloff_hours");
	f->help = text_trim(r->a, params_get(&r->form, "help_contact"));
	f->policy = params_get(&r->form, "sensitive_policy");
	f->quiet = params_get(&r->form, "quiet_hours");
	if (f->quiet)
		f->quiet = text_trim(r->a, f->quiet);
}

/* Whether the wording fits the organization's SMS level for every agent
 * of it: the longest name and the longest NMLS ID they have (a request
 * that still does not fit, for an agent added later, is refused with its
 * reason when sent). 1, 0, or -1 when the database failed. */
static int wording_fits(struct req *r, const char *wording, const char *org_name)
{
	int advanced = r->session->org_sms_level && strcmp(r->session->org_sms_level, "advanced") == 0;
	const char *agent, *nmls;
	if (users_longest(r->db, r->a, r->session->org_id, &agent, &nmls) < 0)
		return -1;
	const char *longest = consent_request_text(r->a, wording, agent ? agent : r->session->name,
						   org_name, nmls);
	return strlen(wording) <= CONSENT_WORDING_MAX && sms_check(longest, advanced, NULL) == SMS_OK;
}

int page_admin_settings_save(struct req *r)
{
	struct settings_form f;
	settings_form_read(r, &f);
	struct consent_settings cs;
	if (consent_settings_load(r->db, r->a, r->session->org_id, &cs) < 0)
		return 503;
	if (!strstr(f.wording, "START") || !strstr(f.wording, "STOP"))
		return refuse(r, "wording_keywords");
	int fits = wording_fits(r, f.wording, cs.org_name);
	if (fits < 0)
		return 503;
	if (!fits)
		return refuse(r, "wording_level");
	char *end = NULL;
	long hours = f.cooloff ? strtol(f.cooloff, &end, 10) : 0;
	if (!f.cooloff || end == f.cooloff || *end || hours < 1 || hours > COOLOFF_MAX_HOURS)
		return refuse(r, "bad_cooloff");
	if (f.help && *f.help && !text_valid(f.help, 160))
		return refuse(r, "bad_help");
	if (f.policy && strcmp(f.policy, "warn") != 0 && strcmp(f.policy, "block") != 0)
		return refuse(r, "bad_sensitive");
	struct quiet_window window;
	if (f.quiet && rules_quiet_hours_parse(f.quiet, &window) < 0)
		return refuse(r, "bad_quiet_hours");
	struct org_settings save = {
		.wording = f.wording, .cooloff_hours = hours, .help_contact = f.help ? f.help : "",
		.sensitive_policy = f.policy, .quiet_hours = f.quiet,
	};
	if (orgs_save_settings(r->db, r->session->org_id, &save) < 0)
		return 503;
	resp_redirect(r, "/admin/settings?done=saved");
	return 0;
}
