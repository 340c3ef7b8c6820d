#!/usr/bin/env bash
# make run: the whole product with demo data at http://127.0.0.1:$PORT/,
# in the foreground until Ctrl-C. Data lives in var/ (make reset wipes it).
# A service that exits is started again (tools/stack.sh stack_supervise).
# RUN_DIR: another directory than var/ (the tests'); RUN_SMSDESK_BIN:
# another build of smsdesk.fcgi.
set -euo pipefail
cd "$(dirname "$0")/.."
export REPO=$PWD
. tools/stack.sh

PORT=${PORT:-8080}
VAR=${RUN_DIR:-$REPO/var}
BIN=${RUN_SMSDESK_BIN:-cgi-bin/smsdesk.fcgi}
mkdir -p "$VAR"
if [ -f "$VAR/nginx/run.pid" ] && kill -0 "$(cat "$VAR/nginx/run.pid")" 2>/dev/null; then
	echo "smsdesk already seems to run from var/ (nginx pid $(cat "$VAR/nginx/run.pid"))" >&2
	exit 1
fi

stopping=0
stop() {
	[ "$stopping" = 1 ] && return
	stopping=1
	echo; echo "stopping smsdesk, nginx and MariaDB..."
	stack_stop_all "$VAR"
}
trap stop EXIT
trap 'exit 0' INT TERM

stack_mariadb_start "$VAR"
stack_write_conf "$VAR" "$PORT"
export SMSDESK_CONF=$VAR/smsdesk.conf
cgi-bin/smsdeskctl migrate
if [ ! -f "$VAR/demo-loaded" ] && [ -f tools/demo.json ]; then
	echo "loading the demo data (first run only)..."
	cgi-bin/smsdeskctl import tools/demo.json > "$VAR/demo-ids.json"
	touch "$VAR/demo-loaded"
fi
stack_carrier_start "$VAR" $((PORT + 1))
stack_smsdesk_start "$VAR" "$BIN"
stack_nginx_start "$VAR" "$PORT"

cat <<MSG

  smsdesk is running at http://127.0.0.1:$PORT/
  the fake carrier's phone page: http://127.0.0.1:$((PORT + 1))/phone
MSG
[ -f tools/demo-logins.txt ] && sed 's/^/  /' tools/demo-logins.txt
cat <<MSG

  logs: $VAR/smsdesk.log, $VAR/nginx/error.log, $VAR/mysql/error.log
  tool: SMSDESK_CONF=$VAR/smsdesk.conf cgi-bin/smsdeskctl ...
  a service that stops is started again; Ctrl-C stops everything.
MSG
# until Ctrl-C (or SIGTERM): a service that exits is started again
stack_supervise "$VAR" "$PORT" "$BIN"
