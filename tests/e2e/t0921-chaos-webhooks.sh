#!/usr/bin/env bash
# Chaos: a stream of signed inbound webhooks while MariaDB is killed with
# SIGKILL and started again, twice (CHAOS_ROUNDS times under make chaos). Every webhook answered 200 is stored,
# once; every other answer is one the carrier retries (5xx, or no answer),
# never a 200 for a text not committed. The carrier's retries of those are
# then stored once each. MariaDB runs durably here (a commit is on disk
# when it is acknowledged), as in production: the tests' fast MariaDB
# loses its last second of commits when killed.
. "$REPO/tests/e2e/lib.sh"

A=$(mobile) X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Chaos in $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@chaos-in.test", "name": "Cass Chaos", "role": "agent",
            "password": "chaos in password 1", "sms_permission": true, "sms_number": "$A"}],
 "leads": [{"key": "l", "org": "o", "name": "Chaos lead", "assigned": ["a"],
   "contacts": [{"key": "x", "role": "borrower", "name": "Xavi Chaos", "mobile": "$X"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"

flush0=$(stack_mysql "$STACK_DIR" -N -B -e "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit")
stack_mysql "$STACK_DIR" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
restore() { stack_mysql "$STACK_DIR" -e "SET GLOBAL innodb_flush_log_at_trx_commit = $flush0" 2>/dev/null; rm -rf "$T_TMP"; }
trap restore EXIT

kill_mariadb() {
	local pid
	pid=$(cat "$STACK_DIR/mysql/mysqld.pid")
	kill -KILL "$pid"
	stack_wait 100 bash -c "! kill -0 $pid"
}

P="chaos-$UNIQ"
node "$REPO/tests/e2e/chaos-inbound.js" "$CARRIER_TOKEN" "$INBOUND_URL" "$CARRIER_ACCOUNT" \
	"$X" "$A" "$P" 4 "$T_TMP/stop" > "$T_TMP/answers" 2>"$T_TMP/node.err" &
stream=$!
for round in $(seq 1 "${CHAOS_ROUNDS:-2}"); do  # make chaos: more
	sleep 3
	check "round $round: MariaDB is killed with SIGKILL under the stream" kill_mariadb
	sleep 2
	# durable as in production (not the tests' STACK_MARIADB_FAST)
	check "round $round: MariaDB starts again" env STACK_MARIADB_FAST= bash -c \
		'. "$REPO/tools/stack.sh" && stack_mariadb_start "$1"' _ "$STACK_DIR"
done
sleep 3
touch "$T_TMP/stop"
wait "$stream"
cat "$T_TMP/node.err"

total=$(wc -l < "$T_TMP/answers")
ok200=$(awk '$2 == 200' "$T_TMP/answers" | wc -l)
others=$(awk '$2 != 200 {print $2}' "$T_TMP/answers" | sort | uniq -c | tr '\n' ' ')
echo "# $total webhooks: $ok200 answered 200; the others: ${others:-none}"
check "the stream ran through both restarts (>= 200 webhooks, got $total)" test "$total" -ge 200
check "some were refused while MariaDB was down (the test saw the outage)" test "$ok200" -lt "$total"
check "every other answer is a 5xx or no answer (the carrier retries those)" \
	bash -c "! awk '\$2 != 200 && \$2 != \"000\" && \$2 !~ /^5/' '$T_TMP/answers' | grep -q ."

stored() { # SIDS_FILE: how many of those sids are stored (on stdin: the list can be long)
	[ -s "$1" ] || { echo 0; return; }
	{ echo "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND carrier_sid IN ("
	  sed "s/.*/'&'/" "$1" | paste -sd,
	  echo ")"; } | stack_mysql "$STACK_DIR" -N -B smsdesk
}
awk '$2 == 200 {print $1}' "$T_TMP/answers" > "$T_TMP/acked"
got=$(stored "$T_TMP/acked")
check "every webhook answered 200 is stored ($got of $ok200)" test "$got" = "$ok200"

# the carrier retries what was not answered 200, with the same MessageSid
awk '$2 != 200 {print $1}' "$T_TMP/answers" > "$T_TMP/retry"
echo "# of the $(wc -l < "$T_TMP/retry") not answered 200, $(stored "$T_TMP/retry") were committed all the same (the answer lost)"
node "$REPO/tests/e2e/chaos-inbound.js" "$CARRIER_TOKEN" "$INBOUND_URL" "$CARRIER_ACCOUNT" \
	"$X" "$A" "$P" 4 "$T_TMP/stop" "$T_TMP/retry" > "$T_TMP/retried" 2>>"$T_TMP/node.err"
bad=$(awk '$2 != 200' "$T_TMP/retried" | wc -l)
check "the carrier's retries are answered 200 ($bad not, of $(wc -l < "$T_TMP/retried"))" test "$bad" = 0
all=$(awk '{print $1}' "$T_TMP/answers" | sort -u)
echo "$all" > "$T_TMP/all"
check "after the retries every webhook of the stream is stored, once ($(stored "$T_TMP/all") of $(wc -l < "$T_TMP/all"))" \
	test "$(stored "$T_TMP/all")" = "$(wc -l < "$T_TMP/all")"
check "smsdesk serves after the restarts (healthz 200)" stack_wait 100 curl -fsS -o /dev/null "$BASE/healthz"
