#!/usr/bin/env bash
# The shared-host set-up (tools/test.sh, run_hosted): Apache + mod_fcgid
# from apache.conf.example, as an ordinary user, smsdesk started by
# mod_fcgid on its standard input, MariaDB over TCP with a plain account
# and no time zone tables. HOSTED_DISPATCH says who sends: `cron`
# (smsdeskctl dispatch, run by the harness) or `thread` (the processes
# mod_fcgid starts). mod_fcgid starts, reuses and kills processes at will:
# no request may fail for it, and no text may be sent twice.
. "$REPO/tests/e2e/lib.sh"

APACHE_PID=$(cat "$STACK_DIR/apache/httpd.pid")
# the smsdesk processes of this Apache (children of its process manager)
fcgid_pids() {
	local kids
	kids=$(ps -o pid= --ppid "$APACHE_PID" | tr -d ' ' | paste -sd, -)
	[ -n "$kids" ] || return 0
	ps -o pid=,args= --ppid "$kids" | awk '/smsdesk\.fcgi/ { print $1 }'
}
fcgid_count() { fcgid_pids | wc -l; }

# ---- pages, static files and bad input through Apache
expect_status "a page is served by smsdesk through mod_fcgid" 200 "$BASE/login"
check "with the security headers" header_has "^Content-Security-Policy: default-src 'self'"
check "once each" test "$(grep -ci '^X-Content-Type-Options' "$T_TMP/headers")" = 1
check "Apache names no version" bash -c "grep -i '^Server:' '$T_TMP/headers' | grep -vq '[0-9]'"
expect_status "a static file is served by Apache" 200 "$BASE/static/smsdesk.css"
check "cached for a year" header_has '^Cache-Control: max-age=31536000, public, immutable'
expect_status "an unknown page is smsdesk's 404" 404 "$BASE/no-such-page-$UNIQ"
check "the 404 is smsdesk's page" body_has 'smsdesk'
expect_status "invalid UTF-8 in the query is 400" 400 "$BASE/healthz?a=%C3%28"
expect_status "a NUL byte in the query is 400" 400 "$BASE/healthz?a=x%00y"
expect_status "a POST with bad UTF-8 in its form is 400" 400 --data 'email=%FF&password=x' "$BASE/login"
expect_status "a POST that is not a form is 415" 415 -H 'Content-Type: text/plain' --data 'email=x' "$BASE/login"
head -c 65537 /dev/zero | tr '\0' a > "$T_TMP/big"
expect_status "a body over max_body_bytes is 413" 413 --data-binary "@$T_TMP/big" "$BASE/login"
head -c 65536 /dev/zero | tr '\0' a > "$T_TMP/limit"
req --data-binary "@$T_TMP/limit" "$BASE/login"
check "a body of exactly max_body_bytes reaches smsdesk (not 413)" test "$STATUS" != 413 -a "$STATUS" != 500

# ---- one agent who texts, to see texts go out whatever mod_fcgid does
PW='hosted password 1'
AGENTS="" CONSENTS=""
for a in a1 a2 a3 a4; do
	AGENTS="$AGENTS{\"key\": \"$a\", \"org\": \"o\", \"email\": \"$a.$UNIQ@hosted.test\", \"name\": \"Agent $a\", \"role\": \"agent\", \"password\": \"$PW\", \"sms_permission\": true, \"sms_number\": \"$(mobile)\", \"time_zone\": \"America/Chicago\"},"
	CONSENTS="$CONSENTS{\"agent\": \"$a\", \"contact\": \"bob\", \"status\": \"granted\"},"
done
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Hosted $UNIQ", "sms_enabled": true, "sms_level": "advanced"}],
 "users": [${AGENTS%,}],
 "leads": [{"key": "l", "org": "o", "name": "Hosted lead", "assigned": ["a1","a2","a3","a4"], "updated_at": "2026-07-01T15:30:00Z",
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Hosted", "mobile": "$(mobile)"}]}],
 "consents": [${CONSENTS%,}]}
JSON
check "the test data imports (smsdeskctl over TCP, plain account)" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); bob=$(id_of d contacts bob)
for a in a1 a2 a3 a4; do login "$T_TMP/$a" "$a.$UNIQ@hosted.test" "$PW"; done
check "signing in works through Apache (303)" test "$STATUS" = 303
get "$T_TMP/a1" "/leads/$lead"
check "the lead page shows its time in the viewer's zone without MariaDB's zone tables (10:30 CDT for 15:30Z)" \
	body_has '<time datetime="2026-07-01T15:30:00Z">Jul 1, \(2026, \)\{0,1\}10:30 AM CDT</time>'
check "MariaDB here has no time zone tables" test "$(sql "SELECT COUNT(*) FROM mysql.time_zone_name")" = 0
get "$T_TMP/a1" "/leads/$lead?chat=$lead"
check "the chatbox opens" body_has 'chat-'

send() { # AGENT BODY
	post "$T_TMP/$1" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
		--data-urlencode "body=$2" --data-urlencode "back=/leads/$lead?chat=$lead"
}
B1="Hosted text one ($HOSTED_DISPATCH $UNIQ)"
send a1 "$B1"
check "a send is accepted (303)" test "$STATUS" = 303
check "it reaches the carrier ($HOSTED_DISPATCH)" wait_sql 20 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$B1'"
# FcgidInitialEnv reached smsdesk: one worker, the socket on fd 0, and the
# dispatcher thread only when SMSDESK_DISPATCHER says so
check "smsdesk runs as apache.conf.example says (1 worker, fd 0)" \
	bash -c "grep 'smsdesk started' '$STACK_DIR/smsdesk.log' | tail -n 1 | grep -q 'started: 1 workers on fd 0'"
if [ "$HOSTED_DISPATCH" = cron ]; then
	check "no process mod_fcgid started runs a dispatcher" \
		bash -c "! grep 'smsdesk started' '$STACK_DIR/smsdesk.log' | grep -q 'dispatcher running'"
	# smsdeskctl dispatch ends on SIGTERM after the send in progress, exit 0
	# the program itself, not the ctl function's subshell, gets the signal
	SMSDESK_CONF=$SMSDESK_CONF "$REPO/cgi-bin/smsdeskctl" dispatch --wait 30 >"$T_TMP/dispatch.out" 2>&1 &
	pid=$!
	sleep 1
	t0=$(date +%s%N)
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	check "smsdeskctl dispatch --wait exits 0 on SIGTERM (exit $rc)" test "$rc" = 0
	check "within 2 s" test $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2000
	ctl dispatch --wait x >/dev/null 2>&1
	check "smsdeskctl dispatch refuses a bad --wait (exit 2)" test $? = 2
else
	check "the processes mod_fcgid starts run the dispatcher" \
		bash -c "grep 'smsdesk started' '$STACK_DIR/smsdesk.log' | tail -n 1 | grep -q 'dispatcher running'"
fi
check "once" test "$(carrier_created "$B1")" = 1
check "its status callback lands (delivered)" wait_sql 20 "SELECT status FROM messages WHERE body = '$B1'" delivered

# ---- several processes at once
for _ in $(seq 1 6); do
	for _ in $(seq 1 12); do curl -sS -o /dev/null -w '%{http_code}\n' -b "$T_TMP/a2" "$BASE/leads/$lead" & done
	wait
done > "$T_TMP/burst"
check "a burst of 72 requests in 12s is answered 200" test "$(grep -c '^200$' "$T_TMP/burst")" = 72
check "by several smsdesk processes at once ($(fcgid_count))" test "$(fcgid_count)" -ge 2

# ---- processes killed while idle: the next requests do not fail
kill_all() { # SIGNAL: every smsdesk process of this Apache, and waits
	local pids p
	pids=$(fcgid_pids)
	for p in $pids; do kill "-$1" "$p" 2>/dev/null; done
	for p in $pids; do stack_wait 60 bash -c "! kill -0 $p"; done
}
answers_200() { # N: N requests in a row, every one 200
	local n=$1 i
	for i in $(seq 1 "$n"); do
		[ "$(curl -sS -o /dev/null -w '%{http_code}' -b "$T_TMP/a1" "$BASE/leads/$lead")" = 200 ] || return 1
	done
}
kill_all TERM
check "after SIGTERM to every idle process, requests are answered 200" answers_200 20
kill_all KILL
check "after SIGKILL to every idle process, requests are answered 200" answers_200 20
check "mod_fcgid started new processes" test "$(fcgid_count)" -ge 1

# mod_fcgid's own idle kills (FcgidIdleTimeout 2 in this stack): requests
# that come just as it stops a process are still answered
before=$(grep -c 'smsdesk stopping (signal 15)' "$STACK_DIR/smsdesk.log")
ok_all=1
for i in $(seq 1 8); do
	answers_200 3 || ok_all=0
	sleep 1.$((RANDOM % 10))
done
# idle for FcgidIdleTimeout, then found by a scan: within some seconds
for _ in $(seq 1 30); do
	after=$(grep -c 'smsdesk stopping (signal 15)' "$STACK_DIR/smsdesk.log")
	[ "$after" -gt "$before" ] && [ "$(fcgid_count)" = 0 ] && break
	sleep 0.5
done
check "mod_fcgid stopped idle processes ($((after - before)) SIGTERMs)" test "$after" -gt "$before"
check "requests around its idle kills were all answered 200" test "$ok_all" = 1
check "every SIGTERM ended in a clean stop" test "$(grep -c 'smsdesk stopping (signal 15)' "$STACK_DIR/smsdesk.log")" = \
	"$(grep -c 'smsdesk stopped$' "$STACK_DIR/smsdesk.log")"
check "no process outlived its grace period" bash -c "! grep -q 'workers still busy' '$STACK_DIR/smsdesk.log'"

# ---- texts queued while processes come and go are each sent once; with
# cron, two more `smsdeskctl dispatch` runs at once beside the cron loop's
extra=()
if [ "$HOSTED_DISPATCH" = cron ]; then
	for _ in 1 2; do ctl dispatch --wait 8 >>"$T_TMP/dispatch.out" 2>&1 & extra+=($!); done
fi
for i in $(seq 1 12); do
	a=a$(( (i - 1) % 4 + 1 ))
	send "$a" "Churn $i ($HOSTED_DISPATCH $UNIQ)"
	[ $((i % 4)) = 0 ] && kill_all TERM
done
# in `thread` mode only a living process sends: a page view starts one
curl -sS -o /dev/null "$BASE/healthz"
check "12 texts queued while processes were killed all reach the carrier" \
	wait_sql 60 "SELECT COUNT(*) FROM messages WHERE body LIKE 'Churn % ($HOSTED_DISPATCH $UNIQ)' AND carrier_sid IS NOT NULL" 12
sent_once=1
for i in $(seq 1 12); do
	[ "$(carrier_created "Churn $i ($HOSTED_DISPATCH $UNIQ)")" = 1 ] || sent_once=0
done
check "each exactly once at the carrier" test "$sent_once" = 1
if [ ${#extra[@]} -gt 0 ]; then
	rcs=""
	for p in "${extra[@]}"; do wait "$p"; rcs="$rcs$?"; done
	check "the overlapping dispatch runs exit 0 ($rcs)" test "$rcs" = 00
fi
