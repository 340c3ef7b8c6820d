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

# a terminal escape in a request never reaches the log raw
wait_for_log() { # PATTERN: smsdesk writes its line as the request ends
	for _ in $(seq 1 30); do grep -q -- "$1" "$STACK_DIR/smsdesk.log" && return 0; sleep 0.1; done
	return 1
}
req -g "$BASE/x%1b[31mred$UNIQ%0d%0aforged"
check "a path with an escape is not found (404)" test "$STATUS" = 404
check "smsdesk logs it escaped, on one line" wait_for_log "/x\\\\x1b\\[31mred$UNIQ\\\\x0d\\\\x0aforged -> 404"
check "and no raw escape is in smsdesk's log" bash -c "! grep -q \$'\\x1b' '$STACK_DIR/smsdesk.log'"
