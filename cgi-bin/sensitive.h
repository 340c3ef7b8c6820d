/* What a loan officer must not text (docs/behaviour.md, "Sensitive data"): US Social
 * Security numbers, card numbers and a bank routing number next to an
 * account number. A pure function over the text; static/sensitive.js
 * mirrors this file exactly and tests/sensitive_vectors.json drives both.
 *
 * The words of a text, as this file reads them:
 * - a group is a maximal run of ASCII digits;
 * - a run is groups joined by exactly one space or one dash, the same
 *   separator throughout ("4111 1111 1111 1111", "123-45-6789");
 *   anything else (",", ".", "/", "(", two spaces) ends a run, so prices,
 *   dates and most phone numbers fall apart into short groups.
 * Found, checked run by run in text order, the first hit wins:
 * - SSN: a whole run of three groups of 3, 2 and 4 digits, or one group of
 *   9 digits right after the word SSN, "social" or "SS#" (at most
 *   SENSITIVE_KEYWORD_REACH characters before it); never area 000, 666 or
 *   900-999, group 00 or serial 0000 (numbers the SSA never issues);
 * - card: groups of the run, taken consecutively, with 13 to 19 digits in
 *   all that pass the Luhn check, either one group alone or the first of
 *   4 digits and every one of 4 to 6 (4-4-4-4, 4-6-5, 4-6-4);
 * - bank account: a group of 9 digits with a valid ABA routing prefix and
 *   check digit (weights 3, 7, 1) and, at most SENSITIVE_ACCOUNT_REACH
 *   characters away, an account number: another group of 6 to 17 digits
 *   in the same run, or another run of 6 to 17 digits in all. */
#ifndef SMSDESK_SENSITIVE_H
#define SMSDESK_SENSITIVE_H
#include <stddef.h>

#define SENSITIVE_KEYWORD_REACH 30
#define SENSITIVE_ACCOUNT_REACH 40

enum sensitive_kind {
	SENSITIVE_NONE,
	SENSITIVE_SSN,
	SENSITIVE_CARD,
	SENSITIVE_BANK_ACCOUNT,  /* a routing number next to an account number */
};

struct sensitive_match {
	enum sensitive_kind kind;
	size_t start, len;  /* bytes of the text: the number (for a bank account, the routing number) */
};

/* The first sensitive number in a NUL-terminated UTF-8 text (NULL counts
 * as ""). Fills *m (may be NULL); returns m->kind. */
enum sensitive_kind sensitive_find(const char *text, struct sensitive_match *m);
/* "none", "ssn", "card", "bank_account" (the column messages.sensitive_kind
 * and the JavaScript's names). */
const char *sensitive_kind_name(enum sensitive_kind k);
/* The name back to the kind; SENSITIVE_NONE for anything else. */
enum sensitive_kind sensitive_kind_from_name(const char *name);
/* "a Social Security number", "a card number", "a bank routing and account number". */
const char *sensitive_kind_words(enum sensitive_kind k);
#endif
