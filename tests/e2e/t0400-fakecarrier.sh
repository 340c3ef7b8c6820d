#!/usr/bin/env bash
# The fake carrier (tests/fakecarrier.c) itself: Twilio's Messages API, the
# faults it injects, signed status callbacks, the control API, the phone page.
# It runs its own private instance, so the stack's carrier (on PORT+1,
# http://127.0.0.1:$((${BASE##*:} + 1))) is never disturbed.
. "$REPO/tests/e2e/lib.sh"

CD=$T_TMP/carrier
trap 'stack_carrier_stop "$CD" >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
trap 'exit 143' TERM INT # a timeout still stops our carrier

started=0
for _ in 1 2 3; do # stack_free_port has a small race
	CP=$(stack_free_port) || break
	if stack_carrier_start "$CD" "$CP" "${FAKECARRIER_BIN:-}" >"$T_TMP/start.out" 2>"$T_TMP/start.err"; then
		started=1
		break
	fi
done
if [ "$started" != 1 ]; then
	not_ok "the fake carrier starts"
	cat "$T_TMP/start.err"
	exit 1
fi
ok "the fake carrier starts"
check "starting it prints nothing" test ! -s "$T_TMP/start.out"
check "carrier.env holds the account SID, in Twilio's shape" grep -qx 'FAKECARRIER_ACCOUNT_SID=AC[0-9a-f]\{32\}' "$CD/carrier.env"
check "carrier.env holds a random token" grep -qE '^FAKECARRIER_AUTH_TOKEN=[A-Za-z0-9]{20,}$' "$CD/carrier.env"
check "carrier.env is private" test "$(stat -c %a "$CD/carrier.env")" = 600

CARRIER=http://127.0.0.1:$CP
SID=$(stack_carrier_get "$CD" FAKECARRIER_ACCOUNT_SID)
TOKEN=$(stack_carrier_get "$CD" FAKECARRIER_AUTH_TOKEN)
API=$CARRIER/2010-04-01/Accounts/$SID
AGENT=+15125550101
BOB=+1512555${UNIQ:0:4}
BETH=+1737555${UNIQ:5:4}

# create [curl args...]: a message from AGENT to BOB unless the args say otherwise
create() { req -u "$SID:$TOKEN" --data-urlencode "From=$AGENT" "$@" "$API/Messages.json"; }
jbody() { jq -r "$1" "$T_TMP/body"; }
stats() { curl -sS "$CARRIER/_fake/stats" | jq -r ".$1"; }
nmessages() { stats messages; }
callbacks_idle() { [ "$(stats callbacks_pending)" = 0 ]; }

# ---- authentication and the account in the path
expect_status "create without auth is 401" 401 --data-urlencode "To=$BOB" -d Body=hi "$API/Messages.json"
check "the 401 is Twilio's error 20003" test "$(jbody .code)" = 20003
check "the 401 asks for Basic auth" header_has '^WWW-Authenticate: Basic'
expect_status "a wrong token is 401" 401 -u "$SID:wrong" --data-urlencode "To=$BOB" -d Body=hi "$API/Messages.json"
expect_status "another account's path is 404" 404 -u "$SID:$TOKEN" --data-urlencode "To=$BOB" \
	-d Body=hi "$CARRIER/2010-04-01/Accounts/ACother/Messages.json"
check "the 404 is Twilio's error 20404" test "$(jbody .code)" = 20404
check "nothing was created by refused requests" test "$(nmessages)" = 0

# ---- creating
create --data-urlencode "To=$BOB" --data-urlencode "Body=Hello Bob"
check "create answers 201" test "$STATUS" = 201
check "the answer is JSON" header_has '^Content-Type: application/json'
MSG1=$(jbody .sid)
check "sid is SM + 32 hex" grep -qE '^SM[0-9a-f]{32}$' <<<"$MSG1"
check "status is queued" test "$(jbody .status)" = queued
check "to, from and body come back" test "$(jbody '[.to,.from,.body,.account_sid] | join("|")')" = "$BOB|$AGENT|Hello Bob|$SID"
check "direction is outbound-api" test "$(jbody .direction)" = outbound-api
check "num_segments is a string, 1" test "$(jbody '.num_segments | tostring')" = 1
check "date_created is RFC 2822" grep -qE '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000$' <<<"$(jbody .date_created)"
check "error_code and error_message are null" test "$(jbody '[.error_code,.error_message] | map(tostring) | join(",")')" = "null,null"
check "uri names the message" test "$(jbody .uri)" = "/2010-04-01/Accounts/$SID/Messages/$MSG1.json"

create --data-urlencode "To=$BOB" --data-urlencode "Body=$(head -c 161 /dev/zero | tr '\0' a)"
check "161 GSM characters are 2 segments" test "$(jbody .num_segments)" = 2
create --data-urlencode "To=$BOB" --data-urlencode "Body=$(printf '%.0sā' $(seq 71))"
check "71 UCS-2 characters are 2 segments" test "$(jbody .num_segments)" = 2
create --data-urlencode "To=$BOB" --data-urlencode "Body=$(head -c 1601 /dev/zero | tr '\0' a)"
check "over 1600 characters is 400 / 21617" test "$STATUS/$(jbody .code)" = 400/21617

# ---- validation
create --data-urlencode "To=5125550111" -d Body=x
check "a To that is not E.164 is 400 / 21211" test "$STATUS/$(jbody .code)" = 400/21211
create -d Body=x
check "a missing To is 400 / 21604" test "$STATUS/$(jbody .code)" = 400/21604
req -u "$SID:$TOKEN" --data-urlencode "To=$BOB" --data-urlencode "From=agent" -d Body=x "$API/Messages.json"
check "a From that is not E.164 is 400 / 21212" test "$STATUS/$(jbody .code)" = 400/21212
req -u "$SID:$TOKEN" --data-urlencode "To=$BOB" -d "From=+15125550101" -d Body=x "$API/Messages.json"
check "an unencoded + (a space) in From is refused" test "$STATUS/$(jbody .code)" = 400/21212
create --data-urlencode "To=$BOB" -d Body=
check "an empty body is 400 / 21602" test "$STATUS/$(jbody .code)" = 400/21602
create --data-urlencode "To=$BOB" -d Body=x -d MessagingServiceSid=MG123
check "a Messaging Service is refused (From only)" test "$STATUS" = 400
create --data-urlencode "To=$BOB" -d Body=x -d StatusCallback=ftp://x
check "a StatusCallback that is not http(s) is 400 / 21609" test "$STATUS/$(jbody .code)" = 400/21609
create --data-urlencode "To=$BOB" -d Body=%ff
check "a body that is not UTF-8 is 400" test "$STATUS" = 400
create --data-urlencode "To=$BOB" -d Body=%zz
check "a malformed form is 400" test "$STATUS" = 400
head -c 70000 /dev/zero | tr '\0' a > "$T_TMP/big"
req -u "$SID:$TOKEN" --data-binary "@$T_TMP/big" "$API/Messages.json"
check "a body over 64 KiB is 413" test "$STATUS" = 413
req -u "$SID:$TOKEN" -H 'Transfer-Encoding: chunked' --data-binary "@$T_TMP/big" "$API/Messages.json"
check "a chunked body over 64 KiB is 413" test "$STATUS" = 413
check "refused creates created nothing" test "$(nmessages)" = 3

# ---- fetching and listing
req -u "$SID:$TOKEN" "$API/Messages/$MSG1.json"
check "fetch finds the message" test "$STATUS/$(jbody .sid)/$(jbody .body)" = "200/$MSG1/Hello Bob"
req -u "$SID:$TOKEN" "$API/Messages/SM00000000000000000000000000000000.json"
check "fetching an unknown sid is 404 / 20404" test "$STATUS/$(jbody .code)" = 404/20404
req "$API/Messages/$MSG1.json"
check "fetch needs auth" test "$STATUS" = 401

create --data-urlencode "To=$BETH" --data-urlencode "Body=Hello Beth"
MSG_BETH=$(jbody .sid)
today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
tomorrow=$(date -u -d tomorrow +%F)
list() { req -u "$SID:$TOKEN" -G "$@" "$API/Messages.json"; }
list --data-urlencode "To=$BETH"
check "list by To finds only that number's messages" test "$STATUS/$(jbody '[.messages[].sid] | join(",")')" = "200/$MSG_BETH"
check "the list has Twilio's paging fields" test "$(jbody '[.page, .page_size, (.next_page_uri|tostring)] | map(tostring) | join(",")')" = "0,50,null"
list --data-urlencode "To=$BOB"
check "list by To: all 3 of Bob's" test "$(jbody '.messages | length')" = 3
check "the list is newest first" test "$(jbody '.messages[-1].sid')" = "$MSG1"
req -u "$SID:$TOKEN" "$API/Messages.json?To=$BETH&From=$AGENT" # a raw + in the query
check "a raw + in the query means +" test "$(jbody '.messages | length')" = 1
list --data-urlencode "From=+15125559999"
check "list by another From finds none" test "$(jbody '.messages | length')" = 0
list --data-urlencode "To=$BETH" --data-urlencode "DateSent=$today"
check "DateSent=today finds it" test "$(jbody '.messages | length')" = 1
list --data-urlencode "To=$BETH" --data-urlencode "DateSent=$yesterday"
check "DateSent=yesterday does not" test "$(jbody '.messages | length')" = 0
list --data-urlencode "To=$BETH" --data-urlencode "DateSent>=$today"
check "DateSent>=today finds it" test "$(jbody '.messages | length')" = 1
list --data-urlencode "To=$BETH" --data-urlencode "DateSent>=$tomorrow"
check "DateSent>=tomorrow does not" test "$(jbody '.messages | length')" = 0
list --data-urlencode "To=$BETH" --data-urlencode "DateSent<=$yesterday"
check "DateSent<=yesterday does not" test "$(jbody '.messages | length')" = 0
list --data-urlencode "To=$BETH" --data-urlencode "DateSent<=$today"
check "DateSent<=today finds it" test "$(jbody '.messages | length')" = 1
list --data-urlencode "To=$BETH" --data-urlencode "DateSent>=${today}T00:00:00Z"
check "DateSent> takes a time too" test "$(jbody '.messages | length')" = 1
list --data-urlencode "DateSent=soon"
check "a malformed DateSent is 400" test "$STATUS" = 400
list --data-urlencode "To=$BOB" -d PageSize=2
check "PageSize limits the page" test "$(jbody '.messages | length')/$(jbody .page_size)" = 2/2
check "and there is a next page" test "$(jbody .next_page_uri)" != null
list --data-urlencode "To=$BOB" -d PageSize=2 -d Page=1
check "the next page has the rest" test "$(jbody '.messages | length')/$(jbody '.messages[0].sid')" = "1/$MSG1"

# ---- what it recorded
req "$CARRIER/_fake/requests"
check "/_fake/requests is a JSON array" test "$(jbody 'type')" = array
check "it has the first 401 with auth_ok false" test "$(jbody '.[0] | [.method, .status, .auth_ok] | map(tostring) | join(",")')" = "POST,401,false"
check "it has the form parameters" test "$(jbody "[.[] | select(.status == 201) | .params.Body][0]")" = "Hello Bob"
check "a successful request has auth_ok true" test "$(jbody '[.[] | select(.status == 201)][0].auth_ok')" = true
check "each entry has a time" test "$(jbody '[.[] | select(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))] | length')" = "$(jbody length)"
req "$CARRIER/_fake/messages"
check "/_fake/messages lists the 4 messages" test "$(jbody length)" = 4

# ---- faults: each applies to the next creates only
n0=$(nmessages)
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=500 -d count=2
list --data-urlencode "To=$BOB"
check "a pending fault leaves lists alone" test "$STATUS" = 200
create --data-urlencode "To=$BOB" -d Body=f1
s1=$STATUS
create --data-urlencode "To=$BOB" -d Body=f2
s2=$STATUS
check "mode=500 count=2: two 500s" test "$s1/$s2/$(jbody .code)" = 500/500/20500
create --data-urlencode "To=$BOB" -d Body=f3
check "then the third create works" test "$STATUS" = 201
check "the 500s created nothing" test "$(nmessages)" = $((n0 + 1))

curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=429 -d retry_after=7
create --data-urlencode "To=$BOB" -d Body=f4
check "mode=429 is 429" test "$STATUS/$(jbody .code)" = 429/20429
check "with Retry-After" header_has '^Retry-After: 7'

curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=4xx -d code=21610
create --data-urlencode "To=$BOB" -d Body=f5
check "mode=4xx code=21610 is 400 / 21610" test "$STATUS/$(jbody .code)" = 400/21610
check "saying the recipient unsubscribed" test "$(jbody .message)" = "Attempt to send to unsubscribed recipient"
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=4xx -d code=21211
create --data-urlencode "To=$BOB" -d Body=f6
check "mode=4xx code=21211 is 400 / 21211" test "$STATUS/$(jbody .code)" = 400/21211
check "the refusals created nothing" test "$(nmessages)" = $((n0 + 1))

curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=delay -d ms=1500
start=$(date +%s%N)
curl -sS -o /dev/null -m 0.5 -u "$SID:$TOKEN" --data-urlencode "To=$BETH" --data-urlencode "From=$AGENT" \
	--data-urlencode "Body=slow $UNIQ" "$API/Messages.json" 2>/dev/null
rc=$?
check "mode=delay: the client times out" test "$rc" = 28
check "mode=delay: the message exists anyway" test "$(nmessages)" = $((n0 + 2))
list --data-urlencode "To=$BETH" --data-urlencode "DateSent>=$today"
check "a lookup after the timeout finds it" test "$(jbody "[.messages[] | select(.body == \"slow $UNIQ\")] | length")" = 1
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=delay -d ms=600
start=$(date +%s%N)
create --data-urlencode "To=$BETH" -d Body=patient
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "a patient client gets the 201 late (${ms} ms)" test "$STATUS" = 201 -a "$ms" -ge 550

curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=drop
curl -sS -o /dev/null -u "$SID:$TOKEN" --data-urlencode "To=$BOB" --data-urlencode "From=$AGENT" \
	-d Body=dropped "$API/Messages.json" 2>/dev/null
rc=$?
check "mode=drop: the connection closes without an answer" test "$rc" = 52
check "mode=drop: no message" test "$(nmessages)" = $((n0 + 3))
req "$CARRIER/_fake/requests"
check "the log marks the faults" test "$(jbody '[.[] | .fault // empty] | join(",")')" = "500,500,429,4xx,4xx,delay,delay,drop"

req "$CARRIER/_fake/fail" -d mode=sometimes
check "an unknown fault mode is 400" test "$STATUS" = 400
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=500 -d count=5
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d count=0
create --data-urlencode "To=$BOB" -d Body=after-clear
check "count=0 clears the faults" test "$STATUS" = 201

# ---- reset
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=500
req -X POST "$CARRIER/_fake/reset"
check "reset answers 200" test "$STATUS" = 200
check "reset forgets the messages" test "$(nmessages)" = 0
check "reset forgets the requests" test "$(curl -sS "$CARRIER/_fake/requests" | jq length)" = 0
create --data-urlencode "To=$BOB" -d Body=after-reset
check "reset clears pending faults" test "$STATUS" = 201
expect_status "reset is POST only" 405 "$CARRIER/_fake/reset"

# ---- status callbacks, signed, to the carrier's own sink
urldecode() { local s=${1//+/ }; printf '%b' "${s//%/\\x}"; }
# signature_of URL RAWBODY: computed here, independently of the carrier
signature_of() {
	local url=$1 data="" pair
	while IFS= read -r pair; do
		data+="$(urldecode "${pair%%=*}")$(urldecode "${pair#*=}")"
	done < <(tr '&' '\n' <<<"$2" | LC_ALL=C sort -t= -k1,1)
	printf '%s%s' "$url" "$data" | openssl dgst -sha1 -hmac "$TOKEN" -binary | base64
}
sink_for() { curl -sS "$CARRIER/_fake/sink" | jq -c --arg s "$1" '[.[] | select(.params.MessageSid == $s)]'; }

curl -sS -o /dev/null "$CARRIER/_fake/callbacks" -d mode=normal -d delay_ms=20
CB="$CARRIER/_fake/sink?t=$UNIQ&note=a+b"
create --data-urlencode "To=$BOB" --data-urlencode "Body=with callbacks" --data-urlencode "StatusCallback=$CB"
MSG2=$(jbody .sid)
stack_wait 50 callbacks_idle
sink_for "$MSG2" > "$T_TMP/cb"
check "three callbacks arrive" test "$(jq length "$T_TMP/cb")" = 3
check "in order: queued, sent, delivered" test "$(jq -r '[.[].params.MessageStatus] | join(",")' "$T_TMP/cb")" = "queued,sent,delivered"
check "SmsStatus mirrors MessageStatus" test "$(jq -r '[.[] | .params.SmsStatus == .params.MessageStatus] | all' "$T_TMP/cb")" = true
check "with Twilio's parameters" test "$(jq -r '.[0].params | [.MessageSid, .SmsSid, .AccountSid, .From, .To, .ApiVersion] | join(",")' "$T_TMP/cb")" = "$MSG2,$MSG2,$SID,$AGENT,$BOB,2010-04-01"
check "as a form" test "$(jq -r '.[0].content_type' "$T_TMP/cb")" = application/x-www-form-urlencoded
check "to the StatusCallback URL, query included" test "$(jq -r '.[0].query | [.t, .note] | join(",")' "$T_TMP/cb")" = "$UNIQ,a b"
good=0
for i in 0 1 2; do
	raw=$(jq -r ".[$i].body" "$T_TMP/cb")
	sig=$(jq -r ".[$i].signature" "$T_TMP/cb")
	[ -n "$sig" ] && [ "$sig" = "$(signature_of "$CB" "$raw")" ] && good=$((good + 1))
done
check "each X-Twilio-Signature verifies (url + sorted params, HMAC-SHA1, token)" test "$good" = 3
raw=$(jq -r '.[0].body' "$T_TMP/cb")
check "a signature over another URL would not" test "$(jq -r '.[0].signature' "$T_TMP/cb")" != "$(signature_of "$CARRIER/_fake/sink" "$raw")"
req -u "$SID:$TOKEN" "$API/Messages/$MSG2.json"
check "the message is now delivered" test "$(jbody .status)" = delivered
req "$CARRIER/_fake/callbacks"
check "/_fake/callbacks logs what was sent" test "$(jbody "[.[] | select(.params.MessageSid == \"$MSG2\" and .ok)] | length")" = 3

curl -sS -o /dev/null "$CARRIER/_fake/callbacks" -d mode=fail_at_sent -d delay_ms=0
create --data-urlencode "To=$BOB" -d Body=unlucky --data-urlencode "StatusCallback=$CB"
MSG3=$(jbody .sid)
stack_wait 50 callbacks_idle
sink_for "$MSG3" > "$T_TMP/cb"
check "fail_at_sent: queued, sent, undelivered" test "$(jq -r '[.[].params.MessageStatus] | join(",")' "$T_TMP/cb")" = "queued,sent,undelivered"
check "fail_at_sent: ErrorCode 30003 on the last" test "$(jq -r 'map(.params.ErrorCode // "-") | join(",")' "$T_TMP/cb")" = "-,-,30003"
raw=$(jq -r '.[2].body' "$T_TMP/cb")
check "the failure callback is signed too" test "$(jq -r '.[2].signature' "$T_TMP/cb")" = "$(signature_of "$CB" "$raw")"
req -u "$SID:$TOKEN" "$API/Messages/$MSG3.json"
check "the message is undelivered with error_code 30003" test "$(jbody '[.status, .error_code] | map(tostring) | join(",")')" = "undelivered,30003"

curl -sS -o /dev/null "$CARRIER/_fake/callbacks" -d mode=none
create --data-urlencode "To=$BOB" -d Body=quiet --data-urlencode "StatusCallback=$CB"
MSG4=$(jbody .sid)
stack_wait 50 callbacks_idle
sleep 0.1
check "mode=none: no callbacks" test "$(sink_for "$MSG4" | jq length)" = 0

curl -sS -o /dev/null "$CARRIER/_fake/callbacks" -d mode=normal -d delay_ms=0
pids=()
for i in $(seq 1 20); do
	curl -sS -o /dev/null -u "$SID:$TOKEN" --data-urlencode "To=$BETH" --data-urlencode "From=$AGENT" \
		-d "Body=burst $i" --data-urlencode "StatusCallback=$CB" "$API/Messages.json" &
	pids+=($!)
done
wait "${pids[@]}" # not the carrier, also our child
stack_wait 50 callbacks_idle
curl -sS "$CARRIER/_fake/sink" > "$T_TMP/sink"
check "a burst of 20 with delay 0: each message's callbacks in order" test \
	"$(jq -r --arg to "$BETH" '[.[] | select(.params.To == $to)] | group_by(.params.MessageSid) | map(map(.params.MessageStatus) | join(",")) | unique | join(";")' "$T_TMP/sink")/$(jq -r --arg to "$BETH" '[.[] | select(.params.To == $to)] | length' "$T_TMP/sink")" = "queued,sent,delivered/60"

create --data-urlencode "To=$BOB" -d Body=refused --data-urlencode "StatusCallback=$CARRIER/_fake/sink?status=503"
MSG5=$(jbody .sid)
stack_wait 100 callbacks_idle
req "$CARRIER/_fake/callbacks"
check "a 5xx from the receiver is retried, then given up" test "$(jq -r --arg s "$MSG5" 'map(select(.params.MessageSid == $s)) | length == 3 and all(.[]; .attempts == 3 and .status == 503 and (.ok | not))' "$T_TMP/body")" = true

req "$CARRIER/_fake/callbacks" -d mode=later
check "an unknown callback mode is 400" test "$STATUS" = 400

# ---- the phone page
create --data-urlencode "To=$BETH" --data-urlencode "Body=<script>alert('x')</script> & \"quotes\""
expect_status "the phone page answers" 200 "$CARRIER/phone"
check "it is HTML" header_has '^Content-Type: text/html'
check "it lists the numbers that received messages" body_has "number=%2B${BETH#+}\">$BETH</a>"
check "and Bob's" body_has ">$BOB</a>"
expect_status "a number's page answers" 200 "$CARRIER/phone?number=%2B${BETH#+}"
check "it shows the messages" body_has 'burst 20'
check "it escapes the body" body_has '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;'
page_lacks "no raw script reaches the page" 200 "<h1>Phone " '<script>'
check "it shows the sender" body_has "class=\"from\">$AGENT<"
check "it shows the status" body_has 'class="status">\(queued\|sent\|delivered\)<'
check "newest last" test "$(grep -o 'burst [0-9]*\|&lt;script' "$T_TMP/body" | tail -n 1)" = '&lt;script'
check "it keeps a place for replies" body_has 'id="reply"'
check "the page forbids scripts (CSP)" header_has "^Content-Security-Policy: default-src 'none'"
check "the number's page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
expect_status "a strange number is shown escaped" 200 "$CARRIER/phone?number=%3Cb%3Ex%3C/b%3E"
check "escaped" body_has '<h1>Phone &lt;b&gt;x&lt;/b&gt;</h1>'
check "and it has no messages" body_has 'No messages to this number yet'
req -X POST -d x=1 "$CARRIER/phone"
check "the phone page is GET only (for now)" test "$STATUS" = 405

# ---- the log and a clean stop
check "one log line per request" grep -q "POST /2010-04-01/Accounts/$SID/Messages.json -> 201" "$CD/carrier.log"
check "the log marks dropped requests" grep -q -- '-> no answer (closed) \[drop\]' "$CD/carrier.log"
stack_carrier_stop "$CD"
rc=$?
check "SIGTERM stops it with exit 0" test "$rc" = 0
check "it logged its stop" grep -q 'fakecarrier: stopping' "$CD/carrier.log"
