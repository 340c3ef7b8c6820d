#!/usr/bin/env bash
# Texting out: the dispatcher sends each accepted message to the (fake)
# carrier exactly once, retries what can be retried, looks a message up
# before sending it again after a timeout, and follows status callbacks.
. "$REPO/tests/e2e/lib.sh"

PW='dispatch password 1'
AGENTS=""
for a in a1 a2 a3 a4 a5 a6 a7 a8; do
	AGENTS="$AGENTS{\"key\": \"$a\", \"org\": \"o\", \"email\": \"$a.$UNIQ@dispatch.test\", \"name\": \"Agent $a\", \"role\": \"agent\", \"password\": \"$PW\", \"sms_permission\": true, \"sms_number\": \"$(mobile)\"},"
done
BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Dispatch $UNIQ", "sms_enabled": true, "sms_level": "advanced"}],
 "users": [${AGENTS%,}],
 "leads": [{"key": "l", "org": "o", "name": "Dispatch lead", "assigned": ["a1","a2","a3","a4","a5","a6","a7","a8"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Dispatch", "mobile": "$BOB"}]}],
 "consents": [{"agent": "a1", "contact": "bob", "status": "granted"}, {"agent": "a2", "contact": "bob", "status": "granted"},
              {"agent": "a3", "contact": "bob", "status": "granted"}, {"agent": "a4", "contact": "bob", "status": "granted"},
              {"agent": "a5", "contact": "bob", "status": "granted"}, {"agent": "a6", "contact": "bob", "status": "granted"},
              {"agent": "a7", "contact": "bob", "status": "granted"}, {"agent": "a8", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || sed 's/^/# import: /' "$T_TMP/import.err"
lead=$(id_of d leads l); bob=$(id_of d contacts bob)

fake() { curl -sS -o "$T_TMP/fake" -w '%{http_code}' "$@"; }
fake_reset() { fake -X POST "$CARRIER/_fake/reset" >/dev/null; }
fake_fail() { fake -X POST "$@" "$CARRIER/_fake/fail" >/dev/null; }
# creates at the carrier of one body (the fake's record of messages)
attempts_now() { curl -sS "$CARRIER/_fake/requests" | jq --arg b "$1" '[.[] | select(.method == "POST" and .params.Body == $b)] | length'; }
# the fake logs a request as it finishes answering it: read until settled
attempts() {
	local a b=$(attempts_now "$1")
	for _ in $(seq 1 10); do sleep 0.2; a=$b; b=$(attempts_now "$1"); [ "$a" = "$b" ] && break; done
	echo "$b"
}
msg() { sql "SELECT $2 FROM messages WHERE body = '$1'"; }
# waits up to N seconds for a SQL condition on the message to hold

send() { # AGENT BODY
	post "$T_TMP/$1" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
		--data-urlencode "body=$2" --data-urlencode "back=/leads/$lead?chat=$lead"
}
for a in a1 a2 a3 a4 a5 a6 a7 a8; do login "$T_TMP/$a" "$a.$UNIQ@dispatch.test" "$PW"; done
fake_reset

# 1. the plain path: one well-formed request, statuses follow the callbacks
B1="Hello Bob, your rate lock is confirmed ($UNIQ)"
send a1 "$B1"
check "the send is accepted (303)" test "$STATUS" = 303
check "the message reaches the carrier" wait_sql 10 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B1'"
check "exactly one message was created at the carrier" test "$(carrier_created "$B1")" = 1
check "with exactly one request" test "$(attempts "$B1")" = 1
req_json=$(curl -sS "$CARRIER/_fake/requests" | jq -c --arg b "$B1" '[.[] | select(.params.Body == $b)][0]')
check "To is the contact's number" test "$(jq -r .params.To <<<"$req_json")" = "$BOB"
check "From is the agent's SMS number" test "$(jq -r .params.From <<<"$req_json")" = "$(sql "SELECT sms_number FROM users WHERE email = 'a1.$UNIQ@dispatch.test'")"
check "StatusCallback is our public status webhook" test "$(jq -r .params.StatusCallback <<<"$req_json")" = "$BASE/webhooks/twilio/status"
check "Basic auth was accepted" test "$(jq -r .auth_ok <<<"$req_json")" = true
check "the path names our account" bash -c "jq -r .path <<<'$req_json' | grep -q '^/2010-04-01/Accounts/[^/]*/Messages.json$'"
check "the status reaches delivered through the callbacks" wait_sql 10 "SELECT status FROM messages WHERE body = '$B1'" delivered
check "every callback is kept as an event" test "$(sql "SELECT COUNT(*) FROM message_events e JOIN messages m ON m.id = e.message_id WHERE m.body = '$B1'")" -ge 2
check "the outbox row is gone" test "$(sql "SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = '$B1'")" = 0
get "$T_TMP/a1" "/leads/$lead?chat=$lead"
check "the chatbox shows it delivered" body_has 'delivered'

# 1b. the same form sent twice (a double click, a retry after a lost answer)
get "$T_TMP/a8" "/leads/$lead?chat=$lead"
once=$(grep -o 'name="once" value="[0-9a-f]*"' "$T_TMP/body" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')
check "the send form carries a one-time token" test ${#once} = 64
B1b="Sent twice by a double click ($UNIQ)"
post "$T_TMP/a8" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
	--data-urlencode "body=$B1b" --data-urlencode "once=$once"
first=$STATUS
post "$T_TMP/a8" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
	--data-urlencode "body=$B1b" --data-urlencode "once=$once"
check "both submissions answer 303" test "$first $STATUS" = "303 303"
check "but the text is queued once" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = '$B1b'")" = 1
check "and sent once" wait_sql 10 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B1b'"
check "exactly one message at the carrier for it" test "$(carrier_created "$B1b")" = 1

# 2. two 500s, then success: one message
fake_reset; fake_fail --data mode=500 --data count=2
B2="Second try works ($UNIQ)"
send a2 "$B2"
check "after two 500s the message is sent" wait_sql 15 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B2'"
# the fake may log a request just after answering it: give it a moment
for _ in $(seq 1 50); do [ "$(attempts "$B2")" -ge 3 ] && break; sleep 0.1; done
check "it was retried: at least three requests (got $(attempts "$B2"))" test "$(attempts "$B2")" -ge 3
check "one message exists at the carrier" test "$(carrier_created "$B2")" = 1

# 3. 429 with Retry-After: waits at least that long
fake_reset; fake_fail --data mode=429 --data count=1 --data retry_after=2
B3="Slow down please ($UNIQ)"
start=$(date +%s%N)
send a3 "$B3"
check "after a 429 the message is sent" wait_sql 15 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B3'"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "Retry-After was honoured (${ms} ms >= 1900)" test "$ms" -ge 1900
check "one message exists at the carrier (429)" test "$(carrier_created "$B3")" = 1

# 4. a timeout after the carrier created the message: looked up, not resent
fake_reset; fake_fail --data mode=delay --data count=1 --data ms=4000
B4="Did you get this? ($UNIQ)"
send a4 "$B4"
check "after a timeout the message is found at the carrier" wait_sql 20 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B4'"
check "it was created exactly once" test "$(carrier_created "$B4")" = 1
check "and not posted again" test "$(attempts "$B4")" = 1
check "the carrier was asked (a list request)" bash -c "curl -sS '$CARRIER/_fake/requests' | jq -e '[.[] | select(.method == \"GET\" and (.path | endswith(\"/Messages.json\")))] | length > 0' >/dev/null"

# 5. a dropped connection (nothing created): looked up, then sent once
fake_reset; fake_fail --data mode=drop --data count=1
B5="Dropped then delivered ($UNIQ)"
send a5 "$B5"
check "after a dropped connection the message is sent" wait_sql 20 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B5'"
check "exactly one message exists at the carrier (drop)" test "$(carrier_created "$B5")" = 1

# 6. 21610: failed for good, the number's consent withdrawn
fake_reset; fake_fail --data mode=4xx --data count=1 --data code=21610
B6="Are you still there? ($UNIQ)"
send a6 "$B6"
check "21610 fails the message" wait_sql 15 "SELECT status FROM messages WHERE body = '$B6'" failed
check "with the carrier's code" test "$(msg "$B6" error_code)" = 21610
check "and its message" test -n "$(msg "$B6" error_message)"
check "it is not retried" test "$(attempts "$B6")" = 1
check "every consent of the number is withdrawn" test "$(sql "SELECT COUNT(*) FROM consents WHERE contact_number = '$BOB' AND status <> 'none'")" = 0
check "the ledger says the carrier did it" test "$(sql "SELECT COUNT(*) FROM consent_ledger WHERE contact_number = '$BOB' AND source = 'carrier' AND new_status = 'none'")" -ge 1
get "$T_TMP/a6" "/leads/$lead?chat=$lead"
check "the chatbox shows the failure reason" body_has '21610'
send a7 "Anyone? ($UNIQ)"
check "nothing more can be sent to the number: refused back to the page (303, got $STATUS)" test "$STATUS" = 303
check "and not written" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = 'Anyone? ($UNIQ)'")" = 0
get "$T_TMP/a7" "$(location)"
check "the refusal is for consent" body_has 'class="chat-error" role="alert">No consent'
fake_reset
