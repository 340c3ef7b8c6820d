/* Search in the inbox (search.h). */
#include "search.h"

#include "access.h"
#include "arena.h"
#include "db.h"

#include <string.h>

/* ---- what q asks for */

/* A byte of a word: ASCII letters and digits, and every byte of a
 * multi-byte UTF-8 character (letters of other scripts). Everything else,
 * boolean mode's operators among it, separates words. */
static int word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

/* Characters (code points) in s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

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

void search_parse(struct arena *a, const char *q, struct search_terms *t)
{
	memset(t, 0, sizeof *t);
	t->number_reversed = number_reversed(a, q);
	if (t->number_reversed)
		return;
	t->words = arena_calloc(a, SEARCH_WORDS_MAX, sizeof *t->words);
	struct buf names = { 0 }, texts = { 0 };
	for (const char *p = q; *p && t->nwords < SEARCH_WORDS_MAX;) {
		if (!word_byte((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (*p && word_byte((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - w);
		char *word = arena_strndup(a, w, len);
		t->words[t->nwords++] = word;
		/* "+word*": required, as the start of a word of the index */
		buf_printf(&names, "%s+%s*", names.len ? " " : "", word);
		if (utf8_chars(w, len) >= 3)
			buf_printf(&texts, "%s+%s*", texts.len ? " " : "", word);
	}
	if (names.len)
		t->names_match = arena_strndup(a, names.p, names.len);
	if (texts.len)
		t->texts_match = arena_strndup(a, texts.p, texts.len);
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

/* The full-text index of the texts' bodies gives the matches, each read by
 * its primary key, then its lead (organization, access), conversation
 * (names) and agent by theirs; texts on no application (Unmatched) have
 * no conversation and are not found. No ORDER BY, as above. */
int search_texts(struct db *db, struct arena *a, const struct search_query *q,
		 const struct search_terms *t, struct search_hit **out, size_t *n, int *more)
{
	*out = NULL;
	*n = 0;
	*more = 0;
	if (!t->texts_match)
		return 0;
	struct db_rows rows;
	if (db_query(db, a, &rows,
		     "SELECT m.lead_id, m.contact_id, m.user_id, m.id, v.lead_name, v.contact_name, u.name,"
		     " m.body, m.direction = 'outbound'"
		     " FROM messages m JOIN leads l ON l.id = m.lead_id"
		     " JOIN conversations v ON v.user_id = m.user_id AND v.lead_id = m.lead_id"
		     " AND v.contact_id = m.contact_id"
		     " JOIN users u ON u.id = m.user_id"
		     " WHERE MATCH (m.body) AGAINST (? IN BOOLEAN MODE) AND m.org_id = ?"
		     VISIBLE("m.lead_id")
		     " LIMIT ? OFFSET ?",
		     "siiiiii", t->texts_match, q->org_id, q->org_id, (long long)q->sees_all,
		     q->user_id, q->limit + 1, q->offset) < 0)
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
		int at_word = word_byte((unsigned char)text[i]) &&
			      (i == 0 || !word_byte((unsigned char)text[i - 1]));
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
