#!/usr/bin/env bash
# smsdeskctl migrate (cgi-bin/migrate.c), on a database of its own and a
# copy of schema/ (the `schema` key, SMSDESK_SCHEMA): an applied migration
# whose file changed is refused, naming the file; a database whose
# migrations were applied before checksums were kept gets them recorded;
# the trigger files (schema/triggers/) are applied again when they change,
# a trigger taken out of its file is dropped, one dropped by hand is made
# again, and a file with a plain CREATE TRIGGER is refused.
. "$REPO/tests/e2e/lib.sh"

DB=smsdesk_t0485
root() { stack_mysql "$STACK_DIR" -N -B -e "$1"; }
x() { stack_mysql "$STACK_DIR" -N -B "$DB" -e "$1"; }
root "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	GRANT ALL ON $DB.* TO 'smsdesk'@'localhost'"
trap 'root "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
S=$T_TMP/schema
cp -r "$REPO/schema" "$S"
m() { SMSDESK_DB_NAME=$DB SMSDESK_SCHEMA=$S ctl migrate >"$T_TMP/out" 2>"$T_TMP/err"; }
triggers() { x "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$DB'"; }
in_files() { grep -ho 'CREATE OR REPLACE TRIGGER [a-z0-9_]*' "$S"/triggers/*.sql | wc -l; }

check "a new database migrates" m
check "every migration has its checksum" test "$(x "SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NULL")" = 0
check "the triggers are those of the trigger files ($(triggers) made, $(in_files) in the files)" \
	test "$(triggers)" = "$(in_files)"
check "and no trigger of a numbered migration outlives them" \
	test "$(x "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$DB'
		AND TRIGGER_NAME IN ('contacts_lead_borrower_insert', 'assignments_lead_agents_insert',
		'users_lead_agents_rename', 'leads_assignment_order', 'leads_contact_order')")" = 0
m; check "run again: exit 0, nothing applied" bash -c "[ ! -s '$T_TMP/out' ]"

# checksums of migrations applied before they were kept: recorded once
x "UPDATE schema_migrations SET checksum = NULL WHERE version <= 12"
m; rc=$?
check "a database without checksums: exit 0 (got $rc)" test "$rc" = 0
check "and they are recorded" test "$(x "SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NULL")" = 0
check "as the files' SHA-256" test "$(x "SELECT checksum FROM schema_migrations WHERE version = 12")" = \
	"$(sha256sum "$S/0012-notifications.sql" | cut -d' ' -f1)"

# an applied migration edited
cp "$S/0012-notifications.sql" "$T_TMP/0012.orig"
echo "-- an edit after it landed" >> "$S/0012-notifications.sql"
m; rc=$?
check "an edited migration is refused (exit $rc)" test "$rc" != 0
check "naming the file" grep -q '0012-notifications.sql.*changed' "$T_TMP/err"
echo "CREATE TABLE t0485_never (id INT PRIMARY KEY);" > "$S/0999-t0485-never.sql"
m
check "and nothing after it is applied" test "$(x "SHOW TABLES LIKE 't0485_never'")" = ""
rm "$S/0999-t0485-never.sql"
cp "$T_TMP/0012.orig" "$S/0012-notifications.sql"
check "put back, it migrates again" m

# trigger files
echo "-- a comment" >> "$S/triggers/partners.sql"
m
check "a changed trigger file is applied again" grep -q 'applied triggers/partners.sql' "$T_TMP/out"
check "and only that one" test "$(grep -c 'applied triggers/' "$T_TMP/out")" = 1
x "DROP TRIGGER partners_people_version"
m
check "a trigger dropped by hand is made again" \
	test "$(x "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$DB'
		AND TRIGGER_NAME = 'partners_people_version'")" = 1
cp "$S/triggers/partners.sql" "$T_TMP/partners.orig"
perl -0 -i -pe 's/CREATE OR REPLACE TRIGGER partners_people_version.*//s' "$S/triggers/partners.sql"
m
check "a trigger taken out of its file is dropped" grep -q 'dropped trigger partners_people_version' "$T_TMP/out"
check "from MariaDB" test "$(x "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$DB'
	AND TRIGGER_NAME = 'partners_people_version'")" = 0
check "the file's other trigger stays" test "$(x "SELECT COUNT(*) FROM information_schema.TRIGGERS
	WHERE TRIGGER_SCHEMA = '$DB' AND EVENT_OBJECT_TABLE = 'partners'")" = 1
cp "$T_TMP/partners.orig" "$S/triggers/partners.sql"
sed -i 's/CREATE OR REPLACE TRIGGER partners_people_version/CREATE TRIGGER partners_people_version/' \
	"$S/triggers/partners.sql"
m; rc=$?
check "a plain CREATE TRIGGER is refused (exit $rc)" test "$rc" != 0
check "naming the file" grep -q 'triggers/partners.sql: CREATE TRIGGER without OR REPLACE' "$T_TMP/err"
cp "$T_TMP/partners.orig" "$S/triggers/partners.sql"
sed -i '0,/ON partners FOR EACH ROW/s//ON contacts FOR EACH ROW/' "$S/triggers/partners.sql"
m; rc=$?
check "a trigger on another table than its file's is refused (exit $rc)" test "$rc" != 0
check "naming it" grep -q 'partners.sql: trigger partners_conversation_name is on contacts' "$T_TMP/err"
cp "$T_TMP/partners.orig" "$S/triggers/partners.sql"
m; rc=$?
check "put back: exit 0 (got $rc)" test "$rc" = 0
check "and every trigger is there again" test "$(triggers)" = "$(in_files)"
