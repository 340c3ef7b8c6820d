#!/usr/bin/env bash
# A dispatcher that loses its claim while its send is at the carrier (its
# lease ran out and another dispatcher claimed the row) records nothing:
# the row stays the other claim's. When that claim ends in turn, the row
# is in doubt, so the next dispatcher looks the text up at the carrier
# instead of sending it again: it reaches the recipient once.
. "$REPO/tests/e2e/lib.sh"

PW='claim lost password 1'
BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Claim $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@claim.test", "name": "Cleo Claim", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Claim lead", "assigned": ["a"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Claim", "mobile": "$BOB"}]}],
 "consents": [{"agent": "a", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); bob=$(id_of d contacts bob)
login "$T_TMP/a" "a.$UNIQ@claim.test" "$PW"
fake() { curl -sS -o /dev/null -X POST "$@"; }
posts() { curl -sS "$CARRIER/_fake/requests" | jq --arg b "$1" '[.[] | select(.method == "POST" and .params.Body == $b)] | length'; }
lookups() { curl -sS "$CARRIER/_fake/requests" | jq '[.[] | select(.method == "GET" and (.path | endswith("/Messages.json")))] | length'; }

fake "$CARRIER/_fake/reset"
# the carrier takes 1.5 s to answer (under carrier.timeout_ms): the send is in flight meanwhile
fake "$CARRIER/_fake/fail" --data mode=delay --data ms=1500 --data count=1
B="Claimed twice ($UNIQ)"
post "$T_TMP/a" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" --data-urlencode "body=$B"
check "the text is accepted" test "$STATUS" = 303
id=$(sql "SELECT id FROM messages WHERE body = '$B'")
check "the dispatcher claims it and sends" wait_sql 5 "SELECT status = 'sending' AND in_doubt = 1 FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = $id"
# another dispatcher claims the row now (its token 1, its lease 3 s); then it dies
sql "UPDATE outbox SET claim_token = 1, next_attempt_at = NOW(6) + INTERVAL 3 SECOND WHERE message_id = $id"
lost() { grep -q "message $id: claim lost before its outcome (SM" "$STACK_DIR/smsdesk.log"; }
check "the first dispatcher sees its claim lost when it records" stack_wait 50 lost
check "and records nothing: no sid" test "$(sql "SELECT carrier_sid IS NULL FROM messages WHERE id = $id")" = 1
check "the row is still the other claim's" test "$(sql "SELECT claim_token FROM outbox WHERE message_id = $id")" = 1
lookups0=$(lookups)
check "when the other claim's lease ends the text is recorded as sent" wait_sql 20 "SELECT carrier_sid IS NOT NULL FROM messages WHERE id = $id"
check "the sid is the carrier's" test "$(sql "SELECT carrier_sid FROM messages WHERE id = $id")" = \
	"$(curl -sS "$CARRIER/_fake/messages" | jq -r --arg b "$B" '[.[] | select(.body == $b)][0].sid')"
check "found by a look-up at the carrier" test "$(lookups)" -gt "$lookups0"
check "it exists once at the carrier" test "$(carrier_created "$B")" = 1
check "and was posted once" test "$(posts "$B")" = 1
check "the outbox row is gone" test "$(sql "SELECT COUNT(*) FROM outbox WHERE message_id = $id")" = 0
fake "$CARRIER/_fake/reset"
