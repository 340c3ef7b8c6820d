#!/usr/bin/env bash
# Images are fetched apart from sending: while three images trickle in from
# the carrier at one byte a second, a text reaches the carrier at once (the
# images had the dispatcher's thread to themselves before). The slow images
# are given up on by the low-speed limit, retried a bounded number of times,
# then shown as "the image could not be fetched" (the library's words only
# in the log).
. "$REPO/tests/e2e/lib.sh"

PW='media apart password 1'
SID=$(sed -n 's/^carrier.account_sid *= *//p' "$SMSDESK_CONF")
MAX_ATTEMPTS=$(sed -n 's/^carrier.max_attempts *= *//p' "$SMSDESK_CONF"); MAX_ATTEMPTS=${MAX_ATTEMPTS:-12}
AL_NUM="+1737$(nanp7)"; BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Slow media $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@slow.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM", "mms_enabled": true, "display_images": true}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Slow image lead", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); bob=$(id_of d contacts bob); al=$(id_of d users al)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")

MM=MM$(printf '%032x' "$((10#$UNIQ + 4710000))")
API=$CARRIER/2010-04-01/Accounts/$SID/Messages/$MM/Media
m1=$(sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
	contact_number, body, status, carrier_sid, num_media)
	VALUES ($org, $l1, $bob, $al, 'inbound', '$AL_NUM', '$BOB', 'three pictures', 'received', '$MM', 3);
	SELECT LAST_INSERT_ID()")
# three images at one byte a second (120 s each whole): two on their last
# attempt, one with two left
slow=""
for i in 0 1 2; do
	left=$([ "$i" = 2 ] && echo 2 || echo 1)
	slow="$slow $(sql "INSERT INTO message_media (message_id, idx, url, declared_type, attempts)
		VALUES ($m1, $i, '$API/ME${UNIQ}slow$i?kind=slow', 'image/jpeg', $((MAX_ATTEMPTS - left)));
		SELECT LAST_INSERT_ID()")"
done
ids=$(echo $slow | tr ' ' ,)
slow_asked() { curl -sS "$CARRIER/_fake/media-requests" | jq --arg u "ME${UNIQ}slow" '[.[] | select(.path | contains($u))] | length'; }
tries=100
while [ "$(slow_asked)" = 0 ] && [ $tries -gt 0 ]; do sleep 0.1; tries=$((tries - 1)); done
check "the slow images are being fetched" test "$(slow_asked)" -ge 1

# a text while they trickle: the automatic answer to HELP (before, the
# dispatcher's thread was in the downloads: media.timeout_ms each, then
# carrier.timeout_ms x 3, 6 s in the tests, three in a row)
check "a text reaches the carrier while the images trickle in" help_answered "$BOB" "$AL_NUM"
ms=$(sql "SELECT MAX(TIMESTAMPDIFF(MICROSECOND, created_at, updated_at)) DIV 1000 FROM messages
	WHERE direction = 'outbound' AND kind = 'automatic' AND contact_number = '$BOB' AND carrier_sid IS NOT NULL")
check "  at once: queued to sent in ${ms} ms (under 2 s)" test "${ms:-99999}" -lt 2000
check "  the images were still pending then" \
	test "$(sql "SELECT COUNT(*) FROM message_media WHERE id IN ($ids) AND status = 'pending'")" -ge 1

check "the slow images are given up on within 60 s" \
	wait_sql 60 "SELECT COUNT(*) FROM message_media WHERE id IN ($ids) AND status = 'pending'" 0
row() { sql "SELECT $2 FROM message_media WHERE id = $1"; }
for id in $slow; do
	check "image $id failed after its last attempt" test "$(row "$id" "CONCAT(status, ',', attempts)")" = "failed,$MAX_ATTEMPTS"
	check "  saying plainly it could not be fetched" test "$(row "$id" error)" = "the image could not be fetched ($MAX_ATTEMPTS attempts)"
done
check "the slow hosts were asked again (a retry)" test "$(slow_asked)" -ge 4
third=$(echo $slow | cut -d' ' -f3)
check "the log keeps the details" grep -q "media $third: attempt $((MAX_ATTEMPTS - 1)) not fetched (Timeout was reached)" "$STACK_DIR/smsdesk.log"

login "$T_TMP/al.jar" "al.$UNIQ@slow.test" "$PW"
check "the agent signs in" test "$STATUS" = 303
get "$T_TMP/al.jar" "/leads/$l1?chat=$l1"
check "the conversation says the image could not be fetched" body_has "could not be received: the image could not be fetched"
page_lacks "  not the library's words" 200 "three pictures" "Timeout was reached"
get "$T_TMP/al.jar" "/leads/$l1/loanfile"
check "the loan file says so too" body_has "the image could not be fetched"
page_lacks "  not the library's words" 200 "three pictures" "Timeout was reached"

# ---- a restart in the middle of a download spends no attempt: an image on
# its last attempt, cut off by SIGTERM, is still pending afterwards, with
# the attempts it had (before, the cut-off counted as the attempt and the
# image was failed for good by a restart)
last=$(sql "INSERT INTO message_media (message_id, idx, url, declared_type, attempts)
	VALUES ($m1, 3, '$API/ME${UNIQ}cut3?kind=slow', 'image/jpeg', $((MAX_ATTEMPTS - 1)));
	SELECT LAST_INSERT_ID()")
cut_asked() { curl -sS "$CARRIER/_fake/media-requests" | jq --arg u "ME${UNIQ}cut3" '[.[] | select(.path | contains($u))] | length'; }
tries=100
while [ "$(cut_asked)" = 0 ] && [ $tries -gt 0 ]; do sleep 0.1; tries=$((tries - 1)); done
check "an image on its last attempt is being fetched" test "$(cut_asked)" -ge 1
stack_smsdesk_stop "$STACK_DIR"
check "cut off by a restart, it is still pending, its attempt given back" \
	test "$(row "$last" "CONCAT(status, ',', attempts, ',', claim_token)")" = "pending,$((MAX_ATTEMPTS - 1)),0"
stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"
check "after the restart it is tried again (and given up on at its last attempt)" \
	wait_sql 60 "SELECT CONCAT(status, ',', attempts) FROM message_media WHERE id = $last" "failed,$MAX_ATTEMPTS"
