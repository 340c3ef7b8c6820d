#!/usr/bin/env bash
# Inbound while MariaDB is frozen (SIGSTOP): the webhook answers 503, so the
# carrier delivers again; the retried delivery, once MariaDB is back, is
# stored once.
. "$REPO/tests/e2e/lib.sh"

A=$(mobile); X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Frozen $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a$UNIQ@frozen.test", "name": "Fay Frozen", "role": "agent",
            "password": "frozen pass 1", "sms_permission": true, "sms_number": "$A"}],
 "leads": [{"key": "l", "org": "o", "name": "Frozen lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Cole Frozen", "mobile": "$X"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
new_sid
# deliver: the carrier delivering the text (lib.sh inbound), and its retries
deliver() { inbound "$X" "$A" "Sent while the database sleeps" "MessageSid=$SID" -- -m 60; }

pid=$(cat "$STACK_DIR/mysql/mysqld.pid")
kill -STOP "$pid"
trap 'kill -CONT '"$pid"' 2>/dev/null; rm -rf "$T_TMP"' EXIT
start=$(date +%s)
deliver
took=$(( $(date +%s) - start ))
kill -CONT "$pid"
check "with MariaDB frozen the webhook answers 503 (${took} s)" test "$STATUS" = 503
check "MariaDB answers again" stack_wait 100 sql "SELECT 1"
deliver
check "the carrier's retry is answered 200" test "$STATUS" = 200
deliver
check "and a further retry too" test "$STATUS" = 200
check "the message is stored once" test "$(sql "SELECT COUNT(*) FROM messages WHERE carrier_sid = '$SID'")" = 1
check "routed to its application" test "$(sql "SELECT lead_id FROM messages WHERE carrier_sid = '$SID'")" = "$(id_of d leads l)"
