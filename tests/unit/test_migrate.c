/* The trigger files' statements as migrate reads them (migrate.h
 * migrate_trigger_names): the names of their CREATE OR REPLACE TRIGGER
 * statements (comments and quoted text passed over), and what is refused. */
#include "unit.h"

#include "migrate.h"

#include <stdio.h>
#include <string.h>

static int names_of(const char *sql, const char *table, char names[][65], char *err)
{
	return migrate_trigger_names(sql, strlen(sql), table, names, 8, err, 256);
}

static void finds_each_trigger(void **state)
{
	(void)state;
	char names[8][65], err[256] = "";
	const char *sql =
		"-- CREATE OR REPLACE TRIGGER in_a_comment AFTER UPDATE ON leads\n"
		"/* CREATE TRIGGER nor this */\n"
		"CREATE OR REPLACE TRIGGER leads_one AFTER UPDATE ON leads FOR EACH ROW\n"
		"  IF NEW.name <> 'CREATE TRIGGER x' THEN\n"
		"    UPDATE conversations SET lead_name = NEW.name WHERE lead_id = NEW.id;\n"
		"  END IF;\n"
		"create or replace trigger `leads_two` before delete on leads for each row\n"
		"BEGIN\n  DELETE FROM agent_leads WHERE lead_id = OLD.id;\nEND;\n";
	assert_int_equal(names_of(sql, "leads", names, err), 2);
	assert_string_equal(names[0], "leads_one");
	assert_string_equal(names[1], "leads_two");
	assert_int_equal(names_of("-- nothing\n", "leads", names, err), 0);
}

static void refuses_what_is_not_one_step(void **state)
{
	(void)state;
	char names[8][65], err[256];
	assert_int_equal(names_of("CREATE TRIGGER t AFTER UPDATE ON leads FOR EACH ROW SET @a = 1;",
				  "leads", names, err), -1);
	assert_non_null(strstr(err, "without OR REPLACE"));
	assert_int_equal(names_of("CREATE OR REPLACE TRIGGER t AFTER UPDATE ON contacts FOR EACH ROW"
				  " SET @a = 1;", "leads", names, err), -1);
	assert_non_null(strstr(err, "is on contacts, not on leads"));
	assert_int_equal(names_of("CREATE OR REPLACE TRIGGER `t-x` AFTER UPDATE ON leads FOR EACH ROW"
				  " SET @a = 1;", "leads", names, err), -1);
	assert_non_null(strstr(err, "a-z, 0-9 and _"));
	assert_int_equal(names_of("CREATE OR REPLACE TRIGGER t AFTER UPDATE ON leads FOR EACH ROW SET @a = 1;"
				  "CREATE OR REPLACE TRIGGER t AFTER DELETE ON leads FOR EACH ROW SET @a = 1;",
				  "leads", names, err), -1);
	assert_non_null(strstr(err, "made twice"));
	assert_int_equal(names_of("CREATE OR REPLACE VIEW v AS SELECT 1;", "leads", names, err), -1);
	/* no more than the array holds */
	char one[1][65];
	assert_int_equal(migrate_trigger_names(
		"CREATE OR REPLACE TRIGGER a AFTER UPDATE ON leads FOR EACH ROW SET @a = 1;"
		"CREATE OR REPLACE TRIGGER b AFTER DELETE ON leads FOR EACH ROW SET @a = 1;",
		140, "leads", one, 1, err, sizeof err), -1);
}

/* every file of schema/triggers reads as it should (the tests run from the
 * repository's top) */
static void the_schema_files_read(void **state)
{
	(void)state;
	static const char *tables[] = { "assignments", "contacts", "conversations", "lead_names",
					"leads", "messages", "partners", "users" };
	int total = 0;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char path[128], err[256] = "", names[64][65];
		snprintf(path, sizeof path, "schema/triggers/%s.sql", tables[i]);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		static char buf[65536];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		assert_true(n > 0 && n < sizeof buf);
		int k = migrate_trigger_names(buf, n, tables[i], names, 64, err, sizeof err);
		/* conversations has none since 0043: its file says why */
		int none = strcmp(tables[i], "conversations") == 0;
		if (k < 0 || (k == 0) != none)
			fail_msg("%s: %d (%s)", path, k, err);
		total += k;
	}
	assert_int_equal(total, 43);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_each_trigger),
		cmocka_unit_test(refuses_what_is_not_one_step),
		cmocka_unit_test(the_schema_files_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
