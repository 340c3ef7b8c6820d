#!/usr/bin/env bash
# Images only from the carrier: a MediaUrl off the carrier's origin (the
# scheme, host and port of carrier.base_url) is never requested, loopback
# or not; a redirect from the carrier's origin to a metadata or private
# address is not followed (media.allow_loopback, on for the tests' stand-in,
# lets loopback through and nothing else). Users see "the image could not
# be fetched", never the library's words; the log keeps the details.
. "$REPO/tests/e2e/lib.sh"

PW='media origin password 1'
SID=$(sed -n 's/^carrier.account_sid *= *//p' "$SMSDESK_CONF")
AL_NUM="+1737$(nanp7)"; BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Media origin $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@origin.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM", "mms_enabled": true, "display_images": true}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Origin lead", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); bob=$(id_of d contacts bob); al=$(id_of d users al)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")

MM=MM$(printf '%032x' "$((10#$UNIQ + 4720000))")
API=$CARRIER/2010-04-01/Accounts/$SID/Messages/$MM/Media
PORT=${CARRIER##*:}
m1=$(sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
	contact_number, body, status, carrier_sid, num_media)
	VALUES ($org, $l1, $bob, $al, 'inbound', '$AL_NUM', '$BOB', 'origin pictures', 'received', '$MM', 5);
	SELECT LAST_INSERT_ID()")
media_row() { # IDX URL: a pending row; prints its id
	sql "INSERT INTO message_media (message_id, idx, url, declared_type)
	     VALUES ($m1, $1, '$2', 'image/png'); SELECT LAST_INSERT_ID()"
}
# the stand-in's own image server under another host name (localhost, the
# redirects' target in t0470): it would serve the sample, and counts requests
off_host=$(media_row 0 "http://localhost:$PORT/cdn/ME${UNIQ}offhost?kind=sample")
# the carrier's host on another port (smsdesk's own nginx)
off_port=$(media_row 1 "http://127.0.0.1:$((PORT - 1))/media/1")
metadata=$(media_row 2 "$API/ME${UNIQ}meta?kind=redirect&to=metadata")
private=$(media_row 3 "$API/ME${UNIQ}priv?kind=redirect&to=private")
fine=$(media_row 4 "$API/ME${UNIQ}fine")
ids="$off_host, $off_port, $metadata, $private, $fine"

check "every image is handled within 20 s" \
	wait_sql 20 "SELECT COUNT(*) FROM message_media WHERE id IN ($ids) AND status = 'pending'" 0
row() { sql "SELECT $2 FROM message_media WHERE id = $1"; }
curl -sS "$CARRIER/_fake/media-requests" > "$T_TMP/mreq.json"
asked() { jq --arg p "$1" '[.[] | select(.path | contains($p))] | length' "$T_TMP/mreq.json"; }

check "the carrier's own image is fetched" test "$(row "$fine" status)" = fetched
check "a loopback URL on another host name fails" test "$(row "$off_host" "CONCAT(status, ',', attempts)")" = "failed,1"
check "  and was never requested (the stand-in counts none)" test "$(asked "ME${UNIQ}offhost")" = 0
check "  the stand-in counts requests (the fetched one)" test "$(asked "ME${UNIQ}fine")" = 1
check "a URL on the carrier's host but another port fails at once" test "$(row "$off_port" "CONCAT(status, ',', attempts)")" = "failed,1"
check "  the log says why" grep -q "media $off_port failed: not on the carrier's origin" "$STACK_DIR/smsdesk.log"
for id in "$metadata" "$private"; do
	what=$([ "$id" = "$metadata" ] && echo "169.254.169.254" || echo "10.0.0.1")
	check "a redirect to $what fails at once" test "$(row "$id" "CONCAT(status, ',', attempts)")" = "failed,1"
	check "  the carrier's redirect was asked" test "$(asked "ME${UNIQ}$([ "$id" = "$metadata" ] && echo meta || echo priv)")" = 1
	check "  the log says the address is not public" grep -q "media $id failed: $what is not a public address" "$STACK_DIR/smsdesk.log"
done
for id in "$off_host" "$off_port" "$metadata" "$private"; do
	check "image $id: users read the plain reason" test "$(row "$id" error)" = "the image could not be fetched"
done

login "$T_TMP/al.jar" "al.$UNIQ@origin.test" "$PW"
check "the agent signs in" test "$STATUS" = 303
get "$T_TMP/al.jar" "/leads/$l1/loanfile"
check "the loan file says the images could not be fetched" \
	test "$(grep -o 'the image could not be fetched' "$T_TMP/body" | wc -l)" -ge 4
page_lacks "  not why (no address)" 200 "origin pictures" "169.254"
page_lacks "  nor the library's words" 200 "origin pictures" "connect to server"
page_lacks "  nor a server's answer" 200 "origin pictures" "HTTP 404"
get "$T_TMP/al.jar" "/leads/$l1?chat=$l1"
check "the conversation says so" body_has "could not be received: the image could not be fetched"
page_lacks "  without the address" 200 "origin pictures" "169.254"
