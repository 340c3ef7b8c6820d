#!/usr/bin/env bash
# Status callbacks: signed by the carrier, forward only, every one kept.
. "$REPO/tests/e2e/lib.sh"

URL=$STATUS_URL
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Callbacks $UNIQ", "sms_enabled": true}],
 "leads": [{"key": "l", "org": "o", "name": "Callback lead",
   "contacts": [{"key": "c", "role": "borrower", "name": "Cal Back", "mobile": "+15125550142"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
org=$(id_of d organizations o); lead=$(id_of d leads l); contact=$(id_of d contacts c)
SID=SM$(printf "%032x" "$((10#$UNIQ))")
sql "INSERT INTO messages (org_id, lead_id, contact_id, direction, agent_number, contact_number, body, status, carrier_sid)
     VALUES ($org, $lead, $contact, 'outbound', '+15125550100', '+15125550142', 'callback test', 'sending', '$SID')"
status() { sql "SELECT status FROM messages WHERE carrier_sid = '$SID'"; }
events() { sql "SELECT COUNT(*) FROM message_events WHERE carrier_sid = '$SID'"; }

# callback STATUS [extra curl args]: the carrier's signed status callback
# for $SID (lib.sh twilio_post)
callback() {
	local st=$1; shift
	twilio_post "$URL" "AccountSid=$CARRIER_ACCOUNT" "MessageSid=$SID" "MessageStatus=$st" "To=+15125550142" -- "$@"
}

callback sent
check "a signed callback is answered 200" test "$STATUS" = 200
check "with an empty TwiML response" body_has '<Response/>'
check "as text/xml" header_has '^Content-Type: text/xml'
check "it moves the message forward" test "$(status)" = sent
check "it is kept as an event" test "$(events)" = 1
check "and in the webhook log" test "$(sql "SELECT COUNT(*) FROM webhook_log WHERE kind = 'status' AND params LIKE '%$SID%'")" = 1

callback sent
check "a replayed callback is answered 200" test "$STATUS" = 200
check "and changes nothing" test "$(status)" = sent
check "and is not kept again as an event" test "$(events)" = 1
check "nor in the webhook log" test "$(sql "SELECT COUNT(*) FROM webhook_log WHERE kind = 'status' AND params LIKE '%$SID%'")" = 1
for i in 1 2 3 4 5; do callback sent; done
check "five more replays keep nothing either" test "$(events)" = 1

callback delivered
check "delivered follows sent" test "$(status)" = delivered
callback sent
check "an out-of-order 'sent' after delivered changes nothing" test "$(status)" = delivered
callback queued
check "an out-of-order 'queued' changes nothing" test "$(status)" = delivered
check "but is kept as an event, not applied" test "$(sql "SELECT COUNT(*) FROM message_events WHERE carrier_sid = '$SID' AND status = 'queued' AND applied = 0")" = 1
callback failed
check "a final status does not replace another final one" test "$(status)" = delivered
n=$(events)

# forged and missing signatures: 403, nothing changed, nothing stored
req -H "X-Twilio-Signature: $(printf 'x%.0s' $(seq 28))" --data-urlencode "MessageSid=$SID" --data-urlencode "MessageStatus=failed" "$URL"
check "a forged signature is refused (403)" test "$STATUS" = 403
req --data-urlencode "MessageSid=$SID" --data-urlencode "MessageStatus=failed" "$URL"
check "a missing signature is refused (403)" test "$STATUS" = 403
good=$(twilio_sign "$URL" "AccountSid=$CARRIER_ACCOUNT" "MessageSid=$SID" "MessageStatus=sent" "To=+15125550142")
req -H "X-Twilio-Signature: $good" --data-urlencode "AccountSid=$CARRIER_ACCOUNT" --data-urlencode "MessageSid=$SID" \
	--data-urlencode "MessageStatus=failed" --data-urlencode "To=+15125550142" "$URL"
check "a valid signature over other parameters is refused (403)" test "$STATUS" = 403
req -H "X-Twilio-Signature: $good" --data-urlencode "AccountSid=$CARRIER_ACCOUNT" --data-urlencode "MessageSid=$SID" \
	--data-urlencode "MessageStatus=sent" --data-urlencode "To=+15125550142" "$BASE/webhooks/twilio/status?x=1"
check "a signature for another URL is refused (403)" test "$STATUS" = 403
check "refused callbacks change nothing" test "$(status)" = delivered
check "and store no event" test "$(events)" = "$n"

# an unknown sid is kept (it may be ours, recorded a moment later)
SID2=SM$(printf "%032x" "$((10#$UNIQ + 1))")
SID_SAVE=$SID; SID=$SID2
callback delivered
check "a callback for a sid not yet known is accepted" test "$STATUS" = 200
check "and kept unattached" test "$(sql "SELECT COUNT(*) FROM message_events WHERE carrier_sid = '$SID2' AND message_id IS NULL")" = 1
SID=$SID_SAVE

# the webhook takes no session and no csrf, and other methods are refused
req "$URL"
check "GET on the webhook is 405" test "$STATUS" = 405
