/* Rows kept between requests (kept.c): found only under the very key
 * they were kept with, copied whole (NULLs, embedded bytes, no rows), and
 * independent of both the rows they were made from and the copies handed
 * out. */
#include "unit.h"

#include "arena.h"
#include "db.h"
#include "kept.h"

#include <string.h>

static struct kept_rows kept = KEPT_ROWS_INIT;

/* two rows of three columns; the middle cell of the second row NULL, the
 * last one with a NUL byte inside */
static char c0[] = "1", c1[] = "Cora", c2[] = "x", c3[] = "2", c5[] = "a\0b";
static char *cells[] = { c0, c1, c2, c3, NULL, c5 };
static unsigned long lens[] = { 1, 4, 1, 1, 0, 3 };
static const struct db_rows two = { 2, 3, cells, lens };

static void found_only_by_its_key(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct db_rows out;
	struct kept_key key = { 7, 3, 1, 2 };
	assert_int_equal(kept_get(&kept, &key, &a, &out), 0);
	kept_put(&kept, &key, &two);
	assert_int_equal(kept_get(&kept, &key, &a, &out), 1);
	struct kept_key other[] = { { 7, 4, 1, 2 }, { 7, 3, 0, 2 }, { 7, 3, 1, 3 },
				    { 7 + KEPT_SLOTS, 3, 1, 2 } };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		assert_int_equal(kept_get(&kept, &other[i], &a, &out), 0);
	/* a new version replaces the user's copy */
	kept_put(&kept, &other[0], &two);
	assert_int_equal(kept_get(&kept, &key, &a, &out), 0);
	assert_int_equal(kept_get(&kept, &other[0], &a, &out), 1);
	/* as does another user of the same slot */
	kept_put(&kept, &other[3], &two);
	assert_int_equal(kept_get(&kept, &other[0], &a, &out), 0);
	kept_clear(&kept);
	assert_int_equal(kept_get(&kept, &other[3], &a, &out), 0);
	arena_free(&a);
}

static void copied_whole(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kept_key key = { 9, 1, 0, 0 };
	char name[] = "Cora";
	char *mine[] = { c0, name, c2, c3, NULL, c5 };
	struct db_rows from = { 2, 3, mine, lens };
	kept_put(&kept, &key, &from);
	name[0] = 'D';  /* the rows it was made from change: the copy does not */
	struct db_rows out;
	assert_int_equal(kept_get(&kept, &key, &a, &out), 1);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.cols, 3);
	assert_string_equal(db_get(&out, 0, 1), "Cora");
	assert_null(db_get(&out, 1, 1));
	assert_int_equal(out.len[5], 3);
	assert_memory_equal(db_get(&out, 1, 2), "a\0b", 4);
	/* a copy handed out is the request's own */
	out.cell[1][0] = 'X';
	out.cell[0] = NULL;
	struct db_rows again;
	assert_int_equal(kept_get(&kept, &key, &a, &again), 1);
	assert_string_equal(db_get(&again, 0, 1), "Cora");
	assert_string_equal(db_get(&again, 0, 0), "1");
	/* no rows is a result too */
	struct db_rows none = { 0, 9, NULL, NULL };
	struct kept_key empty = { 10, 1, 0, 0 };
	kept_put(&kept, &empty, &none);
	assert_int_equal(kept_get(&kept, &empty, &a, &again), 1);
	assert_int_equal(again.n, 0);
	assert_int_equal(again.cols, 9);
	kept_clear(&kept);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found_only_by_its_key),
		cmocka_unit_test(copied_whole),
	};
	return cmocka_run_group_tests_name("kept", tests, NULL, NULL);
}
