/* Search in the inbox (search.h). */
#include "search.h"

#include "access.h"
#include "arena.h"
#include "db.h"
#include "words.h"

#include <string.h>

/* ---- what q asks for */

/* The digits of q reversed, when q is a number as people write one: only
 * digits and " +()-.", four digits or more, fifteen at most (E.164). */
static const char *number_reversed(struct arena *a, const char *q)
{
	char digits[16];
	size_t n = 0;
	for (const char *p = q; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == 15)
				return NULL;
			digits[n++] = *p;
		} else if (!strchr(" +()-.", *p)) {
			return NULL;
		}
	}
	if (n < 4)
		return NULL;
	char *rev = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		rev[i] = digits[n - 1 - i];
	rev[n] = '\0';
	return rev;
}

/* A text holds the words: each one starts a word of it (no letter, digit
 * or character beyond ASCII just before it, words.h), in any order, case
 * aside. One pattern for MariaDB's REGEXP (PCRE2): the word after a
 * lookbehind, one lookahead a word when there are several. A word's bytes
 * are letters, digits and UTF-8 beyond ASCII, none of them the pattern's
 * syntax. The classes are ASCII ranges: [^0-9a-z\x{80}-\x{10ffff}] would
 * take PCRE2 4 to 7 ms to compile caseless, on every search. */
#define REGEXP_WORD_START "(?<![0-9a-z]|[^\\x00-\\x7f])"

void search_parse(struct arena *a, const char *q, struct search_terms *t)
{
	memset(t, 0, sizeof *t);
	t->number_reversed = number_reversed(a, q);
	if (t->number_reversed)
		return;
	t->words = arena_calloc(a, SEARCH_WORDS_MAX, sizeof *t->words);
	struct buf names = { 0 }, texts = { 0 };
	const char *p = q, *w, *longest = NULL;
	size_t len, longest_len = 0, ntexts = 0;
	while (t->nwords < SEARCH_WORDS_MAX && words_next(&p, &w, &len)) {
		char *word = arena_strndup(a, w, len);
		t->words[t->nwords++] = word;
		/* "+word*": required, as the start of a word of the index */
		buf_printf(&names, "%s+%s*", names.len ? " " : "", word);
		if (words_chars(w, len) < WORDS_MIN_CHARS)
			continue;
		buf_printf(&texts, "(?=.*?" REGEXP_WORD_START "%s)", word);
		ntexts++;
		if (len > longest_len) {
			longest = word;
			longest_len = len;
		}
	}
	if (names.len)
		t->names_match = arena_strndup(a, names.p, names.len);
	if (ntexts == 1) /* PCRE2 then looks for the word's first letter at once */
		t->texts_regexp = arena_printf(a, "(?i)" REGEXP_WORD_START "%s", longest);
	else if (ntexts)
		t->texts_regexp = arena_printf(a, "(?is)^%.*s", (int)texts.len, texts.p);
	if (ntexts) {
		/* lead_words holds a word's first WORDS_MAX_CHARS characters */
		t->texts_word_like = arena_printf(a, "%.*s%%",
			(int)words_prefix(longest, longest_len, WORDS_MAX_CHARS), longest);
	}
	buf_free(&names);
	buf_free(&texts);
}

/* ---- the conversations */

/* Every statement's columns, in this order. */
enum { HIT_LEAD, HIT_CONTACT, HIT_USER, HIT_MESSAGE, HIT_LEAD_NAME, HIT_CONTACT_NAME,
       HIT_AGENT, HIT_BODY, HIT_OUTBOUND };

static void fill_hits(struct arena *a, const struct db_rows *rows, long long limit,
		      struct search_hit **out, size_t *n, int *more)
{
	size_t shown = rows->n > (size_t)limit ? (size_t)limit : rows->n;
	*out = arena_calloc(a, shown + 1, sizeof **out);
	for (size_t i = 0; i < shown; i++)
		(*out)[i] = (struct search_hit){
			.lead_id = db_get_ll(rows, i, HIT_LEAD),
			.contact_id = db_get_ll(rows, i, HIT_CONTACT),
			.user_id = db_get_ll(rows, i, HIT_USER),
			.message_id = db_get_ll(rows, i, HIT_MESSAGE),
			.lead_name = db_get(rows, i, HIT_LEAD_NAME),
			.contact_name = db_get(rows, i, HIT_CONTACT_NAME),
			.agent_name = db_get(rows, i, HIT_AGENT),
			.body = db_get(rows, i, HIT_BODY),
			.outbound = db_get_ll(rows, i, HIT_OUTBOUND) != 0,
		};
	*n = shown;
	*more = rows->n > shown;
}

/* A conversation as the header carries it (schema/0026): names kept by
 * the triggers, its latest text's first 120 characters. */
#define CONVERSATION_COLUMNS \
	"SELECT v.lead_id, v.contact_id, v.user_id, v.last_message_id, v.lead_name," \
	" v.contact_name, u.name, v.last_body, v.last_direction = 'outbound'"
/* The lead of the user's organization, which the user may view; its
 * values: the organization, sees_all, the user. */
#define VISIBLE(lead) " AND l.org_id = ? AND " SQL_SEES_LEAD(lead, "?", "? = 1")

/* Names: the full-text index of conversations' names gives the matches,
 * each then read by its primary key with its lead (organization, access)
 * and agent. Numbers: the reversed mobiles' index ranges, of contacts
 * and of partners (an external contact's number is its partner's), each
 * contact's conversations by conversations_lead. No ORDER BY: the rows
 * come in the index's order and the LIMIT stops the reading (a sort
 * would read every match first). */
int search_conversations(struct db *db, struct arena *a, const struct search_query *q,
			 const struct search_terms *t, struct search_hit **out, size_t *n,
			 int *more)
{
	struct db_rows rows;
	int rc;
	long long limit = q->limit + 1;
	if (t->number_reversed) {
		const char *prefix = arena_printf(a, "%s%%", t->number_reversed);
		rc = db_query(db, a, &rows,
			      CONVERSATION_COLUMNS
			      " FROM contacts c JOIN conversations v ON v.lead_id = c.lead_id AND v.contact_id = c.id"
			      " JOIN leads l ON l.id = v.lead_id JOIN users u ON u.id = v.user_id"
			      " WHERE c.org_id = ? AND c.partner_id IS NULL AND c.mobile_reversed LIKE ?"
			      VISIBLE("v.lead_id")
			      " UNION ALL "
			      CONVERSATION_COLUMNS
			      " FROM partners p JOIN contacts c ON c.partner_id = p.id"
			      " JOIN conversations v ON v.lead_id = c.lead_id AND v.contact_id = c.id"
			      " JOIN leads l ON l.id = v.lead_id JOIN users u ON u.id = v.user_id"
			      " WHERE p.org_id = ? AND p.mobile_reversed LIKE ?"
			      VISIBLE("v.lead_id")
			      " LIMIT ? OFFSET ?",
			      "isiiiisiiiii", q->org_id, prefix, q->org_id, (long long)q->sees_all,
			      q->user_id, q->org_id, prefix, q->org_id, (long long)q->sees_all,
			      q->user_id, limit, q->offset);
	} else if (t->names_match) {
		rc = db_query(db, a, &rows,
			      CONVERSATION_COLUMNS
			      " FROM conversations v JOIN leads l ON l.id = v.lead_id JOIN users u ON u.id = v.user_id"
			      " WHERE MATCH (v.lead_name, v.contact_name) AGAINST (? IN BOOLEAN MODE)"
			      VISIBLE("v.lead_id")
			      " LIMIT ? OFFSET ?",
			      "siiiii", t->names_match, q->org_id, (long long)q->sees_all, q->user_id,
			      limit, q->offset);
	} else {
		*out = NULL;
		*n = 0;
		*more = 0;
		return 0;
	}
	if (rc < 0)
		return -1;
	fill_hits(a, &rows, q->limit, out, n, more);
	return 0;
}

/* A text found: its conversation (names) and agent, read by their keys;
 * texts on no application (Unmatched) have no conversation and are not
 * found. The text holds the words (REGEXP) and is not queued: a queued
 * one is read by the first branch. */
#define TEXT_COLUMNS \
	"SELECT STRAIGHT_JOIN m.lead_id, m.contact_id, m.user_id, m.id, v.lead_name, v.contact_name, u.name," \
	" m.body, m.direction = 'outbound'"
#define TEXT_JOINS \
	" JOIN conversations v ON v.user_id = m.user_id AND v.lead_id = m.lead_id" \
	" AND v.contact_id = m.contact_id JOIN users u ON u.id = m.user_id"
#define TEXT_HOLDS \
	" AND m.org_id = ? AND m.body REGEXP ?"
#define TEXT_INDEXED \
	TEXT_HOLDS " AND NOT EXISTS (SELECT 1 FROM words_queue wq WHERE wq.message_id = m.id)"
/* A lead's row of lead_words for the word (w: a word the LIKE takes), one
 * per lead: the first, when the prefix takes several ("clos": "close",
 * "closing") */
#define WORD_ONCE \
	" AND NOT EXISTS (SELECT 1 FROM lead_words w0 WHERE w0.lead_id = w.lead_id" \
	" AND w0.word LIKE ? AND w0.word < w.word)"
/* The lead has a word the LIKE takes: a condition on the lead's row, so
 * each lead comes once whatever the prefix takes. MariaDB reads the
 * lead's words by lead_id alone (it does not narrow the key's second part
 * to the prefix) and stops at the first that matches; as a join, with
 * WORD_ONCE, it read every word of the lead twice, half the statement's
 * time. (A scalar subquery: EXISTS would be turned into a semi-join.) */
#define LEAD_HAS_WORD(lead) \
	" AND (SELECT 1 FROM lead_words w WHERE w.lead_id = " lead " AND w.word LIKE ?" \
	" LIMIT 1) IS NOT NULL"
/* A lead's texts, in one index's order (its agents', each agent's by id)
 * whatever the page's LIMIT, so that the pages of a search follow on */
#define LEAD_TEXTS(lead) \
	" STRAIGHT_JOIN messages m FORCE INDEX (messages_lead_agent_id) ON m.lead_id = " lead
/* First, the texts not indexed yet (words_queue), newest first: the queue
 * is what the dispatcher has not taken yet, a few texts at most */
#define QUEUED \
	"(" TEXT_COLUMNS " FROM words_queue q JOIN messages m ON m.id = q.message_id" \
	" JOIN leads l ON l.id = m.lead_id" TEXT_JOINS \
	" WHERE 1" TEXT_HOLDS VISIBLE("m.lead_id") " ORDER BY q.message_id DESC LIMIT ?)"

/* Words: lead_words gives the leads that have the longest word, and only
 * their texts are read (a full-text index of the texts would build every
 * text with the word in the organization before the first row). An
 * agent's search walks the agent's leads, current ones most recently
 * updated first (assignments_user_order), then those the agent had (each
 * once), and asks each one for the word (LEAD_HAS_WORD): what it reads
 * grows with the agent's leads until the page is full, not with the
 * organization's texts. A manager's or admin's walks the organization's
 * leads that have the word (lead_words_org), each lead once. No sort
 * beyond the index's order: the LIMITs stop the reading. */
int search_texts(struct db *db, struct arena *a, const struct search_query *q,
		 const struct search_terms *t, struct search_hit **out, size_t *n, int *more)
{
	*out = NULL;
	*n = 0;
	*more = 0;
	if (!t->texts_regexp)
		return 0;
	struct db_rows rows;
	long long want = q->offset + q->limit + 1, all = (long long)q->sees_all;
	int rc;
	if (q->sees_all) {
		rc = db_query(db, a, &rows,
			      QUEUED " UNION ALL "
			      "(" TEXT_COLUMNS " FROM lead_words w" LEAD_TEXTS("w.lead_id")
			      TEXT_JOINS
			      " WHERE w.org_id = ? AND w.word LIKE ?" WORD_ONCE TEXT_INDEXED " LIMIT ?)"
			      " LIMIT ? OFFSET ?",
			      "isiiii" "issisi" "ii",
			      q->org_id, t->texts_regexp, q->org_id, all, q->user_id, want,
			      q->org_id, t->texts_word_like, t->texts_word_like, q->org_id,
			      t->texts_regexp, want, q->limit + 1, q->offset);
	} else {
		rc = db_query(db, a, &rows,
			      QUEUED " UNION ALL "
			      /* the agent's current leads */
			      "(" TEXT_COLUMNS " FROM assignments a" LEAD_TEXTS("a.lead_id") TEXT_JOINS
			      " WHERE a.user_id = ? AND a.unassigned_at IS NULL"
			      LEAD_HAS_WORD("a.lead_id") TEXT_INDEXED
			      " ORDER BY a.lead_updated_at DESC, a.lead_id DESC LIMIT ?)"
			      " UNION ALL "
			      /* the leads the agent had: each once, by its latest assignment */
			      "(" TEXT_COLUMNS " FROM assignments a" LEAD_TEXTS("a.lead_id") TEXT_JOINS
			      " WHERE a.user_id = ? AND a.unassigned_at IS NOT NULL"
			      " AND NOT EXISTS (SELECT 1 FROM assignments a2 WHERE a2.lead_id = a.lead_id"
			      " AND a2.user_id = a.user_id AND (a2.unassigned_at IS NULL OR a2.id > a.id))"
			      LEAD_HAS_WORD("a.lead_id") TEXT_INDEXED " LIMIT ?)"
			      " LIMIT ? OFFSET ?",
			      "isiiii" "isisi" "isisi" "ii",
			      q->org_id, t->texts_regexp, q->org_id, all, q->user_id, want,
			      q->user_id, t->texts_word_like, q->org_id, t->texts_regexp, want,
			      q->user_id, t->texts_word_like, q->org_id, t->texts_regexp, want,
			      q->limit + 1, q->offset);
	}
	if (rc < 0)
		return -1;
	fill_hits(a, &rows, q->limit, out, n, more);
	return 0;
}

/* ---- highlighting */

static int starts_with_nocase(const char *s, size_t n, const char *w, size_t wn)
{
	if (wn > n)
		return 0;
	for (size_t i = 0; i < wn; i++) {
		unsigned char x = (unsigned char)s[i], y = (unsigned char)w[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

size_t search_pieces(const char *text, const char *const *words, size_t nwords,
		     size_t *starts, size_t *lens, int *hit, size_t max)
{
	size_t np = 0, plain = 0, len = strlen(text);
	if (max < 2)
		return 0;
	for (size_t i = 0; i < len;) {
		int at_word = words_byte((unsigned char)text[i]) &&
			      (i == 0 || !words_byte((unsigned char)text[i - 1]));
		size_t best = 0;
		for (size_t k = 0; at_word && k < nwords; k++) {
			size_t wn = strlen(words[k]);
			if (wn > best && starts_with_nocase(text + i, len - i, words[k], wn))
				best = wn;
		}
		/* two pieces more at most: the plain text before, the match */
		if (!best || np + 2 >= max) {
			i++;
			continue;
		}
		if (i > plain) {
			starts[np] = plain;
			lens[np] = i - plain;
			hit[np++] = 0;
		}
		starts[np] = i;
		lens[np] = best;
		hit[np++] = 1;
		i += best;
		plain = i;
	}
	if (len > plain) {
		starts[np] = plain;
		lens[np] = len - plain;
		hit[np++] = 0;
	}
	return np;
}
