#!/usr/bin/env bash
# Slowloris: 2,500 unfinished requests from one address, each trickling a
# header line every 2 s, do not keep anyone else out. nginx holds them
# (enough connections: tools/stack.sh from nginx.conf.example), answers
# other requests at once meanwhile, and closes each one that has not sent
# its whole header within client_header_timeout (10 s), however it trickles.
. "$REPO/tests/e2e/lib.sh"

N=2500
HOSTPORT=${BASE#http://}
node "$REPO/tests/e2e/slowloris.js" "${HOSTPORT%:*}" "${HOSTPORT##*:}" "$N" 16 "$T_TMP/ready" > "$T_TMP/slow.json" &
slow=$!
for _ in $(seq 1 100); do [ -f "$T_TMP/ready" ] && break; sleep 0.1; done
check "$N unfinished requests are held open from one address" test "$(cat "$T_TMP/ready" 2>/dev/null)" = "$N"
# other requests meanwhile, from the same address: each answered at once
slowest=0; answered=0
for i in $(seq 1 20); do
	out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time 3 "$BASE/healthz" 2>/dev/null) || out="000 3"
	[ "${out%% *}" = 200 ] && answered=$((answered + 1))
	ms=$(awk -v t="${out##* }" 'BEGIN { printf "%d", t * 1000 }')
	[ "$ms" -gt "$slowest" ] && slowest=$ms
	sleep 0.2
done
check "meanwhile 20 other requests are answered 200 ($answered)" test "$answered" = 20
check "each within a second (slowest ${slowest} ms)" test "$slowest" -lt 1000
login "$T_TMP/jar" nobody@slowloris.test wrong-password
check "and the sign-in page answers (a refused sign-in: 200)" test "$STATUS" = 200
wait "$slow"
closed=$(jq -r .closed "$T_TMP/slow.json"); last=$(jq -r .last "$T_TMP/slow.json"); first=$(jq -r .first "$T_TMP/slow.json")
check "nginx closes every unfinished request ($closed of $N)" test "$closed" = "$N"
check "after its header timeout, not before (first ${first} ms, last ${last} ms)" \
	bash -c "[ '$first' -ge 9000 ] && [ '$last' -le 14000 ]"
check "nginx never ran out of connections" bash -c "! grep -q 'worker_connections are not enough' '$STACK_DIR/nginx/error.log'"
