/* Saved replies (docs/behaviour.md, "Saved replies"): a user's own and
 * their organization's, each a name and a body with merge fields
 * (merge.h). Every function is scoped to one organization: a reply of
 * another organization is never read or written. */
#ifndef SMSDESK_REPLIES_H
#define SMSDESK_REPLIES_H
#include <stddef.h>

struct arena;
struct db;

#define REPLY_NAME_MAX 100    /* characters */
#define REPLY_BODY_MAX 1600   /* characters */

struct reply {
	long long id;
	int org_wide;          /* the organization's (user_id NULL) */
	const char *name, *body;
};

/* The replies user_id sees in org_id: their own first, then the
 * organization's, each by name. *out in the arena; the count, or -1. */
int replies_list(struct db *db, struct arena *a, long long org_id, long long user_id,
		 struct reply **out);
/* One reply of org_id that user_id may see (their own or the
 * organization's): 1 and *out, 0 when there is none, -1 on failure. */
int replies_get(struct db *db, struct arena *a, long long org_id, long long user_id,
		long long id, struct reply *out);
/* Creates one (org_wide: the organization's); its id, or -1. */
long long replies_create(struct db *db, long long org_id, long long user_id, int org_wide,
			 const char *name, const char *body);
/* Updates or deletes reply id of org_id: 1 done, 0 no such reply, -1. */
int replies_update(struct db *db, long long org_id, long long id, const char *name,
		   const char *body);
int replies_delete(struct db *db, long long org_id, long long id);
#endif
