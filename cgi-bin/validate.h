/* Validators for the values smsdesk stores: phone numbers, emails, names. */
#ifndef SMSDESK_VALIDATE_H
#define SMSDESK_VALIDATE_H
#include <stddef.h>

#define E164_MAX 16  /* '+' and up to 15 digits */

#define PHONE_DISPLAY_MAX 32
#ifdef __cplusplus
extern "C" {
#endif
/* Parses and validates a loosely written number with libphonenumber
 * (phone.cc) and writes it in E.164 ("(512) 555-0112" -> "+15125550112";
 * a number without its country code is a US one). Digits, one leading
 * '+', spaces and "-.()" only. 0, or -1 when it is not a valid number. */
int phone_normalize(const char *in, char out[E164_MAX + 1]);
/* A stored number as people write it: "(512) 555-0110" for a US number,
 * "+44 20 7183 8750" otherwise (one that is no valid number as it is).
 * 0, or -1 when out is too small. */
int phone_display(const char *e164, char *out, size_t size);
/* Where libphonenumber's offline geocoder places a number, in English:
 * "Texas", "Austin, TX", "Washington State", "United States", "Ontario";
 * "" when it cannot say. 0, or -1 when out is too small. In geo.cc, which
 * only the unit tests and tools/gen-area-codes.c link (place.h). */
int phone_geo_description(const char *e164, char *out, size_t size);
#ifdef __cplusplus
}
#endif
int email_valid(const char *s);
/* Non-empty after trimming, at most max characters, no control characters. */
int text_valid(const char *s, size_t max_chars);
/* phone_display into the arena; NULL stays NULL. */
struct arena;
char *phone_shown(struct arena *a, const char *e164);
/* The first and last non-space of s, copied into the arena. */
char *text_trim(struct arena *a, const char *s);
int role_valid(const char *role);       /* admin, manager, agent */
#define NMLS_ID_MAX 12
/* A loan officer's NMLS ID: 1 to 12 digits. */
int nmls_id_valid(const char *s);
int time_zone_valid(const char *tz);    /* an IANA name found in zoneinfo */
#endif
