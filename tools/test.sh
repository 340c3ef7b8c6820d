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
# short timeouts and retries, so that the failure tests finish quickly
export STACK_CONF_EXTRA="carrier.timeout_ms = 2000
carrier.retry_base_ms = 100
carrier.retry_max_ms = 2000"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export LSAN_OPTIONS=suppressions=$REPO/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cleanup() {
	stack_stop_all "$STACK_DIR" >/dev/null 2>&1
	if [ -z "${KEEP_TEST_DIR:-}" ]; then rm -rf "$STACK_DIR"; else echo "kept $STACK_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

record() { echo "$1" | tee -a "$OUT"; }

# The tests' tools are installed by tools/deps.sh (make test runs it first):
# a missing one fails here, it never skips the tests that need it.
for tool in tidy jq curl cgi-fcgi node; do
	if command -v "$tool" >/dev/null 2>&1; then record "ok - tools: $tool is installed"
	else record "not ok - tools: $tool is installed (tools/deps.sh installs it)"; fi
done

# ---- unit tests
for t in build/release/test_* build/asan/test_*; do
	case $t in *.o) continue ;; esac
	flavour=$(basename "$(dirname "$t")")
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

# ---- JavaScript tests (static/sms_text.js against the same vectors)
tools/test-js.sh | tee -a "$OUT"

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

run_e2e() { # FLAVOUR BINARY
	local flavour=$1 bin=$2 t rc start
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
	for t in tests/e2e/t*.sh; do
		local log=$STACK_DIR/$(basename "$t" .sh).$flavour.log
		timeout 300 bash "$t" >"$log" 2>&1
		rc=$?
		sed -n -e "s/^\(not ok\|ok\) - \(.*\)/\1 - e2e\/$flavour\/\2/p" "$log" | tee -a "$OUT"
		if [ $rc -ne 0 ]; then
			record "not ok - e2e/$flavour/$(basename "$t") exited $rc"
		fi
		if [ $rc -ne 0 ] || grep -q '^not ok' "$log"; then
			echo "---- output of $t ($flavour)"; cat "$log"
			echo "---- smsdesk log (last 40 lines)"; tail -n 40 "$STACK_DIR/smsdesk.log"
		fi
	done
	# the browser tests, once, against the plain build's stack
	if [ "$flavour" = release ]; then
		tools/test-browser.sh 2>"$STACK_DIR/browser.err" | tee -a "$OUT"
		[ -s "$STACK_DIR/browser.err" ] && { echo "---- browser test output"; head -80 "$STACK_DIR/browser.err"; }
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
}

if start_stack; then
	run_e2e release cgi-bin/smsdesk.fcgi
	run_e2e asan build/asan/smsdesk.fcgi
else
	record "not ok - e2e: the stack (MariaDB, migrations) starts"
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
