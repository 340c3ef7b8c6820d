/* The link shortener warning (cgi-bin/shortener.c) against
 * tests/shortener_vectors.json, the vectors tests/js/shortener.test.js runs
 * on static/shortener.js, plus what JSON cannot carry (invalid UTF-8).
 * Run from the repository root. */
#include "unit.h"

#include "shortener.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define VECTORS_PATH "tests/shortener_vectors.json"

static json_t *doc;

static int load(void **state)
{
	(void)state;
	json_error_t err;
	doc = json_load_file(VECTORS_PATH, 0, &err);
	if (!doc)
		print_error("%s:%d: %s\n", VECTORS_PATH, err.line, err.text);
	return 0;
}

static int unload(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

static void vectors(void **state)
{
	(void)state;
	json_t *list = json_object_get(doc, "vectors");
	assert_true(json_is_array(list) && json_array_size(list) > 40);
	int failures = 0;
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *text = json_string_value(json_object_get(v, "text"));
		const char *domain = json_string_value(json_object_get(v, "domain"));
		const char *found = json_string_value(json_object_get(v, "found"));
		struct shortener_match m = { 0 };
		int hit = text ? shortener_find(text, &m) : -1;
		if (hit != (domain != NULL) ||
		    (hit == 1 && (strcmp(m.domain, domain) != 0 || !found || strlen(found) != m.len ||
				  strncmp(text + m.start, found, m.len) != 0))) {
			print_error("vector \"%s\": got %d %s \"%.*s\", want %s \"%s\"\n", name ? name : "?",
				    hit, hit == 1 ? m.domain : "-", hit == 1 ? (int)m.len : 0,
				    hit == 1 ? text + m.start : "", domain ? domain : "none", found ? found : "");
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* The list is the vectors' list, and each of its domains is found alone,
 * as a subdomain, and not glued to a longer name. */
static void domains(void **state)
{
	(void)state;
	json_t *list = json_object_get(doc, "domains");
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), shortener_domain_count);
	for (size_t i = 0; i < shortener_domain_count; i++) {
		const char *d = json_string_value(json_array_get(list, i));
		assert_non_null(d);
		assert_string_equal(shortener_domains[i], d);
		char text[80];
		struct shortener_match m;
		snprintf(text, sizeof text, "go to %s/x", d);
		assert_int_equal(shortener_find(text, &m), 1);
		assert_string_equal(m.domain, d);
		snprintf(text, sizeof text, "https://www.%s/x", d);
		assert_int_equal(shortener_find(text, &m), 1);
		snprintf(text, sizeof text, "go to a%s/x", d);
		assert_int_equal(shortener_find(text, NULL), 0);
		snprintf(text, sizeof text, "go to %sx.com/x", d);
		assert_int_equal(shortener_find(text, NULL), 0);
	}
}

static void edges(void **state)
{
	(void)state;
	struct shortener_match m;
	assert_int_equal(shortener_find(NULL, &m), 0);
	assert_int_equal(shortener_find("", NULL), 0);
	/* bytes outside ASCII, valid or not, are boundaries */
	assert_int_equal(shortener_find("\xff" "bit.ly\xfe", &m), 1);
	assert_int_equal(m.start, 1);
	assert_int_equal(m.len, 6);
	assert_int_equal(shortener_find("...", NULL), 0);
	assert_int_equal(shortener_find("-.-", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),
		cmocka_unit_test(domains),
		cmocka_unit_test(edges),
	};
	return cmocka_run_group_tests_name("shortener", tests, load, unload);
}
