/* smsdeskctl import. The file is read and checked completely before the
 * database is touched (so a broken file fails fast and names its entry),
 * passwords are hashed outside the transaction (argon2id is slow), and
 * everything is then written in one transaction. */
#include "import.h"
#include "tz.h"

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "rules.h"
#include "validate.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NONE ((size_t)-1)
#define KEY_CHARS 100
#define NAME_CHARS 200
#define QUOTE_BYTES 60    /* how much of a bad value a message repeats */
#define DEFAULT_TIME_ZONE "America/Chicago"

enum kind { K_ORG, K_USER, K_PARTNER, K_LEAD, K_CONTACT, K_COUNT };
static const char *const kind_names[K_COUNT] = {
	"organizations", "users", "partners", "leads", "contacts",
};

struct org_entry {
	const char *key, *name, *sms_level, *time_zone, *quiet_hours;
	int sms_enabled;
	long long id;
};

struct user_entry {
	const char *key, *email, *name, *role, *password, *time_zone;
	char sms_number[E164_MAX + 1];   /* "" when none */
	size_t org;                      /* NONE for a superadmin */
	int sms_permission, mms_enabled, display_images;
	const char *nmls_id;   /* NULL when none */
	char hash[PASSWORD_HASH_MAX];
	long long id;
};

struct partner_entry {
	const char *key, *name, *role;
	char mobile[E164_MAX + 1];
	size_t org;
	long long id;
};

struct lead_entry {
	const char *key, *name, *status;
	char updated_at[20];             /* UTC "YYYY-MM-DD HH:MM:SS"; "" for now */
	size_t org;
	size_t *assigned, nassigned;
	long long id;
};

struct contact_entry {
	const char *key;                 /* NULL: a partner link without a key */
	const char *role, *name;         /* name NULL for a partner link */
	char mobile[E164_MAX + 1];
	size_t lead, pos, partner;       /* pos: index in the lead's list */
	long long id;
};

struct consent_entry {
	const char *status;
	size_t agent, contact, partner;  /* either contact or partner is NONE */
};

struct import {
	struct arena a;
	FILE *err;
	char where[400];                 /* the entry at hand, for messages */
	json_t *index[K_COUNT];          /* key -> position in its array */
	json_t *emails, *numbers;        /* uniqueness inside the file */
	struct org_entry *orgs;
	struct user_entry *users;
	struct partner_entry *partners;
	struct lead_entry *leads;
	struct contact_entry *contacts;
	struct consent_entry *consents;
	size_t n[K_COUNT], ncontacts_max, nconsents;
};

/* ---- messages */

static int bad(struct import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct import *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(im->err, "import: %s: ", im->where);
	vfprintf(im->err, fmt, ap);
	fputc('\n', im->err);
	va_end(ap);
	return -1;
}

/* A byte of the file as a message shows it: a control character, which
 * would break the message's one line, as '?'. */
static char shown(unsigned char c)
{
	return c < 0x20 || c == 0x7f ? '?' : (char)c;
}

/* A value from the file, quoted for a message: control characters become
 * '?' and a long value is cut at a character boundary. */
static const char *q(struct import *im, const char *s)
{
	size_t n = strlen(s), cut = n > QUOTE_BYTES ? QUOTE_BYTES : n;
	while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	char *out = arena_alloc(&im->a, cut + 6);
	size_t o = 0;
	out[o++] = '"';
	for (size_t i = 0; i < cut; i++)
		out[o++] = shown((unsigned char)s[i]);
	if (cut < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* Names the entry at hand: `users[2] (key "bob")`, nested under outer. */
static void at(struct import *im, const char *outer, const char *section, size_t i,
	       const char *key)
{
	const char *k = key ? arena_printf(&im->a, " (key %s)", q(im, key)) : "";
	snprintf(im->where, sizeof im->where, "%s%s%s[%zu]%s", outer ? outer : "",
		 outer ? ": " : "", section, i, k);
}

/* ---- fields */

static int check_fields(struct import *im, json_t *obj, const char *const allowed[])
{
	const char *name;
	json_t *v;
	json_object_foreach(obj, name, v) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], name) != 0)
			i++;
		if (!allowed[i])
			return bad(im, "unknown field %s", q(im, name));
	}
	return 0;
}

/* A string field; *out is NULL when it is absent or null and optional. */
static int get_string(struct import *im, json_t *obj, const char *name, int required,
		      const char **out)
{
	json_t *v = json_object_get(obj, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? bad(im, "%s is missing", name) : 0;
	if (!json_is_string(v))
		return bad(im, "%s must be a string", name);
	*out = json_string_value(v);
	return 0;
}

/* Text people read: trimmed, 1..max characters, no control characters.
 * Required when there is no default. */
static int get_text(struct import *im, json_t *obj, const char *name, size_t max,
		    const char *dflt, const char **out)
{
	const char *s;
	if (get_string(im, obj, name, dflt == NULL, &s) < 0)
		return -1;
	if (!s) {
		*out = dflt;
		return 0;
	}
	if (!text_valid(s, max))
		return bad(im, "%s %s must be 1 to %zu characters without control characters",
			   name, q(im, s), max);
	*out = text_trim(&im->a, s);
	return 0;
}

/* Omitted booleans are false. */
static int get_bool(struct import *im, json_t *obj, const char *name, int *out)
{
	json_t *v = json_object_get(obj, name);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(im, "%s must be true or false", name);
	*out = json_is_true(v);
	return 0;
}

/* An optional phone number, normalized to E.164; "" when absent. */
static int get_phone(struct import *im, json_t *obj, const char *name, char out[E164_MAX + 1])
{
	const char *s;
	out[0] = '\0';
	if (get_string(im, obj, name, 0, &s) < 0)
		return -1;
	if (s && phone_normalize(s, out) < 0) {
		out[0] = '\0';
		return bad(im, "%s %s is not a valid phone number", name, q(im, s));
	}
	return 0;
}

static int get_time_zone(struct import *im, json_t *obj, const char **out)
{
	if (get_string(im, obj, "time_zone", 0, out) < 0)
		return -1;
	if (!*out)
		*out = DEFAULT_TIME_ZONE;
	else if (!time_zone_valid(*out))
		return bad(im, "time_zone %s is not a known time zone", q(im, *out));
	return 0;
}

static int lookup(struct import *im, enum kind k, const char *key, size_t *out)
{
	json_t *v = json_object_get(im->index[k], key);
	if (!v)
		return -1;
	*out = (size_t)json_integer_value(v);
	return 0;
}

/* A reference to another entry of the file by its key; NONE when absent. */
static int get_ref(struct import *im, json_t *obj, const char *name, enum kind k,
		   int required, size_t *out)
{
	const char *s;
	*out = NONE;
	if (get_string(im, obj, name, required, &s) < 0)
		return -1;
	if (s && lookup(im, k, s, out) < 0)
		return bad(im, "%s %s is not a key of the file's %s", name, q(im, s), kind_names[k]);
	return 0;
}

/* Records value -> pos in seen; refuses a value seen before. */
static int remember(struct import *im, json_t *seen, const char *value, size_t pos)
{
	if (json_object_set_new(seen, value, json_integer((json_int_t)pos)) < 0)
		return bad(im, "out of memory");
	return 0;
}

/* The entry's key, unique within its kind; *out NULL when optional and absent. */
static int get_key(struct import *im, json_t *obj, enum kind k, size_t pos, int required,
		   const char **out)
{
	size_t other;
	if (get_string(im, obj, "key", required, out) < 0)
		return -1;
	if (!*out)
		return 0;
	if (!text_valid(*out, KEY_CHARS))
		return bad(im, "key %s must be 1 to %d characters without control characters",
			   q(im, *out), KEY_CHARS);
	if (lookup(im, k, *out, &other) == 0)
		return bad(im, "key %s is used twice among the %s", q(im, *out), kind_names[k]);
	return remember(im, im->index[k], *out, pos);
}

/* "2026-11-20T10:00:00Z" (or with an offset such as "-06:00") -> UTC
 * "2026-11-20 10:00:00"; -1 for anything else, e.g. February 30, or a
 * time before 1970 (through the time module, tz.h). */
static int parse_time(const char *s, char out[20])
{
	long long t;
	if (tz_parse_rfc3339(s, &t) < 0 || t < 0 || t > 253402300799LL /* 9999-12-31 23:59:59 */)
		return -1;
	return tz_strftime("UTC", t, "%Y-%m-%d %H:%M:%S", out, 20) < 0 || strlen(out) != 19 ? -1 : 0;
}

/* ---- shared with smsdeskctl's user commands */

char *import_email(struct arena *a, const char *s)
{
	char *e = text_trim(a, s);
	for (char *c = e; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return email_valid(e) ? e : NULL;
}

/* ---- reading the file */

static int read_org(struct import *im, json_t *e, size_t i)
{
	static const char *const fields[] = { "key", "name", "sms_enabled", "sms_level",
					      "time_zone", "quiet_hours", NULL };
	struct org_entry *o = &im->orgs[i];
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_ORG, i, 1, &o->key) < 0 ||
	    get_text(im, e, "name", NAME_CHARS, NULL, &o->name) < 0 ||
	    get_bool(im, e, "sms_enabled", &o->sms_enabled) < 0 ||
	    get_string(im, e, "sms_level", 0, &o->sms_level) < 0 ||
	    get_time_zone(im, e, &o->time_zone) < 0 ||
	    get_string(im, e, "quiet_hours", 0, &o->quiet_hours) < 0)
		return -1;
	struct quiet_window window;
	if (!o->quiet_hours)
		o->quiet_hours = QUIET_HOURS_DEFAULT;
	else if (rules_quiet_hours_parse(o->quiet_hours, &window) < 0)
		return bad(im, "quiet_hours %s must be HH:MM-HH:MM, the first earlier than the second,"
			   " at least an hour apart and leaving an hour inside 08:00-20:00 (e.g. \"%s\")",
			   q(im, o->quiet_hours), QUIET_HOURS_DEFAULT);
	if (!o->sms_level)
		o->sms_level = "standard";
	else if (strcmp(o->sms_level, "standard") != 0 && strcmp(o->sms_level, "advanced") != 0)
		return bad(im, "sms_level %s must be \"standard\" or \"advanced\"", q(im, o->sms_level));
	return 0;
}

static int check_user_role(struct import *im, struct user_entry *u)
{
	if (strcmp(u->role, "superadmin") == 0) {
		if (u->org != NONE)
			return bad(im, "a superadmin belongs to no organization: remove org");
		return 0;
	}
	if (!role_valid(u->role))
		return bad(im, "role %s must be superadmin, admin, manager or agent", q(im, u->role));
	if (u->org == NONE)
		return bad(im, "org is missing (only a superadmin belongs to no organization)");
	return 0;
}

static int check_user_unique(struct import *im, struct user_entry *u, size_t i)
{
	json_t *v = json_object_get(im->emails, u->email);
	if (v)
		return bad(im, "email %s is also used by users[%lld]", q(im, u->email),
			   (long long)json_integer_value(v));
	if (remember(im, im->emails, u->email, i) < 0)
		return -1;
	if (!u->sms_number[0])
		return 0;
	v = json_object_get(im->numbers, u->sms_number);
	if (v)
		return bad(im, "sms_number %s is also used by users[%lld]", q(im, u->sms_number),
			   (long long)json_integer_value(v));
	return remember(im, im->numbers, u->sms_number, i);
}

static int read_user(struct import *im, json_t *e, size_t i)
{
	static const char *const fields[] = { "key", "org", "email", "name", "role", "password",
					      "sms_permission", "sms_number", "mms_enabled",
					      "display_images", "time_zone", "nmls_id", NULL };
	struct user_entry *u = &im->users[i];
	const char *email;
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_USER, i, 1, &u->key) < 0 ||
	    get_ref(im, e, "org", K_ORG, 0, &u->org) < 0 ||
	    get_string(im, e, "email", 1, &email) < 0 ||
	    get_text(im, e, "name", NAME_CHARS, NULL, &u->name) < 0 ||
	    get_string(im, e, "role", 1, &u->role) < 0 ||
	    get_string(im, e, "password", 1, &u->password) < 0 ||
	    get_bool(im, e, "sms_permission", &u->sms_permission) < 0 ||
	    get_phone(im, e, "sms_number", u->sms_number) < 0 ||
	    get_bool(im, e, "mms_enabled", &u->mms_enabled) < 0 ||
	    get_bool(im, e, "display_images", &u->display_images) < 0 ||
	    get_time_zone(im, e, &u->time_zone) < 0 || check_user_role(im, u) < 0 ||
	    get_string(im, e, "nmls_id", 0, &u->nmls_id) < 0)
		return -1;
	if (u->nmls_id && !nmls_id_valid(u->nmls_id))
		return bad(im, "nmls_id %s is not 1 to %d digits", q(im, u->nmls_id), NMLS_ID_MAX);
	u->email = import_email(&im->a, email);
	if (!u->email)
		return bad(im, "email %s is not a valid email address", q(im, email));
	/* the password itself is never repeated in a message */
	if (!password_length_ok(u->password))
		return bad(im, "password must be %d to %d characters", PASSWORD_MIN, PASSWORD_MAX);
	return check_user_unique(im, u, i);
}

static int read_partner(struct import *im, json_t *e, size_t i)
{
	static const char *const fields[] = { "key", "org", "name", "role", "mobile", NULL };
	struct partner_entry *p = &im->partners[i];
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_PARTNER, i, 1, &p->key) < 0 ||
	    get_ref(im, e, "org", K_ORG, 1, &p->org) < 0 ||
	    get_text(im, e, "name", NAME_CHARS, NULL, &p->name) < 0 ||
	    get_text(im, e, "role", 100, "Real Estate Agent", &p->role) < 0 ||
	    get_phone(im, e, "mobile", p->mobile) < 0)
		return -1;
	return 0;
}

static int read_assigned(struct import *im, json_t *e, struct lead_entry *l)
{
	json_t *list = json_object_get(e, "assigned"), *v;
	size_t j;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return bad(im, "assigned must be a list of user keys");
	l->assigned = arena_calloc(&im->a, json_array_size(list), sizeof *l->assigned);
	json_array_foreach(list, j, v) {
		const char *key = json_string_value(v);
		size_t u;
		if (!key)
			return bad(im, "assigned[%zu] must be a user key", j);
		if (lookup(im, K_USER, key, &u) < 0)
			return bad(im, "assigned user %s is not a key of the file's users", q(im, key));
		if (im->users[u].org == NONE)
			return bad(im, "assigned user %s is a superadmin", q(im, key));
		if (im->users[u].org != l->org)
			return bad(im, "assigned user %s belongs to another organization", q(im, key));
		for (size_t k = 0; k < l->nassigned; k++)
			if (l->assigned[k] == u)
				return bad(im, "user %s is assigned twice", q(im, key));
		l->assigned[l->nassigned++] = u;
	}
	return 0;
}

static int read_partner_link(struct import *im, json_t *e, struct contact_entry *c, size_t ci)
{
	static const char *const fields[] = { "key", "partner", NULL };
	const struct lead_entry *l = &im->leads[c->lead];
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_CONTACT, ci, 0, &c->key) < 0 ||
	    get_ref(im, e, "partner", K_PARTNER, 1, &c->partner) < 0)
		return -1;
	const struct partner_entry *p = &im->partners[c->partner];
	if (p->org != l->org)
		return bad(im, "partner %s belongs to another organization", q(im, p->key));
	/* a lead's contacts are consecutive: look back over this lead's */
	for (size_t k = ci - c->pos; k < ci; k++)
		if (im->contacts[k].partner == c->partner)
			return bad(im, "partner %s is linked to this lead twice", q(im, p->key));
	c->role = "external";
	return 0;
}

static int read_borrower(struct import *im, json_t *e, struct contact_entry *c, size_t ci)
{
	static const char *const fields[] = { "key", "role", "name", "mobile", NULL };
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_CONTACT, ci, 1, &c->key) < 0 ||
	    get_string(im, e, "role", 1, &c->role) < 0 ||
	    get_text(im, e, "name", NAME_CHARS, NULL, &c->name) < 0 ||
	    get_phone(im, e, "mobile", c->mobile) < 0)
		return -1;
	if (strcmp(c->role, "borrower") != 0 && strcmp(c->role, "co_borrower") != 0)
		return bad(im, "role %s must be \"borrower\" or \"co_borrower\" (or link a partner"
			       " with {\"partner\": KEY})", q(im, c->role));
	return 0;
}

static int read_contacts(struct import *im, json_t *e, size_t li)
{
	json_t *list = json_object_get(e, "contacts"), *v;
	char outer[sizeof im->where];
	size_t j;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return bad(im, "contacts must be a list");
	memcpy(outer, im->where, sizeof outer);
	json_array_foreach(list, j, v) {
		at(im, outer, "contacts", j, json_string_value(json_object_get(v, "key")));
		if (!json_is_object(v))
			return bad(im, "must be an object");
		if (im->n[K_CONTACT] >= im->ncontacts_max)
			return bad(im, "more contacts than counted");
		size_t ci = im->n[K_CONTACT]++;
		struct contact_entry *c = &im->contacts[ci];
		c->lead = li;
		c->pos = j;
		c->partner = NONE;
		int rc = json_object_get(v, "partner") ? read_partner_link(im, v, c, ci)
						       : read_borrower(im, v, c, ci);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int read_lead(struct import *im, json_t *e, size_t i)
{
	static const char *const fields[] = { "key", "org", "name", "status", "updated_at",
					      "assigned", "contacts", NULL };
	struct lead_entry *l = &im->leads[i];
	const char *when;
	if (check_fields(im, e, fields) < 0 || get_key(im, e, K_LEAD, i, 1, &l->key) < 0 ||
	    get_ref(im, e, "org", K_ORG, 1, &l->org) < 0 ||
	    get_text(im, e, "name", NAME_CHARS, NULL, &l->name) < 0 ||
	    get_text(im, e, "status", 50, "New", &l->status) < 0 ||
	    get_string(im, e, "updated_at", 0, &when) < 0)
		return -1;
	if (when && parse_time(when, l->updated_at) < 0)
		return bad(im, "updated_at %s is not a time like \"2026-11-20T10:00:00Z\"", q(im, when));
	if (read_assigned(im, e, l) < 0)
		return -1;
	return read_contacts(im, e, i);
}

static int check_pair_consent(struct import *im, const struct consent_entry *c)
{
	const struct contact_entry *ct = &im->contacts[c->contact];
	if (c->agent == NONE)
		return bad(im, "agent is missing (a contact's consent is for one agent's number)");
	const struct user_entry *u = &im->users[c->agent];
	if (ct->partner != NONE)
		return bad(im, "contact %s is a partner link: write {\"partner\": KEY} for a"
			       " partner's consent", q(im, ct->key));
	if (!ct->mobile[0])
		return bad(im, "contact %s has no mobile", q(im, ct->key));
	if (!u->sms_number[0])
		return bad(im, "agent %s has no sms_number", q(im, u->key));
	if (u->org != im->leads[ct->lead].org)
		return bad(im, "agent %s and contact %s belong to different organizations",
			   q(im, u->key), q(im, ct->key));
	return 0;
}

static int read_consent(struct import *im, json_t *e, size_t i)
{
	static const char *const fields[] = { "agent", "contact", "partner", "status", NULL };
	struct consent_entry *c = &im->consents[i];
	if (check_fields(im, e, fields) < 0 || get_ref(im, e, "agent", K_USER, 0, &c->agent) < 0 ||
	    get_ref(im, e, "contact", K_CONTACT, 0, &c->contact) < 0 ||
	    get_ref(im, e, "partner", K_PARTNER, 0, &c->partner) < 0 ||
	    get_string(im, e, "status", 1, &c->status) < 0)
		return -1;
	if (strcmp(c->status, "none") != 0 && strcmp(c->status, "pending") != 0 &&
	    strcmp(c->status, "granted") != 0)
		return bad(im, "status %s must be \"none\", \"pending\" or \"granted\"", q(im, c->status));
	if ((c->contact == NONE) == (c->partner == NONE))
		return bad(im, "name either a contact (with its agent) or a partner");
	if (c->contact != NONE)
		return check_pair_consent(im, c);
	if (c->agent != NONE)
		return bad(im, "a partner's consent is for the whole organization: remove agent");
	if (!im->partners[c->partner].mobile[0])
		return bad(im, "partner %s has no mobile", q(im, im->partners[c->partner].key));
	return 0;
}

typedef int (*entry_reader)(struct import *im, json_t *e, size_t i);

static int read_section(struct import *im, json_t *root, const char *section, entry_reader fn)
{
	json_t *list = json_object_get(root, section), *e;
	size_t i;
	json_array_foreach(list, i, e) {
		at(im, NULL, section, i, json_string_value(json_object_get(e, "key")));
		if (!json_is_object(e))
			return bad(im, "must be an object");
		if (fn(im, e, i) < 0)
			return -1;
	}
	return 0;
}

/* Checks the top level and sizes the arrays; every section is optional. */
static int read_shape(struct import *im, json_t *root, const char *path)
{
	static const char *const sections[] = { "organizations", "users", "partners", "leads",
						"consents", NULL };
	snprintf(im->where, sizeof im->where, "%s", path);
	if (!json_is_object(root))
		return bad(im, "the file must hold one JSON object");
	if (check_fields(im, root, sections) < 0)
		return -1;
	for (size_t s = 0; sections[s]; s++) {
		json_t *v = json_object_get(root, sections[s]);
		if (v && !json_is_array(v))
			return bad(im, "%s must be a list", sections[s]);
	}
	json_t *leads = json_object_get(root, "leads"), *l;
	size_t i;
	json_array_foreach(leads, i, l) {
		json_t *c = json_object_get(l, "contacts");
		if (json_is_array(c))
			im->ncontacts_max += json_array_size(c);
	}
	im->orgs = arena_calloc(&im->a, json_array_size(json_object_get(root, "organizations")),
				sizeof *im->orgs);
	im->users = arena_calloc(&im->a, json_array_size(json_object_get(root, "users")),
				 sizeof *im->users);
	im->partners = arena_calloc(&im->a, json_array_size(json_object_get(root, "partners")),
				    sizeof *im->partners);
	im->leads = arena_calloc(&im->a, json_array_size(leads), sizeof *im->leads);
	im->contacts = arena_calloc(&im->a, im->ncontacts_max, sizeof *im->contacts);
	im->consents = arena_calloc(&im->a, json_array_size(json_object_get(root, "consents")),
				    sizeof *im->consents);
	im->n[K_ORG] = json_array_size(json_object_get(root, "organizations"));
	im->n[K_USER] = json_array_size(json_object_get(root, "users"));
	im->n[K_PARTNER] = json_array_size(json_object_get(root, "partners"));
	im->n[K_LEAD] = json_array_size(leads);
	im->nconsents = json_array_size(json_object_get(root, "consents"));
	return 0;
}

/* In reference order, so that every key is known before it is used. */
static int read_all(struct import *im, json_t *root, const char *path)
{
	if (read_shape(im, root, path) < 0 ||
	    read_section(im, root, "organizations", read_org) < 0 ||
	    read_section(im, root, "users", read_user) < 0 ||
	    read_section(im, root, "partners", read_partner) < 0 ||
	    read_section(im, root, "leads", read_lead) < 0 ||
	    read_section(im, root, "consents", read_consent) < 0)
		return -1;
	return 0;
}

static int hash_passwords(struct import *im)
{
	for (size_t i = 0; i < im->n[K_USER]; i++) {
		struct user_entry *u = &im->users[i];
		if (password_hash(u->password, u->hash) < 0) {
			at(im, NULL, "users", i, u->key);
			return bad(im, "cannot hash the password");
		}
	}
	return 0;
}

/* ---- writing */

static int refused(struct import *im, long long rc)
{
	if (rc == DB_DUP)
		return bad(im, "a unique key of the database refused it");
	return bad(im, "the database refused it (see the log line above)");
}

static int write_orgs(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->n[K_ORG]; i++) {
		struct org_entry *o = &im->orgs[i];
		at(im, NULL, "organizations", i, o->key);
		long long rc = db_exec(db, "INSERT INTO organizations (name, sms_enabled, sms_level,"
					   " time_zone, quiet_hours) VALUES (?, ?, ?, ?, ?)", "sisss",
				       o->name, (long long)o->sms_enabled, o->sms_level, o->time_zone,
				       o->quiet_hours);
		if (rc < 0)
			return refused(im, rc);
		o->id = db_insert_id(db);
	}
	return 0;
}

/* Emails and SMS numbers are unique across the service: say which one. */
static int user_refused(struct import *im, struct db *db, const struct user_entry *u, long long rc)
{
	struct db_rows rows;
	if (rc != DB_DUP)
		return refused(im, rc);
	if (db_query(db, &im->a, &rows, "SELECT 1 FROM users WHERE email = ?", "s", u->email) < 0)
		return refused(im, DB_ERR);
	if (rows.n)
		return bad(im, "email %s already exists in the database", q(im, u->email));
	return bad(im, "sms_number %s already belongs to another user in the database",
		   q(im, u->sms_number));
}

static int write_users(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->n[K_USER]; i++) {
		struct user_entry *u = &im->users[i];
		at(im, NULL, "users", i, u->key);
		long long org = u->org == NONE ? 0 : im->orgs[u->org].id;
		long long rc = db_exec(db,
			"INSERT INTO users (org_id, role, email, name, password_hash, time_zone,"
			" sms_permission, sms_number, mms_enabled, display_images, nmls_id)"
			" VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "isssssisiis",
			org, u->role, u->email, u->name, u->hash, u->time_zone,
			(long long)u->sms_permission, u->sms_number[0] ? u->sms_number : NULL,
			(long long)u->mms_enabled, (long long)u->display_images, u->nmls_id);
		if (rc < 0)
			return user_refused(im, db, u, rc);
		u->id = db_insert_id(db);
	}
	return 0;
}

static int write_partners(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->n[K_PARTNER]; i++) {
		struct partner_entry *p = &im->partners[i];
		at(im, NULL, "partners", i, p->key);
		long long rc = db_exec(db, "INSERT INTO partners (org_id, name, role, mobile)"
					   " VALUES (?, ?, ?, ?)", "isss", im->orgs[p->org].id,
				       p->name, p->role, p->mobile[0] ? p->mobile : NULL);
		if (rc < 0)
			return refused(im, rc);
		p->id = db_insert_id(db);
	}
	return 0;
}

/* updated_at as given (created_at too, so that it is never the later one). */
static int write_leads(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->n[K_LEAD]; i++) {
		struct lead_entry *l = &im->leads[i];
		const char *when = l->updated_at[0] ? l->updated_at : NULL;
		at(im, NULL, "leads", i, l->key);
		long long rc = db_exec(db, "INSERT INTO leads (org_id, name, status, created_at,"
					   " updated_at) VALUES (?, ?, ?, COALESCE(?, NOW()),"
					   " COALESCE(?, NOW()))", "issss", im->orgs[l->org].id,
				       l->name, l->status, when, when);
		if (rc < 0)
			return refused(im, rc);
		l->id = db_insert_id(db);
		for (size_t k = 0; k < l->nassigned; k++) {
			rc = db_exec(db, "INSERT INTO assignments (lead_id, user_id) VALUES (?, ?)",
				     "ii", l->id, im->users[l->assigned[k]].id);
			if (rc < 0)
				return refused(im, rc);
		}
	}
	return 0;
}

static int write_contacts(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->n[K_CONTACT]; i++) {
		struct contact_entry *c = &im->contacts[i];
		const struct lead_entry *l = &im->leads[c->lead];
		char outer[sizeof im->where];
		at(im, NULL, "leads", c->lead, l->key);
		memcpy(outer, im->where, sizeof outer);
		at(im, outer, "contacts", c->pos, c->key);
		long long partner = c->partner == NONE ? 0 : im->partners[c->partner].id;
		long long rc = db_exec(db, "INSERT INTO contacts (org_id, lead_id, role, partner_id,"
					   " name, mobile) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?)",
				       "iisiss", im->orgs[l->org].id, l->id, c->role, partner,
				       c->name, c->mobile[0] ? c->mobile : NULL);
		if (rc < 0)
			return refused(im, rc);
		c->id = db_insert_id(db);
	}
	return 0;
}

/* Upserts one consent row and records the change in the ledger. */
static int write_consent(struct import *im, struct db *db, const struct consent_entry *c)
{
	long long org;
	const char *scope, *agent_number, *number;
	if (c->partner != NONE) {
		const struct partner_entry *p = &im->partners[c->partner];
		org = im->orgs[p->org].id;
		scope = "organization";
		agent_number = "";
		number = p->mobile;
	} else {
		const struct contact_entry *ct = &im->contacts[c->contact];
		org = im->orgs[im->leads[ct->lead].org].id;
		scope = "pair";
		agent_number = im->users[c->agent].sms_number;
		number = ct->mobile;
	}
	struct db_rows rows;
	if (db_query(db, &im->a, &rows, "SELECT id, status FROM consents WHERE org_id = ? AND"
					" contact_number = ? AND scope = ? AND agent_number = ?"
					" FOR UPDATE", "isss", org, number, scope, agent_number) < 0)
		return refused(im, DB_ERR);
	const char *old = rows.n ? db_get(&rows, 0, 1) : "none";
	long long rc = rows.n
		? db_exec(db, "UPDATE consents SET status = ?, updated_at = NOW() WHERE id = ?",
			  "si", c->status, db_get_ll(&rows, 0, 0))
		: db_exec(db, "INSERT INTO consents (org_id, scope, agent_number, contact_number,"
			      " status) VALUES (?, ?, ?, ?, ?)", "issss",
			  org, scope, agent_number, number, c->status);
	if (rc >= 0)
		rc = db_exec(db, "INSERT INTO consent_ledger (org_id, scope, agent_number,"
				 " contact_number, old_status, new_status, source, note)"
				 " VALUES (?, ?, ?, ?, ?, ?, 'import', 'imported')", "isssss",
			     org, scope, agent_number, number, old, c->status);
	return rc < 0 ? refused(im, rc) : 0;
}

static int write_consents(struct import *im, struct db *db)
{
	for (size_t i = 0; i < im->nconsents; i++) {
		at(im, NULL, "consents", i, NULL);
		if (write_consent(im, db, &im->consents[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- the key -> id map */

static int map_put(json_t *kind, const char *key, long long id)
{
	return key ? json_object_set_new(kind, key, json_integer((json_int_t)id)) : 0;
}

/* {"organizations":{...},"users":{...},...} in the file's order; free() it. */
static char *map_json(struct import *im)
{
	json_t *map = json_object(), *k[K_COUNT];
	int rc = map ? 0 : -1;
	for (int i = 0; i < K_COUNT && rc == 0; i++) {
		k[i] = json_object();
		rc = json_object_set_new(map, kind_names[i], k[i]);
	}
	for (size_t i = 0; i < im->n[K_ORG] && rc == 0; i++)
		rc = map_put(k[K_ORG], im->orgs[i].key, im->orgs[i].id);
	for (size_t i = 0; i < im->n[K_USER] && rc == 0; i++)
		rc = map_put(k[K_USER], im->users[i].key, im->users[i].id);
	for (size_t i = 0; i < im->n[K_PARTNER] && rc == 0; i++)
		rc = map_put(k[K_PARTNER], im->partners[i].key, im->partners[i].id);
	for (size_t i = 0; i < im->n[K_LEAD] && rc == 0; i++)
		rc = map_put(k[K_LEAD], im->leads[i].key, im->leads[i].id);
	for (size_t i = 0; i < im->n[K_CONTACT] && rc == 0; i++)
		rc = map_put(k[K_CONTACT], im->contacts[i].key, im->contacts[i].id);
	char *s = rc == 0 ? json_dumps(map, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(map);
	return s;
}

static int write_all(struct import *im, struct db *db, char **map)
{
	snprintf(im->where, sizeof im->where, "database");
	if (db_begin(db) < 0)
		return bad(im, "cannot start a transaction (see the log line above)");
	if (write_orgs(im, db) < 0 || write_users(im, db) < 0 || write_partners(im, db) < 0 ||
	    write_leads(im, db) < 0 || write_contacts(im, db) < 0 || write_consents(im, db) < 0)
		goto fail;
	snprintf(im->where, sizeof im->where, "database");
	*map = map_json(im);
	if (!*map) {
		bad(im, "out of memory");
		goto fail;
	}
	if (db_commit(db) < 0) {
		free(*map);
		*map = NULL;
		db_rollback(db);
		return bad(im, "COMMIT failed (see the log line above)");
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static int import_open(struct import *im, FILE *err)
{
	memset(im, 0, sizeof *im);
	arena_init(&im->a);
	im->err = err;
	for (int k = 0; k < K_COUNT; k++)
		im->index[k] = json_object();
	im->emails = json_object();
	im->numbers = json_object();
	if (!im->index[K_ORG] || !im->index[K_USER] || !im->index[K_PARTNER] ||
	    !im->index[K_LEAD] || !im->index[K_CONTACT] || !im->emails || !im->numbers) {
		fprintf(err, "import: out of memory\n");
		return -1;
	}
	return 0;
}

static void import_close(struct import *im)
{
	for (int k = 0; k < K_COUNT; k++)
		json_decref(im->index[k]);
	json_decref(im->emails);
	json_decref(im->numbers);
	arena_free(&im->a);
}

/* jansson's reason, in one line: it quotes the text near the fault, which
 * may hold a line break (shown()). */
static void json_refused(FILE *err, const char *path, const json_error_t *je)
{
	char text[sizeof je->text];
	size_t i = 0;
	for (; i + 1 < sizeof text && je->text[i]; i++)
		text[i] = shown((unsigned char)je->text[i]);
	text[i] = '\0';
	if (je->line > 0)
		fprintf(err, "import: %s: line %d column %d: %s\n", path, je->line, je->column, text);
	else
		fprintf(err, "import: %s: %s\n", path, text);
}

int import_file(struct db *db, const char *path, FILE *out, FILE *err)
{
	struct import im;
	json_error_t je;
	char *map = NULL;
	int rc = -1;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (import_open(&im, err) < 0)
		goto out;
	if (!root) {
		json_refused(err, path, &je);
		goto out;
	}
	if (read_all(&im, root, path) < 0 || hash_passwords(&im) < 0 ||
	    write_all(&im, db, &map) < 0)
		goto out;
	/* committed: the map is the only way to find the new rows, say if it is lost */
	if (fprintf(out, "%s\n", map) < 0 || fflush(out) != 0) {
		fprintf(err, "import: written, but the key -> id map could not be printed\n");
		goto out;
	}
	rc = 0;
out:
	free(map);
	import_close(&im);
	json_decref(root);
	return rc;
}

int import_check(const char *text, size_t len, const char *name, FILE *err)
{
	struct import im;
	json_error_t je;
	int rc = -1;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (import_open(&im, err) < 0)
		goto out;
	if (!root) {
		json_refused(err, name, &je);
		goto out;
	}
	rc = read_all(&im, root, name);
out:
	import_close(&im);
	json_decref(root);
	return rc;
}
