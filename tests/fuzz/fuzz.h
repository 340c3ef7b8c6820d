/* The frame of every fuzz target in tests/fuzz: the target defines
 * fuzz_one(data, n), which calls the project's real function on one input
 * and abort()s when a property it checks does not hold.
 *
 * Built by afl-cc (make fuzz), main is afl++'s persistent loop: the
 * input arrives in __AFL_FUZZ_TESTCASE_BUF, many inputs per process.
 * Built by the ordinary compiler (make unit, under ASan and UBSan), main
 * runs the same fuzz_one over every file named on its command line, or
 * every file of a directory named there: the seed corpus and the
 * regression inputs, as a test that make test runs. */
#ifndef SMSDESK_FUZZ_H
#define SMSDESK_FUZZ_H
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fuzz_one(const uint8_t *data, size_t n);

/* Stops with a message when a property does not hold (a crash for afl++). */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__, \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

/* The input as a NUL-terminated string (malloc'd; the caller frees it):
 * what the C functions take. An embedded NUL ends it there. */
static inline char *fuzz_string(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* The i-th of the input's fields separated by "\n" (or "" past the last),
 * malloc'd: for targets that take several strings. */
static inline char *fuzz_field(const uint8_t *data, size_t n, int i)
{
	size_t start = 0;
	for (; i > 0 && start <= n; i--) {
		const uint8_t *nl = start < n ? memchr(data + start, '\n', n - start) : NULL;
		if (!nl)
			return fuzz_string(data, 0);
		start = (size_t)(nl - data) + 1;
	}
	const uint8_t *nl = start < n ? memchr(data + start, '\n', n - start) : NULL;
	size_t end = nl ? (size_t)(nl - data) : n;
	return fuzz_string(data + start, end > start ? end - start : 0);
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();

int main(void)
{
	__AFL_INIT();
	const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(10000))
		fuzz_one(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}
#else
static int fuzz_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *data = malloc(cap);
	size_t got;
	while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *bigger = realloc(data, cap *= 2);
			if (!bigger)
				free(data);
			data = bigger;
		}
	}
	int bad = !data || ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	if (bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(data);
		return -1;
	}
	fuzz_one(data, n);
	free(data);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order. */
static int fuzz_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **more = realloc(names, (n + 1) * sizeof *names);
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(len);
		if (!more || !path) {
			free(path);
			free(more ? more : names);
			closedir(d);
			return -1;
		}
		names = more;
		snprintf(path, len, "%s/%s", dir, e->d_name);
		names[n++] = path;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (fuzz_file(names[i]) < 0)
				rc = -1;
			else
				++*count;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int count = 0, rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (fuzz_dir(argv[i], &count) < 0)
				rc = 1;
		} else if (fuzz_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("%d inputs\n", count);
	return rc;
}
#endif
#endif
