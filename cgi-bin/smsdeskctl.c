/* smsdeskctl: the command line tool (migrate, import, users, dispatch). */
#include "arena.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "import.h"
#include "migrate.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct ctl {
	struct config cfg;
	struct db *db;
};

static int cmd_migrate(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: smsdeskctl migrate\n");
		return 2;
	}
	return migrate_run(c->db, c->cfg.schema_dir) == 0 ? 0 : 1;
}

static int cmd_import(struct ctl *c, int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: smsdeskctl import FILE.json\n");
		return 2;
	}
	return import_file(c->db, argv[0], stdout, stderr) == 0 ? 0 : 1;
}

/* One line of stdin without its line end (never argv: `ps` shows that).
 * On a terminal it asks without echo. 0, or -1 when there is no line or
 * it is longer than cap allows. */
static int read_password(char *out, size_t cap)
{
	struct termios saved, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "password: ");
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
			tty = 0;
	}
	char *line = fgets(out, (int)cap, stdin);
	if (tty) {
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) != 0)
			fprintf(stderr, "smsdeskctl: cannot turn the terminal's echo back on\n");
		fputc('\n', stderr);
	}
	if (!line)
		return -1;
	size_t n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (!feof(stdin))
		return -1;
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

/* Reads and hashes a password from stdin; the plain text is wiped. */
static int password_from_stdin(char hash[PASSWORD_HASH_MAX])
{
	char pw[PASSWORD_MAX_BYTES + 3];   /* the password, CR LF and the NUL */
	int rc = -1;
	if (read_password(pw, sizeof pw) < 0 || !password_length_ok(pw)) {
		fprintf(stderr, "smsdeskctl: the password (one line on stdin) must be %d to %d"
				" characters\n", PASSWORD_MIN, PASSWORD_MAX);
		goto out;
	}
	if (password_hash(pw, hash) < 0) {
		fprintf(stderr, "smsdeskctl: cannot hash the password\n");
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(pw, sizeof pw);
	return rc;
}

struct new_user {
	const char *email, *name, *role, *org;
	int password_stdin;
};

static int add_user_args(struct new_user *u, int argc, char **argv)
{
	memset(u, 0, sizeof *u);
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = !strcmp(opt, "--email") ? &u->email
				  : !strcmp(opt, "--name")  ? &u->name
				  : !strcmp(opt, "--role")  ? &u->role
				  : !strcmp(opt, "--org")   ? &u->org : NULL;
		if (!strcmp(opt, "--password-stdin")) {
			u->password_stdin = 1;
		} else if (slot && val) {
			*slot = val;
			i++;
		} else {
			if (!strcmp(opt, "--password"))
				fprintf(stderr, "smsdeskctl: passwords are read from stdin"
						" (--password-stdin), never from the command line\n");
			return -1;
		}
	}
	return u->email && u->name && u->role ? 0 : -1;
}

/* The organization a new user joins: 0 for a superadmin, -1 when wrong. */
static long long add_user_org(struct db *db, struct arena *a, const struct new_user *u)
{
	int super = strcmp(u->role, "superadmin") == 0;
	struct db_rows rows;
	char *end;
	if (!super && !role_valid(u->role)) {
		fprintf(stderr, "smsdeskctl: --role must be superadmin, admin, manager or agent\n");
		return -1;
	}
	if (super != !u->org) {
		fprintf(stderr, "smsdeskctl: %s\n", super ? "a superadmin belongs to no organization"
							  : "--org ID is required for this role");
		return -1;
	}
	if (super)
		return 0;
	long long id = strtoll(u->org, &end, 10);
	if (end == u->org || *end || id <= 0) {
		fprintf(stderr, "smsdeskctl: --org must be an organization id\n");
		return -1;
	}
	if (db_query(db, a, &rows, "SELECT 1 FROM organizations WHERE id = ?", "i", id) < 0)
		return -1;
	if (rows.n == 0) {
		fprintf(stderr, "smsdeskctl: there is no organization %lld\n", id);
		return -1;
	}
	return id;
}

static int cmd_add_user(struct ctl *c, int argc, char **argv)
{
	struct new_user u;
	struct arena a;
	char hash[PASSWORD_HASH_MAX] = "!";   /* no password: nobody can sign in yet */
	int rc = 1;
	arena_init(&a);
	if (add_user_args(&u, argc, argv) < 0) {
		fprintf(stderr, "usage: smsdeskctl add-user --email E --name N --role R [--org ID]"
				" [--password-stdin]\n");
		rc = 2;
		goto out;
	}
	const char *email = import_email(&a, u.email);
	const char *name = text_trim(&a, u.name);
	if (!email || !text_valid(name, 200)) {
		fprintf(stderr, "smsdeskctl: %s\n", email ? "--name must be 1 to 200 characters"
							   : "--email is not a valid email address");
		goto out;
	}
	long long org = add_user_org(c->db, &a, &u);
	if (org < 0 || (u.password_stdin && password_from_stdin(hash) < 0))
		goto out;
	long long n = db_exec(c->db, "INSERT INTO users (org_id, role, email, name, password_hash)"
				     " VALUES (NULLIF(?, 0), ?, ?, ?, ?)", "issss",
			      org, u.role, email, name, hash);
	if (n < 0) {
		fprintf(stderr, "smsdeskctl: %s\n", n == DB_DUP ? "a user with this email already exists"
							      : "the database refused the user");
		goto out;
	}
	printf("%lld\n", db_insert_id(c->db));
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	explicit_bzero(hash, sizeof hash);
	arena_free(&a);
	return rc;
}

/* A new password also ends the user's sessions: whoever had the old one is out. */
static int cmd_set_password(struct ctl *c, int argc, char **argv)
{
	struct arena a;
	char hash[PASSWORD_HASH_MAX];
	int rc = 1;
	arena_init(&a);
	if (argc != 1) {
		fprintf(stderr, "usage: smsdeskctl set-password EMAIL  (the password on stdin)\n");
		rc = 2;
		goto out;
	}
	const char *email = import_email(&a, argv[0]);
	if (!email) {
		fprintf(stderr, "smsdeskctl: %s is not a valid email address\n", argv[0]);
		goto out;
	}
	if (password_from_stdin(hash) < 0)
		goto out;
	if (db_begin(c->db) < 0)
		goto out;
	long long updated = db_exec(c->db, "UPDATE users SET password_hash = ?, updated_at = NOW()"
					   " WHERE email = ?", "ss", hash, email);
	long long ended = updated <= 0 ? 0
		: db_exec(c->db, "DELETE FROM sessions WHERE user_id ="
				 " (SELECT id FROM users WHERE email = ?)", "s", email);
	if (updated < 0 || ended < 0 || db_commit(c->db) < 0) {
		db_rollback(c->db);
		fprintf(stderr, "smsdeskctl: the database refused the change (see the log line above)\n");
		goto out;
	}
	if (updated == 0) {
		fprintf(stderr, "smsdeskctl: no user has the email %s\n", email);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(hash, sizeof hash);
	arena_free(&a);
	return rc;
}

/* The dispatcher without a daemon: cron runs this, e.g. every minute. */
static int cmd_dispatch(struct ctl *c, int argc, char **argv)
{
	long long wait_s = 0;
	int ok = argc == 0;
	if (argc == 2 && strcmp(argv[0], "--wait") == 0) {
		char *end;
		wait_s = strtoll(argv[1], &end, 10);
		ok = end != argv[1] && !*end && wait_s >= 0 && wait_s <= 3600;
	}
	if (!ok) {
		fprintf(stderr, "usage: smsdeskctl dispatch [--wait SECONDS]\n");
		return 2;
	}
	return dispatcher_run_once(&c->cfg, wait_s * 1000) < 0 ? 1 : 0;
}

static const struct command {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "migrate", cmd_migrate, "migrate                 apply the schema migrations that are missing" },
	{ "import", cmd_import, "import FILE.json        load a data set in one transaction, print its key -> id map" },
	{ "add-user", cmd_add_user, "add-user --email E --name N --role R [--org ID] [--password-stdin]\n"
				    "                          create a user (the password from stdin), print its id" },
	{ "set-password", cmd_set_password, "set-password EMAIL      set a user's password from stdin, end their sessions" },
	{ "dispatch", cmd_dispatch, "dispatch [--wait SECONDS]\n"
				    "                          send the texts due and fetch the images due, then exit"
				    " (after polling for SECONDS)" },
};

static void usage(void)
{
	fprintf(stderr, "usage: smsdeskctl COMMAND [ARGS]\n"
			"configuration: the file named by SMSDESK_CONF, SMSDESK_* variables\n"
			"commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "  %s\n", commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	const struct command *cmd = NULL;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "smsdeskctl: unknown command '%s'\n", argv[1]);
		usage();
		return 2;
	}
	struct ctl c;
	char err[512];
	if (config_load(&c.cfg, getenv("SMSDESK_CONF"), err, sizeof err) < 0) {
		fprintf(stderr, "smsdeskctl: %s\n", err);
		config_free(&c.cfg);
		return 2;
	}
	if (db_library_init() < 0) {
		fprintf(stderr, "smsdeskctl: cannot initialise the MariaDB client\n");
		config_free(&c.cfg);
		return 2;
	}
	c.db = db_new(&c.cfg);
	db_request_begin(c.db, "ctl");
	int rc;
	if (db_connect(c.db) < 0) {
		fprintf(stderr, "smsdeskctl: cannot connect to MariaDB\n");
		rc = 1;
	} else {
		rc = cmd->fn(&c, argc - 2, argv + 2);
	}
	db_free(c.db);
	db_library_end();
	config_free(&c.cfg);
	return rc;
}
