#!/usr/bin/env bash
# make run's supervisor (tools/run.sh, stack_supervise in tools/stack.sh):
# each of its services killed with SIGKILL is started again, says so, and
# serves; SIGINT (Ctrl-C) then stops everything it started. Its own stack
# in this test's directory, on its own ports.
. "$REPO/tests/e2e/lib.sh"

# (not .../run/smsdesk...: stack_nginx_conf takes that for the example's path)
RUN=$T_TMP/sup
mkdir -p "$RUN"
port=$(stack_free_port)
RB=http://127.0.0.1:$port
# SIGINT as from a terminal: a background job's is ignored unless reset
RUN_DIR=$RUN PORT=$port RUN_SMSDESK_BIN=$E2E_SMSDESK_BIN \
	env --default-signal=INT bash "$REPO/tools/run.sh" >"$T_TMP/run.out" 2>&1 &
sup=$!  # env execs bash: run.sh's own pid
up() { curl -fsS -o /dev/null "$RB/healthz"; }
if ! stack_wait 1800 up; then
	not_ok "make run's stack comes up and serves"
	sed 's/^/# /' "$T_TMP/run.out"
	kill -TERM "$sup"
	wait "$sup"
	exit 1
fi
ok "make run's stack comes up and serves"
check "it says a service that stops is started again" stack_wait 300 grep -q 'started again' "$T_TMP/run.out"
check "the demo sign-in page renders" bash -c "curl -fsS '$RB/login' | grep -q 'name=\"csrf\"'"

pidfile() { stack_service_pidfile "$RUN" "$1"; }
seen=()
# (svc and old_pid: check's own `local name` would hide a global $name)
for svc in smsdesk mariadb carrier nginx; do
	old_pid=$(cat "$(pidfile "$svc")")
	seen+=("$old_pid")
	kill -KILL "$old_pid"
	back() { local p; p=$(cat "$(pidfile "$svc")") && [ "$p" != "$old_pid" ] && kill -0 "$p"; }
	check "$svc killed with SIGKILL is started again" stack_wait 600 back
	check "the supervisor said so: $svc exited (signal 9); restarting in 1 s" \
		grep -q "^$svc exited (signal 9); restarting in 1 s" "$T_TMP/run.out"
	seen+=("$(cat "$(pidfile "$svc")")")
	case $svc in
	carrier) check "the carrier answers again" stack_wait 300 curl -fsS -o /dev/null "http://127.0.0.1:$((port + 1))/_fake/stats" ;;
	*) check "smsdesk serves again through nginx after $svc came back (healthz 200)" stack_wait 600 up ;;
	esac
done
# smsdesk was not restarted when MariaDB was: the same process reconnected
check "smsdesk was restarted only when it was killed" test "$(grep -c '^smsdesk exited' "$T_TMP/run.out")" = 1
good=0
for _ in $(seq 1 20); do curl -fsS -o /dev/null "$RB/healthz" && good=$((good + 1)); done
check "20 of 20 requests served after all four restarts (got $good)" test "$good" = 20

# one that dies again within 10 s of its restart waits longer
svc=carrier
old_pid=$(cat "$(pidfile carrier)")
kill -KILL "$old_pid"
check "the carrier killed again is started again" stack_wait 600 back
# (its start is over when the supervisor says so: a kill before is a failed start)
restarted2() { [ "$(grep -c '^carrier restarted' "$T_TMP/run.out")" = 2 ]; }
check "the supervisor says it restarted the carrier a second time" stack_wait 300 restarted2
old_pid=$(cat "$(pidfile carrier)")
seen+=("$old_pid")
kill -KILL "$old_pid"
check "killed within 10 s of its restart, it waits longer: carrier exited (signal 9); restarting in 2 s" \
	stack_wait 100 grep -q '^carrier exited (signal 9); restarting in 2 s' "$T_TMP/run.out"
check "and comes back" stack_wait 600 back
seen+=("$(cat "$(pidfile carrier)")" "$(cat "$(pidfile mariadb)")" "$(cat "$(pidfile smsdesk)")" "$(cat "$(pidfile nginx)")")

kill -INT "$sup"
check "Ctrl-C stops the supervisor" stack_wait 600 bash -c "! kill -0 $sup"
alive=()
for p in "${seen[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
check "nothing it started is left running (alive: ${alive[*]:-none})" test "${#alive[@]}" = 0
check "nothing listens on its ports" bash -c "! ss -Hltn 'sport = :$port' | grep -q . && ! ss -Hltn 'sport = :$((port + 1))' | grep -q ."
# ([/]: the pattern does not match the command line that holds it)
check "no process runs from its directory" bash -c "! pgrep -f '[/]${RUN#/}/' >/dev/null"
kill -KILL "$sup" 2>/dev/null
cp "$T_TMP/run.out" "$STACK_DIR/$T_NAME.run.out" 2>/dev/null || true
