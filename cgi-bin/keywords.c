#include "keywords.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define NORM_MAX 160  /* longer texts are never a keyword or a plain stop */

static const char *const start_words[] = { "start", "yes", "unstop" };
static const char *const stop_words[] = {
	"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "block",
};
static const char *const help_words[] = { "help", "info" };

/* Plain-words revocations: the whole text, once normalized (lower case,
 * apostrophes dropped, other punctuation as spaces, polite words around
 * it removed). Exact phrases only, so "don't stop" or "stop by the office
 * at 3" never withdraw. */
static const char *const stop_phrases[] = {
	"opt out", "opt me out", "opt out of texts", "opt me out of texts", "i want to opt out",
	"stop texting", "stop texting me", "stop messaging me", "stop sending me texts",
	"stop sending texts", "stop sending me messages", "stop all texts", "stop all messages",
	"unsubscribe me", "unsubscribe me from texts", "remove me", "remove me from your list",
	"remove me from this list", "remove me from the list", "remove my number",
	"take me off your list", "take me off the list", "take me off this list",
	"do not text me", "dont text me", "do not text me anymore", "dont text me anymore",
	"do not text me again", "dont text me again", "do not contact me", "dont contact me",
	"no more texts", "no more texts please", "no more messages", "leave me alone",
	"i do not want these texts", "i dont want these texts", "wrong number stop",
};
/* Words around a request that do not change it. */
static const char *const polite[] = { "please", "pls", "plz", "kindly", "thanks", "thank you",
				      "thx", "now" };
/* A text that holds one of these but is no phrase above may be a
 * revocation: the agent is shown it as a possible opt-out. */
static const char *const maybe_stop[] = {
	"opt out", "optout", "opt me out", "unsubscribe", "stop texting", "stop messaging",
	"stop sending", "remove me", "take me off", "dont text", "do not text", "dont contact",
	"do not contact", "no more texts", "no more messages", "revoke",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Lower case, typographic apostrophes and ASCII ones dropped, every other
 * run of non-alphanumerics one space, trimmed. -1 when too long. */
static int normalize(const char *in, char out[NORM_MAX + 1])
{
	size_t n = 0;
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (*p == '\'' || (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99))) {
			if (*p != '\'')
				p += 2;
			continue;
		}
		if (*p < 0x80 && isalnum(*p)) {
			if (space && n > 0) {
				if (n >= NORM_MAX)
					return -1;
				out[n++] = ' ';
			}
			space = 0;
			if (n >= NORM_MAX)
				return -1;
			out[n++] = (char)tolower(*p);
		} else if (*p < 0x80) {
			space = 1;
		} else {
			return -1;  /* other letters: not a keyword we know */
		}
	}
	out[n] = '\0';
	return 0;
}

/* Removes polite words at either end, in place. */
static char *strip_polite(char *s)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < sizeof polite / sizeof polite[0]; i++) {
			size_t w = strlen(polite[i]), n = strlen(s);
			if (n > w && strncmp(s, polite[i], w) == 0 && s[w] == ' ') {
				s += w + 1;
				changed = 1;
			} else if (n > w && strcmp(s + n - w, polite[i]) == 0 && s[n - w - 1] == ' ') {
				s[n - w - 1] = '\0';
				changed = 1;
			}
		}
	}
	return s;
}

static int contains_words(const char *s, const char *phrase)
{
	size_t w = strlen(phrase);
	for (const char *p = strstr(s, phrase); p; p = strstr(p + 1, phrase))
		if ((p == s || p[-1] == ' ') && (p[w] == '\0' || p[w] == ' '))
			return 1;
	return 0;
}

#define N(list) (sizeof list / sizeof list[0])

enum keyword keyword_classify(const char *body)
{
	char norm[NORM_MAX + 1];
	if (!body || normalize(body, norm) < 0 || !*norm) {
		/* a long text, or one with other letters, may still say it
		 * plainly, in any case */
		return body && (strcasestr(body, "opt out") || strcasestr(body, "unsubscribe")) ?
			       KEYWORD_MAYBE_STOP : KEYWORD_NONE;
	}
	if (in_list(norm, start_words, N(start_words)))
		return KEYWORD_START;
	if (in_list(norm, stop_words, N(stop_words)))
		return KEYWORD_STOP;
	if (in_list(norm, help_words, N(help_words)))
		return KEYWORD_HELP;
	char *core = strip_polite(norm);
	if (in_list(core, stop_words, N(stop_words)) || in_list(core, stop_phrases, N(stop_phrases)))
		return KEYWORD_STOP;
	for (size_t i = 0; i < N(maybe_stop); i++)
		if (contains_words(norm, maybe_stop[i]))
			return KEYWORD_MAYBE_STOP;
	return KEYWORD_NONE;
}

const char *keyword_name(enum keyword k)
{
	switch (k) {
	case KEYWORD_START: return "START";
	case KEYWORD_STOP: return "STOP";
	case KEYWORD_HELP: return "HELP";
	case KEYWORD_MAYBE_STOP: return "possible opt-out";
	case KEYWORD_NONE: break;
	}
	return "";
}
