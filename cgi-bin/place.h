/* Where a text's recipient is, for the quiet hours (rules.h): the US state
 * that libphonenumber's geocoder gives for the number's area code, and the time zones
 * of that state, or of its area code where a state spans two zones. The
 * tables are in place.c (docs/behaviour.md, "Quiet hours"). */
#ifndef SMSDESK_PLACE_H
#define SMSDESK_PLACE_H
#include <stddef.h>

#define PLACE_ZONES_MAX 2

struct place {
	char state[3];                         /* "TX"; "" when unknown */
	const char *zones[PLACE_ZONES_MAX];    /* IANA names; every one must allow the text */
	size_t nzones;                         /* 0: unknown, the organization's zone applies */
};

/* The place of an E.164 number (never fails: an unknown place has no
 * state and no zone). */
void place_of_number(const char *e164, struct place *p);
/* The state's two-letter code for a geocoder description ("Texas",
 * "Austin, TX", "Washington State"); NULL when it names no US state. */
const char *place_state_of(const char *description);
/* The state of a US area code ("512": "TX"), NULL when none (area_codes.inc). */
const char *place_state_of_area_code(const char *area_code);
/* The place of a state and area code ("915"): the zones of the area code
 * when the state is split, else the state's. Unknown state: no zone. */
void place_of_state(const char *state, const char *area_code, struct place *p);
#endif
