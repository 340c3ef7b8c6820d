/* Per-request memory: everything a request allocates is released with it. */
#ifndef SMSDESK_ARENA_H
#define SMSDESK_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total;          /* bytes handed out since the last reset */
};

void arena_init(struct arena *a);
void arena_reset(struct arena *a);   /* keeps the first chunk for reuse */
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A growable byte buffer (malloc'd; reused across requests by its owner). */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b);
void buf_free(struct buf *b);

/* Out of memory is not recoverable for a request server; say so and stop. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
#endif
