#!/usr/bin/env bash
# The browser tests (tests/browser/*.test.js: Debian's chromium driven by
# playwright-core, axe-core for accessibility) against the stack that
# tools/test.sh started: BASE, STACK_DIR, SMSDESK_CONF and REPO come from it.
# Prints "ok - browser: NAME" / "not ok - browser: NAME"; a missing browser
# or package is a failure, never a skip. Screenshots go to $STACK_DIR.
set -uo pipefail
cd "$(dirname "$0")/.."
export REPO=${REPO:-$PWD}

if [ ! -x /usr/bin/chromium ]; then
	echo "not ok - browser: chromium is installed (/usr/bin/chromium; tools/deps.sh installs it)"
	exit 1
fi
if ! node -e "require('playwright-core'); require('@axe-core/playwright')" 2>/dev/null; then
	echo "not ok - browser: playwright-core and @axe-core/playwright are installed (npm ci)"
	exit 1
fi
failed=0
for t in tests/browser/*.test.js; do
	log=$STACK_DIR/$(basename "$t" .js).log
	timeout 600 node "$t" >"$log" 2>&1
	rc=$?
	grep -E '^(not )?ok - browser: ' "$log"
	if [ $rc -ne 0 ] || grep -q '^not ok' "$log"; then
		failed=1
		grep -q '^not ok' "$log" || echo "not ok - browser: $(basename "$t") exited $rc"
		echo "---- output of $t" >&2
		grep -v -E '^(not )?ok - browser: ' "$log" | head -60 >&2
	fi
	grep -q '^ok' "$log" || { echo "not ok - browser: $(basename "$t") ran checks"; failed=1; }
done
exit $failed
