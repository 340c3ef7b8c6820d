#!/usr/bin/env bash
# Galera with one node killed under load (tools/test.sh, run_multihost):
# the two hosts of run_two_hosts behind one nginx upstream, each on its own
# node of the three-node cluster, under a stream of chatbox sends (from
# four agents, with the fake carrier's status callbacks) and signed inbound
# webhooks. Host A's node is killed with SIGKILL mid-stream and started
# again later (it rejoins by IST, or SST: the log says which), once, or
# CHAOS_ROUNDS times under make chaos (GALERA_ROUNDS overrides). Then:
# - every webhook answered 200 is stored, once by its MessageSid; every
#   other answer is a 5xx or no answer (the carrier retries those); their
#   retries after the node is back are answered 200 and stored once each;
# - every send answered 303 reaches the carrier exactly once; one cut off
#   (5xx or no answer) at most once; none is posted twice;
# - every status callback answered 2xx is stored; the others, posted again
#   as the carrier retries, are stored too, and each text ends with the
#   carrier's status;
# - host A answers 503 while its node is down (it stays on its own node,
#   db.host/db.port) and serves again once the node is back.
# The conflicts retried meanwhile are printed by run_two_hosts.
# HOST_A, HOST_B: the hosts' host:port; HOST_A_DB_PORT, HOST_B_DB_PORT their nodes' ports.
. "$REPO/tests/e2e/lib.sh"

g=$STACK_DIR/galera
node_of() { local n; for n in 1 2 3; do [ "$(cat "$g/n$n.port")" = "$1" ] && echo "$n"; done; }
NA=$(node_of "${HOST_A_DB_PORT:-}") NB=$(node_of "${HOST_B_DB_PORT:-}")
if [ -z "$NA" ] || [ -z "$NB" ] || [ "$NA" = "$NB" ]; then
	not_ok "host A and host B are each on a node of the cluster in $g (A on '${NA}', B on '${NB}')"
	exit 1
fi
ND=$((6 - NA - NB)) # the third node: the donor when A's node comes back
echo "# host A on node $NA, host B on node $NB; node $ND donates"
# the tests' statements go to host B's node (sql, wait_sql): A's dies.
# They read causally (wsrep_sync_wait): a node applies what another
# committed a moment later, and a count read at once on B missed a text
# host A had just stored and answered 200 for (a clean-clone run: 310 of
# 311)
CAUSAL="SET SESSION wsrep_sync_wait = 1;"
mkdir -p "$T_TMP/on-b/mysql"
ln -s "$g/n$NB.sock" "$T_TMP/on-b/mysql/mysql.sock"
[ -e "$STACK_DIR/clock" ] && ln -s "$STACK_DIR/clock" "$T_TMP/on-b/clock"
sql() { stack_sql "$T_TMP/on-b" "$CAUSAL $1"; }
on_b() { { echo "$CAUSAL"; cat; } | stack_mysql "$T_TMP/on-b" -N -B smsdesk; } # SQL on stdin (long lists)

ROUNDS=${GALERA_ROUNDS:-1}
[ -n "${CHAOS:-}" ] && ROUNDS=${GALERA_ROUNDS:-${CHAOS_ROUNDS:-5}}

PW='galera kill password 1'
ALL="a1 a2 a3 a4"
AGENTS="" CONSENTS=""
for a in $ALL; do
	AGENTS="$AGENTS{\"key\": \"$a\", \"org\": \"o\", \"email\": \"$a.$UNIQ@galera-kill.test\", \"name\": \"Agent $a\", \"role\": \"agent\", \"password\": \"$PW\", \"sms_permission\": true, \"sms_number\": \"$(mobile)\"},"
	CONSENTS="$CONSENTS{\"agent\": \"$a\", \"contact\": \"x\", \"status\": \"granted\"},"
done
X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Galera kill $UNIQ", "sms_enabled": true}],
 "users": [${AGENTS%,}],
 "leads": [{"key": "l", "org": "o", "name": "Galera kill lead", "assigned": [$(printf '"%s",' $ALL | sed 's/,$//')],
   "contacts": [{"key": "x", "role": "borrower", "name": "Xan Galera", "mobile": "$X"}]}],
 "consents": [${CONSENTS%,}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts x)
A1=$(sql "SELECT sms_number FROM users WHERE email = 'a1.$UNIQ@galera-kill.test'")
for a in $ALL; do login "$T_TMP/$a" "$a.$UNIQ@galera-kill.test" "$PW"; done
check "the agents sign in (303)" test "$STATUS" = 303

healthz() { # HOST_PORT: smsdesk's answer to /healthz, straight over FastCGI
	FCGI_SOCKET=$1 fcgi GET /healthz 2>/dev/null | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -n 1
}
healthz_is() { [ "$(healthz "$1")" = "$2" ]; } # HOST_PORT STATUS
check "host A serves before the kill (healthz 200)" test "$(healthz "$HOST_A")" = 200

# ---- the streams: sends from each agent (two a second each: a text left
# in doubt is looked up among the newest 200 of its pair, carrier_twilio.c)
# and inbound webhooks on two connections, until $T_TMP/stop
P="Galera kill $UNIQ"
sends() { # AGENT: "AGENT I STATUS" per send
	local jar=$T_TMP/$1 token i=0 st
	curl -sS -o "$T_TMP/page.$1" -b "$jar" "$BASE/profile"
	token=$(csrf_from "$T_TMP/page.$1")
	while [ ! -e "$T_TMP/stop" ]; do
		i=$((i + 1))
		st=$(curl -sS -o /dev/null -w '%{http_code}' -m 20 -b "$jar" --data-urlencode "csrf=$token" \
			--data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
			--data-urlencode "body=$P $1 #$i" "$BASE/sms/send" 2>/dev/null) || st=000
		echo "$1 $i $st"
		sleep 0.5
	done
}
pids=()
for a in $ALL; do sends "$a" > "$T_TMP/sends.$a" & pids+=($!); done
node "$REPO/tests/e2e/chaos-inbound.js" "$CARRIER_TOKEN" "$INBOUND_URL" "$CARRIER_ACCOUNT" \
	"$X" "$A1" "galera-$UNIQ" 2 "$T_TMP/stop" > "$T_TMP/answers" 2>"$T_TMP/node.err" &
pids+=($!)

t0=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
	sleep 4
	check "round $round: host A's node ($NA) is killed with SIGKILL under the streams" stack_galera_kill "$STACK_DIR" "$NA"
	echo "# round $round: node $NA killed at +$(( $(date +%s) - t0 )) s"
	# host A stays on its own node (db.host, db.port): it answers 503 until the node is back
	check "round $round: host A answers 503 while its node is down" stack_wait 50 healthz_is "$HOST_A" 503
	# host B's node goes on once the cluster has dropped the dead one
	check "round $round: host B serves meanwhile (healthz 200)" stack_wait 300 healthz_is "$HOST_B" 200
	sleep 3
	how=$(stack_galera_restart "$STACK_DIR" "$NA" --wsrep-sst-donor="n$ND")
	check "round $round: node $NA starts again and is Synced" test -n "$how"
	echo "# round $round: node $NA back at +$(( $(date +%s) - t0 )) s, by ${how:-nothing}"
	check "round $round: host A serves again (healthz 200)" stack_wait 300 healthz_is "$HOST_A" 200
done
sleep 3
touch "$T_TMP/stop"
wait "${pids[@]}"
cat "$T_TMP/node.err"
echo "# the streams ran $(( $(date +%s) - t0 )) s"

# ---- inbound webhooks
total=$(wc -l < "$T_TMP/answers")
ok200=$(awk '$2 == 200' "$T_TMP/answers" | wc -l)
echo "# $total webhooks: $ok200 answered 200; the others: $(awk '$2 != 200 {print $2}' "$T_TMP/answers" | sort | uniq -c | tr '\n' ' ')"
check "the webhook stream ran through the outage (>= 100 webhooks, got $total)" test "$total" -ge 100
check "some webhooks were refused while the node was down (the test saw the outage)" test "$ok200" -lt "$total"
check "every other answer is a 5xx or no answer (the carrier retries those)" \
	bash -c "! awk '\$2 != 200 && \$2 != \"000\" && \$2 !~ /^5/' '$T_TMP/answers' | grep -q ."
stored() { # SIDS_FILE: how many inbound texts carry those sids (on stdin: the list can be long)
	[ -s "$1" ] || { echo 0; return; }
	{ echo "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND carrier_sid IN ("
	  sed "s/.*/'&'/" "$1" | paste -sd,
	  echo ")"; } | on_b
}
awk '$2 == 200 {print $1}' "$T_TMP/answers" | sort -u > "$T_TMP/acked"
got=$(stored "$T_TMP/acked")
check "every webhook answered 200 is stored ($got of $(wc -l < "$T_TMP/acked"))" test "$got" = "$(wc -l < "$T_TMP/acked")"
awk '$2 != 200 {print $1}' "$T_TMP/answers" | sort -u > "$T_TMP/retry"
echo "# of the $(wc -l < "$T_TMP/retry") not answered 200, $(stored "$T_TMP/retry") were committed all the same (the answer lost)"
# the carrier's retries, with the same MessageSid, now that the node is back
node "$REPO/tests/e2e/chaos-inbound.js" "$CARRIER_TOKEN" "$INBOUND_URL" "$CARRIER_ACCOUNT" \
	"$X" "$A1" "galera-$UNIQ" 2 "$T_TMP/stop" "$T_TMP/retry" > "$T_TMP/retried" 2>>"$T_TMP/node.err"
bad=$(awk '$2 != 200' "$T_TMP/retried" | wc -l)
check "the retries are answered 200 ($bad not, of $(wc -l < "$T_TMP/retried"))" test "$bad" = 0
awk '{print $1}' "$T_TMP/answers" | sort -u > "$T_TMP/all"
n_all=$(wc -l < "$T_TMP/all")
check "every webhook of the stream is then stored ($(stored "$T_TMP/all") of $n_all)" test "$(stored "$T_TMP/all")" = "$n_all"
# once: the contact's number is this run's own, so every inbound text from
# it is one of these (a second copy would have to carry another sid)
from_x=$(sql "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND contact_number = '$X'")
check "each of them once: $from_x inbound texts from the number, $n_all webhooks" test "$from_x" = "$n_all"

# ---- sends
cat "$T_TMP"/sends.* > "$T_TMP/sent"
total=$(wc -l < "$T_TMP/sent")
acked=$(awk '$3 == 303' "$T_TMP/sent" | wc -l)
echo "# $total sends: $acked answered 303; the others: $(awk '$3 != 303 {print $3}' "$T_TMP/sent" | sort | uniq -c | tr '\n' ' ')"
check "sends were answered 303 through the outage (>= 40, got $acked)" test "$acked" -ge 40
check "some sends were refused while the node was down (the test saw the outage)" test "$acked" -lt "$total"
check "every other answer to a send is a 5xx or no answer" \
	bash -c "! awk '\$3 != 303 && \$3 != \"000\" && \$3 !~ /^5/' '$T_TMP/sent' | grep -q ."
# the texts host A's dispatcher held when its node died come back when their
# lease ends (carrier.timeout_ms per text + 30 s), in doubt: looked up first
check "every stored send reaches a carrier sid" wait_sql 150 \
	"SELECT COUNT(*) FROM messages WHERE body LIKE '$P %' AND carrier_sid IS NULL" 0
curl -sS "$CARRIER/_fake/requests" | jq -r --arg p "$P " \
	'.[] | select(.method == "POST" and (.params.Body // "" | startswith($p))) | .params.Body' | sort | uniq -c > "$T_TMP/posts"
twice=$(awk '$1 > 1' "$T_TMP/posts" | wc -l)
check "no send was posted to the carrier twice ($twice were)" test "$twice" = 0
lost=0
while read -r a i st; do
	[ "$st" = 303 ] || continue
	grep -q " $P $a #$i\$" "$T_TMP/posts" || lost=$((lost + 1))
done < "$T_TMP/sent"
check "every send answered 303 reached the carrier ($lost did not)" test "$lost" = 0
check "every text the carrier got is a stored one, sent ($(wc -l < "$T_TMP/posts") posted)" test "$(wc -l < "$T_TMP/posts")" = \
	"$(sql "SELECT COUNT(*) FROM messages WHERE body LIKE '$P %' AND carrier_sid IS NOT NULL")"
echo "# the carrier got $(wc -l < "$T_TMP/posts") of the $total sends; look-ups of texts in doubt: $(curl -sS "$CARRIER/_fake/requests" | jq '[.[] | select(.method == "GET" and (.path | endswith("/Messages.json")))] | length')"

# ---- status callbacks: the carrier's, for these texts
# each message's last callback comes 2 x 50 ms after its send: settled
# soon; the carrier's statuses are read after
settled() {
	curl -sS "$CARRIER/_fake/stats" | jq -e '.callbacks_pending == 0' >/dev/null
}
stack_wait 100 settled || echo "# the carrier still had callbacks to send"
curl -sS "$CARRIER/_fake/messages" | jq -r --arg p "$P " '.[] | select(.body | startswith($p)) | "\(.sid) \(.status)"' |
	sort > "$T_TMP/carrier-status"
sids=$(awk '{print $1}' "$T_TMP/carrier-status" | jq -R . | jq -sc .)
curl -sS "$CARRIER/_fake/callbacks" | jq -c --argjson s "$sids" \
	'.[] | select(.params.MessageSid as $m | $s | index($m))' > "$T_TMP/callbacks"
jq -r 'select(.ok) | "\(.params.MessageSid) \(.params.MessageStatus)"' "$T_TMP/callbacks" | sort -u > "$T_TMP/cb-ok"
jq -c 'select(.ok | not)' "$T_TMP/callbacks" > "$T_TMP/cb-failed"
echo "# $(wc -l < "$T_TMP/callbacks") status callbacks: $(wc -l < "$T_TMP/cb-ok") answered 2xx, $(wc -l < "$T_TMP/cb-failed") not after the carrier's retries"
check "the carrier sent the texts' status callbacks (>= 2 a text)" \
	test "$(wc -l < "$T_TMP/callbacks")" -ge $((2 * $(wc -l < "$T_TMP/carrier-status")))
events() { # the (sid, status) pairs stored for these texts
	{ echo "SELECT CONCAT(carrier_sid, ' ', status) FROM message_events WHERE carrier_sid IN ("
	  awk '{print "'\''" $1 "'\''"}' "$T_TMP/carrier-status" | paste -sd,
	  echo ")"; } | on_b | sort
}
events > "$T_TMP/events"
missing=$(comm -23 "$T_TMP/cb-ok" "$T_TMP/events" | wc -l)
check "every status callback answered 2xx is stored ($missing not)" test "$missing" = 0
# the ones the carrier gave up on, posted again as its next retry would be:
# the same fields with the carrier's own signature
bad=0
while read -r cb; do
	args=()
	while IFS= read -r f; do args+=(--data-urlencode "$f"); done \
		< <(jq -r '.params | to_entries[] | "\(.key)=\(.value)"' <<<"$cb")
	req -H "X-Twilio-Signature: $(jq -r .signature <<<"$cb")" "${args[@]}" "$(jq -r .url <<<"$cb")"
	[ "$STATUS" = 200 ] || bad=$((bad + 1))
done < "$T_TMP/cb-failed"
check "the status callbacks not answered 2xx are answered 200 when posted again ($bad not)" test "$bad" = 0
events > "$T_TMP/events"
jq -r '"\(.params.MessageSid) \(.params.MessageStatus)"' "$T_TMP/callbacks" | sort -u > "$T_TMP/cb-all"
missing=$(comm -23 "$T_TMP/cb-all" "$T_TMP/events" | wc -l)
check "then every status callback is stored ($missing not)" test "$missing" = 0
# a callback that found no text with its sid is kept unattached, to be
# applied when the dispatcher records the sid (cgi-bin/dispatcher.c
# apply_early_events), or, when the two missed each other on two nodes, by
# an idle dispatcher's sweep (every 5 s); here every sid is recorded, so
# none may stay so
none_unattached() {
	{ echo "SELECT COUNT(*) FROM message_events WHERE message_id IS NULL AND carrier_sid IN ("
	  awk '{print "'\''" $1 "'\''"}' "$T_TMP/carrier-status" | paste -sd,
	  echo ")"; } | on_b > "$T_TMP/unattached"
	test "$(cat "$T_TMP/unattached")" = 0
}
stack_wait 300 none_unattached
check "no status callback is left unattached to its text ($(cat "$T_TMP/unattached") are, 30 s on)" \
	test "$(cat "$T_TMP/unattached")" = 0
{ echo "SELECT CONCAT(carrier_sid, ' ', status) FROM messages WHERE carrier_sid IN ("
  awk '{print "'\''" $1 "'\''"}' "$T_TMP/carrier-status" | paste -sd,
  echo ")"; } | on_b | sort > "$T_TMP/ours"
check "each text ends with the carrier's status ($(comm -3 "$T_TMP/carrier-status" "$T_TMP/ours" | wc -l) differ)" \
	cmp -s "$T_TMP/carrier-status" "$T_TMP/ours"
comm -23 "$T_TMP/carrier-status" "$T_TMP/ours" | sed 's/^/# at the carrier, not here: /'
comm -13 "$T_TMP/carrier-status" "$T_TMP/ours" | sed 's/^/# here, not at the carrier: /'

# ---- host A again: a send straight to it is taken and sent
jar_cookies() { sed -n 's/^#HttpOnly_//; /^#/d; /^$/d; p' "$1" | awk -F'\t' '{ printf "%s=%s; ", $6, $7 }'; }
curl -sS -o "$T_TMP/page" -b "$T_TMP/a1" "$BASE/profile"
B="After the node came back, through host A ($UNIQ)"
body="csrf=$(csrf_from "$T_TMP/page")&lead=$lead&contact=$contact&body=$(jq -rn --arg b "$B" '$b|@uri')"
out=$(COOKIE=$(jar_cookies "$T_TMP/a1") FCGI_SOCKET=$HOST_A fcgi POST /sms/send "$body")
check "host A takes a send again (303)" grep -q '^Status: 303' <<<"$out"
check "and it reaches the carrier once" wait_sql 30 "SELECT COUNT(*) FROM messages WHERE body = '$B' AND carrier_sid IS NOT NULL"
check "the cluster has its three nodes again" test \
	"$(stack_mysql "$T_TMP/on-b" -N -B -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)" = 3
echo "# t0924 ran $SECONDS s"
