/* The rules are in merge.h. */
#include "merge.h"

#include <string.h>

static const struct {
	const char *name, *marker, *label;
} fields[MERGE_FIELD_COUNT] = {
	[MERGE_FIRST_NAME] = { "first_name", "[First name]", "the contact's first name" },
	[MERGE_LAST_NAME] = { "last_name", "[Last name]", "the contact's last name" },
	[MERGE_AGENT_NAME] = { "agent_name", "[Agent name]", "the agent's name" },
	[MERGE_AGENT_FIRST_NAME] = { "agent_first_name", "[Agent first name]",
				     "the agent's first name" },
	[MERGE_AGENT_PHONE] = { "agent_phone", "[Agent phone]", "the agent's phone number" },
	[MERGE_NMLS_ID] = { "nmls_id", "[NMLS ID]", "the NMLS ID" },
	[MERGE_ORG_NAME] = { "org_name", "[Organization name]", "the organization's name" },
	[MERGE_APPLICATION] = { "application", "[Application]", "the application" },
};

const char *merge_field_name(enum merge_field f)
{
	return (unsigned)f < MERGE_FIELD_COUNT ? fields[f].name : "";
}

const char *merge_marker(enum merge_field f)
{
	return (unsigned)f < MERGE_FIELD_COUNT ? fields[f].marker : "";
}

const char *merge_field_label(enum merge_field f)
{
	return (unsigned)f < MERGE_FIELD_COUNT ? fields[f].label : "";
}

/* The field named s[0..n), or -1. */
static int field_of(const char *s, size_t n)
{
	for (int i = 0; i < MERGE_FIELD_COUNT; i++) {
		size_t fn = strlen(fields[i].name);
		if (fn == n && memcmp(fields[i].name, s, n) == 0)
			return i;
	}
	return -1;
}

/* Copies s[0..n) into e->field, cut to fit (on a UTF-8 boundary). */
static void name_error(struct merge_error *e, enum merge_problem p, size_t offset,
		       const char *s, size_t n)
{
	if (!e)
		return;
	e->problem = p;
	e->offset = offset;
	if (n > sizeof e->field - 1) {
		n = sizeof e->field - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(e->field, s, n);
	e->field[n] = '\0';
}

enum merge_problem merge_check(const char *body, size_t len, struct merge_error *err)
{
	if (err) {
		err->problem = MERGE_OK;
		err->offset = 0;
		err->field[0] = '\0';
	}
	if (!body)
		return len ? MERGE_UNBALANCED : MERGE_OK;
	for (size_t i = 0; i < len; i++) {
		if (body[i] == '}') {
			name_error(err, MERGE_UNBALANCED, i, "}", 1);
			return MERGE_UNBALANCED;
		}
		if (body[i] != '{')
			continue;
		size_t j = i + 1;
		while (j < len && body[j] != '}')
			j++;
		if (j >= len) {
			name_error(err, MERGE_UNBALANCED, i, body + i + 1, len - i - 1);
			return MERGE_UNBALANCED;
		}
		if (field_of(body + i + 1, j - i - 1) < 0) {
			name_error(err, MERGE_UNKNOWN_FIELD, i, body + i + 1, j - i - 1);
			return MERGE_UNKNOWN_FIELD;
		}
		i = j;
	}
	return MERGE_OK;
}

/* Appends s[0..n) to out at *used, counting the whole length in *total
 * and cutting on a UTF-8 boundary once out is full. */
static void put(char *out, size_t outcap, size_t *used, int *full, size_t *total,
		const char *s, size_t n)
{
	*total += n;
	if (*full || outcap == 0)
		return;
	size_t room = outcap - 1 - *used;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		*full = 1;
	}
	if (n)
		memcpy(out + *used, s, n);
	*used += n;
	out[*used] = '\0';
}

long merge_apply(const char *body, size_t len, const struct merge_values *vals,
		 char *out, size_t outcap, unsigned *missing)
{
	if (outcap)
		out[0] = '\0';
	if (missing)
		*missing = 0;
	if (merge_check(body, len, NULL) != MERGE_OK)
		return -1;
	size_t used = 0, total = 0;
	int full = 0;
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && body[i] != '{')
			i++;
		put(out, outcap, &used, &full, &total, body + start, i - start);
		if (i >= len)
			break;
		size_t j = i + 1;
		while (j < len && body[j] != '}')
			j++;          /* merge_check made sure there is one */
		int f = field_of(body + i + 1, j - i - 1);
		if (f < 0)
			return -1;    /* cannot happen after merge_check */
		const char *v = vals ? vals->v[f] : NULL;
		if (v && *v) {
			put(out, outcap, &used, &full, &total, v, strlen(v));
		} else {
			put(out, outcap, &used, &full, &total, fields[f].marker,
			    strlen(fields[f].marker));
			if (missing)
				*missing |= 1u << f;
		}
		i = j + 1;
	}
	return total > (size_t)0x7fffffff ? 0x7fffffff : (long)total;
}

int merge_find_marker(const char *text, size_t len, enum merge_field *f)
{
	if (!text)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '[')
			continue;
		for (int k = 0; k < MERGE_FIELD_COUNT; k++) {
			size_t mn = strlen(fields[k].marker);
			if (mn <= len - i && memcmp(text + i, fields[k].marker, mn) == 0) {
				if (f)
					*f = (enum merge_field)k;
				return 1;
			}
		}
	}
	return 0;
}
