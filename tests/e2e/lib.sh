# Helpers for the end-to-end tests. Each test prints "ok - NAME" or
# "not ok - NAME" per check; tools/test.sh counts them.
# The environment gives: BASE (http://127.0.0.1:PORT), STACK_DIR, REPO,
# SMSDESK_CONF, E2E_SMSDESK_BIN; tools/stack.sh is sourced for the stack helpers.
set -u
. "$REPO/tools/stack.sh"

T_NAME=$(basename "$0" .sh)
T_TMP=$(mktemp -d "/tmp/smsdesk-$T_NAME.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

ok() { echo "ok - $T_NAME: $*"; }
not_ok() { echo "not ok - $T_NAME: $*"; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name"; fi
}

# req [curl args...] URL: stores status in $STATUS, body in $T_TMP/body,
# headers in $T_TMP/headers.
req() {
	STATUS=$(curl -sS -o "$T_TMP/body" -D "$T_TMP/headers" -w '%{http_code}' "$@" 2>"$T_TMP/curl.err") || STATUS=000
}

# expect_status NAME WANT [curl args...] URL
expect_status() {
	local name=$1 want=$2; shift 2
	req "$@"
	if [ "$STATUS" = "$want" ]; then ok "$name"; else not_ok "$name (got $STATUS, want $want)"; fi
}

body_has() { grep -q -- "$1" "$T_TMP/body"; }
body_lacks() { ! grep -q -- "$1" "$T_TMP/body"; }
header_has() { grep -qi -- "$1" "$T_TMP/headers"; }

# sql "STATEMENT": runs SQL as root on the stack's database, tab-separated output.
sql() { stack_mysql "$STACK_DIR" -N -B smsdesk -e "$1"; }

# A direct FastCGI request to smsdesk's socket, bypassing nginx:
# fcgi METHOD URI [BODY [CONTENT_TYPE]] -> raw CGI response on stdout.
fcgi() {
	local method=$1 uri=$2 body=${3:-} ctype=${4:-application/x-www-form-urlencoded}
	local path=${uri%%\?*} query=""
	[ "$path" != "$uri" ] && query=${uri#*\?}
	printf '%s' "$body" | env -i REQUEST_METHOD="$method" REQUEST_URI="$uri" \
		SCRIPT_NAME="$path" QUERY_STRING="$query" CONTENT_TYPE="$ctype" \
		CONTENT_LENGTH="${#body}" REMOTE_ADDR=127.0.0.1 \
		cgi-fcgi -bind -connect "${FCGI_SOCKET:-$STACK_DIR/smsdesk.sock}"
}
