#!/usr/bin/env bash
# carrier.max_attempts ends every failure, not only refusals for now: a
# text whose every attempt is lost on the way (the carrier never answers)
# is failed after the configured attempts, with a clear reason.
. "$REPO/tests/e2e/lib.sh"

PW='attempts password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Attempts $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@attempts.test", "name": "Ada Attempts", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Attempts lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Al Attempts", "mobile": "$(mobile)"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c)

# this stack's smsdesk, with 3 attempts
stack_smsdesk_stop "$STACK_DIR"
SMSDESK_CARRIER_MAX_ATTEMPTS=3 stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"
trap 'stack_smsdesk_stop "$STACK_DIR"; stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"; curl -sS -o /dev/null -X POST "$CARRIER/_fake/reset"; rm -rf "$T_TMP"' EXIT

login "$T_TMP/a" "a.$UNIQ@attempts.test" "$PW"
curl -sS -o /dev/null -X POST "$CARRIER/_fake/reset"
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data mode=drop --data count=1000
B="Never confirmed ($UNIQ)"
post "$T_TMP/a" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
	--data-urlencode "body=$B" --data-urlencode "back=/leads/$lead"
check "the text is accepted" test "$STATUS" = 303
check "a text whose every answer is lost is failed after 3 attempts" \
	wait_sql 30 "SELECT CONCAT(m.status, ' ', (SELECT COUNT(*) FROM outbox o WHERE o.message_id = m.id)) FROM messages m WHERE m.body = '$B'" "failed 0"
why=$(sql "SELECT error_message FROM messages WHERE body = '$B'")
check "saying it gave up after 3 attempts ($why)" grep -q '^gave up after 3 attempts: ' <<<"$why"
check "and that it may have been sent" grep -q 'it may have been sent' <<<"$why"
check "and nothing was created at the carrier" test "$(carrier_created "$B")" = 0
posts=$(curl -sS "$CARRIER/_fake/requests" | jq --arg b "$B" '[.[] | select(.method == "POST" and .params.Body == $b)] | length')
check "the carrier saw exactly 3 creates: libcurl resent none by itself ($posts)" test "$posts" = 3
check "the dispatcher logged giving up" grep -q "gave up after 3 attempts" "$STACK_DIR/smsdesk.log"
