#!/usr/bin/env bash
# Logs hold addresses, emails and request details: the stack creates them
# 0640, never readable by other users.
. "$REPO/tests/e2e/lib.sh"

mode_of() { stat -c %a "$1"; }
# something in smsdesk's and nginx's logs first
req "$BASE/no-such-page-$UNIQ"

for f in smsdesk.log carrier.log nginx/error.log nginx/access.log mysql/error.log; do
	check "$f exists" test -f "$STACK_DIR/$f"
	check "$f is 0640 (got $(mode_of "$STACK_DIR/$f"))" test "$(mode_of "$STACK_DIR/$f")" = 640
done

# a log that exists already (world-readable) loses the world's access when
# a stack start opens it
touch "$T_TMP/old.log" && chmod 644 "$T_TMP/old.log"
stack_log_file "$T_TMP/old.log"
check "an existing world-readable log becomes 0640" test "$(mode_of "$T_TMP/old.log")" = 640
stack_log_file "$T_TMP/new.log"
check "a new log is created 0640" test "$(mode_of "$T_TMP/new.log")" = 640
