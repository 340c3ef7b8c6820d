#!/usr/bin/env bash
# log.debug = on: one line per request, "request METHOD PATH STATUS
# db_round_trips=N", N counted by smsdesk's own database layer (db.c). A
# second smsdesk of the build under test, one worker, on its own socket, so
# that each request below finds the connection and statements the one
# before left.
. "$REPO/tests/e2e/lib.sh"

export FCGI_SOCKET=$T_TMP/trips.sock
log=$T_TMP/trips.log
SMSDESK_LISTEN=$FCGI_SOCKET SMSDESK_WORKERS=1 SMSDESK_DISPATCHER=0 SMSDESK_LOG_DEBUG=on \
	"$E2E_SMSDESK_BIN" 2>"$log" &
pid=$!
check "a second smsdesk starts" stack_wait 100 test -S "$FCGI_SOCKET"

# trips N: the round trips of the Nth request line in the log
trips() { grep -o ' debug \[[0-9a-f]*\] request .*' "$log" | sed -n "${1}p"; }
trips_is() { trips "$1" | grep -q -- "$2"; }

fcgi GET '/healthz?probe=1' >/dev/null   # connects and prepares SELECT 1
fcgi GET '/healthz' >/dev/null           # the same statement on the same connection
fcgi GET "/no-such-page-$UNIQ" >/dev/null
fcgi GET /login >/dev/null
stack_wait 50 test "$(grep -c ' request ' "$log")" -ge 4
check "a first /healthz connects, prepares and executes: 2 + 1 + 1 ($(trips 1))" \
	trips_is 1 ' request GET /healthz 200 db_round_trips=4$'
check "the line names the path without the query string" bash -c "! grep -q 'probe=1' '$log'"
check "the next /healthz is one round trip ($(trips 2))" \
	trips_is 2 ' request GET /healthz 200 db_round_trips=1$'
check "a page that does not exist needs none ($(trips 3))" \
	trips_is 3 " request GET /no-such-page-$UNIQ 404 db_round_trips=0$"
check "the sign-in page is logged with its status" grep -q ' request GET /login 200 db_round_trips=[0-9]*$' "$log"

kill -TERM "$pid"
wait "$pid"
check "it stops cleanly" grep -q 'smsdesk stopped' "$log"
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$log'"

# log.debug is off by default: the stack's smsdesk writes no such line
# (unless the stack was started with it, as a developer may)
req "$BASE/healthz"
grep -q '^ *log.debug *= *on' "$SMSDESK_CONF" ||
check "without log.debug no request line is written" \
	bash -c "! grep -q ' debug .* request GET /healthz' '$STACK_DIR/smsdesk.log'"
