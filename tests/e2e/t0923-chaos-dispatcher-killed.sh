#!/usr/bin/env bash
# Chaos: the dispatcher killed with SIGKILL after the carrier took a text
# and before its answer was committed (the fake carrier creates the
# message, then holds its answer 3 s; smsdesk is killed meanwhile). The
# claim was marked in doubt before the send (cgi-bin/dispatcher.c): when
# its lease ends the restarted dispatcher looks the text up at the carrier,
# records the carrier's sid, and does not send it again.
. "$REPO/tests/e2e/lib.sh"

PW='chaos dispatch password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Chaos disp $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@chaos-disp.test", "name": "Dora Chaos", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Chaos disp lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Dee Chaos", "mobile": "$(mobile)"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c)
login "$T_TMP/a" "a.$UNIQ@chaos-disp.test" "$PW"
fake() { curl -sS -o /dev/null -X POST "$@"; }
posts() { curl -sS "$CARRIER/_fake/requests" | jq --arg b "$1" '[.[] | select(.method == "POST" and .params.Body == $b)] | length'; }
lookups() { curl -sS "$CARRIER/_fake/requests" | jq '[.[] | select(.method == "GET" and (.path | endswith("/Messages.json")))] | length'; }

fake "$CARRIER/_fake/reset"
fake "$CARRIER/_fake/fail" --data mode=delay --data ms=3000 --data count=1
B="Killed before its commit ($UNIQ)"
post "$T_TMP/a" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$contact" --data-urlencode "body=$B"
check "the text is accepted" test "$STATUS" = 303
id=$(sql "SELECT id FROM messages WHERE body = '$B'")
at_carrier() { [ "$(carrier_created "$B")" = 1 ]; }
check "the carrier has created it (its answer held back)" stack_wait 100 at_carrier
check "smsdesk has not recorded it yet: claimed, in doubt, no sid" test \
	"$(sql "SELECT m.carrier_sid IS NULL AND o.in_doubt = 1 FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = $id")" = 1
pid=$(cat "$STACK_DIR/smsdesk.pid")
kill -KILL "$pid"
check "smsdesk is killed with SIGKILL before the carrier's answer" stack_wait 100 bash -c "! kill -0 $pid"
check "the sid was not committed" test "$(sql "SELECT carrier_sid IS NULL FROM messages WHERE id = $id")" = 1
lookups0=$(lookups)
check "smsdesk starts again" stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"
# its claim's lease: carrier.timeout_ms + 30 s
check "when the lease ends the text is recorded as sent" wait_sql 60 "SELECT carrier_sid IS NOT NULL FROM messages WHERE id = $id"
check "with the carrier's sid" test "$(sql "SELECT carrier_sid FROM messages WHERE id = $id")" = \
	"$(curl -sS "$CARRIER/_fake/messages" | jq -r --arg b "$B" '[.[] | select(.body == $b)][0].sid')"
check "found by a look-up at the carrier" test "$(lookups)" -gt "$lookups0"
check "posted to the carrier once" test "$(posts "$B")" = 1
check "it exists once at the carrier" test "$(carrier_created "$B")" = 1
check "the outbox row is gone" test "$(sql "SELECT COUNT(*) FROM outbox WHERE message_id = $id")" = 0
fake "$CARRIER/_fake/reset"
