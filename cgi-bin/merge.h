/* Saved replies' merge fields (docs/behaviour.md, "Saved replies"): a
 * reply's body may name {first_name}, {last_name} (the contact's),
 * {agent_name}, {agent_first_name}, {agent_phone}, {nmls_id}, {org_name}
 * and {application}; merging puts the values in. A pure function over
 * (pointer, length): no database, no allocation, never reads past len
 * (a NUL inside the text is an ordinary byte), so it can be fuzzed.
 *
 * How a body is read:
 * - '{' opens a field that the next '}' closes; what is between must be
 *   one of the names above, exactly (lower case). Anything else is an
 *   unknown field, named in the error ("{First_Name}", "{}", "{a{b}");
 * - a '}' with no '{' before it, or a '{' never closed, is an unbalanced
 *   brace; there is no escape: a body cannot carry a literal brace;
 * - a field with no value (an agent with no NMLS ID) becomes its marker,
 *   "[NMLS ID]", which the agent must replace before sending: /sms/send
 *   refuses a text that still holds a marker (merge_find_marker). */
#ifndef SMSDESK_MERGE_H
#define SMSDESK_MERGE_H
#include <stddef.h>

enum merge_field {
	MERGE_FIRST_NAME,
	MERGE_LAST_NAME,
	MERGE_AGENT_NAME,
	MERGE_AGENT_FIRST_NAME,
	MERGE_AGENT_PHONE,
	MERGE_NMLS_ID,
	MERGE_ORG_NAME,
	MERGE_APPLICATION,
	MERGE_FIELD_COUNT
};

enum merge_problem {
	MERGE_OK = 0,
	MERGE_UNKNOWN_FIELD,   /* field holds the name as written (cut to fit) */
	MERGE_UNBALANCED,      /* field holds what follows an unclosed '{', or "}" */
};

struct merge_error {
	enum merge_problem problem;
	size_t offset;         /* byte of the body where the brace is */
	char field[64];        /* NUL-terminated, at most 63 bytes of the body */
};

/* The values, one per field; NULL or "" means "no value" (the marker). */
struct merge_values {
	const char *v[MERGE_FIELD_COUNT];
};

/* The field's name without braces ("nmls_id") and its marker ("[NMLS ID]"),
 * and what to tell the agent ("the NMLS ID"). */
const char *merge_field_name(enum merge_field f);
const char *merge_marker(enum merge_field f);
const char *merge_field_label(enum merge_field f);

/* Checks a body: MERGE_OK, or the first problem in *err (may be NULL). */
enum merge_problem merge_check(const char *body, size_t len, struct merge_error *err);

/* Merges body into out (outcap bytes, always NUL-terminated when outcap
 * > 0; a result too long is cut, never mid-way through a UTF-8 character
 * of a value or the body). *missing (may be NULL) gets one bit
 * (1u << field) per field shown as its marker. Returns the length of the
 * whole merged text (as snprintf: >= outcap means it was cut), or -1 when
 * the body does not pass merge_check (out is then ""). */
long merge_apply(const char *body, size_t len, const struct merge_values *vals,
		 char *out, size_t outcap, unsigned *missing);

/* The first marker in text[0..len): 1 and its field in *f (may be NULL),
 * or 0. */
int merge_find_marker(const char *text, size_t len, enum merge_field *f);
#endif
