#!/usr/bin/env bash
# log.debug = on: one line per request, "request METHOD PATH STATUS
# db_round_trips=N", N counted by smsdesk's own database layer (db.c). A
# second smsdesk of the build under test, one worker, on its own socket, so
# that each request below finds the connection and statements the one
# before left.
. "$REPO/tests/e2e/lib.sh"

# on the real time: a moved clock costs each request one more round trip
# (its SET timestamp, tools/stack.sh stack_daytime_offset)
echo 0 > "$STACK_DIR/clock"
trap 'clock_reset; rm -rf "$T_TMP"' EXIT

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

# a signed-in page: the session (one join, with the header's counts), then
# the header's conversations, read on every page: nothing is kept between
# pages that every text would have to move on (schema/triggers/conversations.sql)
PW='round trips password 1'
NUM=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Trips $UNIQ", "sms_enabled": true}],
 "users": [{"key": "u", "org": "o", "email": "trips.$UNIQ@trips.test", "name": "Tia Trips",
            "role": "agent", "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Trips lead", "assigned": ["u"],
            "contacts": [{"key": "c", "role": "borrower", "name": "Cal Trips", "mobile": "$NUM"}]}]}
JSON
check "a user imports" import_file d "$T_TMP/data.json"
login "$T_TMP/jar" "trips.$UNIQ@trips.test" "$PW"
session=$(awk '$6 == "smsdesk_session" { print $7 }' "$T_TMP/jar")
profile() { COOKIE="smsdesk_session=$session" fcgi GET /profile >/dev/null; }
profile   # prepares; creates the user's sms_notify row
profile
profile
uid=$(id_of d users u) lead=$(id_of d leads l) contact=$(id_of d contacts c)
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
     contact_number, body, status) SELECT org_id, $lead, $contact, $uid, 'outbound',
     (SELECT sms_number FROM users WHERE id = $uid), '$NUM', 'Trips', 'delivered'
     FROM leads WHERE id = $lead"
profile
profile
stack_wait 50 test "$(grep -c ' request GET /profile ' "$log")" -ge 5
check "/profile: the session, then the conversations ($(trips 6))" \
	trips_is 6 ' request GET /profile 200 db_round_trips=2$'
check "/profile again: the same two ($(trips 7))" \
	trips_is 7 ' request GET /profile 200 db_round_trips=2$'
check "after a text, the same two ($(trips 8))" \
	trips_is 8 ' request GET /profile 200 db_round_trips=2$'
check "and again ($(trips 9))" \
	trips_is 9 ' request GET /profile 200 db_round_trips=2$'
COOKIE="smsdesk_session=$session" fcgi GET /leads >/dev/null
COOKIE="smsdesk_session=$session" fcgi GET /leads >/dev/null
stack_wait 50 test "$(grep -c ' request GET /leads ' "$log")" -ge 2
check "/leads: the session, the agent's list prepared and read, the conversations ($(trips 10))" \
	trips_is 10 ' request GET /leads 200 db_round_trips=4$'
check "/leads again: the session, the list kept, the conversations ($(trips 11))" \
	trips_is 11 ' request GET /leads 200 db_round_trips=2$'
COOKIE="smsdesk_session=$session" fcgi GET /profile > "$T_TMP/profile.html"
check "the header shows the conversation" grep -q 'Cal Trips' "$T_TMP/profile.html"

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
