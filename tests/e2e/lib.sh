# Helpers for the end-to-end tests. Each test prints "ok - NAME" or
# "not ok - NAME" per check; tools/test.sh counts them.
# The environment gives: BASE (http://127.0.0.1:PORT), STACK_DIR, REPO,
# SMSDESK_CONF, E2E_SMSDESK_BIN; tools/stack.sh is sourced for the stack helpers.
set -u
. "$REPO/tools/stack.sh"

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "/tmp/smsdesk-$T_NAME.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

ok() { echo "ok - $T_NAME: $*"; }
not_ok() { echo "not ok - $T_NAME: $*"; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name"; fi
}

# req [curl args...] URL: stores status in $STATUS, body in $T_TMP/body,
# headers in $T_TMP/headers.
req() {
	STATUS=$(curl -sS -o "$T_TMP/body" -D "$T_TMP/headers" -w '%{http_code}' "$@" 2>"$T_TMP/curl.err") || STATUS=000
}

# expect_status NAME WANT [curl args...] URL
expect_status() {
	local name=$1 want=$2; shift 2
	req "$@"
	if [ "$STATUS" = "$want" ]; then ok "$name"; else not_ok "$name (got $STATUS, want $want)"; fi
}

body_has() { grep -q -- "$1" "$T_TMP/body"; }
# page_lacks NAME WANT_STATUS MARKER TEXT: the last page is the one meant
# (answered WANT_STATUS, and MARKER, e.g. its heading, is in it), and TEXT
# is not. An error or sign-in page lacks TEXT too: that fails, saying why.
# (There is no body_lacks: a check that something is absent from a page
# passes on any wrong page unless it first checks the page.)
page_lacks() {
	local name=$1 want=$2 marker=$3 text=$4
	if [ "$STATUS" != "$want" ]; then not_ok "$name (got $STATUS, want $want)"
	elif ! grep -q -- "$marker" "$T_TMP/body"; then not_ok "$name (not the page meant: no $marker)"
	elif grep -q -- "$text" "$T_TMP/body"; then not_ok "$name (the page has $text)"
	else ok "$name"; fi
}
header_has() { grep -qi -- "$1" "$T_TMP/headers"; }

# sql "STATEMENT": runs SQL as root on the stack's database, tab-separated
# output, at smsdesk's time (tools/stack.sh stack_sql).
sql() { stack_sql "$STACK_DIR" "$1"; }

# conversations_carried_wrong: how many conversations carry names or a last
# text (schema/0026) other than their sources', in the whole database
conversations_carried_wrong() {
	sql "SELECT COUNT(*) FROM conversations cv JOIN leads l ON l.id = cv.lead_id
	     JOIN contacts c ON c.id = cv.contact_id LEFT JOIN partners p ON p.id = c.partner_id
	     JOIN messages m ON m.id = cv.last_message_id
	     WHERE NOT (cv.lead_name <=> l.name AND cv.contact_name <=> COALESCE(p.name, c.name)
	                AND cv.last_direction = m.direction AND cv.last_body <=> LEFT(m.body, 120)
	                AND cv.last_media = (m.num_media > 0) AND cv.last_at = m.created_at)"
}

# A direct FastCGI request to smsdesk's socket, bypassing nginx:
# fcgi METHOD URI [BODY [CONTENT_TYPE]] -> raw CGI response on stdout.
fcgi() {
	local method=$1 uri=$2 body=${3:-} ctype=${4:-application/x-www-form-urlencoded}
	local path=${uri%%\?*} query=""
	[ "$path" != "$uri" ] && query=${uri#*\?}
	printf '%s' "$body" | env -i REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		SCRIPT_NAME="$path" QUERY_STRING="$query" CONTENT_TYPE="$ctype" \
		CONTENT_LENGTH="${#body}" REMOTE_ADDR=127.0.0.1 HTTP_COOKIE="${COOKIE:-}" \
		cgi-fcgi -bind -connect "${FCGI_SOCKET:-$STACK_DIR/smsdesk.sock}"
}

# A suffix unique to this test run, for emails, SMS numbers and import keys
# (the release and sanitizer runs share one database).
UNIQ=$(printf '%05d%04d' $((RANDOM % 100000)) $(( $(date +%N | sed 's/^0*//;s/^$/0/') % 10000 )))

# ctl ARGS...: smsdeskctl against the stack under test, of the build under
# test: in the sanitizer run every import runs sanitized (a leak or
# undefined behaviour makes it exit non-zero).
case ${E2E_SMSDESK_BIN:-} in
*/build/asan/*) CTL_BIN=$REPO/build/asan/smsdeskctl ;;
*) CTL_BIN=$REPO/cgi-bin/smsdeskctl ;;
esac
ctl() { SMSDESK_CONF=$SMSDESK_CONF "$CTL_BIN" "$@"; }

# import_file NAME FILE: imports FILE, keeps its key -> id map for id_of.
import_file() {
	ctl import "$2" > "$T_TMP/ids.$1.json" 2>"$T_TMP/import.err"
}
# id_of NAME KIND KEY: the database id the import gave KEY.
id_of() { jq -r --arg k "$3" ".$2[\$k]" "$T_TMP/ids.$1.json"; }

# csrf_from FILE: the first csrf field in an HTML page.
csrf_from() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/'; }

# login JAR EMAIL PASSWORD [curl args for the POST...]: signs in with a
# cookie jar; $STATUS is the answer to the POST (303 on success).
login() {
	local jar=$1 email=$2 password=$3; shift 3
	req -c "$jar" -b "$jar" "$BASE/login"
	local token
	token=$(csrf_from "$T_TMP/body")
	req -c "$jar" -b "$jar" "$@" --data-urlencode "csrf=$token" \
		--data-urlencode "email=$email" --data-urlencode "password=$password" "$BASE/login"
}

# post JAR PATH [--data-urlencode k=v ...]: a form POST with the session's
# csrf token (read from /profile), as the browser would send it.
post() {
	local jar=$1 path=$2; shift 2
	curl -sS -o "$T_TMP/page" -b "$jar" "$BASE/profile"
	local token
	token=$(csrf_from "$T_TMP/page")
	req -c "$jar" -b "$jar" --data-urlencode "csrf=$token" "$@" "$BASE$path"
}

# get JAR PATH: a GET with the cookie jar.
get() { req -c "$1" -b "$1" "$BASE$2"; }

# location: the Location header of the last answer.
location() { sed -n 's/^Location: *//Ip' "$T_TMP/headers" | tr -d '\r'; }

# nanp7: 7 digits of a US number (exchange 2-9); mobile: a whole one in
# Austin's area code. Random, so that the two builds' runs differ.
nanp7() { printf '%d%06d' $((RANDOM % 8 + 2)) $(( (RANDOM * 32768 + RANDOM) % 1000000 )); }
mobile() { echo "+1512$(nanp7)"; }

# wait_sql SECONDS "SELECT ..." [WANT]: waits until the query answers WANT
# (default 1).
wait_sql() {
	local tries=$(($1 * 10)); shift
	while [ "$(sql "$1")" != "${2:-1}" ]; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

# ---- what the carrier posts to smsdesk, signed as Twilio signs it
# The stack's carrier account (smsdesk.conf): its token signs the webhooks.
CARRIER_TOKEN=$(sed -n 's/^carrier.auth_token *= *//p' "$SMSDESK_CONF")
CARRIER_ACCOUNT=$(sed -n 's/^carrier.account_sid *= *//p' "$SMSDESK_CONF")
INBOUND_URL=$BASE/webhooks/twilio/sms
STATUS_URL=$BASE/webhooks/twilio/status

# twilio_sign URL NAME=VALUE...: the X-Twilio-Signature of a POST of these
# fields to URL with the account's token (SIGN_TOKEN=... another token),
# computed by the twilio npm package (tests/e2e/twilio-sign.js), an
# implementation independent of smsdesk's and the fake carrier's.
twilio_sign() { node "$REPO/tests/e2e/twilio-sign.js" "${SIGN_TOKEN:-$CARRIER_TOKEN}" "$@"; }

# twilio_post URL NAME=VALUE... [-- CURL_ARGS...]: the fields POSTed to URL,
# form-encoded and signed (twilio_sign); the answer as req's ($STATUS).
twilio_post() {
	local url=$1 fields=() args=() f; shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do fields+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	for f in "${fields[@]}"; do args+=(--data-urlencode "$f"); done
	req -H "X-Twilio-Signature: $(twilio_sign "$url" "${fields[@]}")" "${args[@]}" "$@" "$url"
}

# new_sid: a new MessageSid in $SID, unique to this script and run.
SID_N=0
new_sid() { SID_N=$((SID_N + 1)); SID=SM$(printf '%s %s %d' "$T_NAME" "$UNIQ" "$SID_N" | sha256sum | cut -c1-32); }

# inbound FROM TO BODY [NAME=VALUE...] [-- CURL_ARGS...]: the carrier
# delivering a text to /webhooks/twilio/sms, signed, with the fields Twilio
# sends (MessageSid, SmsMessageSid, AccountSid, From, To, Body, SmsStatus,
# ApiVersion, NumMedia: 0 unless given); NAME=VALUE adds or overrides one
# (NumMedia=1 MediaUrl0=...). Its MessageSid is a new one (new_sid) unless
# given as MessageSid=... (the carrier's retry); either way left in $SID.
# The answer as req's ($STATUS).
inbound() {
	local from=$1 to=$2 body=$3 extra=() media=0; shift 3
	local sid=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		MessageSid=*) sid=${1#MessageSid=} ;;
		NumMedia=*) media=${1#NumMedia=} ;;
		*) extra+=("$1") ;;
		esac
		shift
	done
	if [ -n "$sid" ]; then SID=$sid; else new_sid; fi
	twilio_post "$INBOUND_URL" "MessageSid=$SID" "SmsMessageSid=$SID" "AccountSid=$CARRIER_ACCOUNT" \
		"From=$from" "To=$to" "Body=$body" "SmsStatus=received" "ApiVersion=2010-04-01" \
		"NumMedia=$media" ${extra[@]+"${extra[@]}"} "$@"
}

# help_answered CONTACT AGENT_NUMBER: a sentinel for "that text did not go":
# the contact texts HELP to the agent's number and the answer (an automatic
# text, never held for quiet hours) reaches the carrier. A dispatcher round
# on the clock as it is now has then run, and it took the outbox oldest due
# first (cgi-bin/dispatcher.c claim): a text due by then from that number
# went in that round or before. Check after it that a text not due is
# still queued and not at the carrier.
help_answered() {
	local mark
	mark=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	inbound "$1" "$2" "HELP"
	[ "$STATUS" = 200 ] || return 1
	wait_sql 15 "SELECT COUNT(*) FROM messages WHERE id > $mark AND direction = 'outbound'
		AND kind = 'automatic' AND contact_number = '$1' AND agent_number = '$2' AND carrier_sid IS NOT NULL"
}

# The fake carrier of the stack under test listens on smsdesk's port + 1.
CARRIER=http://127.0.0.1:$((${BASE##*:} + 1))
# carrier_created BODY: how many messages with that body the carrier has.
carrier_created() { curl -sS "$CARRIER/_fake/messages" | jq --arg b "$1" '[.[] | select(.body == $b)] | length'; }

# clock_set WHEN: moves smsdesk's clock (test.clock_file, cgi-bin/clock.h)
# to WHEN, anything `date -d` reads ("2026-12-02 21:05 America/Chicago" is
# written TZ="America/Chicago" 2026-12-02 21:05); it runs on from there.
# clock_reset: back to the stack's clock, the real time moved into a US
# afternoon (tools/stack.sh stack_daytime_offset). Every test that moves it
# resets it on exit.
clock_set() {
	local want
	want=$(date -d "$1" +%s) || return 1
	echo $((want - $(date +%s))) > "$STACK_DIR/clock.tmp" && mv "$STACK_DIR/clock.tmp" "$STACK_DIR/clock"
}
clock_reset() { stack_clock_base "$STACK_DIR"; }
