/* The ctemplate bridge: loading, escaping, sections, includes. */
#include "unit.h"

#include "arena.h"
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *dir, const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void rm_dir(const char *dir)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void missing_pragma_is_refused(void **state)
{
	(void)state;
	char dir[] = "/tmp/smsdesk-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	put(dir, "bad.tpl", "<p>{{X}}</p>\n");
	char err[256];
	assert_int_equal(tmpl_load_all(dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad.tpl"));
	rm_dir(dir);
}

static void empty_directory_is_refused(void **state)
{
	(void)state;
	char dir[] = "/tmp/smsdesk-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char err[256];
	assert_int_equal(tmpl_load_all(dir, err, sizeof err), -1);
	rm_dir(dir);
}

/* Runs last: loading freezes the process-wide cache. */
static void escaping_sections_includes(void **state)
{
	(void)state;
	char dir[] = "/tmp/smsdesk-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	put(dir, "page.tpl", "{{%AUTOESCAPE context=\"HTML\"}}\n<h1>{{T}}</h1><a href=\"{{U}}\">x</a>"
			     "{{#ROW}}<li>{{N}}</li>{{/ROW}}{{>BODY}}\n");
	put(dir, "body.tpl", "{{%AUTOESCAPE context=\"HTML\"}}\n<p>{{B}}</p>\n");
	char err[256];
	assert_int_equal(tmpl_load_all(dir, err, sizeof err), 0);
	rm_dir(dir); /* the cache is frozen: the files are no longer read */

	tmpl_dict *d = tmpl_dict_new("t");
	tmpl_set(d, "T", "<script>alert(1)</script>");
	tmpl_set(d, "U", "javascript:alert(1)");
	tmpl_set(tmpl_section(d, "ROW"), "N", "a&b");
	tmpl_set_int(tmpl_section(d, "ROW"), "N", 2);
	tmpl_set(tmpl_include(d, "BODY", "body.tpl"), "B", "\"quoted\" <b>");
	struct buf out = { 0 };
	assert_int_equal(tmpl_expand("page.tpl", d, &out), 0);
	assert_null(strstr(out.p, "<script>"));
	assert_non_null(strstr(out.p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(out.p, "href=\"javascript:"));
	assert_non_null(strstr(out.p, "<li>a&amp;b</li><li>2</li>"));
	assert_non_null(strstr(out.p, "<p>&quot;quoted&quot; &lt;b&gt;</p>"));
	assert_int_equal(tmpl_expand("absent.tpl", d, &out), -1);
	buf_free(&out);
	tmpl_dict_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_pragma_is_refused),
		cmocka_unit_test(empty_directory_is_refused),
		cmocka_unit_test(escaping_sections_includes),
	};
	return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
