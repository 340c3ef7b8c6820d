#!/usr/bin/env bash
# More than one host (tools/test.sh, run_two_hosts): two smsdesk processes
# listening on their own ports behind one nginx upstream, each with its
# dispatcher, sharing one database (MULTI_DB: one MariaDB, or a Galera
# cluster with each host on its own node). A session made on one host
# works on the other; 1,000 texts sent through both reach the carrier
# exactly once each; inbound texts through both are all kept, once.
# HOST_A and HOST_B are the hosts' host:port.
. "$REPO/tests/e2e/lib.sh"

N=${MULTI_TEXTS:-1000}
TAG="$MULTI_DB $UNIQ"
PW='two hosts password 1'
AGENTS="" CONSENTS=""
# ten agents, so that each pair of numbers has at most 100 texts: a text
# in doubt is looked up among the newest 200 of its pair (carrier_twilio.c)
ALL="a1 a2 a3 a4 a5 a6 a7 a8 a9 a10"
for a in $ALL; do
	AGENTS="$AGENTS{\"key\": \"$a\", \"org\": \"o\", \"email\": \"$a.$UNIQ@hosts.test\", \"name\": \"Agent $a\", \"role\": \"agent\", \"password\": \"$PW\", \"sms_permission\": true, \"sms_number\": \"$(mobile)\"},"
	CONSENTS="$CONSENTS{\"agent\": \"$a\", \"contact\": \"bob\", \"status\": \"granted\"},"
done
BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Two hosts $UNIQ", "sms_enabled": true, "sms_level": "advanced"}],
 "users": [${AGENTS%,}],
 "leads": [{"key": "l", "org": "o", "name": "Lead on two hosts $UNIQ", "assigned": [$(printf '"%s",' $ALL | sed 's/,$//')],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Hosts", "mobile": "$BOB"}]}],
 "consents": [${CONSENTS%,}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); bob=$(id_of d contacts bob)
for a in $ALL; do login "$T_TMP/$a" "$a.$UNIQ@hosts.test" "$PW"; done
check "signing in through the upstream works (303)" test "$STATUS" = 303

# ---- a session works whichever host answers: the same cookies straight
# to each host over FastCGI
jar_cookies() { sed -n 's/^#HttpOnly_//; /^#/d; /^$/d; p' "$1" | awk -F'\t' '{ printf "%s=%s; ", $6, $7 }'; }
for h in A B; do
	host=HOST_$h
	out=$(COOKIE=$(jar_cookies "$T_TMP/a1") FCGI_SOCKET=${!host} fcgi GET "/leads/$lead")
	check "host $h knows the session (200)" grep -q '^Status: 200' <<<"$out"
	check "and shows the lead" grep -q "Lead on two hosts $UNIQ" <<<"$out"
done
curl -sS -o "$T_TMP/page" -b "$T_TMP/a1" "$BASE/profile"
token=$(csrf_from "$T_TMP/page")
body="csrf=$token&lead=$lead&contact=$bob&body=$(jq -rn --arg b "Form of one host, posted to the other ($TAG)" '$b|@uri')"
out=$(COOKIE=$(jar_cookies "$T_TMP/a1") FCGI_SOCKET=$HOST_B fcgi POST /sms/send "$body")
check "a form's token from one host is accepted by the other (303)" grep -q '^Status: 303' <<<"$out"

# ---- N texts through both hosts (nginx alternates), ten agents at once
send_many() { # AGENT FROM TO
	local jar=$T_TMP/$1 token i
	curl -sS -o "$T_TMP/page.$1" -b "$jar" "$BASE/profile"
	token=$(csrf_from "$T_TMP/page.$1")
	for i in $(seq "$2" "$3"); do
		curl -sS -o /dev/null -w '%{http_code}\n' -b "$jar" --data-urlencode "csrf=$token" \
			--data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
			--data-urlencode "body=Text $i of $N ($TAG)" "$BASE/sms/send"
	done
}
q=$((N / 10))
start=$(date +%s)
k=0
for a in $ALL; do
	send_many "$a" $((k * q + 1)) $(((k + 1) * q)) > "$T_TMP/s.$a" &
	k=$((k + 1))
done
wait
check "all $N sends are accepted (303)" test "$(cat "$T_TMP"/s.a* | grep -c '^303$')" = "$N"
check "all $N reach the carrier" \
	wait_sql 240 "SELECT COUNT(*) FROM messages WHERE body LIKE 'Text % of $N ($TAG)' AND carrier_sid IS NOT NULL" "$N"
echo "# $N texts queued and sent in $(( $(date +%s) - start )) s"
curl -sS "$CARRIER/_fake/messages" | jq --arg t "($TAG)" '[.[] | select(.body | endswith($t)) | select(.body | startswith("Text "))]' > "$T_TMP/at-carrier.json"
check "the carrier has exactly $N of them" test "$(jq length "$T_TMP/at-carrier.json")" = "$N"
check "each body once" test "$(jq '[.[].body] | unique | length' "$T_TMP/at-carrier.json")" = "$N"
check "each message's sid is its own" test "$(sql "SELECT COUNT(DISTINCT carrier_sid) FROM messages WHERE body LIKE 'Text % of $N ($TAG)'")" = "$N"
check "the outbox is empty" test "$(sql "SELECT COUNT(*) FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body LIKE '% ($TAG)'")" = 0
check "both hosts answered requests" bash -c "grep -q 'smsdesk started' '$STACK_DIR/a.log' && grep -q 'smsdesk started' '$STACK_DIR/b.log'"

# ---- inbound texts through both hosts: every one kept, once
inbound_many() { # FROM TO
	local i
	for i in $(seq "$1" "$2"); do
		curl -sS -X POST "$CARRIER/_fake/inbound" --data-urlencode "from=$BOB" \
			--data-urlencode "to=$(sql "SELECT sms_number FROM users WHERE email = 'a1.$UNIQ@hosts.test'")" \
			--data-urlencode "body=Reply $i ($TAG)" | jq -r .status
	done
}
M=200
inbound_many 1 100 > "$T_TMP/i1" & inbound_many 101 $M > "$T_TMP/i2" &
wait
check "the carrier's $M inbound deliveries are answered 200" test "$(cat "$T_TMP"/i[12] | grep -c '^200$')" = "$M"
check "all $M are kept" test "$(sql "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND body LIKE 'Reply % ($TAG)'")" = "$M"
check "each once" test "$(sql "SELECT COUNT(DISTINCT body) FROM messages WHERE direction = 'inbound' AND body LIKE 'Reply % ($TAG)'")" = "$M"
