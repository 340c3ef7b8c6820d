#!/usr/bin/env bash
# The browser tests (tests/browser/*.test.js: Debian's chromium driven by
# playwright-core, axe-core for accessibility) against the stack that
# tools/test.sh started: BASE, STACK_DIR, SMSDESK_CONF and REPO come from it.
# Prints "ok - browser: NAME" / "not ok - browser: NAME"; a missing browser
# or package is a failure, never a skip. Screenshots (400 and 1280 px) go
# to $SCREENSHOT_DIR, by default build/screenshots, which outlives the
# run: a run of every browser test empties it first.
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
# ONLY="browser chatbox-stay": with a word besides "browser" that names
# browser tests, only those run
picked=()
for t in tests/browser/*.test.js; do
	for w in ${ONLY:-}; do
		[ "$w" = browser ] && continue
		case $(basename "$t") in *"$w"*) picked+=("$t"); break ;; esac
	done
done
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$REPO/build/screenshots}
if [ ${#picked[@]} -eq 0 ]; then
	picked=(tests/browser/*.test.js)
	rm -f "$SCREENSHOT_DIR"/*.png
fi
mkdir -p "$SCREENSHOT_DIR"
failed=0
for t in "${picked[@]}"; do
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
