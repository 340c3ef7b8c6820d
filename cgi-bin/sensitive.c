/* The rules are in sensitive.h; static/sensitive.js is the same code in
 * JavaScript. Distances are counted in characters (code points), so that
 * both sides agree on any text. */
#include "sensitive.h"

#include <string.h>

#define CARD_MIN 13
#define CARD_MAX 19
#define ACCOUNT_MIN 6
#define ACCOUNT_MAX 17

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t group_end(const char *t, size_t i)
{
	while (is_digit(t[i]))
		i++;
	return i;
}

/* The group after the one ending at e in the same run (one space or one
 * dash, the run's separator *sep, set by its first): 1 and *next, or 0. */
static int next_in_run(const char *t, size_t e, char *sep, size_t *next)
{
	char c = t[e];
	if ((c != ' ' && c != '-') || !is_digit(t[e + 1]) || (*sep && *sep != c))
		return 0;
	*sep = c;
	*next = e + 1;
	return 1;
}

static int digits_value(const char *t, size_t start, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (t[start + i] - '0');
	return v;
}

/* Area 000, 666, 900-999, group 00 and serial 0000 are never issued. */
static int ssn_issued(int area, int group, int serial)
{
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

static int luhn_ok(const char *t, size_t start, size_t end)
{
	int sum = 0, second = 0;
	for (size_t i = end; i > start; i--) {
		if (!is_digit(t[i - 1]))
			continue;
		int d = t[i - 1] - '0';
		if (second && (d *= 2) > 9)
			d -= 9;
		sum += d;
		second = !second;
	}
	return sum % 10 == 0;
}

/* Nine digits: a Federal Reserve routing prefix (01-12, 21-32, 61-72, 80)
 * and the ABA check: 3, 7, 1 weights summing to a multiple of 10. */
static int aba_ok(const char *t, size_t start)
{
	int prefix = digits_value(t, start, 2);
	if (!((prefix >= 1 && prefix <= 12) || (prefix >= 21 && prefix <= 32) ||
	      (prefix >= 61 && prefix <= 72) || prefix == 80))
		return 0;
	static const int weights[] = { 3, 7, 1 };
	int sum = 0;
	for (size_t i = 0; i < 9; i++)
		sum += (t[start + i] - '0') * weights[i % 3];
	return sum % 10 == 0;
}

/* An SSN keyword ending at most SENSITIVE_KEYWORD_REACH characters before pos. */
static int ssn_keyword_before(const char *t, size_t pos)
{
	static const char *const words[] = { "ssn", "social", "ss#", "s.s.n" };
	size_t lo = pos;
	for (int chars = 0; lo > 0 && chars < SENSITIVE_KEYWORD_REACH; chars++)
		while (lo > 0 && is_continuation(t[--lo]))
			;
	for (size_t p = lo; p < pos; p++) {
		if (p > 0 && is_alnum(t[p - 1]))
			continue;
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
			size_t n = strlen(words[w]), k = 0;
			if (p + n > pos)
				continue;
			while (k < n && (t[p + k] | (is_alnum(t[p + k]) ? 0x20 : 0)) == words[w][k])
				k++;
			if (k == n)
				return 1;
		}
	}
	return 0;
}

/* Another group of ACCOUNT_MIN to ACCOUNT_MAX digits starting or ending at
 * most SENSITIVE_ACCOUNT_REACH characters from the group [gs, ge). */
static int account_near(const char *t, size_t gs, size_t ge)
{
	int chars = 0;
	for (size_t p = ge; t[p] && chars <= SENSITIVE_ACCOUNT_REACH;) {
		if (is_digit(t[p])) {
			size_t n = group_end(t, p) - p;
			if (n >= ACCOUNT_MIN && n <= ACCOUNT_MAX)
				return 1;
			chars += (int)n;
			p += n;
			continue;
		}
		chars += !is_continuation(t[p]);
		p++;
	}
	chars = 0;
	for (size_t p = gs; p > 0 && chars <= SENSITIVE_ACCOUNT_REACH;) {
		if (is_digit(t[p - 1])) {
			size_t s = p;
			while (s > 0 && is_digit(t[s - 1]))
				s--;
			size_t n = p - s;
			if (n >= ACCOUNT_MIN && n <= ACCOUNT_MAX)
				return 1;
			chars += (int)n;
			p = s;
			continue;
		}
		chars += !is_continuation(t[p - 1]);
		p--;
	}
	return 0;
}

static enum sensitive_kind found(struct sensitive_match *m, enum sensitive_kind k, size_t start,
				 size_t end)
{
	if (m) {
		m->kind = k;
		m->start = start;
		m->len = end - start;
	}
	return k;
}

/* The run starting at rs: SSN, then card, then bank account. */
static enum sensitive_kind check_run(const char *t, size_t rs, struct sensitive_match *m,
				     size_t *run_end)
{
	size_t len[3] = { 0 }, g = rs, e, count = 0;
	char sep = 0;
	for (;;) {
		e = group_end(t, g);
		if (count < 3)
			len[count] = e - g;
		count++;
		if (!next_in_run(t, e, &sep, &g))
			break;
	}
	*run_end = e;
	if (count == 3 && len[0] == 3 && len[1] == 2 && len[2] == 4 &&
	    ssn_issued(digits_value(t, rs, 3), digits_value(t, rs + 4, 2), digits_value(t, rs + 7, 4)))
		return found(m, SENSITIVE_SSN, rs, e);
	if (count == 1 && len[0] == 9 && ssn_keyword_before(t, rs) &&
	    ssn_issued(digits_value(t, rs, 3), digits_value(t, rs + 3, 2), digits_value(t, rs + 5, 4)))
		return found(m, SENSITIVE_SSN, rs, e);

	/* cards: consecutive groups from each group of the run */
	char sep_i = 0;
	for (size_t gi = rs;;) {
		size_t first = group_end(t, gi) - gi, total = 0, groups = 0, gj = gi;
		int layout = 1;
		char sep_j = sep_i;
		for (;;) {
			size_t ej = group_end(t, gj), n = ej - gj;
			total += n;
			groups++;
			if (total > CARD_MAX)
				break;
			layout &= n >= 4 && n <= 6;
			if (total >= CARD_MIN && (groups == 1 || (first == 4 && layout)) &&
			    luhn_ok(t, gi, ej))
				return found(m, SENSITIVE_CARD, gi, ej);
			if (!next_in_run(t, ej, &sep_j, &gj))
				break;
		}
		if (!next_in_run(t, gi + first, &sep_i, &gi))
			break;
	}

	/* a routing number beside an account number */
	sep = 0;
	for (g = rs;;) {
		e = group_end(t, g);
		if (e - g == 9 && aba_ok(t, g) && account_near(t, g, e))
			return found(m, SENSITIVE_BANK_ACCOUNT, g, e);
		if (!next_in_run(t, e, &sep, &g))
			break;
	}
	return SENSITIVE_NONE;
}

enum sensitive_kind sensitive_find(const char *text, struct sensitive_match *m)
{
	const char *t = text ? text : "";
	if (m)
		memset(m, 0, sizeof *m);
	for (size_t i = 0; t[i];) {
		if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1]))) {
			i++;
			continue;
		}
		size_t end;
		enum sensitive_kind k = check_run(t, i, m, &end);
		if (k != SENSITIVE_NONE)
			return k;
		i = end;
	}
	return SENSITIVE_NONE;
}

static const struct {
	enum sensitive_kind kind;
	const char *name, *words;
} kinds[] = {
	{ SENSITIVE_NONE, "none", "nothing sensitive" },
	{ SENSITIVE_SSN, "ssn", "a Social Security number" },
	{ SENSITIVE_CARD, "card", "a card number" },
	{ SENSITIVE_BANK_ACCOUNT, "bank_account", "a bank routing and account number" },
};

const char *sensitive_kind_name(enum sensitive_kind k)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "none";
}

enum sensitive_kind sensitive_kind_from_name(const char *name)
{
	for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return kinds[i].kind;
	return SENSITIVE_NONE;
}

const char *sensitive_kind_words(enum sensitive_kind k)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == k)
			return kinds[i].words;
	return "nothing sensitive";
}
