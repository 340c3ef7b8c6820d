#!/usr/bin/env bash
# SIGTERM: a request in flight is finished, then smsdesk exits 0 within 5 s.
# A second smsdesk of the build under test, on its own socket.
. "$REPO/tests/e2e/lib.sh"

export FCGI_SOCKET=$T_TMP/term.sock
SMSDESK_LISTEN=$FCGI_SOCKET SMSDESK_WORKERS=2 "$E2E_SMSDESK_BIN" 2>"$T_TMP/term.log" &
pid=$!
check "a second smsdesk starts" stack_wait 100 test -S "$FCGI_SOCKET"

out=$(fcgi GET /login)
pre=$(grep -o 'smsdesk_pre=[0-9a-f]*' <<<"$out" | head -n1)
token=$(grep -o 'name="csrf" value="[^"]*"' <<<"$out" | sed 's/.*value="\([^"]*\)"/\1/')
check "it serves the sign-in form" test -n "$pre" -a -n "$token"

# Hold MariaDB's global read lock for 3 s: the sign-in's INSERT waits on it.
stack_mysql "$STACK_DIR" -e "FLUSH TABLES WITH READ LOCK; SELECT SLEEP(3); UNLOCK TABLES;" >/dev/null &
lockpid=$!
# MariaDB's process list: the lock is held, then the sign-in waits on it
check "the read lock is taken" wait_sql 10 \
	"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(3)%'"
COOKIE=$pre fcgi POST /login "csrf=$token&email=nobody.$UNIQ%40term.test&password=whatever" >"$T_TMP/inflight" &
reqpid=$!
check "the sign-in waits for the lock" wait_sql 10 \
	"SELECT COUNT(*) > 0 FROM information_schema.PROCESSLIST WHERE STATE IN ('Waiting for backup lock', 'Waiting for global read lock')"
check "the request is still in flight when SIGTERM is sent" kill -0 "$reqpid"
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$reqpid"
wait "$lockpid"
check "smsdesk exits 0 (got $rc)" test "$rc" = 0
check "within 5 s (${ms} ms)" test "$ms" -lt 5000
check "the request in flight got its full answer" grep -q 'Wrong email or password' "$T_TMP/inflight"
check "it waited for the lock, so it really was in flight (${ms} ms >= 1000)" test "$ms" -ge 1000
check "the socket is removed" test ! -e "$FCGI_SOCKET"
check "the stop is logged" grep -q 'smsdesk stopped' "$T_TMP/term.log"
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$T_TMP/term.log'"
