/* The prepared-statement cache of db.c, over a fake MariaDB client: the
 * client calls db.c makes are replaced at link time (-Wl,--wrap, see
 * WRAP_db in the Makefile), so each prepare, execute and close is counted
 * and every execution names the text it really ran. */
#include "unit.h"

#include "config.h"
#include "db.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_STMTS 1024

struct fake_stmt {
	char sql[256];
	int open;
};

static struct fake_stmt stmts[FAKE_STMTS];
static int nstmts, prepares, closes;
static char ran[256];          /* the text of the last statement executed */
static int failing;            /* executions still to fail, with fail_errno */
static unsigned int fail_errno;
static char conn;              /* stands for the MYSQL handle */
static struct config cfg;

static struct fake_stmt *fake(MYSQL_STMT *st)
{
	return (struct fake_stmt *)(void *)st;
}

static int open_stmts(void)
{
	return prepares - closes;
}

MYSQL *__wrap_mysql_init(MYSQL *m)
{
	(void)m;
	return (MYSQL *)(void *)&conn;
}

int __wrap_mysql_optionsv(MYSQL *m, enum mysql_option option, ...)
{
	(void)m;
	(void)option;
	return 0;
}

MYSQL *__wrap_mysql_real_connect(MYSQL *m, const char *host, const char *user,
				 const char *passwd, const char *db, unsigned int port,
				 const char *unix_socket, unsigned long flags)
{
	(void)host; (void)user; (void)passwd; (void)db; (void)port;
	(void)unix_socket; (void)flags;
	return m;
}

void __wrap_mysql_close(MYSQL *m)
{
	(void)m;
}

MYSQL_STMT *__wrap_mysql_stmt_init(MYSQL *m)
{
	(void)m;
	if (nstmts == FAKE_STMTS)
		return NULL;
	struct fake_stmt *f = &stmts[nstmts++];
	memset(f, 0, sizeof *f);
	return (MYSQL_STMT *)(void *)f;
}

int __wrap_mysql_stmt_prepare(MYSQL_STMT *st, const char *sql, unsigned long len)
{
	struct fake_stmt *f = fake(st);
	snprintf(f->sql, sizeof f->sql, "%.*s", (int)len, sql);
	f->open = 1;
	prepares++;
	return 0;
}

my_bool __wrap_mysql_stmt_attr_set(MYSQL_STMT *st, enum enum_stmt_attr_type t, const void *v)
{
	(void)st; (void)t; (void)v;
	return 0;
}

unsigned long __wrap_mysql_stmt_param_count(MYSQL_STMT *st)
{
	(void)st;
	return 0;
}

unsigned int __wrap_mysql_stmt_field_count(MYSQL_STMT *st)
{
	(void)st;
	return 0;
}

int __wrap_mysql_stmt_execute(MYSQL_STMT *st)
{
	struct fake_stmt *f = fake(st);
	assert_true(f->open);
	if (failing > 0) {
		failing--;
		return 1;
	}
	snprintf(ran, sizeof ran, "%s", f->sql);
	return 0;
}

MYSQL_RES *__wrap_mysql_stmt_result_metadata(MYSQL_STMT *st)
{
	(void)st;
	return NULL;
}

unsigned long long __wrap_mysql_stmt_affected_rows(MYSQL_STMT *st)
{
	(void)st;
	return 1;
}

unsigned int __wrap_mysql_stmt_errno(MYSQL_STMT *st)
{
	(void)st;
	return fail_errno;
}

const char *__wrap_mysql_stmt_error(MYSQL_STMT *st)
{
	(void)st;
	return "the fake client's error";
}

my_bool __wrap_mysql_stmt_close(MYSQL_STMT *st)
{
	struct fake_stmt *f = fake(st);
	assert_true(f->open);
	f->open = 0;
	closes++;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	char err[256];
	nstmts = prepares = closes = failing = 0;
	fail_errno = 0;
	ran[0] = '\0';
	return config_load(&cfg, NULL, err, sizeof err);
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

/* Runs the text in buf (a buffer, as a string built at run time would be). */
static void exec_text(struct db *db, char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text);
	assert_int_equal(db_exec(db, buf, ""), 1);
	assert_string_equal(ran, text);
}

static void same_text_at_two_addresses_is_prepared_once(void **state)
{
	(void)state;
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	char a[64], b[64];
	exec_text(db, a, sizeof a, "UPDATE t SET x = 1");
	exec_text(db, b, sizeof b, "UPDATE t SET x = 1");
	assert_int_equal(prepares, 1);
	for (int i = 0; i < 100; i++) {
		char *heap = malloc(64);
		assert_non_null(heap);
		exec_text(db, heap, 64, "UPDATE t SET x = 1");
		free(heap);
	}
	assert_int_equal(prepares, 1);
	assert_int_equal(open_stmts(), 1);
	db_free(db);
	assert_int_equal(open_stmts(), 0);
}

static void one_address_with_new_text_runs_the_new_text(void **state)
{
	(void)state;
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	char buf[64];
	exec_text(db, buf, sizeof buf, "DELETE FROM t WHERE id = 1");
	exec_text(db, buf, sizeof buf, "DELETE FROM t WHERE id = 2");
	exec_text(db, buf, sizeof buf, "DELETE FROM t WHERE id = 1");
	assert_int_equal(prepares, 2);
	/* and a literal finds the statement its text was prepared as */
	assert_int_equal(db_exec(db, "DELETE FROM t WHERE id = 2", ""), 1);
	assert_string_equal(ran, "DELETE FROM t WHERE id = 2");
	assert_int_equal(prepares, 2);
	db_free(db);
	assert_int_equal(open_stmts(), 0);
}

static void many_texts_keep_a_bounded_number_open(void **state)
{
	(void)state;
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	char buf[64], text[64];
	snprintf(text, sizeof text, "SELECT 'kept'");
	exec_text(db, buf, sizeof buf, text);
	for (int i = 0; i < 600; i++) {
		char t[64];
		snprintf(t, sizeof t, "UPDATE t SET x = %d", i);
		exec_text(db, buf, sizeof buf, t);
		/* one statement in constant use is never the one closed */
		if (i % 10 == 0)
			exec_text(db, buf, sizeof buf, text);
		assert_true(open_stmts() <= 256);
	}
	int before = prepares;
	exec_text(db, buf, sizeof buf, text);
	assert_int_equal(prepares, before);
	db_free(db);
	assert_int_equal(open_stmts(), 0);
}

static void a_reconnect_prepares_again(void **state)
{
	(void)state;
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	char buf[64];
	exec_text(db, buf, sizeof buf, "SELECT 1");
	db_disconnect(db);
	assert_int_equal(open_stmts(), 0);
	db_request_begin(db, "test");
	exec_text(db, buf, sizeof buf, "SELECT 1");
	assert_int_equal(prepares, 2);
	db_free(db);
	assert_int_equal(open_stmts(), 0);
}

/* What the request log's db_round_trips counts: a connection two, a
 * prepare one, an execute one; a statement found in the cache only its
 * execute, and closing a statement nothing. */
static void round_trips_are_counted(void **state)
{
	(void)state;
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	assert_int_equal(db_round_trips(db), 0);
	char buf[64];
	exec_text(db, buf, sizeof buf, "SELECT 1");
	assert_int_equal(db_round_trips(db), 2 + 1 + 1);
	unsigned long long before = db_round_trips(db);
	exec_text(db, buf, sizeof buf, "SELECT 1");
	assert_int_equal(db_round_trips(db) - before, 1);
	exec_text(db, buf, sizeof buf, "SELECT 2");
	assert_int_equal(db_round_trips(db) - before, 1 + 2);
	/* a reconnect: the connection again, then a prepare and an execute */
	db_disconnect(db);
	db_request_begin(db, "test");
	before = db_round_trips(db);
	exec_text(db, buf, sizeof buf, "SELECT 1");
	assert_int_equal(db_round_trips(db) - before, 2 + 1 + 1);
	db_free(db);
}

/* A trigger created since a statement was prepared can make MariaDB
 * 10.11 refuse it (no such table, the trigger's) until it is prepared
 * again: nothing ran, so db.c prepares it again, once. */
static void a_statement_the_server_refuses_as_prepared_is_prepared_again(void **state)
{
	(void)state;
	unsigned int errs[] = { ER_NO_SUCH_TABLE, ER_NEED_REPREPARE };
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		struct db *db = db_new(&cfg);
		db_request_begin(db, "test");
		char buf[64];
		exec_text(db, buf, sizeof buf, "UPDATE t SET x = 1");
		int before = prepares;
		failing = 1;
		fail_errno = errs[i];
		exec_text(db, buf, sizeof buf, "UPDATE t SET x = 1");
		assert_int_equal(prepares - before, 1);
		assert_int_equal(open_stmts(), 1);
		/* refused again as prepared afresh: an error, nothing left open */
		failing = 2;
		assert_true(db_exec(db, "UPDATE t SET x = 1", "") < 0);
		assert_int_equal(open_stmts(), 0);
		db_free(db);
	}
	/* any other error is the statement's own: not run twice */
	struct db *db = db_new(&cfg);
	db_request_begin(db, "test");
	failing = 1;
	fail_errno = ER_DUP_ENTRY;
	int before = prepares;
	assert_true(db_exec(db, "INSERT INTO t VALUES (1)", "") < 0);
	assert_int_equal(prepares - before, 1);
	assert_int_equal(failing, 0);
	db_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(same_text_at_two_addresses_is_prepared_once, setup, teardown),
		cmocka_unit_test_setup_teardown(one_address_with_new_text_runs_the_new_text, setup, teardown),
		cmocka_unit_test_setup_teardown(many_texts_keep_a_bounded_number_open, setup, teardown),
		cmocka_unit_test_setup_teardown(a_reconnect_prepares_again, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trips_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(a_statement_the_server_refuses_as_prepared_is_prepared_again,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
