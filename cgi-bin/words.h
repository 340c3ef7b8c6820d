/* The words of the texts, by lead (schema/0044-word-index.sql): how a text
 * is cut into words, for the index and for the search alike, and the
 * indexing of the texts the messages triggers queued (words_queue), which
 * the dispatcher's idle rounds do (dispatcher.c).
 *
 * A word is a run of ASCII letters and digits and of characters beyond
 * ASCII (letters of other scripts); everything else separates words. The
 * index holds the words of WORDS_MIN_CHARS characters or more, each cut to
 * its first WORDS_MAX_CHARS characters, once per lead. */
#ifndef SMSDESK_WORDS_H
#define SMSDESK_WORDS_H
#include <stddef.h>

struct arena;
struct db;

#define WORDS_MIN_CHARS 3    /* shorter words are not indexed nor searched in texts */
#define WORDS_MAX_CHARS 32   /* lead_words.word: a longer word keeps its first 32 */
#define WORDS_BATCH 200      /* queued texts indexed in one transaction */

/* True for a byte of a word (every byte of a multi-byte UTF-8 character). */
int words_byte(unsigned char c);
/* The next word of the text at *p: its start and length in bytes; moves *p
 * past it. 0 when the text has no more words. */
int words_next(const char **p, const char **start, size_t *len);
/* Characters (code points) in the UTF-8 s[0..n). */
size_t words_chars(const char *s, size_t n);
/* The bytes of s[0..n)'s first max characters. */
size_t words_prefix(const char *s, size_t n, size_t max);

/* Indexes up to WORDS_BATCH of the queued texts, the oldest first, in one
 * transaction: their words added to lead_words, their queue rows deleted.
 * Queue rows another process holds are skipped (SKIP LOCKED), so that
 * every host's dispatcher may run it. Returns how many texts it took (0:
 * none queued), or -1 (MariaDB failed; nothing of the batch kept). */
int words_index_batch(struct db *db, struct arena *a);
#endif
