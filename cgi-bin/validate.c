#include "validate.h"

#include "arena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int phone_normalize(const char *in, char out[E164_MAX + 1])
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	const char *s = in;
	while (*s == ' ')
		s++;
	if (*s == '+') {
		plus = 1;
		s++;
	}
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n >= sizeof digits - 1)
				return -1;
			digits[n++] = *s;
		} else if (!strchr(" -.()", *s)) {
			return -1;
		}
	}
	digits[n] = '\0';
	if (!plus) {
		/* North American numbers: 10 digits, or 11 with the leading 1 */
		if (n == 11 && digits[0] == '1') {
			memmove(digits, digits + 1, n--);
		}
		if (n != 10 || digits[0] < '2' || digits[3] < '2')
			return -1;
		out[0] = '+';
		out[1] = '1';
		memcpy(out + 2, digits, 11); /* 10 digits and the NUL */
		return 0;
	}
	if (n < 8 || n > 15 || digits[0] == '0')
		return -1;
	if (digits[0] == '1' && (n != 11 || digits[1] < '2' || digits[4] < '2'))
		return -1;
	out[0] = '+';
	memcpy(out + 1, digits, n + 1); /* n <= 15, with the NUL */
	return 0;
}

int email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@'))
		return 0;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return 0;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == '"' || *c == ',')
			return 0;
	return 1;
}

int text_valid(const char *s, size_t max_chars)
{
	size_t chars = 0;
	int visible = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			return 0;
		if ((*c & 0xc0) != 0x80)
			chars++;
		if (*c != ' ')
			visible = 1;
	}
	return visible && chars <= max_chars;
}

char *text_trim(struct arena *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

int role_valid(const char *role)
{
	return role && (!strcmp(role, "admin") || !strcmp(role, "manager") || !strcmp(role, "agent"));
}

int time_zone_valid(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > 64 || strstr(tz, "..") || tz[0] == '/')
		return 0;
	for (const char *c = tz; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("/_+-", *c))
			return 0;
	char path[128];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int nmls_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 1 && n <= NMLS_ID_MAX && strspn(s, "0123456789") == n;
}
