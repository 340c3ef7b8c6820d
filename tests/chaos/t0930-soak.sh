#!/usr/bin/env bash
# make chaos: the soak. CHAOS_MINUTES (default 30) of mixed traffic against
# the stack under test: signed-in pages (/leads, a lead, the inbox),
# chatbox sends (with the fake carrier's status callbacks) and signed
# inbound webhooks. smsdesk's resident memory, open file descriptors and
# MariaDB's connections are sampled each minute; after the warm-up (the
# first five minutes, or half of a shorter run) none grows: each later
# sample is at most the warm-up's (memory: + 10 % and 4 MB, for the
# allocator's arenas; descriptors and connections: + 2).
. "$REPO/tests/e2e/lib.sh"

MIN=${CHAOS_MINUTES:-30}
WARM=5
[ "$MIN" -ge 10 ] || WARM=$((MIN / 2))
[ "$WARM" -ge 1 ] || WARM=1

PW='soak password 1'
A=$(mobile) X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Soak $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@soak.test", "name": "Sol Soak", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$A"}],
 "leads": [{"key": "l", "org": "o", "name": "Soak lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Sam Soak", "mobile": "$X"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); contact=$(id_of d contacts c)
login "$T_TMP/a" "a.$UNIQ@soak.test" "$PW"
check "signed in" test "$STATUS" = 303
curl -sS -o "$T_TMP/page" -b "$T_TMP/a" "$BASE/profile"
token=$(csrf_from "$T_TMP/page")

pages() {
	while [ ! -e "$T_TMP/stop" ]; do
		for p in /leads "/leads/$lead" /inbox /healthz /profile; do
			curl -sS -o /dev/null -w '%{http_code}\n' -b "$T_TMP/a" "$BASE$p" 2>/dev/null || echo 000
		done
	done > "$T_TMP/pages"
}
sends() { # at the per-number rate
	local i=0
	while [ ! -e "$T_TMP/stop" ]; do
		i=$((i + 1))
		curl -sS -o /dev/null -w '%{http_code}\n' -b "$T_TMP/a" --data-urlencode "csrf=$token" \
			--data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
			--data-urlencode "body=Soak $UNIQ #$i" "$BASE/sms/send" 2>/dev/null || echo 000
		sleep 1
	done > "$T_TMP/sends"
}
pages & p1=$!
sends & p2=$!
node "$REPO/tests/e2e/chaos-inbound.js" "$CARRIER_TOKEN" "$INBOUND_URL" "$CARRIER_ACCOUNT" \
	"$X" "$A" "soak-$UNIQ" 1 "$T_TMP/stop" > "$T_TMP/hooks" 2>"$T_TMP/node.err" &
p3=$!

pid=$(cat "$STACK_DIR/smsdesk.pid")
sample() { # minute: "MIN RSS_KB FDS CONNECTIONS"
	echo "$1 $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") $(ls "/proc/$pid/fd" | wc -l)" \
		"$(stack_mysql "$STACK_DIR" -N -B -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'smsdesk'")"
}
echo "# minute rss_kb fds mariadb_connections (smsdesk pid $pid)"
for m in $(seq 1 "$MIN"); do
	sleep 60
	sample "$m" | tee -a "$T_TMP/samples" | sed 's/^/# /'
done
touch "$T_TMP/stop"
wait "$p1" "$p2" "$p3"

check "smsdesk is the same process throughout" test "$(cat "$STACK_DIR/smsdesk.pid")" = "$pid"
echo "# pages: $(sort "$T_TMP/pages" | uniq -c | tr '\n' ' ')"
echo "# sends: $(sort "$T_TMP/sends" | uniq -c | tr '\n' ' ')"
echo "# webhooks: $(awk '{print $2}' "$T_TMP/hooks" | sort | uniq -c | tr '\n' ' ')"
check "every page answered 200 ($(grep -vc '^200$' "$T_TMP/pages") not)" test "$(grep -vc '^200$' "$T_TMP/pages")" = 0
check "every send answered 303 ($(grep -vc '^303$' "$T_TMP/sends") not)" test "$(grep -vc '^303$' "$T_TMP/sends")" = 0
check "every webhook answered 200" bash -c "! awk '\$2 != 200' '$T_TMP/hooks' | grep -q ."
read -r _ rss0 fd0 db0 < <(sed -n "${WARM}p" "$T_TMP/samples")
worst() { awk -v w="$WARM" -v c="$1" 'NR > w && $c > m {m = $c} END {print m + 0}' "$T_TMP/samples"; }
if [ "$MIN" -gt "$WARM" ]; then
	check "resident memory does not grow after minute $WARM ($rss0 kB then, at most $(worst 2) kB after)" \
		test "$(worst 2)" -le $((rss0 + rss0 / 10 + 4096))
	check "open descriptors do not grow after minute $WARM ($fd0 then, at most $(worst 3) after)" \
		test "$(worst 3)" -le $((fd0 + 2))
	check "MariaDB connections do not grow after minute $WARM ($db0 then, at most $(worst 4) after)" \
		test "$(worst 4)" -le $((db0 + 2))
else
	not_ok "CHAOS_MINUTES=$MIN leaves no minute after the warm-up to compare"
fi
