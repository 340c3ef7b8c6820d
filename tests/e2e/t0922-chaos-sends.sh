#!/usr/bin/env bash
# Chaos: a stream of sends from the chatbox while smsdesk is killed with
# SIGKILL mid-run and started again. Every send answered with its redirect
# (303) reaches the carrier exactly once after the restart; a send cut off
# before its answer (no answer, or nginx's 502 while smsdesk is down) is
# sent once or not at all; none twice. Texts the killed dispatcher had
# claimed come back when their lease ends, in doubt: looked up at the
# carrier, not sent again.
. "$REPO/tests/e2e/lib.sh"

PW='chaos send password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Chaos out $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@chaos-out.test", "name": "Cole Chaos", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Chaos out lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Cyd Chaos", "mobile": "$(mobile)"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c)
login "$T_TMP/a" "a.$UNIQ@chaos-out.test" "$PW"
check "signed in" test "$STATUS" = 303
curl -sS -o "$T_TMP/page" -b "$T_TMP/a" "$BASE/profile"
token=$(csrf_from "$T_TMP/page")
P="Chaos send $UNIQ"

stream() { # until $T_TMP/stop: "N STATUS" per send
	local i=0 st
	while [ ! -e "$T_TMP/stop" ]; do
		i=$((i + 1))
		st=$(curl -sS -o /dev/null -w '%{http_code}' -m 10 -b "$T_TMP/a" --data-urlencode "csrf=$token" \
			--data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
			--data-urlencode "body=$P #$i" "$BASE/sms/send" 2>/dev/null) || st=000
		echo "$i $st"
		sleep 0.2
	done
}
stream > "$T_TMP/answers" &
spid=$!
sleep 4
pid=$(cat "$STACK_DIR/smsdesk.pid")
kill -KILL "$pid"
check "smsdesk is killed with SIGKILL mid-stream" stack_wait 100 bash -c "! kill -0 $pid"
sleep 1
check "smsdesk starts again" stack_smsdesk_start "$STACK_DIR" "$E2E_SMSDESK_BIN"
sleep 4
touch "$T_TMP/stop"
wait "$spid"

total=$(wc -l < "$T_TMP/answers")
acked=$(awk '$2 == 303' "$T_TMP/answers" | wc -l)
echo "# $total sends: $acked answered 303; the others: $(awk '$2 != 303 {print $2}' "$T_TMP/answers" | sort | uniq -c | tr '\n' ' ')"
check "sends were answered 303 before and after the kill" test "$acked" -ge 10
check "some were cut off by the kill (the test saw it)" test "$acked" -lt "$total"
check "every other answer is nginx's 502 or no answer" \
	bash -c "! awk '\$2 != 303 && \$2 != 502 && \$2 != \"000\"' '$T_TMP/answers' | grep -q ."
pending() { sql "SELECT COUNT(*) FROM messages WHERE body LIKE '$P #%' AND carrier_sid IS NULL"; }
# at the per-number rate (1 a second), and after the lease of what the
# killed dispatcher had claimed (carrier.timeout_ms per text + 30 s)
check "every stored send reaches a carrier sid" wait_sql 150 \
	"SELECT COUNT(*) FROM messages WHERE body LIKE '$P #%' AND carrier_sid IS NULL" 0
curl -sS "$CARRIER/_fake/requests" | jq -r --arg p "$P #" \
	'.[] | select(.method == "POST" and (.params.Body // "" | startswith($p))) | .params.Body' | sort | uniq -c > "$T_TMP/posts"
twice=$(awk '$1 > 1' "$T_TMP/posts" | wc -l)
check "no send was posted to the carrier twice ($twice were)" test "$twice" = 0
lost=0
while read -r i st; do
	[ "$st" = 303 ] || continue
	grep -q " $P #$i\$" "$T_TMP/posts" || lost=$((lost + 1))
done < "$T_TMP/answers"
check "every send answered 303 reached the carrier ($lost did not)" test "$lost" = 0
check "every text the carrier got is a stored one, sent" test "$(wc -l < "$T_TMP/posts")" = \
	"$(sql "SELECT COUNT(*) FROM messages WHERE body LIKE '$P #%' AND carrier_sid IS NOT NULL")"
echo "# the carrier got $(wc -l < "$T_TMP/posts") of the $total sends; $(grep -c "message [0-9]*: .*in doubt\|looked up" "$STACK_DIR/smsdesk.log") look-up lines in smsdesk's log"
