#!/usr/bin/env bash
# make test: unit tests (plain and sanitized), then the end-to-end tests over
# a throwaway stack (MariaDB, smsdesk, nginx), once with the plain build and
# once with the AddressSanitizer/UBSan build. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export REPO=$PWD
. tools/stack.sh

STACK_DIR=$(mktemp -d /tmp/smsdesk-test.XXXXXX)
OUT=$STACK_DIR/results
: > "$OUT"
export STACK_MARIADB_FAST=1
# the clock the tests move (test.clock_file, tests/e2e/lib.sh clock_set),
# from a US afternoon whatever the hour (quiet hours: stack_daytime_offset)
export STACK_TEST_CLOCK=1
STACK_CLOCK_BASE=$(stack_daytime_offset) || exit 1
export STACK_CLOCK_BASE
echo "# the tests' clock: the real time + $STACK_CLOCK_BASE s"
# short timeouts and retries, so that the failure tests finish quickly
export STACK_CONF_EXTRA="carrier.timeout_ms = 2000
carrier.retry_base_ms = 100
carrier.retry_max_ms = 2000
media.low_speed_seconds = 3"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export LSAN_OPTIONS=suppressions=$REPO/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
LANE_PIDS=
kill_tree() { # PID: it and every process under it
	local c
	for c in $(pgrep -P "$1"); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}
cleanup() {
	local d p
	# the lanes' scripts first, then their stacks
	for p in $LANE_PIDS; do kill_tree "$p"; done
	for d in "$STACK_DIR"/lane-*/; do
		[ -d "$d" ] || continue
		stack_stop_all "$d/hosted" >/dev/null 2>&1
		stack_stop_all "$d/multi" >/dev/null 2>&1
		stack_stop_all "$d/galera" >/dev/null 2>&1
		stack_galera_stop "$d/galera" >/dev/null 2>&1
		stack_stop_all "$d" >/dev/null 2>&1
	done
	if [ -z "${KEEP_TEST_DIR:-}" ]; then rm -rf "$STACK_DIR"; else echo "kept $STACK_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

record() { echo "$1" | tee -a "$OUT"; }

# How long each suite took: "# time: SUITE N s" after it, and the total at
# the end (before the counts, which stay the last line). Only suites that ran.
TEST_START=$(date +%s)
SUITE_START=$TEST_START
suite_start() { SUITE_START=$(date +%s); }
suite_time() { # SUITE: the time since suite_start
	echo "# time: $1 $(( $(date +%s) - SUITE_START )) s"
}

# The tests' tools are installed by tools/deps.sh (make test runs it first):
# a missing one fails here, it never skips the tests that need it.
for tool in tidy jq curl cgi-fcgi node; do
	if command -v "$tool" >/dev/null 2>&1; then record "ok - tools: $tool is installed"
	else record "not ok - tools: $tool is installed (tools/deps.sh installs it)"; fi
done

# ONLY="t0420 test_rules browser": run just the unit tests and end-to-end
# scripts whose names contain one of these words (the release build only, no
# hosted or multi-host set-ups unless named: hosted, two-hosts). For working
# on one thing; make test without it runs everything.
ONLY=${ONLY:-}
only() { # NAME: true when ONLY is empty or names it
	local w
	[ -z "$ONLY" ] && return 0
	for w in $ONLY; do case $1 in *"$w"*) return 0 ;; esac; done
	return 1
}

# ---- unit tests
ran_unit=
for t in build/release/test_* build/asan/test_*; do
	case $t in *.o) continue ;; esac
	only "$(basename "$t")" || continue
	flavour=$(basename "$(dirname "$t")")
	if [ "$flavour" != "$ran_unit" ]; then
		[ -n "$ran_unit" ] && suite_time "unit/$ran_unit"
		ran_unit=$flavour
		suite_start
	fi
	log=$STACK_DIR/$(basename "$t").$flavour.log
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	rc=$?
	# cmocka's TAP lines: "ok 1 - name" / "not ok 2 - name"
	sed -n -e "s/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - unit\/$flavour\/$(basename "$t"): \2/p" "$log" | tee -a "$OUT"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		record "not ok - unit/$flavour/$(basename "$t") exited $rc"
		cat "$log"
	fi
	grep -q '^not ok' "$log" && cat "$log"
done
[ -n "$ran_unit" ] && suite_time "unit/$ran_unit"

# ---- the fuzz targets' regression programs (tests/fuzz, built by make
# unit under ASan and UBSan): every seed corpus input and every input a
# fuzzing run once crashed on (tests/fuzz/regressions/TARGET) must pass
suite_start
ran_fuzz=
for t in build/asan/fuzz_*; do
	case $t in *.o) continue ;; esac
	name=${t#build/asan/fuzz_}
	only "fuzz_$name" || continue
	ran_fuzz=1
	dirs=("tests/fuzz/corpus/$name")
	[ -d "tests/fuzz/regressions/$name" ] && dirs+=("tests/fuzz/regressions/$name")
	log=$STACK_DIR/fuzz_$name.log
	"$t" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^[1-9][0-9]* inputs$' "$log"; then
		record "ok - fuzz/$name: $(tail -n 1 "$log") of the corpus and regressions pass under ASan/UBSan"
	else
		record "not ok - fuzz/$name: the corpus and regressions pass under ASan/UBSan (exit $rc)"
		tail -n 40 "$log"
	fi
done
[ -n "$ran_fuzz" ] && suite_time fuzz

# ---- the systemd units of deploy/, checked offline (tools/test-deploy.sh)
if only deploy; then
	suite_start
	tools/test-deploy.sh | tee -a "$OUT"
	suite_time deploy
fi

# ---- JavaScript tests (static/sms_text.js against the same vectors)
# always: it also installs node_modules (npm ci), which the other suites use
suite_start
tools/test-js.sh | tee -a "$OUT"
suite_time js

# ---- end-to-end tests
start_stack() {
	PORT=$(stack_free_port) || return 1
	export BASE=http://127.0.0.1:$PORT
	stack_mariadb_start "$STACK_DIR" &&
	stack_write_conf "$STACK_DIR" "$PORT" &&
	SMSDESK_CONF=$STACK_DIR/smsdesk.conf cgi-bin/smsdeskctl migrate >/dev/null &&
	stack_carrier_start "$STACK_DIR" $((PORT + 1)) &&
	true
}

run_scripts() { # FLAVOUR SCRIPT...: the scripts against $BASE and $STACK_DIR
	local flavour=$1 t rc; shift
	for t in "$@"; do
		only "$(basename "$t")" || only "$flavour" || continue
		local log=$STACK_DIR/$(basename "$t" .sh).$flavour.log
		# a script may ask for more than the 300 s (a line "# timeout: N")
		local t0=$(date +%s) limit
		limit=$(sed -n 's/^# timeout: \([0-9][0-9]*\).*/\1/p' "$t" | head -n1)
		[ -n "$limit" ] && [ "$limit" -gt "${SCRIPT_TIMEOUT:-300}" ] || limit=${SCRIPT_TIMEOUT:-300}
		timeout "$limit" bash "$t" >"$log" 2>&1
		rc=$?
		echo "$(( $(date +%s) - t0 )) $flavour/$(basename "$t")" >> "$STACK_DIR/script-times"
		sed -n -e "s/^\(not ok\|ok\) - \(.*\)/\1 - e2e\/$flavour\/\2/p" "$log" | tee -a "$OUT"
		if [ $rc -ne 0 ]; then
			record "not ok - e2e/$flavour/$(basename "$t") exited $rc"
		fi
		if [ $rc -ne 0 ] || grep -q '^not ok' "$log"; then
			echo "---- output of $t ($flavour)"; cat "$log"
			echo "---- smsdesk log (last 40 lines)"; tail -n 40 "$STACK_DIR/smsdesk.log"
		fi
	done
}

run_e2e() { # FLAVOUR BINARY
	local flavour=$1 bin=$2 t rc start browser_s=0
	suite_start
	local e2e_start=$SUITE_START
	export E2E_SMSDESK_BIN=$REPO/$bin SMSDESK_CONF=$STACK_DIR/smsdesk.conf STACK_DIR
	: > "$STACK_DIR/smsdesk.log"
	if ! stack_smsdesk_start "$STACK_DIR" "$bin"; then
		record "not ok - e2e/$flavour: smsdesk starts"
		return
	fi
	if [ ! -f "$STACK_DIR/nginx/run.pid" ] && ! stack_nginx_start "$STACK_DIR" "$PORT"; then
		record "not ok - e2e/$flavour: nginx starts"
		return
	fi
	# t06xx need the hosted set-ups below, t0924 the Galera cluster; every
	# other script runs here. In a whole run each runs once, with the
	# sanitized build, which checks all the plain one does and memory and
	# undefined behaviour besides (the same code, optimized the same way);
	# the plain build, which ships, runs the browser tests, the hosted and
	# the multi-host set-ups, and t0700 (query plans are MariaDB's, the same
	# whichever build asks). E2E_BOTH=1 runs every script with both builds.
	local scripts
	scripts=$(ls tests/e2e/t*.sh | grep -Ev '/t06|/t0924')
	if [ -z "$ONLY" ] && [ -z "${E2E_BOTH:-}" ]; then
		case $flavour in
		release) scripts=$(grep -E '/t0700-' <<<"$scripts") ;;
		asan) scripts=$(grep -Ev '/t0700-' <<<"$scripts") ;;
		esac
	fi
	# shellcheck disable=SC2086 # one script a word
	run_scripts "$flavour" $scripts
	# make chaos: the long chaos tests and the soak (tests/chaos/)
	[ -n "${CHAOS:-}" ] && run_scripts "$flavour" tests/chaos/t*.sh
	# the browser tests, once, against the plain build's stack
	if [ "$flavour" = release ] && only browser; then
		suite_start
		tools/test-browser.sh 2>"$STACK_DIR/browser.err" | tee -a "$OUT"
		[ -s "$STACK_DIR/browser.err" ] && { echo "---- browser test output"; head -80 "$STACK_DIR/browser.err"; }
		suite_time browser
		echo "# screenshots: ${SCREENSHOT_DIR:-$REPO/build/screenshots} ($(ls "${SCREENSHOT_DIR:-$REPO/build/screenshots}" 2>/dev/null | grep -c '\.png$') files, kept after the run)"
		browser_s=$(( $(date +%s) - SUITE_START ))
	fi
	# SIGTERM: in-flight requests finish, idle kept-alive connections do
	# not hold it up, and it exits 0 within 5 s
	start=$(date +%s%N)
	stack_smsdesk_stop "$STACK_DIR"
	rc=$?
	local ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ $rc -eq 0 ]; then record "ok - e2e/$flavour: smsdesk exits 0 on SIGTERM"
	else record "not ok - e2e/$flavour: smsdesk exits 0 on SIGTERM (exit $rc)"; fi
	if [ $ms -lt 5000 ]; then record "ok - e2e/$flavour: smsdesk stops within 5 s (${ms} ms)"
	else record "not ok - e2e/$flavour: smsdesk stops within 5 s (${ms} ms)"; fi
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$STACK_DIR/smsdesk.log"; then
		record "not ok - e2e/$flavour: no sanitizer reports in smsdesk's log"
		grep -A 30 -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$STACK_DIR/smsdesk.log" | head -80
	else
		record "ok - e2e/$flavour: no sanitizer reports in smsdesk's log"
	fi
	cat "$STACK_DIR/smsdesk.log" >> "$STACK_DIR/smsdesk.all.log"
	echo "# time: e2e/$flavour $(( $(date +%s) - e2e_start - browser_s )) s"
}


# ---- the shared-host set-up, once, with the plain build: Apache + mod_fcgid
# as an ordinary user on its own port, smsdesk started by mod_fcgid, a
# MariaDB reached over TCP with a plain account (privileges on its own
# database only) and without time zone tables. First with the cron-style
# `smsdeskctl dispatch` (the processes do not dispatch), then with the
# dispatcher in the processes mod_fcgid starts.
HOSTED_SCRIPTS="tests/e2e/t0310-login.sh tests/e2e/t0320-leads.sh tests/e2e/t0360-headers.sh
	tests/e2e/t0410-dispatch.sh tests/e2e/t0415-status-callbacks.sh tests/e2e/t0420-chatbox.sh
	tests/e2e/t0500-inbound.sh"
cron_loop() { # every second, as cron would every minute
	while :; do
		SMSDESK_CONF=$1/smsdesk.conf cgi-bin/smsdeskctl dispatch >>"$1/cron.log" 2>&1 ||
			echo "dispatch exited $?" >>"$1/cron.log"
		sleep 1
	done
}
run_hosted() {
	local d=$STACK_DIR/hosted port dbport cron rc
	mkdir -p "$d"
	port=$(stack_free_port) && dbport=$(stack_free_port) || { record "not ok - hosted: free ports"; return; }
	export STACK_APACHE_EXTRA="FcgidIdleTimeout 3
FcgidIdleScanInterval 1"
	if ! { STACK_MARIADB_PORT=$dbport STACK_MARIADB_NO_TZ=1 stack_mariadb_start "$d" &&
	       STACK_MARIADB_PORT=$dbport STACK_LISTEN= stack_write_conf "$d" "$port" &&
	       SMSDESK_CONF=$d/smsdesk.conf cgi-bin/smsdeskctl migrate >/dev/null &&
	       stack_carrier_start "$d" $((port + 1)); }; then
		record "not ok - hosted: MariaDB over TCP, the migrations as the plain account, the carrier"
		return
	fi
	record "ok - hosted: the migrations apply over TCP as an account with privileges on its database only"
	(
		export STACK_DIR=$d BASE=http://127.0.0.1:$port SMSDESK_CONF=$d/smsdesk.conf
		export E2E_SMSDESK_BIN=$REPO/cgi-bin/smsdesk.fcgi
		if STACK_APACHE_DISPATCHER=0 stack_apache_start "$d" "$port"; then
			cron_loop "$d" &
			cron=$!
			HOSTED_DISPATCH=cron run_scripts hosted-cron $HOSTED_SCRIPTS tests/e2e/t0600-apache-fcgid.sh
			kill "$cron"; wait "$cron" 2>/dev/null
			stack_apache_stop "$d"
			if grep -q 'dispatch exited' "$d/cron.log"; then
				record "not ok - e2e/hosted-cron: smsdeskctl dispatch always exits 0"
				tail -n 20 "$d/cron.log"
			else
				record "ok - e2e/hosted-cron: smsdeskctl dispatch always exits 0"
			fi
		else
			record "not ok - e2e/hosted-cron: Apache starts"
		fi
		# a shared host's Apache without server configuration: htaccess.example
		if stack_apache_htaccess_start "$d" "$port"; then
			run_scripts hosted-htaccess tests/e2e/t0605-htaccess.sh
			stack_apache_stop "$d"
		else
			record "not ok - e2e/hosted-htaccess: Apache starts with htaccess.example"
		fi
		if STACK_APACHE_DISPATCHER=1 stack_apache_start "$d" "$port"; then
			HOSTED_DISPATCH=thread run_scripts hosted-thread tests/e2e/t0410-dispatch.sh \
				tests/e2e/t0415-status-callbacks.sh tests/e2e/t0600-apache-fcgid.sh
			stack_apache_stop "$d"
		else
			record "not ok - e2e/hosted-thread: Apache starts"
		fi
	)
	stack_stop_all "$d"
}

# ---- more than one host, once, with the plain build: two smsdesk
# processes on their own ports behind one nginx upstream, each with its
# dispatcher, first sharing one MariaDB, then each on its own node of a
# three-node Galera cluster (tests/e2e/t0610-two-hosts.sh); then, on that
# cluster, host A's node killed under load (tests/e2e/t0924-galera-node-killed.sh).
run_two_hosts() { # NAME D DB_PORT_A DB_PORT_B [SCRIPT...] (default t0610)
	local name=$1 d=$2 dba=$3 dbb=$4 port pa pb h try scripts
	shift 4
	scripts=("$@")
	[ ${#scripts[@]} -gt 0 ] || scripts=(tests/e2e/t0610-two-hosts.sh)
	(
		# every text from four numbers: the per-number rate would take minutes
		export STACK_CONF_EXTRA="$STACK_CONF_EXTRA
carrier.rate_per_number = 0"
		# the hosts' logs go on from an earlier run on the same database
		# (t0924 after t0610 on the Galera cluster): this run's lines only
		local la lb
		la=$(cat "$d/a.log" 2>/dev/null | wc -l) lb=$(cat "$d/b.log" 2>/dev/null | wc -l)
		host_logs() { tail -n +$((la + 1)) "$d/a.log"; tail -n +$((lb + 1)) "$d/b.log"; }
		# random ports can be taken meanwhile by another program: try again
		for try in 1 2 3; do
			port=$(stack_free_port) && pa=$(stack_free_port) && pb=$(stack_free_port) &&
			STACK_MARIADB_PORT=$dba STACK_LISTEN=127.0.0.1:$pa stack_write_conf "$d" "$port" &&
			SMSDESK_CONF=$d/smsdesk.conf cgi-bin/smsdeskctl migrate >/dev/null &&
			stack_carrier_start "$d" $((port + 1)) &&
			stack_host_start "$d" a cgi-bin/smsdesk.fcgi &&
			SMSDESK_LISTEN=127.0.0.1:$pb SMSDESK_DB_PORT=$dbb stack_host_start "$d" b cgi-bin/smsdesk.fcgi &&
			STACK_NGINX_UPSTREAM="127.0.0.1:$pa 127.0.0.1:$pb" stack_nginx_start "$d" "$port" && break
			stack_nginx_stop "$d"; stack_host_stop "$d" a; stack_host_stop "$d" b; stack_carrier_stop "$d"
			if [ $try = 3 ]; then
				record "not ok - e2e/$name: two hosts and nginx start"
				exit 0
			fi
		done
		export STACK_DIR=$d BASE=http://127.0.0.1:$port SMSDESK_CONF=$d/smsdesk.conf MULTI_DB=$name
		export HOST_A=127.0.0.1:$pa HOST_B=127.0.0.1:$pb E2E_SMSDESK_BIN=$REPO/cgi-bin/smsdesk.fcgi
		export HOST_A_DB_PORT=$dba HOST_B_DB_PORT=$dbb
		run_scripts "$name" "${scripts[@]}"
		for h in a b; do
			if stack_host_stop "$d" "$h"; then record "ok - e2e/$name: host $h exits 0 on SIGTERM"
			else record "not ok - e2e/$name: host $h exits 0 on SIGTERM"; tail -n 20 "$d/$h.log"; fi
		done
		h=$(host_logs | grep -ci deadlock)
		if [ "$h" -gt 0 ]; then
			echo "# $name: deadlocks or certification conflicts (1213) in the hosts' logs: $h"
		fi
		# each retried conflict (db.c logs it with its statement): how many,
		# and the statements that met them most (which rows are hot)
		echo "# $name: conflicts retried: $(host_logs | grep -c 'db: conflict (')"
		host_logs | sed -n 's/.*db: conflict ([0-9]* [^)]*) in: //p' | cut -c1-80 |
			sort | uniq -c | sort -rn | head -n 5 | sed "s/^/# $name: conflicts at: /"
		stack_nginx_stop "$d"
		stack_carrier_stop "$d"
	)
}
run_multihost() {
	local d=$STACK_DIR/multi dbport
	mkdir -p "$d"
	suite_start
	dbport=$(stack_free_port) || return
	if ! only two-hosts; then
		: # ONLY names t0924 alone: the Galera cluster only
	elif STACK_MARIADB_PORT=$dbport STACK_MARIADB_NO_TZ=1 stack_mariadb_start "$d"; then
		run_two_hosts two-hosts-one-mariadb "$d" "$dbport" "$dbport"
	else
		record "not ok - e2e/two-hosts-one-mariadb: MariaDB starts"
	fi
	stack_stop_all "$d"
	suite_time two-hosts
	suite_start
	d=$STACK_DIR/galera
	mkdir -p "$d"
	# a state transfer that fails three times on a loaded machine: a fresh
	# cluster once more, the failure's logs printed above
	if stack_galera_start "$d" || {
		echo "# two-hosts-galera: the cluster did not start; a fresh one"
		stack_galera_stop "$d"
		rm -rf "${d:?}/galera"
		stack_galera_start "$d"
	}; then
		record "ok - e2e/two-hosts-galera: a three-node Galera cluster starts on this machine"
		only two-hosts &&
			run_two_hosts two-hosts-galera "$d" "$(cat "$d/galera/n1.port")" "$(cat "$d/galera/n2.port")"
		# the same cluster with host A's node killed under load, and back
		if only two-hosts || only t0924-galera-node-killed.sh; then
			run_two_hosts two-hosts-galera-node-killed "$d" "$(cat "$d/galera/n1.port")" "$(cat "$d/galera/n2.port")" \
				tests/e2e/t0924-galera-node-killed.sh
		fi
	else
		record "not ok - e2e/two-hosts-galera: a three-node Galera cluster starts on this machine"
	fi
	stack_stop_all "$d"
	stack_galera_stop "$d"
	suite_time galera
}

# ---- the end-to-end suites. Two lanes at once, each with its own stack
# (MariaDB, carrier, smsdesk, nginx) in its own directory: the sanitized
# build's scripts (every one, see run_e2e); and the plain build's t0700,
# browser tests and shared-host set-ups. The multi-host set-ups come after
# both. Each lane's output is printed whole when it ends, its results counted
# with the rest. With ONLY, the plain build's lane alone, in the foreground,
# with every script named.
lane() { # release|asan: the lane's suites, in STACK_DIR/lane-NAME
	# Apache and Galera run as plain users, let through the two directories
	# above theirs (tools/stack.sh): the run's own is one more
	chmod go+x "$STACK_DIR"
	STACK_DIR=$STACK_DIR/lane-$1
	OUT=$STACK_DIR/results
	mkdir -p "$STACK_DIR" && : > "$OUT"
	if ! start_stack; then
		record "not ok - e2e/$1: the stack (MariaDB, migrations) starts"
	elif [ "$1" = release ]; then
		run_e2e release cgi-bin/smsdesk.fcgi
	else
		run_e2e asan build/asan/smsdesk.fcgi
	fi
	stack_stop_all "$STACK_DIR" >/dev/null 2>&1
	if [ "$1" = release ] && only hosted; then
		suite_start
		run_hosted
		suite_time hosted
	fi
	# (in a whole run the multi-host set-ups come after both lanes)
	if [ -n "$ONLY" ]; then
		{ only two-hosts || only t0924-galera-node-killed.sh; } && run_multihost
	fi
	return 0  # anything else is a lane that broke off (lane_results)
}
lane_results() { # NAME [STATUS]: the lane's results into the whole run's
	local d=$STACK_DIR/lane-$1
	# a lane that broke off lost what it did not record: that is a failure
	if [ "${2:-0}" != 0 ]; then record "not ok - e2e/lane $1 exited $2"; fi
	if [ -s "$d/results" ]; then cat "$d/results" >> "$OUT"
	else record "not ok - e2e/lane $1 recorded results"; fi
	cat "$d/script-times" "$d"/*/script-times >> "$STACK_DIR/script-times" 2>/dev/null
}
if [ -n "$ONLY" ]; then
	( lane release )
	lane_results release $?
else
	echo "# the end-to-end suites: two lanes at once (release, asan); each prints its output when it ends"
	( lane release ) > "$STACK_DIR/lane-release.log" 2>&1 &
	LANE_PIDS=$!
	( lane asan ) > "$STACK_DIR/lane-asan.log" 2>&1 &
	LANE_PIDS="$LANE_PIDS $!"
	for name in release asan; do
		if [ "$name" = release ]; then pid=${LANE_PIDS%% *}; else pid=${LANE_PIDS#* }; fi
		# a line a minute meanwhile, so that a long run is seen to move
		while kill -0 "$pid" 2>/dev/null; do
			sleep 5
			now=$(date +%s)
			if [ $(( (now - TEST_START) % 60 )) -lt 5 ]; then
				echo "# $(( (now - TEST_START) / 60 )) min: $(cat "$STACK_DIR"/lane-*/results 2>/dev/null | grep -c '^ok') passed, $(cat "$STACK_DIR"/lane-*/results 2>/dev/null | grep -c '^not ok') failed so far"
			fi
		done
		wait "$pid"
		rc=$?
		echo "# ---- lane $name"
		cat "$STACK_DIR/lane-$name.log"
		lane_results "$name" "$rc"
	done
	LANE_PIDS=
	# then, alone on the machine, the multi-host set-ups with the plain
	# build: five MariaDB and smsdesk processes that time their retries
	# (beside a lane, t0610's 1,000 sends on Galera once ran past its 300 s)
	mkdir -p "$STACK_DIR/lane-multi"
	chmod go+x "$STACK_DIR"
	STACK_DIR=$STACK_DIR/lane-multi run_multihost
	cat "$STACK_DIR"/lane-multi/*/script-times >> "$STACK_DIR/script-times" 2>/dev/null
fi

# a test that was skipped proved nothing: it counts as a failure
skipped() { grep -i '^ok .*# \(SKIP\|TODO\)' "$OUT"; }
passed=$(grep '^ok' "$OUT" | grep -vic '# \(SKIP\|TODO\)')
failed=$(( $(grep -c '^not ok' "$OUT") + $(skipped | wc -l) ))
echo
if [ "$failed" -gt 0 ]; then
	echo "failures:"
	grep '^not ok' "$OUT"
	skipped | sed 's/^ok/not ok (skipped)/'
	echo
fi
# the slowest scripts, for whoever trims the suite's time
if [ -s "$STACK_DIR/script-times" ]; then
	sort -rn "$STACK_DIR/script-times" | head -n 12 | sed 's/^\([0-9]*\) \(.*\)/# time: \2 \1 s/'
fi
echo "# time: total $(( $(date +%s) - TEST_START )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
