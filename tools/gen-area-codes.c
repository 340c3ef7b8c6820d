/* Writes cgi-bin/area_codes.inc: the US state of every area code, as
 * libphonenumber's offline geocoder names it (place.c reads the table, so
 * that the server does not link the geocoder and its 14 MB of data).
 * `make area-codes` runs it; tests/unit/test_quiet.c checks the table
 * against the geocoder. For each area code it asks for the first number
 * that is valid and that the geocoder places in a state. */
#include "place.h"
#include "validate.h"

#include <stdio.h>

int main(void)
{
	printf("/* Made by tools/gen-area-codes.c from libphonenumber's geocoder"
	       " (`make area-codes`): do not edit. */\n");
	for (int npa = 200; npa <= 999; npa++) {
		const char *state = NULL;
		for (int nxx = 200; nxx <= 999 && !state; nxx++) {
			char e164[16], where[128];
			snprintf(e164, sizeof e164, "+1%03d%03d0100", npa, nxx);
			if (phone_geo_description(e164, where, sizeof where) == 0 && where[0])
				state = place_state_of(where);
		}
		if (state)
			printf("{ \"%03d\", \"%s\" },\n", npa, state);
	}
	return 0;
}
