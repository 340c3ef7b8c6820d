/* Validators for the values smsdesk stores: phone numbers, emails, names. */
#ifndef SMSDESK_VALIDATE_H
#define SMSDESK_VALIDATE_H
#include <stddef.h>

#define E164_MAX 16  /* '+' and up to 15 digits */

/* Normalizes a loosely written number to E.164 ("(512) 555-0112" ->
 * "+15125550112"; 10 digits are taken as US). 0, or -1 when invalid. */
int phone_normalize(const char *in, char out[E164_MAX + 1]);
int email_valid(const char *s);
/* Non-empty after trimming, at most max characters, no control characters. */
int text_valid(const char *s, size_t max_chars);
/* The first and last non-space of s, copied into the arena. */
struct arena;
char *text_trim(struct arena *a, const char *s);
int role_valid(const char *role);       /* admin, manager, agent */
#define NMLS_ID_MAX 12
/* A loan officer's NMLS ID: 1 to 12 digits. */
int nmls_id_valid(const char *s);
int time_zone_valid(const char *tz);    /* an IANA name found in zoneinfo */
#endif
