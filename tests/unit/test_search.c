/* Search's reading of q and its highlighting (cgi-bin/search.c). */
#include "unit.h"

#include "arena.h"
#include "search.h"

#include <string.h>

static void numbers_however_written(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	static const struct { const char *q, *reversed; } cases[] = {
		{ "(202) 555-0111", "1110555202" }, { "202-555-0111", "1110555202" },
		{ "2025550111", "1110555202" }, { "+12025550111", "11105552021" },
		{ "0111", "1110" }, { " 202.555.0111 ", "1110555202" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct search_terms t;
		search_parse(&a, cases[i].q, &t);
		assert_non_null(t.number_reversed);
		assert_string_equal(t.number_reversed, cases[i].reversed);
		assert_null(t.names_match);
		assert_null(t.texts_regexp);
	}
	/* three digits, sixteen, or a letter among them: words */
	static const char *words[] = { "111", "1234567890123456", "202-555-O111", "0111x" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct search_terms t;
		search_parse(&a, words[i], &t);
		assert_null(t.number_reversed);
		assert_non_null(t.names_match);
	}
	arena_free(&a);
}

static void words_and_operators(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct search_terms t;
	search_parse(&a, "+apprais* -\"Friday\" (ok) ~x <Zoë>@", &t);
	assert_int_equal(t.nwords, 5);
	assert_string_equal(t.names_match, "+apprais* +Friday* +ok* +x* +Zoë*");
	/* one or two letters: names only; three characters (not bytes); each
	 * word at the start of a word of the text, in any order; lead_words
	 * looked up by the longest */
	assert_string_equal(t.texts_regexp,
			    "(?is)^(?=.*?(?<![0-9a-z]|[^\\x00-\\x7f])apprais)"
			    "(?=.*?(?<![0-9a-z]|[^\\x00-\\x7f])Friday)"
			    "(?=.*?(?<![0-9a-z]|[^\\x00-\\x7f])Zoë)");
	assert_string_equal(t.texts_word_like, "apprais%");
	/* one word: no lookahead */
	search_parse(&a, "Closing ok", &t);
	assert_string_equal(t.texts_regexp, "(?i)(?<![0-9a-z]|[^\\x00-\\x7f])Closing");
	assert_string_equal(t.texts_word_like, "Closing%");
	search_parse(&a, "+-*\"()~<>@", &t);
	assert_int_equal(t.nwords, 0);
	assert_null(t.names_match);
	assert_null(t.texts_regexp);
	assert_null(t.texts_word_like);
	assert_null(t.number_reversed);
	search_parse(&a, "Al", &t);
	assert_string_equal(t.names_match, "+Al*");
	assert_null(t.texts_regexp);
	search_parse(&a, "", &t);
	assert_null(t.names_match);
	assert_null(t.texts_regexp);
	/* a word longer than lead_words keeps: its first 32 characters there */
	search_parse(&a, "ok Ünterschriftsberechtigungsnachweisdokument", &t);
	assert_string_equal(t.texts_word_like, "Ünterschriftsberechtigungsnachwe%");
	arena_free(&a);
}

static const char *joined(struct arena *a, const char *text, const char *const *words, size_t n)
{
	size_t starts[8], lens[8];
	int hit[8];
	size_t np = search_pieces(text, words, n, starts, lens, hit, 8);
	struct buf b = { 0 };
	buf_puts(&b, "");
	for (size_t i = 0; i < np; i++)
		buf_printf(&b, hit[i] ? "[%.*s]" : "%.*s", (int)lens[i], text + starts[i]);
	char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static void pieces(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *w[] = { "apprais", "fri" };
	assert_string_equal(joined(&a, "The Appraisal is Friday <b>", w, 2), "The [Apprais]al is [Fri]day <b>");
	/* only at a word's start */
	assert_string_equal(joined(&a, "reappraisal", w, 2), "reappraisal");
	assert_string_equal(joined(&a, "", w, 2), "");
	/* the longest word that matches */
	const char *w2[] = { "ab", "abc" };
	assert_string_equal(joined(&a, "abcd ab", w2, 2), "[abc]d [ab]");
	/* more matches than pieces: the rest stays plain, the whole text kept */
	assert_string_equal(joined(&a, "ab ab ab ab ab ab", w2, 2), "[ab] [ab] [ab] [ab] ab ab");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_however_written),
		cmocka_unit_test(words_and_operators),
		cmocka_unit_test(pieces),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
