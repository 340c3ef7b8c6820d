#include "validate.h"

#include "arena.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

char *phone_shown(struct arena *a, const char *e164)
{
	if (!e164)
		return NULL;
	char out[PHONE_DISPLAY_MAX];
	return arena_strdup(a, phone_display(e164, out, sizeof out) == 0 ? out : e164);
}
