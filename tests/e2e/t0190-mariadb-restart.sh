#!/usr/bin/env bash
# MariaDB goes away and comes back: smsdesk answers 503 meanwhile and then
# serves again from the same process, without a restart.
. "$REPO/tests/e2e/lib.sh"

pid=$(cat "$STACK_DIR/smsdesk.pid")
expect_status "healthz is 200 before" 200 "$BASE/healthz"
stack_mariadb_stop "$STACK_DIR"
expect_status "healthz is 503 while MariaDB is down" 503 "$BASE/healthz"
check "healthz says unavailable" body_has unavailable
expect_status "the sign-in page still renders (no database needed)" 200 "$BASE/login"
stack_mariadb_start "$STACK_DIR" >/dev/null
# every worker holds its own connection: ask more times than there are workers
good=0
for _ in $(seq 1 24); do
	req "$BASE/healthz"
	[ "$STATUS" = 200 ] && good=$((good + 1))
done
check "every request after the restart is served (24 of 24, got $good)" test "$good" = 24
check "by the same smsdesk process" test "$(cat "$STACK_DIR/smsdesk.pid")" = "$pid"
check "the process is alive" kill -0 "$pid"
check "the loss was logged" grep -q 'db: connection lost\|db: cannot connect' "$STACK_DIR/smsdesk.log"
