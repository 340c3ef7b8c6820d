/* The organizations table: the service's organizations as the
 * superadmin lists, creates and switches them, and an organization's own
 * settings (sensitive data policy, quiet hours; the consent settings are
 * consent.c's consent_settings_load). Rows come back as structs (in the
 * arena given), filled by column name. */
#ifndef SMSDESK_ORGS_H
#define SMSDESK_ORGS_H
#include <stddef.h>

struct arena;
struct db;

/* One organization, as /superadmin/orgs lists them, with its users. */
struct org_row {
	long long id;
	const char *name, *sms_level, *time_zone;
	int sms_enabled;
	long long users, active_users;
};

/* Every organization by name: 0 or -1. */
int orgs_list(struct db *db, struct arena *a, struct org_row **out, size_t *n);
/* 1 when the organization exists, 0 if not, -1. */
int orgs_exists(struct db *db, struct arena *a, long long id);
/* The organization's name into *name: 1, 0 (no such organization) or -1. */
int orgs_name(struct db *db, struct arena *a, long long id, const char **name);
/* Switches its texting and sets its level: 0 or -1. */
int orgs_set_sms(struct db *db, long long id, long long sms_enabled, const char *level);

/* A new organization and its first admin (users.c), validated by the caller. */
struct org_new {
	const char *name, *time_zone, *level;
	long long sms_enabled;
	const char *admin_email, *admin_name;
};
/* Both in one transaction, all or nothing: 0, DB_DUP (the admin's email
 * is taken) or DB_ERR. */
int orgs_create(struct db *db, const struct org_new *o, const char *admin_password_hash);

/* The settings /admin/settings shows beside the consent settings. */
struct org_policy {
	const char *sensitive_policy;  /* "warn" or "block" */
	const char *quiet_hours;       /* "HH:MM-HH:MM" */
};
int orgs_policy(struct db *db, struct arena *a, long long id, struct org_policy *out);
/* What /admin/settings saves, validated by the caller. */
struct org_settings {
	const char *wording;           /* the default wording is stored as NULL */
	long long cooloff_hours;
	const char *help_contact;
	const char *sensitive_policy;  /* NULL: unchanged */
	const char *quiet_hours;       /* NULL: unchanged */
};
int orgs_save_settings(struct db *db, long long id, const struct org_settings *s);
#endif
