#!/usr/bin/env bash
# make run: the whole product with demo data at http://127.0.0.1:$PORT/,
# in the foreground until Ctrl-C. Data lives in var/ (make reset wipes it).
set -euo pipefail
cd "$(dirname "$0")/.."
export REPO=$PWD
. tools/stack.sh

PORT=${PORT:-8080}
VAR=$REPO/var
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
stack_smsdesk_start "$VAR" cgi-bin/smsdesk.fcgi
stack_nginx_start "$VAR" "$PORT"

cat <<MSG

  smsdesk is running at http://127.0.0.1:$PORT/
  the fake carrier's phone page: http://127.0.0.1:$((PORT + 1))/phone
MSG
[ -f tools/demo-logins.txt ] && sed 's/^/  /' tools/demo-logins.txt
cat <<MSG

  logs: var/smsdesk.log, var/nginx/error.log, var/mysql/error.log
  tool: SMSDESK_CONF=var/smsdesk.conf cgi-bin/smsdeskctl ...
  Ctrl-C stops everything.
MSG
# wait returns when a trapped signal arrives, or when a service dies
wait -n "$(cat "$VAR/smsdesk.pid")" "$(cat "$VAR/nginx/run.pid")" "$(cat "$VAR/mysql/mysqld.pid")" \
	"$(cat "$VAR/carrier.pid")" || true
echo "a service stopped on its own; see the logs in var/" >&2
exit 1
