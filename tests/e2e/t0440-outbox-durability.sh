#!/usr/bin/env bash
# The outbox across processes and failures: the per-number rate holds
# across two dispatchers; messages queued while MariaDB is down or smsdesk
# is stopped are sent once it is back, exactly once.
. "$REPO/tests/e2e/lib.sh"

PW='durable password 1'
RAY=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Durable $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@durable.test", "name": "Dee Durable", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Durable lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Ray Durable", "mobile": "$RAY"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c)
login "$T_TMP/a" "a.$UNIQ@durable.test" "$PW"
send() { post "$T_TMP/a" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
	--data-urlencode "body=$1" --data-urlencode "back=/leads/$lead"; }
fake() { curl -sS -o /dev/null -X POST "$@"; }
sent() { echo "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$1'"; }

# 0. the rules hold until the carrier has the text: consent withdrawn while
# the text waits for a retry stops it
curl -sS -o /dev/null -X POST "$CARRIER/_fake/reset"
fake "$CARRIER/_fake/fail" --data mode=429 --data count=1000 --data retry_after=1
B0="Waiting while consent goes ($UNIQ)"
send "$B0"
check "a text waits for the carrier" wait_sql 10 "SELECT attempts >= 1 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B0'"
sql "UPDATE consents SET status = 'none' WHERE contact_number = '$RAY'"
fake "$CARRIER/_fake/fail" --data count=0
check "after consent is withdrawn it fails instead of going out" wait_sql 10 "SELECT status FROM messages WHERE body = '$B0'" failed
check "saying why" test "$(sql "SELECT error_message FROM messages WHERE body = '$B0'")" = "consent was withdrawn before the text was sent"
check "nothing reached the carrier" test "$(carrier_created "$B0")" = 0
sql "UPDATE consents SET status = 'granted' WHERE contact_number = '$RAY'"

# a second smsdesk against the same database: two dispatchers
export FCGI_SOCKET=$T_TMP/second.sock
SMSDESK_LISTEN=$FCGI_SOCKET SMSDESK_WORKERS=2 "$E2E_SMSDESK_BIN" 2>"$T_TMP/second.log" &
second=$!
check "a second smsdesk (a second dispatcher) starts" stack_wait 100 test -S "$FCGI_SOCKET"

# 1. one number, 1 message a second, whichever process sends
fake "$CARRIER/_fake/reset"
start=$(date +%s%N)
for i in 1 2 3; do send "Rate limited $i ($UNIQ)"; done
check "three quick texts are all sent" wait_sql 20 "SELECT COUNT(*) FROM messages WHERE body LIKE 'Rate limited _ ($UNIQ)' AND carrier_sid IS NOT NULL" 3
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "no faster than one a second from one number (${ms} ms >= 2000)" test "$ms" -ge 2000
span=$(curl -sS "$CARRIER/_fake/messages" | jq -r --arg u "($UNIQ)" '[.[] | select(.body | startswith("Rate limited")) | select(.body | endswith($u)) | .date_created] | length')
check "each was created once at the carrier" test "$span" = 3

# 2. queued while MariaDB is down: sent once it is back
fake "$CARRIER/_fake/fail" --data mode=500 --data count=1000
B="Through a database restart ($UNIQ)"
send "$B"
check "the message is accepted while the carrier fails" test "$STATUS" = 303
check "the dispatcher is retrying it" wait_sql 10 "SELECT attempts >= 1 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B'"
stack_mariadb_stop "$STACK_DIR"
sleep 1.5
stack_mariadb_start "$STACK_DIR" >/dev/null
fake "$CARRIER/_fake/fail" --data count=0
check "after MariaDB is back the message is sent" wait_sql 20 "$(sent "$B")"
check "exactly once" test "$(carrier_created "$B")" = 1

# 3. queued while smsdesk is stopped: sent when it starts again
fake "$CARRIER/_fake/fail" --data mode=500 --data count=1000
B2="Through a smsdesk restart ($UNIQ)"
send "$B2"
check "the dispatcher is retrying the second message" wait_sql 10 "SELECT attempts >= 1 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B2'"
kill -TERM "$second"; wait "$second"
check "the second smsdesk stopped cleanly" test $? = 0
stack_smsdesk_stop "$STACK_DIR"
# the carrier still fails: any dispatcher left running would keep trying
# (retry_max_ms is 2 s in the tests), so the count of attempts must not move.
# A dispatcher looks for due rows at least once a second (POLL_MS) and one
# that takes the row moves its next attempt ahead: the row due for 2 s,
# untaken, shows that none runs; then the count is read again.
posts() { curl -sS "$CARRIER/_fake/requests" | jq --arg b "$1" '[.[] | select(.method == "POST" and .params.Body == $b)] | length'; }
before=$(posts "$B2")
check "the waiting text comes due and stays due 2 s, taken by no dispatcher" wait_sql 15 \
	"SELECT o.next_attempt_at <= NOW(6) - INTERVAL 2 SECOND FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B2'"
check "with both smsdesks stopped no attempt reaches the carrier ($before, then $(posts "$B2"))" test "$(posts "$B2")" = "$before"
check "the message waits in the outbox, queued" test "$(sql "SELECT CONCAT(m.status, ' ', COUNT(o.message_id)) FROM messages m LEFT JOIN outbox o ON o.message_id = m.id WHERE m.body = '$B2' GROUP BY m.id")" = "queued 1"
fake "$CARRIER/_fake/fail" --data count=0
stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"
check "after smsdesk starts again the message is sent" wait_sql 30 "$(sent "$B2")"
check "exactly once after the restart" test "$(carrier_created "$B2")" = 1
check "no sanitizer report from the second smsdesk" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$T_TMP/second.log'"
fake "$CARRIER/_fake/reset"
