#!/usr/bin/env bash
# MariaDB failing other than by a clean restart:
# 1. frozen (SIGSTOP): pages that need it answer 503 within the client's
#    read timeout (15 s) plus one reconnect (3 s); pages that do not are
#    served meanwhile; after SIGCONT the same process serves again.
# 2. a lock wait timeout: the send gets a clean 503 and writes nothing
#    (its transaction had already inserted the message: rolled back).
# 3. killed (SIGKILL) while a text is at the carrier: after the restart
#    the text is found at the carrier, not sent again: it arrives once.
. "$REPO/tests/e2e/lib.sh"

PW='mariadb failures password 1'
BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Failures $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@failures.test", "name": "Fay Failure", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Failure lead", "assigned": ["a"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Failure", "mobile": "$BOB"}]}],
 "consents": [{"agent": "a", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); bob=$(id_of d contacts bob)
JAR=$T_TMP/a
login "$JAR" "a.$UNIQ@failures.test" "$PW"
check "the agent signs in" test "$STATUS" = 303
mysqld_pid=$(cat "$STACK_DIR/mysql/mysqld.pid")
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ---- 1. frozen
expect_status "healthz is 200 before" 200 "$BASE/healthz"
kill -STOP "$mysqld_pid"
start=$(date +%s%N)
for i in 1 2 3; do
	curl -sS -m 40 -o "$T_TMP/frozen.$i" -w '%{http_code} %{time_total}\n' "$BASE/healthz" > "$T_TMP/frozen.$i.status" &
done
sleep 1
expect_status "while MariaDB is frozen the sign-in page is served" 200 -m 5 "$BASE/login"
wait
ms=$(ms_since "$start")
kill -CONT "$mysqld_pid"
sed 's/^/# frozen: /' "$T_TMP"/frozen.*.status
check "every page that needs MariaDB answered 503" test "$(cut -d' ' -f1 "$T_TMP"/frozen.*.status | sort -u)" = 503
check "within the read timeout and a reconnect (${ms} ms < 25000)" test "$ms" -lt 25000
check "with the unavailable page" grep -q unavailable "$T_TMP/frozen.1"
good=0
for _ in $(seq 1 24); do req "$BASE/healthz"; [ "$STATUS" = 200 ] && good=$((good + 1)); done
check "after SIGCONT every request is served (24 of 24, got $good)" test "$good" = 24
check "by the same process" kill -0 "$(cat "$STACK_DIR/smsdesk.pid")"

# ---- 2. a lock wait timeout, on a second smsdesk whose connections wait 2 s
sql "SET GLOBAL innodb_lock_wait_timeout = 2"
export FCGI_SOCKET=$T_TMP/lock.sock
SMSDESK_LISTEN=$FCGI_SOCKET SMSDESK_WORKERS=2 SMSDESK_DISPATCHER=0 "$E2E_SMSDESK_BIN" 2>"$T_TMP/lock.log" &
second=$!
check "a second smsdesk starts" stack_wait 100 test -S "$FCGI_SOCKET"
curl -sS -o "$T_TMP/profile" -b "$JAR" "$BASE/profile"
token=$(csrf_from "$T_TMP/profile")
COOKIE=$(awk -F'\t' 'NF == 7 {printf "%s%s=%s", sep, $6, $7; sep = "; "}' "$JAR")
B2="Waits for a lock ($UNIQ)"
# hold the gap above every outbox row: the send's INSERT INTO outbox waits
stack_mysql "$STACK_DIR" smsdesk -e "BEGIN; SELECT COUNT(*) FROM outbox WHERE message_id > 0 FOR UPDATE;
	SELECT SLEEP(6); ROLLBACK;" >/dev/null &
locker=$!
wait_sql 5 "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(6)%'"
body="csrf=$token&lead=$lead&contact=$bob&body=$(printf '%s' "$B2" | jq -sRr @uri)"
start=$(date +%s%N)
COOKIE=$COOKIE fcgi POST /sms/send "$body" > "$T_TMP/lock.out"
ms=$(ms_since "$start")
wait "$locker"
check "the send waited for the lock and gave up (${ms} ms >= 1900)" test "$ms" -ge 1900
check "it answers 503" grep -q '^Status: 503' "$T_TMP/lock.out"
check "with the error page" grep -q 'Retry-After: 5' "$T_TMP/lock.out"
check "the lock wait timeout is logged" grep -q 'error 1205' "$T_TMP/lock.log"
check "nothing half-written: no message" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = '$B2'")" = 0
check "and no outbox row" test "$(sql "SELECT COUNT(*) FROM outbox o LEFT JOIN messages m ON m.id = o.message_id WHERE m.id IS NULL")" = 0
check "the same send goes through once the lock is gone" \
	bash -c "COOKIE='$COOKIE' FCGI_SOCKET='$FCGI_SOCKET'; $(declare -f fcgi); fcgi POST /sms/send '$body' | grep -q '^Status: 303'"
kill -TERM "$second"; wait "$second"
check "the second smsdesk stops cleanly" test $? = 0
check "no sanitizer report from it" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$T_TMP/lock.log'"
sql "SET GLOBAL innodb_lock_wait_timeout = 50"
check "that text is sent" wait_sql 15 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B2'"

# ---- 3. killed while a text is at the carrier
posts() { curl -sS "$CARRIER/_fake/requests" | jq --arg b "$1" '[.[] | select(.method == "POST" and .params.Body == $b)] | length'; }
# the stack trades durability for speed; the claim must survive the kill
sql "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
curl -sS -o /dev/null -X POST "$CARRIER/_fake/reset"
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data mode=delay --data ms=1500 --data count=1
B3="Through a MariaDB crash ($UNIQ)"
post "$JAR" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" --data-urlencode "body=$B3"
check "the text is accepted" test "$STATUS" = 303
check "the dispatcher claims it and sends" wait_sql 5 "SELECT status = 'sending' FROM messages WHERE body = '$B3'"
sleep 0.3
kill -KILL "$mysqld_pid"
rm -f "$STACK_DIR/mysql/mysqld.pid"
sleep 2
check "the carrier got it while MariaDB was dead" test "$(carrier_created "$B3")" = 1
stack_mariadb_start "$STACK_DIR" >/dev/null
check "MariaDB restarts after the crash" test -s "$STACK_DIR/mysql/mysqld.pid"
check "the claim survived: the text is in doubt, not sent" \
	test "$(sql "SELECT CONCAT(o.in_doubt, ' ', m.carrier_sid IS NULL) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B3'")" = "1 1"
check "after the claim's lease the text is recorded as sent" wait_sql 60 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B3'"
check "with the carrier's sid" test "$(sql "SELECT carrier_sid FROM messages WHERE body = '$B3'")" = \
	"$(curl -sS "$CARRIER/_fake/messages" | jq -r --arg b "$B3" '[.[] | select(.body == $b)][0].sid')"
check "it exists once at the carrier" test "$(carrier_created "$B3")" = 1
check "and was posted once" test "$(posts "$B3")" = 1
good=0
for _ in $(seq 1 24); do req "$BASE/healthz"; [ "$STATUS" = 200 ] && good=$((good + 1)); done
check "pages are served again (24 of 24, got $good)" test "$good" = 24
curl -sS -o /dev/null -X POST "$CARRIER/_fake/reset"
