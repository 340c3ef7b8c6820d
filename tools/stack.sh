# Starts and stops smsdesk's pieces under one directory D (sourced by
# run.sh, test.sh, bench.sh and the end-to-end tests):
#   D/mysql/      a private MariaDB (data, socket, log), no system service
#   D/smsdesk.*   configuration, socket, pid and log of smsdesk.fcgi
#   D/nginx/      nginx configuration generated from nginx.conf.example
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

stack_log() { echo "[stack] $*" >&2; }

# Logs hold addresses, emails and request details: owner and group only.
# Creates FILE 0640 if missing, and takes world access from an existing one.
stack_log_file() { # FILE
	(umask 027 && : >>"$1") && chmod 0640 "$1"
}

# Waits up to $2 tenths of a second for the command in $3... to succeed.
stack_wait() {
	local tries=$1; shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

stack_mysql() { # D [args...]: the mariadb client as root on D's server
	local d=$1; shift
	mariadb --no-defaults --socket="$d/mysql/mysql.sock" -uroot "$@"
}

stack_mariadb_start() { # D
	local d=$1 fresh=0 me
	me=$(id -un)
	mkdir -p "$d/mysql"
	stack_log_file "$d/mysql/install.log" && stack_log_file "$d/mysql/error.log" || return 1
	if [ ! -d "$d/mysql/data/mysql" ]; then
		rm -rf "$d/mysql/data"
		if ! mariadb-install-db --no-defaults --datadir="$d/mysql/data" --user="$me" \
			--auth-root-authentication-method=normal --skip-test-db \
			>"$d/mysql/install.log" 2>&1; then
			cat "$d/mysql/install.log" >&2
			return 1
		fi
		fresh=1
	fi
	# STACK_MARIADB_FAST trades durability for speed (throwaway test data).
	local extra=()
	[ -n "${STACK_MARIADB_FAST:-}" ] && extra=(--innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --innodb-doublewrite=0)
	mariadbd --no-defaults --datadir="$d/mysql/data" --user="$me" \
		--socket="$d/mysql/mysql.sock" --pid-file="$d/mysql/mysql.pid" \
		--skip-networking --log-error="$d/mysql/error.log" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size="${STACK_MARIADB_POOL:-256M}" --max-connections=500 \
		"${extra[@]}" >/dev/null 2>&1 &
	echo $! > "$d/mysql/mysqld.pid"
	if ! stack_wait 300 mariadb-admin --no-defaults --socket="$d/mysql/mysql.sock" -uroot ping; then
		stack_log "MariaDB did not start; its log:"
		tail -n 30 "$d/mysql/error.log" >&2
		return 1
	fi
	if [ "$fresh" = 1 ]; then
		local pw
		pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
		echo "$pw" > "$d/db.password"
		chmod 600 "$d/db.password"
		stack_mysql "$d" <<SQL
CREATE DATABASE smsdesk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'smsdesk'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL ON smsdesk.* TO 'smsdesk'@'localhost';
SQL
		# named time zones for CONVERT_TZ (the chatbox's times); smsdesk
		# converts every other time itself (tz.cc). STACK_MARIADB_NO_TZ=1
		# leaves them out, as on a shared host's MariaDB.
		[ -n "${STACK_MARIADB_NO_TZ:-}" ] ||
			mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | stack_mysql "$d" mysql
	fi
}

stack_mariadb_stop() { # D
	local d=$1 pid
	[ -f "$d/mysql/mysqld.pid" ] || return 0
	pid=$(cat "$d/mysql/mysqld.pid")
	kill "$pid" 2>/dev/null || true
	stack_wait 600 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
	rm -f "$d/mysql/mysqld.pid"
}

stack_write_conf() { # D PORT: smsdesk's configuration for this stack
	local d=$1 port=$2
	cat > "$d/smsdesk.conf" <<CONF
# written by tools/stack.sh for the stack in $d
db.socket = $d/mysql/mysql.sock
db.user = smsdesk
db.password = $(cat "$d/db.password")
db.name = smsdesk
listen = $d/smsdesk.sock
workers = ${STACK_WORKERS:-8}
public_url = http://127.0.0.1:$port
carrier.base_url = http://127.0.0.1:$((port + 1))
carrier.account_sid = $(stack_carrier_get "$d" FAKECARRIER_ACCOUNT_SID)
carrier.auth_token = $(stack_carrier_get "$d" FAKECARRIER_AUTH_TOKEN)
templates = $REPO/templates
schema = $REPO/schema
static = $REPO/static
${STACK_CONF_EXTRA:-}
CONF
	chmod 600 "$d/smsdesk.conf"
}

stack_smsdesk_start() { # D BINARY
	local d=$1 bin=$2
	rm -f "$d/smsdesk.sock"
	stack_log_file "$d/smsdesk.log" || return 1
	SMSDESK_CONF="$d/smsdesk.conf" "$bin" >>"$d/smsdesk.log" 2>&1 &
	echo $! > "$d/smsdesk.pid"
	if ! stack_wait 100 test -S "$d/smsdesk.sock"; then
		stack_log "smsdesk did not start; its log:"
		tail -n 30 "$d/smsdesk.log" >&2
		return 1
	fi
}

# Sends SIGTERM to the process in PIDFILE (removed) and returns its exit
# status: 0 on a clean stop. A process that is not this shell's child can
# only be watched until it is gone (its status is then taken as 0).
stack_stop_pidfile() { # PIDFILE
	local pidfile=$1 pid rc=0
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	rm -f "$pidfile"
	kill -TERM "$pid" 2>/dev/null || return 0
	wait "$pid" 2>/dev/null || rc=$?
	if [ "$rc" -eq 127 ]; then
		stack_wait 100 bash -c "! kill -0 $pid" || { kill -9 "$pid" 2>/dev/null; return 1; }
		rc=0
	fi
	return $rc
}

# Stops smsdesk with SIGTERM; returns its exit status (0 on a clean stop).
stack_smsdesk_stop() { stack_stop_pidfile "$1/smsdesk.pid"; }

# The nginx configuration: nginx.conf.example with this stack's paths.
stack_nginx_conf() { # D PORT [SOCKET]
	local d=$1 port=$2 sock=${3:-} user=""
	[ -n "$sock" ] || sock=$d/smsdesk.sock
	mkdir -p "$d/nginx/tmp"
	[ "$(id -u)" -eq 0 ] && user="user root;"
	local site
	site=$(sed -e "s#unix:/run/smsdesk/smsdesk.sock#unix:$sock#" \
		-e "s#/srv/smsdesk/static/#$REPO/static/#g" \
		-e "s#^\( *\)listen 80;#\1listen 127.0.0.1:$port;#" \
		-e "s#include fastcgi_params;#include /etc/nginx/fastcgi_params;#" \
		"$REPO/nginx.conf.example")
	if grep -q -e '/run/smsdesk' -e '/srv/smsdesk' -e 'listen 80;' <<<"$site"; then
		stack_log "nginx.conf.example changed shape: tools/stack.sh cannot adapt it"
		return 1
	fi
	cat > "$d/nginx/nginx.conf" <<NGINX
# generated by tools/stack.sh from nginx.conf.example
$user
worker_processes ${STACK_NGINX_WORKERS:-2};
pid $d/nginx/nginx.pid;
error_log $d/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${STACK_NGINX_ACCESS_LOG:-$d/nginx/access.log};
    client_body_temp_path $d/nginx/tmp/body;
    fastcgi_temp_path $d/nginx/tmp/fastcgi;
    proxy_temp_path $d/nginx/tmp/proxy;
    uwsgi_temp_path $d/nginx/tmp/uwsgi;
    scgi_temp_path $d/nginx/tmp/scgi;
    sendfile on;
    keepalive_timeout 65;
$site
}
NGINX
}

stack_nginx_start() { # D PORT [SOCKET]
	local d=$1 port=$2
	stack_nginx_conf "$d" "$port" "${3:-}" || return 1
	stack_log_file "$d/nginx/error.log" || return 1
	[ -n "${STACK_NGINX_ACCESS_LOG:-}" ] || stack_log_file "$d/nginx/access.log" || return 1
	nginx -p "$d/nginx" -c "$d/nginx/nginx.conf" -e "$d/nginx/error.log" &
	echo $! > "$d/nginx/run.pid"
	if ! stack_wait 100 curl -fsS -o /dev/null "http://127.0.0.1:$port/static/smsdesk.css"; then
		stack_log "nginx did not start on port $port; its log:"
		tail -n 20 "$d/nginx/error.log" >&2
		return 1
	fi
}

stack_nginx_stop() { # D
	local d=$1 pid
	[ -f "$d/nginx/run.pid" ] || return 0
	pid=$(cat "$d/nginx/run.pid")
	rm -f "$d/nginx/run.pid"
	kill -QUIT "$pid" 2>/dev/null || return 0
	stack_wait 50 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
}

stack_stop_all() { # D
	stack_nginx_stop "$1"
	stack_smsdesk_stop "$1" || true
	stack_carrier_stop "$1" || true
	stack_mariadb_stop "$1"
}

# A TCP port nobody listens on (there is a small race; callers retry).
stack_free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null &&
		   ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# ---- the fake carrier (tests/fakecarrier.c): Twilio's Messages API on
# 127.0.0.1:PORT. Its account SID and auth token live in D/carrier.env as
# FAKECARRIER_ACCOUNT_SID=... and FAKECARRIER_AUTH_TOKEN=... lines, made on
# first use; smsdesk's carrier.account_sid / carrier.auth_token must match:
#   carrier.account_sid = $(stack_carrier_get "$d" FAKECARRIER_ACCOUNT_SID)
#   carrier.auth_token = $(stack_carrier_get "$d" FAKECARRIER_AUTH_TOKEN)
stack_carrier_env() { # D: creates D/carrier.env once, silently
	local d=$1 token
	[ -f "$d/carrier.env" ] && return 0
	mkdir -p "$d" || return 1
	token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
	(umask 077 && printf 'FAKECARRIER_ACCOUNT_SID=ACtest\nFAKECARRIER_AUTH_TOKEN=%s\n' "$token" \
		> "$d/carrier.env.tmp") && mv "$d/carrier.env.tmp" "$d/carrier.env"
}

stack_carrier_get() { # D KEY: a value from D/carrier.env (made if missing)
	stack_carrier_env "$1" || return 1
	sed -n "s/^$2=//p" "$1/carrier.env" | tail -n 1
}

# A phone's replies go to smsdesk's inbound webhook at the public_url of
# D/smsdesk.conf (written first), else at the port below the carrier's.
stack_carrier_start() { # D PORT [BINARY]
	local d=$1 port=$2 bin=${3:-$REPO/build/release/fakecarrier} sid token pid public
	sid=$(stack_carrier_get "$d" FAKECARRIER_ACCOUNT_SID) &&
	token=$(stack_carrier_get "$d" FAKECARRIER_AUTH_TOKEN) || return 1
	public=$(sed -n 's/^public_url *= *//p' "$d/smsdesk.conf" 2>/dev/null | tail -n 1)
	[ -n "$public" ] || public=http://127.0.0.1:$((port - 1))
	stack_log_file "$d/carrier.log" || return 1
	FAKECARRIER_ACCOUNT_SID=$sid FAKECARRIER_AUTH_TOKEN=$token \
		FAKECARRIER_INBOUND_URL=${public%/}/webhooks/twilio/sms \
		"$bin" "$port" >>"$d/carrier.log" 2>&1 &
	pid=$!
	echo "$pid" > "$d/carrier.pid"
	# up when this one answers (not another program holding the port)
	local tries=100
	while [ $tries -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		curl -fsS "http://127.0.0.1:$port/_fake/stats" 2>/dev/null | grep -q "\"pid\":$pid[,}]" && return 0
		tries=$((tries - 1))
		sleep 0.1
	done
	stack_log "the fake carrier did not start on port $port; its log:"
	tail -n 20 "$d/carrier.log" >&2
	kill "$pid" 2>/dev/null
	rm -f "$d/carrier.pid"
	return 1
}

# Stops the fake carrier with SIGTERM; returns its exit status (0 when clean).
stack_carrier_stop() { stack_stop_pidfile "$1/carrier.pid"; }
