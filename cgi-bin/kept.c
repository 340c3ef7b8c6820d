/* Rows kept between requests (kept.h). */
#include "kept.h"

#include "arena.h"
#include "db.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct kept_copy {
	struct kept_key key;
	struct db_rows rows;  /* its cells, lengths and text follow in the same block */
};

/* rows copied into one block of head bytes and then the rows' own, from
 * alloc (malloc or an arena); the block, or NULL */
static void *rows_copy(const struct db_rows *from, size_t head, struct db_rows *to,
		       void *(*alloc)(void *ctx, size_t n), void *ctx)
{
	size_t cells = from->n * from->cols, text_bytes = 0;
	for (size_t i = 0; i < cells; i++)
		if (from->cell[i])
			text_bytes += from->len[i] + 1;
	size_t size = head + cells * (sizeof(char *) + sizeof(unsigned long)) + text_bytes;
	char *block = alloc(ctx, size ? size : 1);
	if (!block)
		return NULL;
	char **cell = (char **)(void *)(block + head);
	/* the cells follow the head: head keeps them aligned */
	assert((uintptr_t)cell % _Alignof(char *) == 0);
	unsigned long *len = (unsigned long *)(void *)(cell + cells);
	char *text = (char *)(len + cells);
	for (size_t i = 0; i < cells; i++) {
		len[i] = from->len[i];
		cell[i] = NULL;
		if (from->cell[i]) {
			memcpy(text, from->cell[i], from->len[i]);
			text[from->len[i]] = '\0';
			cell[i] = text;
			text += from->len[i] + 1;
		}
	}
	/* the text filled the block exactly as measured above */
	assert(text == block + size);
	to->n = from->n;
	to->cols = from->cols;
	to->cell = cell;
	to->len = len;
	return block;
}

static void *from_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void *from_arena(void *ctx, size_t n)
{
	return arena_alloc(ctx, n);
}

static struct kept_copy **slot_of(struct kept_rows *k, long long id)
{
	return &k->slot[(unsigned long long)id % KEPT_SLOTS];
}

static int same_key(const struct kept_key *x, const struct kept_key *y)
{
	return x->id == y->id && x->version == y->version && x->a == y->a && x->b == y->b;
}

int kept_get(struct kept_rows *k, const struct kept_key *key, struct arena *a,
	     struct db_rows *out)
{
	int found = 0;
	pthread_mutex_lock(&k->lock);
	const struct kept_copy *c = *slot_of(k, key->id);
	if (c && same_key(&c->key, key))
		found = rows_copy(&c->rows, 0, out, from_arena, a) != NULL;
	pthread_mutex_unlock(&k->lock);
	return found;
}

void kept_put(struct kept_rows *k, const struct kept_key *key, const struct db_rows *rows)
{
	struct db_rows copy;
	struct kept_copy *c = rows_copy(rows, sizeof *c, &copy, from_malloc, NULL);
	if (!c)
		return;  /* the next request reads them again */
	c->key = *key;
	c->rows = copy;
	pthread_mutex_lock(&k->lock);
	struct kept_copy **slot = slot_of(k, key->id);
	struct kept_copy *old = *slot;
	*slot = c;
	pthread_mutex_unlock(&k->lock);
	free(old);
}

void kept_clear(struct kept_rows *k)
{
	pthread_mutex_lock(&k->lock);
	for (size_t i = 0; i < KEPT_SLOTS; i++) {
		free(k->slot[i]);
		k->slot[i] = NULL;
	}
	pthread_mutex_unlock(&k->lock);
}
