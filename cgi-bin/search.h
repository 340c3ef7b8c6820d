/* Search in the inbox (/inbox?q=, page_search.c): what the user typed read
 * as words or as a phone number, and the conversations the user may see
 * that match it (the access rule of access.h, SQL_SEES_LEAD: whoever may
 * view a lead sees its texts; nothing of another organization). The
 * statements are here; the page asks for structs, in the caller's arena.
 *
 * A word is what words.h says; every word is required, each as the start
 * of a word (a prefix); the user's operators never reach MariaDB. A word
 * of three characters or more is searched in the texts (through the words
 * of each lead, schema/0044, then the lead's texts) and in the names of
 * the conversation's contact and application (an InnoDB FULLTEXT index in
 * boolean mode, schema/0036); a word of one or two characters (shorter
 * than the indexes' words) only in the names, as the start of a longer
 * word ("Al" finds "Alvarez", not a name "Al" alone). A number (digits with
 * spaces, "+", "(", ")", "-" or "." between them, four digits or more)
 * is searched in the contacts' and partners' mobiles by its last digits:
 * "(202) 555-0111", "202-555-0111", "2025550111", "+12025550111" and
 * "0111" all find +12025550111. */
#ifndef SMSDESK_SEARCH_H
#define SMSDESK_SEARCH_H
#include <stddef.h>

struct arena;
struct db;

#define SEARCH_Q_MAX 200     /* bytes of q; more is refused (400) */
#define SEARCH_WORDS_MAX 16  /* words beyond are ignored */

/* What q asks for. */
struct search_terms {
	/* the digits typed, reversed ("1110555202"), for a number; else NULL */
	const char *number_reversed;
	/* the words, as typed, for highlighting (both kinds) */
	const char **words;
	size_t nwords;
	/* the names' boolean-mode string (every word), or NULL */
	const char *names_match;
	/* the words of three characters or more, or NULL when there are none:
	 * a REGEXP a text holding them all matches, and the longest as a LIKE
	 * prefix of lead_words.word */
	const char *texts_regexp, *texts_word_like;
};
/* Reads q (valid UTF-8, at most SEARCH_Q_MAX bytes). */
void search_parse(struct arena *a, const char *q, struct search_terms *t);

/* Who searches, and which page of each list. */
struct search_query {
	long long org_id, user_id;
	int sees_all;                /* access_sees_all_leads */
	long long limit, offset;
};

/* One result: a conversation, with the text that matched (or, for a
 * name or number, its latest text). */
struct search_hit {
	long long lead_id, contact_id, user_id, message_id;
	const char *lead_name, *contact_name, *agent_name, *body;
	int outbound;
};

/* The conversations whose contact's or application's name holds the
 * words, or whose contact's number ends with the digits: at most
 * q->limit from q->offset, *more when others follow. 0 or -1. */
int search_conversations(struct db *db, struct arena *a, const struct search_query *q,
			 const struct search_terms *t, struct search_hit **out, size_t *n,
			 int *more);
/* The texts holding the words, the same way. 0 or -1. */
int search_texts(struct db *db, struct arena *a, const struct search_query *q,
		 const struct search_terms *t, struct search_hit **out, size_t *n, int *more);

/* Cuts text into pieces at the words' matches (a match: a word of text
 * starting with one of words, letters compared without case for ASCII).
 * Fills starts[]/lens[]/hit[] with at most max pieces covering the whole
 * text in order; returns their number. */
size_t search_pieces(const char *text, const char *const *words, size_t nwords,
		     size_t *starts, size_t *lens, int *hit, size_t max);
#endif
