#!/usr/bin/env bash
# The carrier's webhooks are read only in Twilio's shapes. Twilio's
# signature covers the URL and each name and value joined without
# separators, so the boundary between two fields can move without changing
# it: a captured START replayed with MessageSid=SM...NumMedia0 and no
# NumMedia carries a valid signature. Every field Twilio defines is checked
# before it is trusted (sids, the account, numbers in E.164, NumMedia and
# its MediaUrlN), and anything else is refused (400, logged, nothing
# stored); a callback for another account is refused (403).
. "$REPO/tests/e2e/lib.sh"

A=$(mobile); X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Shapes $UNIQ", "sms_enabled": true}],
 "users": [{"key": "ann", "org": "o", "email": "ann$UNIQ@shapes.test", "name": "Ann Shapes", "role": "agent",
            "password": "shapes-pass-1", "sms_permission": true, "sms_number": "$A"}],
 "leads": [{"key": "l", "org": "o", "name": "Shapes app", "assigned": ["ann"],
   "contacts": [{"key": "x", "role": "borrower", "name": "Xia Shapes", "mobile": "$X"}]}],
 "consents": [{"agent": "ann", "contact": "x", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
consent() { sql "SELECT status FROM consents WHERE contact_number = '$X' AND agent_number = '$A'"; }
stored() { sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND direction = 'inbound'"; }
logged() { sql "SELECT COUNT(*) FROM webhook_log WHERE kind = '$1'"; }

# a START, then a STOP: consent off
inbound "$X" "$A" "START"
start_sid=$SID
check "a signed START is answered 200" test "$STATUS" = 200
inbound "$X" "$A" "STOP"
check "a signed STOP is answered 200" test "$STATUS" = 200
check "consent is withdrawn" wait_sql 5 "SELECT status FROM consents WHERE contact_number = '$X' AND agent_number = '$A'" none
n=$(stored)

# the START replayed, reshaped: NumMedia moved into MessageSid's value
fields=("MessageSid=$start_sid" "SmsMessageSid=$start_sid" "AccountSid=$CARRIER_ACCOUNT" "From=$X" "To=$A"
	"Body=START" "SmsStatus=received" "ApiVersion=2010-04-01" "NumMedia=0")
reshaped=("MessageSid=${start_sid}NumMedia0" "SmsMessageSid=$start_sid" "AccountSid=$CARRIER_ACCOUNT" "From=$X"
	"To=$A" "Body=START" "SmsStatus=received" "ApiVersion=2010-04-01")
check "the reshaped replay carries the captured signature" \
	test "$(twilio_sign "$INBOUND_URL" "${fields[@]}")" = "$(twilio_sign "$INBOUND_URL" "${reshaped[@]}")"
before=$(logged inbound)
twilio_post "$INBOUND_URL" "${reshaped[@]}"
check "it is refused (400)" test "$STATUS" = 400
check "nothing is stored" test "$(stored)" = "$n"
check "nor kept in the webhook log" test "$(logged inbound)" = "$before"
check "consent stays withdrawn" test "$(consent)" = none

# each field in its shape, else 400 and nothing stored
refused() { # NAME FIELD=VALUE... : an inbound text with these fields refused
	local name=$1; shift
	new_sid
	local base=("MessageSid=$SID" "SmsMessageSid=$SID" "AccountSid=$CARRIER_ACCOUNT" "From=$X" "To=$A"
		    "Body=shape test" "SmsStatus=received" "ApiVersion=2010-04-01" "NumMedia=0")
	local f k out=()
	for f in "${base[@]}"; do
		k=${f%%=*}
		printf '%s\n' "$@" | grep -q "^$k=" || out+=("$f")
	done
	for f in "$@"; do [ "${f#*=}" = "-" ] || out+=("$f"); done
	twilio_post "$INBOUND_URL" "${out[@]}"
	check "$name: refused (400)" test "$STATUS" = 400
	check "$name: nothing stored" test "$(stored)" = "$n"
}
refused "a MessageSid not SM or MM and 32 hex digits" "MessageSid=SM1234"
refused "a MessageSid in upper case hex" "MessageSid=SM$(printf 'A%.0s' $(seq 32))"
refused "no MessageSid" "MessageSid=-" "SmsMessageSid=-"
refused "an AccountSid not AC and 32 hex digits" "AccountSid=ACtest"
refused "no AccountSid" "AccountSid=-"
refused "a From not in E.164" "From=5125550100"
refused "a To not in E.164" "To=+1 512 555 0100"
refused "no NumMedia" "NumMedia=-"
refused "NumMedia not a number" "NumMedia=0x"
refused "NumMedia=1 without MediaUrl0" "NumMedia=1"
refused "a MediaUrl1 beyond NumMedia=1" "NumMedia=1" "MediaUrl0=$CARRIER/cdn/a" "MediaUrl1=$CARRIER/cdn/b"
refused "a MediaUrl0 with NumMedia=0" "MediaUrl0=$CARRIER/cdn/a"
other="AC$(printf '%s' "other $UNIQ" | sha256sum | cut -c1-32)"
new_sid
twilio_post "$INBOUND_URL" "MessageSid=$SID" "SmsMessageSid=$SID" "AccountSid=$other" "From=$X" "To=$A" \
	"Body=other account" "NumMedia=0"
check "another account's text is refused (403)" test "$STATUS" = 403
check "and not stored" test "$(stored)" = "$n"
inbound "$X" "$A" "MMS sids are fine" "MessageSid=MM$(printf '%s' "mm $UNIQ" | sha256sum | cut -c1-32)"
check "a well-shaped MM sid is taken (200)" test "$STATUS" = 200
check "and stored" test "$(stored)" = $((n + 1))

# status callbacks: the account too
out=$(sql "SELECT MAX(id) FROM messages WHERE contact_number = '$X'")
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, carrier_sid)
     SELECT org_id, lead_id, contact_id, user_id, 'outbound', agent_number, contact_number, 'shape out', 'sent',
            'SM$(printf '%s' "out $UNIQ" | sha256sum | cut -c1-32)' FROM messages WHERE id = $out"
osid=SM$(printf '%s' "out $UNIQ" | sha256sum | cut -c1-32)
ST_URL=$BASE/webhooks/twilio/status
events() { sql "SELECT COUNT(*) FROM message_events WHERE carrier_sid = '$osid'"; }
twilio_post "$ST_URL" "AccountSid=$other" "MessageSid=$osid" "MessageStatus=delivered" "To=$X" "From=$A"
check "a status callback for another account is refused (403)" test "$STATUS" = 403
check "its status is not applied" test "$(sql "SELECT status FROM messages WHERE carrier_sid = '$osid'")" = sent
check "nor kept as an event" test "$(events)" = 0
twilio_post "$ST_URL" "MessageSid=$osid" "MessageStatus=delivered" "To=$X" "From=$A"
check "a status callback without AccountSid is refused (400)" test "$STATUS" = 400
twilio_post "$ST_URL" "AccountSid=$CARRIER_ACCOUNT" "MessageSid=${osid}x" "MessageStatus=delivered"
check "a status callback with a misshapen MessageSid is refused (400)" test "$STATUS" = 400
twilio_post "$ST_URL" "AccountSid=$CARRIER_ACCOUNT" "MessageSid=$osid" "MessageStatus=delivered" "ErrorCode=1x"
check "a status callback with a misshapen ErrorCode is refused (400)" test "$STATUS" = 400
check "none of them changed anything" test "$(events) $(sql "SELECT status FROM messages WHERE carrier_sid = '$osid'")" = "0 sent"
twilio_post "$ST_URL" "AccountSid=$CARRIER_ACCOUNT" "MessageSid=$osid" "MessageStatus=delivered" "To=$X" "From=$A"
check "our account's callback is taken (200)" test "$STATUS" = 200
check "and applied" test "$(sql "SELECT status FROM messages WHERE carrier_sid = '$osid'")" = delivered
