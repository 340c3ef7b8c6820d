#!/usr/bin/env bash
# Inbound images: the media worker fetches message_media rows from the fake
# carrier (Basic auth only to the carrier's host, redirects followed without
# credentials, size and type limits, retries), and GET /media/ID serves the
# stored bytes to those allowed, 404 to everyone else. The inbound webhook
# is not what makes the rows here: they are written with SQL.
. "$REPO/tests/e2e/lib.sh"

PW='media password 1'
SID=$(sed -n 's/^carrier.account_sid *= *//p' "$SMSDESK_CONF")
TOKEN=$(sed -n 's/^carrier.auth_token *= *//p' "$SMSDESK_CONF")
MAX=$(sed -n 's/^media.max_bytes *= *//p' "$SMSDESK_CONF"); MAX=${MAX:-5242880}
AL_NUM="+1737$(nanp7)"; CA_NUM="+1210$(nanp7)"; DA_NUM="+1214$(nanp7)"; BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Media A $UNIQ", "sms_enabled": true},
                   {"key": "b", "name": "Media B $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@media.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM", "mms_enabled": true, "display_images": true},
  {"key": "ca", "org": "a", "email": "ca.$UNIQ@media.test", "name": "Ca No Images", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$CA_NUM", "mms_enabled": true, "display_images": false},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@media.test", "name": "Bo Elsewhere", "role": "agent", "password": "$PW",
   "display_images": true},
  {"key": "da", "org": "a", "email": "da.$UNIQ@media.test", "name": "Da No MMS", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$DA_NUM", "mms_enabled": false, "display_images": true},
  {"key": "ad", "org": "a", "email": "ad.$UNIQ@media.test", "name": "Ad Admin", "role": "admin", "password": "$PW",
   "display_images": true},
  {"key": "zb", "org": "b", "email": "zb.$UNIQ@media.test", "name": "Zed Other Org", "role": "admin", "password": "$PW",
   "display_images": true}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Image lead", "assigned": ["al", "ca"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"}]},
  {"key": "l2", "org": "a", "name": "No MMS lead", "assigned": ["da"], "contacts": [
     {"key": "dan", "role": "borrower", "name": "Dan Dee", "mobile": "$(mobile)"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); bob=$(id_of d contacts bob); dan=$(id_of d contacts dan)
al=$(id_of d users al); da=$(id_of d users da)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")

# inbound LEAD CONTACT USER AGENT_NUM SID: an inbound message as the webhook stores it; prints its id
inbound() {
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
	     contact_number, body, status, carrier_sid, num_media)
	     VALUES ($org, $1, $2, $3, 'inbound', '$4', '$BOB', 'a picture', 'received', '$5', 1);
	     SELECT LAST_INSERT_ID()"
}
MM=MM$(printf '%032x' "$((10#$UNIQ))")
API=$CARRIER/2010-04-01/Accounts/$SID/Messages/$MM/Media
me() { echo "ME${UNIQ}x$1"; } # a media sid of this run
media_row() { # MESSAGE IDX QUERY [ATTEMPTS [URL]]: a pending row for the fixture; prints its id
	sql "INSERT INTO message_media (message_id, idx, url, declared_type, attempts)
	     VALUES ($1, $2, '${5:-$API/$(me "$1n$2")$3}', 'image/png', ${4:-0}); SELECT LAST_INSERT_ID()"
}
MAX_ATTEMPTS=$(sed -n 's/^carrier.max_attempts *= *//p' "$SMSDESK_CONF"); MAX_ATTEMPTS=${MAX_ATTEMPTS:-12}
m1=$(inbound "$l1" "$bob" "$al" "$AL_NUM" "$MM")
sample=$(media_row "$m1" 0 "")
redirect=$(media_row "$m1" 1 "?kind=redirect")
big=$(media_row "$m1" 2 "?kind=big&size=$((MAX + 1))")
chunked=$(media_row "$m1" 3 "?kind=big&chunked=1&size=$((MAX + 1))")
html=$(media_row "$m1" 4 "?kind=html")
flaky=$(media_row "$m1" 5 "?kind=flaky")
gone=$(media_row "$m1" 6 "?kind=gone")
svg=$(media_row "$m1" 7 "?kind=svg")
svg_names=""
for t in image/svg image/x-svg+xml image/xml image/html; do
	svg_names="$svg_names $(media_row "$m1" $((12 + $(echo "$svg_names" | wc -w))) "?kind=svg&type=${t//+/%2B}")"
done
# a lease that ran out (its worker died mid-download) is taken over; one
# that has not is left alone
expired=$(sql "INSERT INTO message_media (message_id, idx, url, attempts, claim_token, next_attempt_at)
	VALUES ($m1, 10, '$API/$(me "${m1}n10")', 1, 12345, NOW(6) - INTERVAL 1 SECOND); SELECT LAST_INSERT_ID()")
leased=$(sql "INSERT INTO message_media (message_id, idx, url, attempts, claim_token, next_attempt_at)
	VALUES ($m1, 11, '$API/$(me "${m1}n11")', 1, 12345, NOW(6) + INTERVAL 1 HOUR); SELECT LAST_INSERT_ID()")
# one attempt left: retried errors end as failed, saying so
lastfive=$(media_row "$m1" 8 "?kind=flaky&fails=1000" $((MAX_ATTEMPTS - 1)))
lastconn=$(media_row "$m1" 9 "" $((MAX_ATTEMPTS - 1)) "http://127.0.0.1:1/no-server-here.png")
m2=$(inbound NULL NULL "$al" "$AL_NUM" "${MM}u")          # unmatched: no lead yet
unmatched=$(media_row "$m2" 0 "")
m3=$(inbound "$l2" "$dan" "$da" "$DA_NUM" "${MM}d")       # to an agent without MMS
nomms=$(media_row "$m3" 0 "")
all="$m1, $m2, $m3"

check "every image is handled within 30 s" \
	wait_sql 30 "SELECT COUNT(*) FROM message_media WHERE message_id IN ($all) AND status = 'pending' AND id <> $leased" 0
row() { sql "SELECT $2 FROM message_media WHERE id = $1"; }
check "an image whose lease ran out is fetched by another" test "$(row "$expired" status)" = fetched
check "  as its second attempt, the claim released" test "$(row "$expired" "CONCAT(attempts, ',', claim_token)")" = "2,0"
check "an image under another worker's lease is left alone" test "$(row "$leased" "CONCAT(status, ',', attempts, ',', claim_token)")" = "pending,1,12345"
sql "UPDATE message_media SET status = 'failed', error = 'left by t0470' WHERE id = $leased"

# what the carrier serves, fetched here with its credentials
curl -sS -u "$SID:$TOKEN" -o "$T_TMP/sample.png" "$API/$(me x)"
want_sha=$(sha256sum < "$T_TMP/sample.png" | cut -d' ' -f1)
want_size=$(stat -c %s "$T_TMP/sample.png")
check "the carrier's sample is a PNG" test "$(head -c 8 "$T_TMP/sample.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a

check "the sample is fetched" test "$(row "$sample" status)" = fetched
check "with the answer's type" test "$(row "$sample" content_type)" = image/png
check "its size" test "$(row "$sample" size)" = "$want_size"
check "its SHA-256" test "$(row "$sample" sha256)" = "$want_sha"
check "and the bytes that have that SHA-256" test "$(row "$sample" 'SHA2(bytes, 256)')" = "$want_sha"
check "fetched_at is set" test "$(row "$sample" 'fetched_at IS NOT NULL')" = 1
check "in one attempt" test "$(row "$sample" attempts)" = 1

curl -sS "$CARRIER/_fake/media-requests" > "$T_TMP/mreq.json"
auth_of() { # PATH-SUFFIX STATUS: had_auth of the request for that path and status
	jq -r --arg p "$1" --argjson s "$2" '[.[] | select((.path | endswith($p)) and .status == $s) | .had_auth] | unique | join(",")' "$T_TMP/mreq.json"
}
check "Basic auth is sent to the carrier's host" test "$(auth_of "/Media/$(me "${m1}n0")" 200)" = true
check "and is the carrier's account (accepted)" \
	test "$(jq -r --arg p "/Media/$(me "${m1}n0")" '[.[] | select(.path | endswith($p)) | .auth_ok] | unique | join(",")' "$T_TMP/mreq.json")" = true

check "a redirected image is fetched" test "$(row "$redirect" status)" = fetched
check "with the same bytes" test "$(row "$redirect" sha256)" = "$want_sha"
check "the carrier's own redirect is asked with credentials" test "$(auth_of "/Media/$(me "${m1}n1")" 302)" = true
check "the other host is asked (localhost, not 127.0.0.1)" \
	test "$(jq -r --arg p "/cdn/$(me "${m1}n1")" '[.[] | select(.path == $p) | .host | split(":")[0]] | unique | join(",")' "$T_TMP/mreq.json")" = localhost
check "and gets NO credentials" test "$(auth_of "/cdn/$(me "${m1}n1")" 200)" = false

for id in "$big" "$chunked"; do
	what=$([ "$id" = "$big" ] && echo "with a Content-Length" || echo "chunked")
	check "an image over media.max_bytes ($what) is refused" test "$(row "$id" status)" = refused
	check "  with a clear error" test "$(row "$id" "error LIKE 'larger than the $MAX bytes allowed%'")" = 1
	check "  no bytes stored" test "$(row "$id" 'bytes IS NULL AND size IS NULL AND sha256 IS NULL')" = 1
	check "  and not retried" test "$(row "$id" attempts)" = 1
done
check "text/html is refused" test "$(row "$html" status)" = refused
check "  as not an image" test "$(row "$html" error)" = "not an image: Content-Type text/html"
check "  no bytes stored" test "$(row "$html" 'bytes IS NULL')" = 1
check "image/svg+xml is refused" test "$(row "$svg" status)" = refused
check "  no bytes stored" test "$(row "$svg" 'bytes IS NULL')" = 1
for id in $svg_names; do
	check "an SVG served as $(row "$id" "SUBSTRING_INDEX(error, ' ', -1)") is refused" test "$(row "$id" status)" = refused
	check "  no bytes stored" test "$(row "$id" 'bytes IS NULL')" = 1
done
check "four more SVG names were tried" test "$(echo $svg_names | wc -w)" = 4
check "a 500 is retried, then fetched" test "$(row "$flaky" status)" = fetched
check "  on the second attempt" test "$(row "$flaky" attempts)" = 2
check "  the carrier saw the 500 and the 200" \
	test "$(jq -r --arg p "/Media/$(me "${m1}n5")" '[.[] | select(.path | endswith($p)) | .status] | join(",")' "$T_TMP/mreq.json")" = "500,200"
check "a 5xx on the last attempt fails" test "$(row "$lastfive" status)" = failed
check "  saying plainly it could not be fetched" test "$(row "$lastfive" error)" = "the image could not be fetched ($MAX_ATTEMPTS attempts)"
check "  the log keeps the details" grep -q "media $lastfive failed: gave up after $MAX_ATTEMPTS attempts: HTTP 500 from the media server" "$STACK_DIR/smsdesk.log"
check "a URL off the carrier's origin fails" test "$(row "$lastconn" status)" = failed
check "  saying plainly it could not be fetched" test "$(row "$lastconn" error)" = "the image could not be fetched"
check "a 404 fails at once" test "$(row "$gone" status)" = failed
check "  after one attempt" test "$(row "$gone" attempts)" = 1
check "  saying plainly it could not be fetched" test "$(row "$gone" error)" = "the image could not be fetched"
check "  the log keeps the details" grep -q "media $gone failed: HTTP 404 from the media server" "$STACK_DIR/smsdesk.log"

# ---- GET /media/ID
for u in al ca bo da ad zb; do
	login "$T_TMP/$u.jar" "$u.$UNIQ@media.test" "$PW"
	check "$u signs in" test "$STATUS" = 303
done
get "$T_TMP/al.jar" "/media/$sample"
check "the receiving agent gets the image (200)" test "$STATUS" = 200
check "  as its stored type" header_has '^Content-Type: image/png'
check "  with nosniff" header_has '^X-Content-Type-Options: nosniff'
check "  a CSP that allows nothing" header_has "^Content-Security-Policy: default-src 'none'; sandbox"
check "  cached privately" header_has '^Cache-Control: private'
check "  inline, with a safe name" header_has "^Content-Disposition: inline; filename=\"image-$sample.png\""
check "  the stored bytes" test "$(sha256sum < "$T_TMP/body" | cut -d' ' -f1)" = "$want_sha"
head_size=$(curl -sS -I -b "$T_TMP/al.jar" -o /dev/null -D "$T_TMP/headers" -w '%{http_code} %{size_download}' "$BASE/media/$sample")
check "HEAD answers 200 and no body" test "$head_size" = "200 0"
check "  with the length" header_has "^Content-Length: $want_size"
check "  and the type" header_has '^Content-Type: image/png'
get "$T_TMP/al.jar" "/media/$sample?download=1"
check "?download=1 is an attachment" header_has "^Content-Disposition: attachment; filename=\"image-$sample.png\""
check "  of the same bytes" test "$(sha256sum < "$T_TMP/body" | cut -d' ' -f1)" = "$want_sha"
get "$T_TMP/ad.jar" "/media/$sample"
check "an admin of the organization gets it" test "$STATUS" = 200

# every refusal is the answer the same viewer gets for an id that does not exist
missing=$(( $(sql "SELECT MAX(id) FROM message_media") + 1000 ))
get "$T_TMP/al.jar" "/media/$missing"
check "an id that does not exist is 404" test "$STATUS" = 404
same_404() { # NAME USER ID
	get "$T_TMP/$2.jar" "/media/$missing"
	sed 's/request [0-9a-f]*/request X/' "$T_TMP/body" > "$T_TMP/missing.html"
	get "$T_TMP/$2.jar" "/media/$3"
	sed 's/request [0-9a-f]*/request X/' "$T_TMP/body" > "$T_TMP/this.html"
	if [ "$STATUS" = 404 ] && cmp -s "$T_TMP/this.html" "$T_TMP/missing.html" && ! grep -q '^Content-Disposition' "$T_TMP/headers"; then
		ok "$1: 404 like a missing id"
	else
		not_ok "$1: 404 like a missing id (got $STATUS)"
	fi
}
same_404 "another organization's admin" zb "$sample"
same_404 "an agent not on the lead" bo "$sample"
same_404 "an agent on the lead without display images" ca "$sample"
same_404 "a refused (not fetched) image" al "$html"
same_404 "a failed image" al "$gone"
same_404 "an image to an agent without MMS, for that agent" da "$nomms"
same_404 "an image to an agent without MMS, for an admin" ad "$nomms"
check "that last image was fetched all the same" test "$(row "$nomms" status)" = fetched

get "$T_TMP/al.jar" "/media/$unmatched"
check "an unmatched text's image: the receiving agent gets it" test "$STATUS" = 200
get "$T_TMP/ad.jar" "/media/$unmatched"
check "  and an admin of the organization" test "$STATUS" = 200
same_404 "an unmatched text's image, for another agent" bo "$unmatched"
same_404 "an unmatched text's image, for another organization" zb "$unmatched"

req "$BASE/media/$sample"
check "signed out: sent to sign in" test "$STATUS" = 303
req -X POST -b "$T_TMP/al.jar" "$BASE/media/$sample"
check "POST is 405" test "$STATUS" = 405

# ---- the fake carrier's side of inbound texts: signed like Twilio
check "the carrier's media needs its credentials" test "$(curl -s -o /dev/null -w '%{http_code}' "$API/$(me y)")" = 401
SINK=$CARRIER/_fake/sink?case=$UNIQ
req --data-urlencode "from=$BOB" --data-urlencode "to=$AL_NUM" --data-urlencode "body=Here you go & thanks" \
	--data-urlencode "media=sample" --data-urlencode "url=$SINK" "$CARRIER/_fake/inbound"
cp "$T_TMP/body" "$T_TMP/inbound.json"
check "/_fake/inbound sends the webhook (200 from the sink)" test "$(jq -r .status "$T_TMP/inbound.json")" = 200
got=$(curl -sS "$CARRIER/_fake/sink" | jq -c --arg u "$UNIQ" '[.[] | select(.query.case == $u)] | last')
data=$(jq -r '.params | to_entries | sort_by(.key) | map(.key + .value) | join("")' <<<"$got")
want=$(printf '%s%s' "$SINK" "$data" | openssl dgst -sha1 -hmac "$TOKEN" -binary | base64)
check "  signed with X-Twilio-Signature over the URL and sorted params" test "$(jq -r .signature <<<"$got")" = "$want"
check "  as a form" test "$(jq -r .content_type <<<"$got")" = application/x-www-form-urlencoded
check "  with Twilio's fields" test "$(jq -r '.params | [.MessageSid == .SmsMessageSid, (.MessageSid | test("^MM[0-9a-f]{32}$")), .AccountSid == "'"$SID"'", .From == "'"$BOB"'", .To == "'"$AL_NUM"'", .Body == "Here you go & thanks", .NumMedia == "1", .SmsStatus == "received", .ApiVersion == "2010-04-01", .MediaContentType0 == "image/png"] | all' <<<"$got")" = true
media_url=$(jq -r .params.MediaUrl0 <<<"$got")
check "  its MediaUrl0 is the carrier's API" test "${media_url#"$CARRIER/2010-04-01/Accounts/$SID/Messages/"}" != "$media_url"
check "  serving the sample with credentials" test "$(curl -sS -u "$SID:$TOKEN" "$media_url" | sha256sum | cut -d' ' -f1)" = "$want_sha"
req --data-urlencode "from=$BOB" --data-urlencode "to=$AL_NUM" --data-urlencode "body=again" \
	--data-urlencode "url=$CARRIER/_fake/sink?status=503" "$CARRIER/_fake/inbound"
check "a 503 from the webhook is retried" test "$(jq -r '[.status, (.attempts | length)] | join(",")' "$T_TMP/body")" = "503,3"
req "$CARRIER/phone?number=%2B${BOB#+}"
check "the phone page has a reply form" body_has 'action="/phone/reply"'
check "  that can attach a sample image" body_has 'name="image" value="1"'
check "  and shows the replies sent" body_has 'Here you go &amp; thanks'
