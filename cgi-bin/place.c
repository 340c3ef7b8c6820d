/* The recipient's state and time zones (place.h). libphonenumber's
 * geocoder names a state ("Texas") or a town in it ("Austin, TX"); an area
 * code lies in one state, so area_codes.inc holds the state of each, made
 * from the geocoder by tools/gen-area-codes.c and checked against it by
 * tests/unit/test_quiet.c (the server does not link the geocoder: its
 * library costs some 14 MB of memory in every process). The tables below
 * give the state's zone, and for the states that span two zones, the zone
 * of each area code. An area code that itself spans two zones lists both:
 * a text then goes only when both allow it. Extend the tables here and in
 * docs/behaviour.md. */
#include "place.h"

#include "validate.h"

#include <string.h>

static const struct state {
	const char *code, *name, *zone;
} states[] = {
	{ "AL", "Alabama", "America/Chicago" },
	{ "AK", "Alaska", "America/Anchorage" },
	{ "AZ", "Arizona", "America/Phoenix" },
	{ "AR", "Arkansas", "America/Chicago" },
	{ "CA", "California", "America/Los_Angeles" },
	{ "CO", "Colorado", "America/Denver" },
	{ "CT", "Connecticut", "America/New_York" },
	{ "DE", "Delaware", "America/New_York" },
	{ "DC", "Washington D.C.", "America/New_York" },
	{ "FL", "Florida", "America/New_York" },
	{ "GA", "Georgia", "America/New_York" },
	{ "HI", "Hawaii", "Pacific/Honolulu" },
	{ "ID", "Idaho", "America/Boise" },
	{ "IL", "Illinois", "America/Chicago" },
	{ "IN", "Indiana", "America/Indiana/Indianapolis" },
	{ "IA", "Iowa", "America/Chicago" },
	{ "KS", "Kansas", "America/Chicago" },
	{ "KY", "Kentucky", "America/New_York" },
	{ "LA", "Louisiana", "America/Chicago" },
	{ "ME", "Maine", "America/New_York" },
	{ "MD", "Maryland", "America/New_York" },
	{ "MA", "Massachusetts", "America/New_York" },
	{ "MI", "Michigan", "America/Detroit" },
	{ "MN", "Minnesota", "America/Chicago" },
	{ "MS", "Mississippi", "America/Chicago" },
	{ "MO", "Missouri", "America/Chicago" },
	{ "MT", "Montana", "America/Denver" },
	{ "NE", "Nebraska", "America/Chicago" },
	{ "NV", "Nevada", "America/Los_Angeles" },
	{ "NH", "New Hampshire", "America/New_York" },
	{ "NJ", "New Jersey", "America/New_York" },
	{ "NM", "New Mexico", "America/Denver" },
	{ "NY", "New York", "America/New_York" },
	{ "NC", "North Carolina", "America/New_York" },
	{ "ND", "North Dakota", "America/Chicago" },
	{ "OH", "Ohio", "America/New_York" },
	{ "OK", "Oklahoma", "America/Chicago" },
	{ "OR", "Oregon", "America/Los_Angeles" },
	{ "PA", "Pennsylvania", "America/New_York" },
	{ "RI", "Rhode Island", "America/New_York" },
	{ "SC", "South Carolina", "America/New_York" },
	{ "SD", "South Dakota", "America/Chicago" },
	{ "TN", "Tennessee", "America/Chicago" },
	{ "TX", "Texas", "America/Chicago" },
	{ "UT", "Utah", "America/Denver" },
	{ "VT", "Vermont", "America/New_York" },
	{ "VA", "Virginia", "America/New_York" },
	{ "WA", "Washington State", "America/Los_Angeles" },
	{ "WV", "West Virginia", "America/New_York" },
	{ "WI", "Wisconsin", "America/Chicago" },
	{ "WY", "Wyoming", "America/Denver" },
	{ "PR", "Puerto Rico", "America/Puerto_Rico" },
};

/* States that span two zones: the area codes whose zone differs from the
 * state's above, or that span both (two zones). */
static const struct split {
	const char *state, *area_code, *zones[PLACE_ZONES_MAX];
} splits[] = {
	{ "TX", "915", { "America/Denver" } },                          /* El Paso */
	{ "FL", "850", { "America/New_York", "America/Chicago" } },     /* the Panhandle */
	{ "FL", "448", { "America/New_York", "America/Chicago" } },     /* its overlay */
	{ "IN", "219", { "America/Chicago" } },                         /* Gary */
	{ "IN", "812", { "America/Indiana/Indianapolis", "America/Chicago" } },  /* Evansville */
	{ "IN", "930", { "America/Indiana/Indianapolis", "America/Chicago" } },
	{ "KY", "270", { "America/Chicago", "America/New_York" } },     /* western Kentucky */
	{ "KY", "364", { "America/Chicago", "America/New_York" } },
	{ "KY", "606", { "America/New_York", "America/Chicago" } },
	{ "TN", "423", { "America/New_York", "America/Chicago" } },     /* Chattanooga */
	{ "TN", "865", { "America/New_York" } },                        /* Knoxville */
	{ "MI", "906", { "America/Detroit", "America/Menominee" } },    /* the Upper Peninsula */
	{ "ND", "701", { "America/Chicago", "America/Denver" } },       /* the whole state */
	{ "SD", "605", { "America/Chicago", "America/Denver" } },
	{ "NE", "308", { "America/Chicago", "America/Denver" } },       /* western Nebraska */
	{ "KS", "620", { "America/Chicago", "America/Denver" } },       /* four western counties */
	{ "KS", "785", { "America/Chicago", "America/Denver" } },
	{ "OR", "541", { "America/Los_Angeles", "America/Boise" } },    /* Malheur County */
	{ "OR", "458", { "America/Los_Angeles", "America/Boise" } },
	{ "ID", "208", { "America/Boise", "America/Los_Angeles" } },    /* the Panhandle */
	{ "ID", "986", { "America/Boise", "America/Los_Angeles" } },
};

const char *place_state_of(const char *d)
{
	if (!d)
		return NULL;
	size_t n = strlen(d);
	/* "Austin, TX" */
	if (n > 4 && d[n - 4] == ',' && d[n - 3] == ' ') {
		for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
			if (strcmp(states[i].code, d + n - 2) == 0)
				return states[i].code;
		return NULL;
	}
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(states[i].name, d) == 0)
			return states[i].code;
	return NULL;
}

void place_of_state(const char *state, const char *area_code, struct place *p)
{
	memset(p, 0, sizeof *p);
	const struct state *st = NULL;
	for (size_t i = 0; state && i < sizeof states / sizeof states[0] && !st; i++)
		if (strcmp(states[i].code, state) == 0)
			st = &states[i];
	if (!st)
		return;
	memcpy(p->state, st->code, 3);
	for (size_t i = 0; area_code && i < sizeof splits / sizeof splits[0]; i++) {
		if (strcmp(splits[i].state, st->code) != 0 || strcmp(splits[i].area_code, area_code) != 0)
			continue;
		for (size_t z = 0; z < PLACE_ZONES_MAX && splits[i].zones[z]; z++)
			p->zones[p->nzones++] = splits[i].zones[z];
		return;
	}
	p->zones[p->nzones++] = st->zone;
}

/* The state of each US area code, sorted: { "205", "AL" }, ... */
static const struct area_code {
	const char *code, *state;
} area_codes[] = {
#include "area_codes.inc"
};

const char *place_state_of_area_code(const char *area)
{
	size_t lo = 0, hi = sizeof area_codes / sizeof area_codes[0];
	while (area && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(area_codes[mid].code, area);
		if (c == 0)
			return area_codes[mid].state;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void place_of_number(const char *e164, struct place *p)
{
	char area[4] = "";
	memset(p, 0, sizeof *p);
	if (!e164 || strncmp(e164, "+1", 2) != 0 || strlen(e164) != 12 ||
	    strspn(e164 + 2, "0123456789") != 10)
		return;
	memcpy(area, e164 + 2, 3);
	place_of_state(place_state_of_area_code(area), area, p);
}
