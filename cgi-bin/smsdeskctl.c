/* smsdeskctl: the command line tool (migrate, import, users). */
#include "config.h"
#include "db.h"
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const struct command {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "migrate", cmd_migrate, "migrate                 apply the schema migrations that are missing" },
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
