/* The words of the texts, by lead (words.h). */
#include "words.h"

#include "arena.h"
#include "db.h"

#include <stdlib.h>
#include <string.h>

int words_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

int words_next(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	while (*s && !words_byte((unsigned char)*s))
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	const char *w = s;
	while (*s && words_byte((unsigned char)*s))
		s++;
	*start = w;
	*len = (size_t)(s - w);
	*p = s;
	return 1;
}

size_t words_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

size_t words_prefix(const char *s, size_t n, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		/* a character starts here: the max-th one ends the prefix */
		if (((unsigned char)s[i] & 0xc0) != 0x80 && k++ == max)
			return i;
	}
	return n;
}

/* ---- indexing the queue */

struct lead_word {
	long long lead_id, org_id;
	const char *word;
	size_t len;
};

static int lead_word_cmp(const void *x, const void *y)
{
	const struct lead_word *a = x, *b = y;
	if (a->lead_id != b->lead_id)
		return a->lead_id < b->lead_id ? -1 : 1;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->word, b->word, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The words of the texts (lead_id, org_id, body per row) in lead_words'
 * key order, each (lead, word) once as far as bytes go (the collation's
 * equal ones are left to INSERT IGNORE): a JSON array of
 * [lead_id, "word", org_id]. NULL when there are none. */
static char *words_json(struct arena *a, const struct db_rows *m)
{
	size_t cap = 0, n = 0;
	for (size_t i = 0; i < m->n; i++) {
		const char *p = db_get(m, i, 2), *w;
		size_t len;
		while (p && words_next(&p, &w, &len))
			cap++;
	}
	if (!cap)
		return NULL;
	struct lead_word *all = arena_calloc(a, cap, sizeof *all);
	for (size_t i = 0; i < m->n; i++) {
		const char *p = db_get(m, i, 2), *w;
		size_t len;
		while (p && words_next(&p, &w, &len)) {
			if (words_chars(w, len) < WORDS_MIN_CHARS)
				continue;
			all[n++] = (struct lead_word){ .lead_id = db_get_ll(m, i, 0),
						       .org_id = db_get_ll(m, i, 1), .word = w,
						       .len = words_prefix(w, len, WORDS_MAX_CHARS) };
		}
	}
	if (!n)
		return NULL;
	qsort(all, n, sizeof *all, lead_word_cmp);
	struct buf json = { 0 };
	buf_puts(&json, "[");
	for (size_t i = 0; i < n; i++) {
		if (i && lead_word_cmp(&all[i - 1], &all[i]) == 0)
			continue;
		/* a word's bytes are letters, digits and UTF-8 beyond ASCII: nothing
		 * JSON escapes */
		buf_printf(&json, "%s[%lld,\"%.*s\",%lld]", json.len > 1 ? "," : "", all[i].lead_id,
			   (int)all[i].len, all[i].word, all[i].org_id);
	}
	buf_puts(&json, "]");
	char *out = arena_strndup(a, json.p, json.len);
	buf_free(&json);
	return out;
}

#define IDS_TABLE "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j"

int words_index_batch(struct db *db, struct arena *a)
{
	struct db_rows q, m;
	/* READ COMMITTED: the locking read then holds the rows it returns, not
	 * the gap after the last one (REPEATABLE READ's next-key lock there),
	 * which every text written meanwhile would wait for to queue its row */
	if (db_exec(db, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "") < 0 ||
	    db_begin(db) < 0)
		return -1;
	if (db_query(db, a, &q, "SELECT message_id FROM words_queue ORDER BY message_id"
				" LIMIT ? FOR UPDATE SKIP LOCKED", "i", (long long)WORDS_BATCH) < 0)
		goto fail;
	if (q.n == 0) {
		db_rollback(db);
		return 0;
	}
	struct buf ids = { 0 };
	buf_puts(&ids, "[");
	for (size_t i = 0; i < q.n; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", db_get_ll(&q, i, 0));
	buf_puts(&ids, "]");
	char *idj = arena_strndup(a, ids.p, ids.len);
	buf_free(&ids);
	/* a text deleted or taken off its lead since it was queued has no words to add */
	if (db_query(db, a, &m, "SELECT m.lead_id, m.org_id, m.body FROM " IDS_TABLE
				" JOIN messages m ON m.id = j.id WHERE m.lead_id IS NOT NULL", "s", idj) < 0)
		goto fail;
	char *wj = words_json(a, &m);
	if (wj && db_exec(db, "INSERT IGNORE INTO lead_words (lead_id, word, org_id)"
			      " SELECT w.lead_id, w.word, w.org_id FROM JSON_TABLE(?, '$[*]' COLUMNS"
			      " (lead_id BIGINT UNSIGNED PATH '$[0]',"
			      " word VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[1]',"
			      " org_id BIGINT UNSIGNED PATH '$[2]')) w", "s", wj) < 0)
		goto fail;
	if (db_exec(db, "DELETE q FROM words_queue q JOIN " IDS_TABLE " ON q.message_id = j.id",
		    "s", idj) < 0 || db_commit(db) < 0)
		goto fail;
	return (int)q.n;
fail:
	db_rollback(db);
	return -1;
}
