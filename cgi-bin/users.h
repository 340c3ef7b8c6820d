/* The users table: an organization's users as the admin pages list and
 * edit them, a password change, the names the consent wording is sized
 * for. Rows come back as structs (in the arena given), filled by column
 * name; the sessions a change ends are auth.c's (auth_drop_sessions). */
#ifndef SMSDESK_USERS_H
#define SMSDESK_USERS_H
#include <stddef.h>

struct arena;
struct db;

/* What an admin sets on a user, validated by the caller. */
struct user_fields {
	const char *role;
	const char *sms_number;   /* E.164, or NULL for none */
	const char *nmls_id;      /* digits, or NULL for none */
	long long sms_permission, mms_enabled, display_images;
};

/* One user of an organization, as /admin/users lists them. */
struct user_row {
	long long id;
	const char *name, *email, *role;
	const char *sms_number, *nmls_id;   /* NULL: none */
	int sms_permission, mms_enabled, display_images, active;
};

/* The organization's users, active first, by name: 0 or -1. */
int users_list(struct db *db, struct arena *a, long long org_id, struct user_row **out,
	       size_t *n);
/* 1 when a user (of any organization) has the email, 0 if not, -1. */
int users_email_taken(struct db *db, struct arena *a, const char *email);
/* A new user of the organization, in its time zone: 1 (the row, its id in
 * *id), DB_DUP (the email or the SMS number is taken) or DB_ERR. */
long long users_create(struct db *db, long long org_id, const char *email, const char *name,
		       const char *password_hash, const struct user_fields *f, long long *id);
/* An organization's first admin, in the caller's transaction: 1, DB_DUP
 * (the email is taken) or DB_ERR. */
long long users_create_admin(struct db *db, long long org_id, const char *email,
			     const char *name, const char *password_hash, const char *time_zone);
/* Saves a user of the organization in one transaction; a deactivated
 * user's sessions end with it. 0, DB_DUP (the SMS number is taken) or
 * DB_ERR. */
int users_update(struct db *db, long long org_id, long long id, const struct user_fields *f,
		 long long active);
/* The new password hash, and every session of the user but keep_session
 * ends, in one transaction: 0 or -1. */
int users_set_password(struct db *db, long long user_id, const char *password_hash,
		       long long keep_session);
/* The longest name of the organization's agents with an SMS number and
 * its longest NMLS ID (each NULL when there is none): 0 or -1. */
int users_longest(struct db *db, struct arena *a, long long org_id, const char **name,
		  const char **nmls_id);
/* The user's NMLS ID (NULL: none): 0, or -1 (no such user too). */
int users_nmls_id(struct db *db, struct arena *a, long long user_id, const char **nmls_id);
#endif
