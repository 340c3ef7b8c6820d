#!/usr/bin/env bash
# The JavaScript tests (tests/js/*.test.js, run by node --test) as result lines for
# tools/test.sh: "ok - js: NAME" / "not ok - js: NAME" on stdout, one per
# top-level test; details of failures go to stderr. Exits non-zero on failure.
# Installs the dev dependencies (npm ci) when node_modules is missing or older
# than package-lock.json.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
	echo "not ok - js: node is installed"
	exit 1
fi

failed=0
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	if ! log=$(npm ci --no-audit --no-fund --loglevel=error 2>&1); then
		echo "not ok - js: npm ci installs the dev dependencies"
		printf '%s\n' "$log" >&2
		failed=1
	fi
fi

tap=$(mktemp /tmp/smsdesk-js.XXXXXX)
trap 'rm -f "$tap"' EXIT
# explicit files: Node 21+ no longer searches a directory given to --test
node --test --test-reporter=tap tests/js/*.test.js >"$tap" 2>&1
rc=$?

# top-level TAP results only (subtests are indented). A test that did not
# run proves nothing: "# SKIP" and "# TODO", at any level, count as failures.
sed -n -e '/# \(SKIP\|TODO\)/Is/^ *ok [0-9]* - \(.*\)/not ok - js: \1 (did not run: a skip counts as a failure)/p' \
	-e 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - js: \2/p' "$tap"
if grep -qi '^ *ok [0-9]* - .*# \(SKIP\|TODO\)' "$tap"; then
	failed=1
	cat "$tap" >&2
elif grep -q '^not ok' "$tap"; then
	failed=1
	cat "$tap" >&2
elif [ $rc -ne 0 ]; then
	echo "not ok - js: node --test exited $rc"
	cat "$tap" >&2
	failed=1
elif ! grep -q '^ok' "$tap"; then
	echo "not ok - js: node --test found tests in tests/js/"
	failed=1
fi
exit $failed
