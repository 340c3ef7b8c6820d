#!/usr/bin/env bash
# Writes the fuzz targets' seed corpus, tests/fuzz/corpus/TARGET/, from the
# project's own examples: the test vectors (tests/*_vectors.json), signed
# webhook bodies as the carrier sends them, the demo data set as an import
# file. Its output is committed; run it again when the vectors change.
set -euo pipefail
cd "$(dirname "$0")/../.."
C=tests/fuzz/corpus
rm -rf "$C"
mkdir -p "$C"

seed() { # TARGET NAME: stdin into the corpus
	mkdir -p "$C/$1"
	cat > "$C/$1/$2"
}
texts() { # TARGET JQ_FILTER FILE: each string the filter gives, one file each
	local i=0 t=$1
	while IFS= read -r -d '' s; do
		printf '%s' "$s" | seed "$t" "$(printf 'v%03d' $i)"
		i=$((i + 1))
	done < <(jq -j "$2 | (., \"\\u0000\")" "$3")
}

texts sms_text '.vectors[].text, .lookalikes[].text' tests/sms_vectors.json
# at the segment boundaries: 160 and 161 GSM-7 characters, 70 and 71 UCS-2
rep() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }
rep a 160 | seed sms_text gsm160
rep a 161 | seed sms_text gsm161
rep '€' 80 | seed sms_text ext80
rep 'ж' 70 | seed sms_text ucs70
rep 'ж' 71 | seed sms_text ucs71
rep '…' 70 | seed sms_text ellipsis70
texts sensitive '.vectors[].text' tests/sensitive_vectors.json
texts shortener '.vectors[].text' tests/shortener_vectors.json

i=0
for k in STOP stop "  Stop! " STOPALL UNSUBSCRIBE cancel End quit revoke optout block START yes \
	unstop HELP info "please opt me out" "stop texting me" "Can I opt out later?" \
	"Remove me from your list" "Thanks, see you Tuesday" "" "STOP."; do
	printf '%s' "$k" | seed keywords "k$i"; i=$((i + 1))
done

i=0
for p in "(512) 555-0112" "+15125550112" "512.555.0110" "+1 (512) 555-0199" "+44 20 7183 8750" \
	"+442071838750" "5125550" "+1" "001 512 555 0112" "+61 2 9374 4000"; do
	printf '%s' "$p" | seed phone "p$i"; i=$((i + 1))
done
jq -r '.. | objects | (.mobile?, .sms_number?) | strings' tools/demo.json | head -20 |
	while IFS= read -r p; do printf '%s' "$p" | seed phone "demo$i"; i=$((i + 1)); done

i=0
for v in "ada@example.com" " Bob Brown " "America/Chicago" "Europe/London" "../etc/passwd" \
	"/leads/12?tab=sms" "//evil.example" "/\\evil" "123456789012" "admin" "agent" \
	"caf$(printf '\xc3\xa9') au lait" "a%20b"; do
	printf '%s' "$v" | seed validate "v$i"; i=$((i + 1))
done

# request: method, URI, query, Content-Type, Content-Length, Cookie,
# remote address, user agent, request id, signature, then the body
printf 'GET\n/leads?page=2\npage=2\n\n\nsd_session=abc; theme=dark\n127.0.0.1\ncurl/8.0\n0123456789abcdef\n\n' |
	seed request get
printf 'POST\n/login\n\napplication/x-www-form-urlencoded\n35\n\n127.0.0.1\nMozilla/5.0\n\n\nemail=ada%%40example.com&password=x+y' |
	seed request login
printf 'POST\n/webhooks/twilio/sms\n\napplication/x-www-form-urlencoded; charset=utf-8\n20\n\n::1\nTwilioProxy/1.1\n\nabc=\nBody=caf%%C3%%A9&To=%%2B1' |
	seed request webhook
printf 'GET\n/leads/12/messages\nq=%%E2%%82%%AC&x=%%zz\n\n\n\n\n\n\n\n' | seed request badpercent

# webhook: the signed address, X-Twilio-Signature, the form body
token=12345678901234567890123456789012
url=http://127.0.0.1:8080/webhooks/twilio/sms
sid=SM0123456789abcdef0123456789abcdef
acct=AC0123456789abcdef0123456789abcdef
webhook() { # NAME URL NAME=VALUE...
	local name=$1 u=$2 body= f; shift 2
	for f in "$@"; do
		body+=${body:+&}$(jq -rn --arg n "${f%%=*}" --arg v "${f#*=}" '"\($n|@uri)=\($v|@uri)"')
	done
	printf '%s\n%s\n%s' "$u" "$(node tests/e2e/twilio-sign.js "$token" "$u" "$@")" "$body" |
		seed webhook "$name"
}
webhook inbound "$url" "MessageSid=$sid" "SmsMessageSid=$sid" "AccountSid=$acct" \
	"From=+15125550112" "To=+15125550110" "Body=Hi, is my rate locked?" "SmsStatus=received" \
	"ApiVersion=2010-04-01" "NumMedia=0"
webhook media "$url" "MessageSid=MM${sid#SM}" "AccountSid=$acct" "From=+15125550112" \
	"To=+15125550110" "Body=" "NumMedia=2" "MediaUrl0=https://api.twilio.com/m/1" \
	"MediaContentType0=image/jpeg" "MediaUrl1=http://127.0.0.1:8081/m/2" "MediaContentType1=image/png"
webhook status "${url%/sms}/status" "MessageSid=$sid" "SmsSid=$sid" "AccountSid=$acct" \
	"MessageStatus=undelivered" "ErrorCode=30003"
webhook stop "$url" "MessageSid=$sid" "AccountSid=$acct" "From=+15125550112" "To=+15125550110" \
	"Body=STOP" "NumMedia=0"

# carrier_answer: the HTTP status, the text sent, the carrier's JSON answer
printf '201\nHi Bob\n{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "body": "Hi Bob"}' |
	seed carrier_answer created
printf '400\nHi\n{"code": 21211, "message": "The \x27To\x27 number +1555 is not a valid phone number.", "status": 400}' |
	seed carrier_answer invalid
printf '429\nHi\n{"code": 20429, "message": "Too Many Requests"}' | seed carrier_answer busy
printf '503\nHi\n<html>Service Unavailable</html>' | seed carrier_answer gateway
printf '200\nHi Bob\n{"messages": [{"sid": "SMxaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "body": "Hi Bob"}, {"sid": "SM0123456789abcdef0123456789abcdef", "body": "Hi Bob"}], "next_page_uri": null}' |
	seed carrier_answer list

seed import demo < tools/demo.json
printf '{"organizations": [{"key": "o", "name": "Acme Lending", "sms_level": "standard"}],\n "users": [{"key": "u", "org": "o", "email": "a@b.test", "name": "A", "role": "agent", "password": "correct horse", "sms_number": "(512) 555-0112"}],\n "leads": [{"key": "l", "org": "o", "name": "L", "updated_at": "2026-11-20T10:00:00Z", "assigned": ["u"], "contacts": [{"key": "c", "role": "borrower", "name": "C", "mobile": "+15125550113"}]}],\n "consents": [{"agent": "u", "contact": "c", "status": "granted"}]}\n' |
	seed import small
printf '{"users": [{"key": "x"}]}' | seed import bad

printf '# smsdesk\ndb.socket = /run/mysqld/mysqld.sock\ndb.name = smsdesk\nlisten = /run/smsdesk/fcgi.sock\nlisten.mode = 0660\nworkers = 8\npublic_url = https://crm.example.com\ncarrier.base_url = http://127.0.0.1:8081\ncarrier.account_sid = AC0123456789abcdef0123456789abcdef\ncarrier.auth_token = secret\ncarrier.timeout_ms = 2000\n' |
	seed config prod
printf 'workers = 0\n' | seed config bad
printf 'listen = 127.0.0.1:9000\ndispatcher = off\nlog.debug = on\n' | seed config tcp

printf 'Name\n=SUM(A1)\nsaid "hi"\n\n+1 512\n@x\n-3' | seed csv cells
printf 'caf\xc3\xa9, "quoted"\r\nline' | seed csv quotes

# saved replies: the body, then the eight values (an empty line: no value)
printf 'Hi {first_name}, this is {agent_name} ({agent_phone}), NMLS {nmls_id}.\nJames\nCarter\nAlice Ames\nAlice\n(512) 555-0101\n\nLone Star Lending\nCarter HELOC\n' | seed merge all-fields
printf '{first_name} {last_name}: your {application} with {org_name}\n\n\n\n\n\n\n\n\n' | seed merge no-values
printf 'Hello {First_Name}\nJames\n' | seed merge unknown
printf 'Hello {first_name\nJames\n' | seed merge unclosed
printf 'a } alone\n' | seed merge lone-close
printf '{agent_first_name} \xf0\x9f\x98\x80 caf\xc3\xa9 {nmls_id}\nJos\xc3\xa9\n\n\nAlice\n\n123456\n' | seed merge utf8

printf 'image/jpeg\nhttps://api.twilio.com/2010-04-01/m/1\nhttps://api.twilio.com' | seed media jpeg
printf 'IMAGE/PNG; charset=binary\nhttp://127.0.0.1:8081/x\nhttp://127.0.0.1:8081' | seed media png
printf 'image/svg+xml\nhttps://evil.example/x\nhttps://api.twilio.com:443' | seed media svg
printf 'image/heic\nhttps://user@api.twilio.com/x\nhttps://api.twilio.com' | seed media heic
