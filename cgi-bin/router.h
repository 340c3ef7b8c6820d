/* One table of routes: method, path pattern, handler, who may call it. */
#ifndef SMSDESK_ROUTER_H
#define SMSDESK_ROUTER_H
#include <stddef.h>

struct req;
typedef int (*handler_fn)(struct req *r);

enum route_access {
	ACCESS_ANYONE,      /* no session needed */
	ACCESS_SIGNED_IN,   /* any signed-in user */
	ACCESS_ORG,         /* a member of an organization (not superadmin) */
	ACCESS_ADMIN,       /* an organization's admin */
	ACCESS_SUPERADMIN,
};

enum route_flags {
	ROUTE_NO_CSRF = 1,      /* authenticated by a signature instead */
	ROUTE_NO_SESSION = 2,   /* never looks at the session (fast paths) */
};

struct route {
	const char *method;
	const char *pattern;   /* '#' stands for one positive numeric id segment */
	handler_fn fn;
	enum route_access access;
	unsigned flags;
};

/* Finds the route for method and path in table. Returns it, or NULL with
 * *status 404 (no such path) or 405 (path known, method not: *allow lists
 * the methods). Numeric segments go to ids[0], ids[1]. HEAD matches GET. */
const struct route *route_find(const struct route *table, size_t n,
			       const char *method, const char *path,
			       long long ids[2], int *status, char *allow,
			       size_t allowlen);
/* The same over smsdesk's own table. */
const struct route *router_match(const char *method, const char *path,
				 long long ids[2], int *status, char *allow,
				 size_t allowlen);
#endif
