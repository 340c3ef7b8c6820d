#include "arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16
/* the rounding in arena_alloc needs a power of two, and a standard chunk
 * holds whole aligned blocks */
_Static_assert((ARENA_ALIGN & (ARENA_ALIGN - 1)) == 0, "ARENA_ALIGN is a power of two");
_Static_assert(ARENA_CHUNK % ARENA_ALIGN == 0, "ARENA_CHUNK holds whole aligned blocks");

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

static void oom(void)
{
	static const char msg[] = "smsdesk: out of memory\n";
	if (fwrite(msg, 1, sizeof msg - 1, stderr) != sizeof msg - 1)
		abort();
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

static struct arena_chunk *chunk_new(size_t size, struct arena_chunk *next)
{
	struct arena_chunk *c = xmalloc(sizeof *c + size);
	c->next = next;
	c->size = size;
	c->used = 0;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		oom();
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		if (need > ARENA_CHUNK / 4) {
			/* A big block gets its own chunk behind the current one,
			 * so the current chunk's free space stays usable. */
			struct arena_chunk *big = chunk_new(need, c ? c->next : NULL);
			big->used = need;
			if (c)
				c->next = big;
			else
				a->head = big;
			a->total += need;
			return big->data;
		}
		c = a->head = chunk_new(ARENA_CHUNK, c);
	}
	void *p = (char *)c->data + c->used;
	c->used += need;
	/* every block starts aligned, and none runs past its chunk */
	assert(need % ARENA_ALIGN == 0 && c->used % ARENA_ALIGN == 0);
	assert(c->used <= c->size);
	a->total += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		oom();
	void *p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	int wrote = vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	assert(wrote == n);  /* the same arguments, the same length: nothing cut */
	(void)wrote;
	return p;
}

void arena_reset(struct arena *a)
{
	/* Keep the oldest standard chunk: big blocks are linked behind the
	 * head, so it is the last standard-sized one, not always the tail. */
	struct arena_chunk *keep = NULL, *c;
	for (c = a->head; c; c = c->next)
		if (c->size == ARENA_CHUNK)
			keep = c;
	for (c = a->head; c;) {
		struct arena_chunk *next = c->next;
		if (c != keep)
			free(c);
		c = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len > extra)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= extra) {
		if (cap > SIZE_MAX / 2)
			oom();
		cap *= 2;
	}
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	assert(b->cap - b->len > n);  /* room for the bytes and the NUL */
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_reserve(b, (size_t)n);
	assert(b->cap - b->len > (size_t)n);
	va_start(ap, fmt);
	int wrote = vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	assert(wrote == n);
	(void)wrote;
	b->len += (size_t)n;
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
