#!/usr/bin/env bash
# A MariaDB connection lost in the middle of a request: a request that has
# written nothing yet is run once more on a new connection and answered as
# if nothing happened; one that may have committed a write is not run again
# and answers 503 saying the change may have been made.
# The connection is lost on purpose: the request is held on a table lock,
# and its connection is killed from the mysql client while it waits.
. "$REPO/tests/e2e/lib.sh"

PW='db retry password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Retry $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@retry.test", "name": "Rae Retry", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Retry lead $UNIQ", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Cy Retry", "mobile": "$(mobile)"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c); uid=$(id_of d users a)
JAR=$T_TMP/a
login "$JAR" "a.$UNIQ@retry.test" "$PW"
check "the agent signs in" test "$STATUS" = 303

# lock_leads SECONDS: holds a write lock on leads (every page that reads
# leads waits) from the mysql client, in the background
lock_leads() {
	stack_mysql "$STACK_DIR" smsdesk -e "LOCK TABLES leads WRITE; SELECT SLEEP($1); UNLOCK TABLES;" >/dev/null &
	LOCKER=$!
	wait_sql 5 "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP($1)%'"
}
# waiting_id: the id of smsdesk's connection waiting for the lock
waiting_id() { sql "SELECT id FROM information_schema.processlist WHERE user = 'smsdesk' AND state LIKE '%metadata lock%' LIMIT 1"; }
kill_waiting() {
	local id="" tries=50
	while [ -z "$id" ] && [ $tries -gt 0 ]; do sleep 0.1; id=$(waiting_id); tries=$((tries - 1)); done
	[ -n "$id" ] && sql "KILL CONNECTION $id"
}

retried() { grep -c 'retrying the request once' "$STACK_DIR/smsdesk.log"; }

# 1. a page that reads only: retried on a new connection, answered 200
retries=$(retried)
lock_leads 3
curl -sS -o "$T_TMP/page1" -D "$T_TMP/headers1" -w '%{http_code}' -b "$JAR" "$BASE/leads" > "$T_TMP/status1" &
getter=$!
check "the page waits for the lock" kill_waiting
wait "$getter"; wait "$LOCKER"
check "after its connection was killed the page is answered 200 (got $(cat "$T_TMP/status1"))" test "$(cat "$T_TMP/status1")" = 200
check "with the lead in it" grep -q "Retry lead $UNIQ" "$T_TMP/page1"
check "the loss was logged" grep -q 'db: connection lost' "$STACK_DIR/smsdesk.log"
check "and the request run once more" test "$(retried)" = $((retries + 1))

# 2. a write may have been committed: 503, not run again
curl -sS -o "$T_TMP/profile" -b "$JAR" "$BASE/profile"
token=$(csrf_from "$T_TMP/profile")
BODY="Lost while saving ($UNIQ)"
retries=$(retried)
# a session not seen for a while is touched first: a write outside any transaction
sql "UPDATE sessions SET last_seen_at = NOW() - INTERVAL 5 MINUTE WHERE user_id = $uid"
lock_leads 3
curl -sS -o "$T_TMP/page2" -D "$T_TMP/headers2" -w '%{http_code}' -b "$JAR" --data-urlencode "csrf=$token" \
	--data-urlencode "lead=$lead" --data-urlencode "contact=$contact" --data-urlencode "body=$BODY" \
	"$BASE/sms/send" > "$T_TMP/status2" &
poster=$!
check "the send waits for the lock" kill_waiting
wait "$poster"
check "after its connection was killed the send answers 503 (got $(cat "$T_TMP/status2"))" test "$(cat "$T_TMP/status2")" = 503
check "saying the change may have been made" grep -q 'your change may have been made' "$T_TMP/page2"
check "with Retry-After" grep -qi '^Retry-After: 5' "$T_TMP/headers2"
check "it was not run again" test "$(retried)" = "$retries"
check "the session's write was made (the reason it was not retried)" \
	test "$(sql "SELECT last_seen_at > NOW() - INTERVAL 1 MINUTE FROM sessions WHERE user_id = $uid")" = 1
wait "$LOCKER"
check "and the text was not queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = '$BODY'")" = 0
get "$JAR" "/leads/$lead"
check "the next request is served (200)" test "$STATUS" = 200
