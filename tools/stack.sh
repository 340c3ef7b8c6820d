# Starts and stops smsdesk's pieces under one directory D (sourced by
# run.sh, test.sh, bench.sh and the end-to-end tests):
#   D/mysql/      a private MariaDB (data, socket, log), no system service
#   D/smsdesk.*   configuration, socket, pid and log of smsdesk.fcgi
#   D/nginx/      nginx configuration generated from nginx.conf.example
#   D/apache/     Apache + mod_fcgid generated from apache.conf.example
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
	# STACK_MARIADB_PORT: also over TCP on 127.0.0.1, as a hosting panel's
	# MariaDB is reached (smsdesk then uses TCP and a password)
	if [ -n "${STACK_MARIADB_PORT:-}" ]; then
		extra+=(--port="$STACK_MARIADB_PORT" --bind-address=127.0.0.1)
	else
		extra+=(--skip-networking)
	fi
	# its temporary files in its own directory: not in /tmp, where another
	# program's clean-up could take them from under a long statement
	mkdir -p "$d/mysql/tmp"
	mariadbd --no-defaults --datadir="$d/mysql/data" --user="$me" \
		--socket="$d/mysql/mysql.sock" --pid-file="$d/mysql/mysql.pid" \
		--log-error="$d/mysql/error.log" --tmpdir="$d/mysql/tmp" \
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
CREATE USER 'smsdesk'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL ON smsdesk.* TO 'smsdesk'@'127.0.0.1';
SQL
		# named time zones for CONVERT_TZ (the loan file's times to the
		# second); smsdesk converts every other time itself (tz.cc).
		# STACK_MARIADB_NO_TZ=1 leaves them out, as on a shared host.
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

# ---- the tests' clock (test.clock_file: D/clock holds seconds to add to
# the real time). A text goes only inside its recipient's quiet-hours
# window (08:00-21:00 where the recipient lives, by default), and for part
# of every UTC day some US zone is outside it: a test run at night there
# would see its texts held. So the tests run on a clock moved into a US
# afternoon, 19:00-23:00 UTC (14:00-18:00 in New York in winter, 09:00-13:00
# in Honolulu): STACK_CLOCK_BASE, the offset that takes now there (0 when
# it is there already), is what D/clock holds when no test has moved it.
stack_daytime_offset() {
	local now h day t off best=""
	now=$(date -u +%s)
	h=$(( (now % 86400) / 3600 ))
	if [ "$h" -ge 19 ] && [ "$h" -lt 23 ]; then echo 0; return 0; fi
	day=$(( now - now % 86400 ))
	for t in $((day - 86400 + 75600)) $((day + 75600)); do # 21:00 UTC yesterday, today
		off=$((t - now))
		if [ -z "$best" ] || [ "${off#-}" -lt "${best#-}" ]; then best=$off; fi
	done
	echo "$best"
}
stack_clock_base() { # D: D/clock back to STACK_CLOCK_BASE
	echo "${STACK_CLOCK_BASE:-0}" > "$1/clock.tmp" && mv "$1/clock.tmp" "$1/clock"
}

# stack_sql D STATEMENT: the statement as root on D's smsdesk database,
# tab-separated, at smsdesk's time: NOW() is what smsdesk's NOW() is while
# D/clock moves its clock.
stack_sql() {
	local d=$1 sql=$2 off=0
	[ -s "$d/clock" ] && off=$(cat "$d/clock")
	[ "$off" != 0 ] && sql="SET timestamp = UNIX_TIMESTAMP(NOW(6)) + $off; $sql"
	stack_mysql "$d" -N -B smsdesk -e "$sql"
}

stack_write_conf() { # D PORT: smsdesk's configuration for this stack
	local d=$1 port=$2
	if [ -n "${STACK_TEST_CLOCK:-}" ]; then stack_clock_base "$d" || return 1; fi
	local db="db.socket = $d/mysql/mysql.sock"
	[ -n "${STACK_MARIADB_PORT:-}" ] && db="db.host = 127.0.0.1
db.port = $STACK_MARIADB_PORT"
	cat > "$d/smsdesk.conf" <<CONF
# written by tools/stack.sh for the stack in $d
$db
db.user = smsdesk
db.password = $(cat "$d/db.password")
db.name = smsdesk
listen = ${STACK_LISTEN-$d/smsdesk.sock}
workers = ${STACK_WORKERS:-8}
public_url = http://127.0.0.1:$port
carrier.base_url = http://127.0.0.1:$((port + 1))
carrier.account_sid = $(stack_carrier_get "$d" FAKECARRIER_ACCOUNT_SID)
carrier.auth_token = $(stack_carrier_get "$d" FAKECARRIER_AUTH_TOKEN)
templates = $REPO/templates
schema = $REPO/schema
static = $REPO/static
media.allow_loopback = on
${STACK_TEST_CLOCK:+test.clock_file = $d/clock}
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
	local site upstream="unix:$sock"
	# STACK_NGINX_UPSTREAM="host:port host:port": one `server` line each
	[ -n "${STACK_NGINX_UPSTREAM:-}" ] && upstream=$(echo "$STACK_NGINX_UPSTREAM" | sed 's/ \+/;\\n    server /g')
	site=$(sed -e "s#server unix:/run/smsdesk/smsdesk.sock#server $upstream#" \
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
# enough connections to hold slow clients (nginx.conf.example explains)
worker_rlimit_nofile 8192;
pid $d/nginx/nginx.pid;
error_log $d/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
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
	stack_apache_stop "$1"
	stack_nginx_stop "$1"
	stack_smsdesk_stop "$1" || true
	stack_carrier_stop "$1" || true
	stack_mariadb_stop "$1"
}

# A TCP port nobody listens on (there is a small race; callers retry),
# below the kernel's ephemeral range (ip_local_port_range, 32768 on
# Debian): a port above it that is free now can be the local end of some
# program's next outgoing connection before we bind it (Galera's group
# port was, once).
stack_free_port() {
	local p low=32768 span
	read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
	span=$((low - 1 - 20000))
	[ "$span" -ge 2000 ] || span=12000
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % span))
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
# The account SID has Twilio's shape, AC and 32 hex digits (smsdesk refuses a
# callback whose AccountSid has another); an older carrier.env's is replaced.
stack_carrier_env() { # D: creates D/carrier.env once, silently
	local d=$1 token sid
	sid=AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
	if [ -f "$d/carrier.env" ]; then
		grep -qx 'FAKECARRIER_ACCOUNT_SID=AC[0-9a-f]\{32\}' "$d/carrier.env" && return 0
		sed -i "s/^FAKECARRIER_ACCOUNT_SID=.*/FAKECARRIER_ACCOUNT_SID=$sid/" "$d/carrier.env"
		return
	fi
	mkdir -p "$d" || return 1
	token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
	(umask 077 && printf 'FAKECARRIER_ACCOUNT_SID=%s\nFAKECARRIER_AUTH_TOKEN=%s\n' "$sid" "$token" \
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

# ---- Apache + mod_fcgid, as on a shared host: apache.conf.example with
# this stack's paths, run as an ordinary user on its own port. smsdesk is
# started by mod_fcgid (the socket on fd 0) with D/smsdesk.conf, whose
# `listen` must be empty (STACK_LISTEN= when writing it). As root, Apache
# runs as the user STACK_APACHE_USER (default smsdesk-web, made if missing),
# which then owns D/apache and may read D/smsdesk.conf. smsdesk's log lines
# (its stderr) land in Apache's error log, D/smsdesk.log.
stack_apache_user() { stack_plain_user "${STACK_APACHE_USER:-smsdesk-web}"; }
stack_plain_user() { # NAME: as root, the user NAME (made if missing); else oneself
	local u=$1
	if [ "$(id -u)" -ne 0 ]; then id -un; return 0; fi
	id -u "$u" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin "$u" >/dev/null 2>&1 ||
		{ stack_log "cannot create the user $u"; return 1; }
	echo "$u"
}

stack_apache_conf() { # D PORT BINARY: writes D/apache/httpd.conf
	local d=$1 port=$2 bin=$3 mods=/usr/lib/apache2/modules site m
	mkdir -p "$d/apache/fcgid" "$d/apache/run"
	site=$(sed -e "s#/srv/smsdesk/cgi-bin/smsdesk.fcgi#$bin#g" \
		-e "s#<Directory /srv/smsdesk/cgi-bin>#<Directory $(dirname "$bin")>#" \
		-e "s#/srv/smsdesk/static#$REPO/static#g" \
		-e "s#FcgidInitialEnv SMSDESK_CONF /etc/smsdesk.conf#FcgidInitialEnv SMSDESK_CONF $d/smsdesk.conf#" \
		-e "s#^FcgidInitialEnv SMSDESK_DISPATCHER 1#FcgidInitialEnv SMSDESK_DISPATCHER ${STACK_APACHE_DISPATCHER:-1}#" \
		-e "s#<VirtualHost \*:80>#<VirtualHost 127.0.0.1:$port>#" \
		"$REPO/apache.conf.example")
	if grep -q -e '/srv/smsdesk' -e '/etc/smsdesk.conf' -e '\*:80' <<<"$site"; then
		stack_log "apache.conf.example changed shape: tools/stack.sh cannot adapt it"
		return 1
	fi
	{
		echo "# generated by tools/stack.sh from apache.conf.example"
		echo "ServerRoot $d/apache"
		echo "DefaultRuntimeDir $d/apache/run"
		echo "PidFile $d/apache/httpd.pid"
		echo "Listen 127.0.0.1:$port"
		echo "ServerName 127.0.0.1"
		echo "ErrorLog $d/smsdesk.log"
		echo "LogLevel warn"
		echo "LogFormat \"%h %t \\\"%r\\\" %>s %b %D\" short"
		echo "CustomLog $d/apache/access.log short"
		for m in mpm_event authz_core alias mime headers expires rewrite fcgid; do
			echo "LoadModule ${m}_module $mods/mod_$m.so"
		done
		echo "TypesConfig /etc/mime.types"
		echo "FcgidIPCDir $d/apache/fcgid"
		echo "FcgidProcessTableFile $d/apache/fcgid/shm"
		# ASan/UBSan options reach a sanitizer build (none in release)
		for m in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
			[ -n "${!m:-}" ] && echo "FcgidInitialEnv $m ${!m}"
		done
		echo "$site"
		# e.g. shorter idle times for the tests (the last one counts)
		echo "${STACK_APACHE_EXTRA:-}"
	} > "$d/apache/httpd.conf"
}

stack_apache_start() { # D PORT [BINARY]
	local d=$1 port=$2 bin=${3:-$REPO/cgi-bin/smsdesk.fcgi} user
	user=$(stack_apache_user) || return 1
	stack_apache_conf "$d" "$port" "$bin" || return 1
	stack_log_file "$d/smsdesk.log" && stack_log_file "$d/apache/access.log" || return 1
	stack_apache_run "$d" "$port" "$user" Apache
}

# Runs the Apache of D's httpd.conf on PORT, as USER when run as root, and
# waits until it serves a static file.
stack_apache_run() { # D PORT USER LABEL
	local d=$1 port=$2 user=$3 label=$4 run=()
	if [ "$(id -u)" -eq 0 ]; then
		# the stack directory (and a test run's around it) is root's
		# (0700): let the user through, not in
		chmod go+x "$d" "$(dirname "$d")"
		chown -R "$user" "$d/apache" "$d/smsdesk.log" "$d/smsdesk.conf"
		# setpriv execs, so the pid below is Apache's own
		run=(setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups --)
	fi
	"${run[@]}" apache2 -f "$d/apache/httpd.conf" -DFOREGROUND >>"$d/smsdesk.log" 2>&1 &
	echo $! > "$d/apache/run.pid"
	if ! stack_wait 100 curl -fsS -o /dev/null "http://127.0.0.1:$port/static/smsdesk.css"; then
		stack_log "$label did not start on port $port; its log:"
		tail -n 20 "$d/smsdesk.log" >&2
		return 1
	fi
}

# Stops Apache (it stops the smsdesk processes mod_fcgid started).
stack_apache_stop() { # D
	local d=$1 pid
	[ -f "$d/apache/run.pid" ] || return 0
	pid=$(cat "$d/apache/run.pid")
	rm -f "$d/apache/run.pid"
	kill -TERM "$pid" 2>/dev/null || return 0
	stack_wait 100 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# ---- more than one host: smsdesk processes listening on host:port (as on
# separate machines), each with its own log D/NAME.log and pid D/NAME.pid;
# extra SMSDESK_* overrides (e.g. SMSDESK_LISTEN, SMSDESK_DB_PORT) come
# from the environment of the call.
stack_host_start() { # D NAME BINARY
	local d=$1 name=$2 bin=$3 listen
	listen=${SMSDESK_LISTEN:-$(sed -n 's/^listen *= *//p' "$d/smsdesk.conf" | tail -n 1)}
	stack_log_file "$d/$name.log" || return 1
	SMSDESK_CONF="$d/smsdesk.conf" "$bin" >>"$d/$name.log" 2>&1 &
	echo $! > "$d/$name.pid"
	if ! stack_wait 100 bash -c "exec 3<>/dev/tcp/${listen%:*}/${listen##*:}"; then
		stack_log "smsdesk $name did not start on $listen; its log:"
		tail -n 30 "$d/$name.log" >&2
		return 1
	fi
}
stack_host_stop() { stack_stop_pidfile "$1/$2.pid"; } # D NAME

# ---- a three-node MariaDB Galera cluster on this machine: D/galera/nN
# (datadir), D/galera/nN.sock, .err, each node on its own SQL port
# (D/galera/nN.port) and its own group-communication, IST and SST ports on
# 127.0.0.1. Node 1 bootstraps the cluster (--wsrep-new-cluster), nodes 2
# and 3 join it by SST (rsync). Node 1's socket is also D/mysql/mysql.sock,
# so `stack_mysql D` and the tests' sql work as on a single MariaDB; the
# database and the plain account 'smsdesk'@'127.0.0.1' are made there and
# replicated. Durability is traded for speed, as with STACK_MARIADB_FAST.
stack_galera_node() { # D N CLUSTER GPORT SSTPORT [--wsrep-new-cluster]
	local d=$1 n=$2 cluster=$3 gport=$4 sst=$5; shift 5
	local g=$d/galera me
	me=$(stack_plain_user smsdesk-db) || return 1
	mkdir -p "$g/n$n"
	stack_log_file "$g/n$n.err" || return 1
	[ "$(id -u)" -eq 0 ] && chown -R "$me" "$g/n$n" "$g/n$n.err"
	# Galera writes a binary log: without SUPER, smsdesk's account may
	# create the notification triggers only with log_bin_trust_function_creators
	mariadbd --no-defaults --datadir="$g/n$n" --user="$me" \
		--socket="$g/n$n.sock" --pid-file="$g/n$n.pid" --log-error="$g/n$n.err" \
		--log-bin-trust-function-creators=1 \
		--port="$(cat "$g/n$n.port")" --bind-address=127.0.0.1 \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size=128M --max-connections=300 \
		--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
		--binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
		--wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so \
		--wsrep-cluster-name="${STACK_GALERA_NAME:-smsdesk-$$}" --wsrep-cluster-address="$cluster" \
		--wsrep-node-name="n$n" --wsrep-node-address=127.0.0.1 \
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$gport;ist.recv_addr=127.0.0.1:$((gport + 1))" \
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst" \
		"$@" >/dev/null 2>&1 &
	echo $! > "$g/n$n.mysqld.pid"
	local tries=600
	while [ "$(mariadb --no-defaults --socket="$g/n$n.sock" -uroot -N -B \
		-e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" != Synced ]; do
		tries=$((tries - 1))
		if [ $tries -le 0 ] || ! kill -0 "$(cat "$g/n$n.mysqld.pid")" 2>/dev/null; then
			stack_log "Galera node $n did not reach Synced; its log:"
			tail -n 30 "$g/n$n.err" >&2
			return 1
		fi
		sleep 0.1
	done
}

stack_galera_start() { # D
	local d=$1 g=$1/galera n gp=() sp=() cluster="gcomm://" pw me
	# not root: rsync's SST daemon would otherwise run as nobody
	me=$(stack_plain_user smsdesk-db) || return 1
	mkdir -p "$g" "$d/mysql"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$me" "$g"
		chmod go+x "$d" "$(dirname "$d")"
	fi
	for n in 1 2 3; do
		stack_free_port > "$g/n$n.port" && gp[n]=$(stack_free_port) && sp[n]=$(stack_free_port) || return 1
		cluster="${cluster}127.0.0.1:${gp[n]},"
	done
	cluster=${cluster%,}
	stack_log_file "$g/install.log" || return 1
	if ! mariadb-install-db --no-defaults --datadir="$g/n1" --user="$me" \
		--auth-root-authentication-method=normal --skip-test-db >"$g/install.log" 2>&1; then
		cat "$g/install.log" >&2
		return 1
	fi
	stack_galera_node "$d" 1 "$cluster" "${gp[1]}" "${sp[1]}" --wsrep-new-cluster || return 1
	ln -sf "$g/n1.sock" "$d/mysql/mysql.sock"
	pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
	echo "$pw" > "$d/db.password"
	chmod 600 "$d/db.password"
	stack_mysql "$d" <<SQL || return 1
CREATE DATABASE smsdesk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'smsdesk'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL ON smsdesk.* TO 'smsdesk'@'127.0.0.1';
SQL
	# a joiner's state transfer can fail (e.g. a port taken meanwhile):
	# wipe that node and try again with another SST port
	local try pid
	for n in 2 3; do
		for try in 1 2 3; do
			stack_galera_node "$d" "$n" "$cluster" "${gp[n]}" "${sp[n]}" && break
			pid=$(cat "$g/n$n.mysqld.pid" 2>/dev/null)
			[ -n "$pid" ] && { kill -9 "$pid" 2>/dev/null; stack_wait 100 bash -c "! kill -0 $pid"; }
			# and its SST script and rsync daemon, which outlive it
			pkill -9 -f -- "$g/n$n(/|'| |\$)" 2>/dev/null || true
			# the joiner's log says only that the donor failed: the donor says why
			stack_log "Galera node 1, the donor, on that state transfer:"
			grep -a -E 'WSREP_SST|SST|rsync|ERROR' "$g/n1.err" | tail -n 20 >&2
			[ "$try" = 3 ] && return 1
			stack_log "Galera node $n: trying again"
			rm -rf "${g:?}/n$n"
			# new ports, the group port too (a joiner finds the cluster through
			# the first node's entry in the cluster address)
			gp[n]=$(stack_free_port) && sp[n]=$(stack_free_port) || return 1
			# a donor whose transfer failed is a donor again once it is Synced
			stack_wait 300 bash -c "[ \"\$(mariadb --no-defaults --socket='$g/n1.sock' -uroot -N -B \
				-e \"SHOW STATUS LIKE 'wsrep_local_state_comment'\" | cut -f2)\" = Synced ]" ||
				stack_log "Galera node 1 is not Synced again"
		done
	done
	# the cluster's name and each node's group and SST ports, for stack_galera_restart
	echo "smsdesk-$$" > "$g/name" || return 1
	for n in 1 2 3; do
		echo "${gp[n]}" > "$g/n$n.gport" && echo "${sp[n]}" > "$g/n$n.sstport" || return 1
	done
}

stack_galera_stop() { # D: node 3, 2, then 1 (the last one can bootstrap again)
	local g=$1/galera n pid
	for n in 3 2 1; do
		[ -f "$g/n$n.mysqld.pid" ] || continue
		pid=$(cat "$g/n$n.mysqld.pid")
		kill "$pid" 2>/dev/null || true
		stack_wait 600 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
		rm -f "$g/n$n.mysqld.pid"
	done
}

# A node dying and coming back (tests/e2e/t0924-galera-node-killed.sh).
# stack_galera_kill ends node N with SIGKILL, as a crash would: no clean
# shutdown, its last commits only in the other nodes. stack_galera_restart
# starts it again with its ports and joins it to the others: first, as
# mysqld_safe does, `mariadbd --wsrep-recover` reads the position of its
# last commit kept in InnoDB, and the node starts from there, so that a
# donor sends it only the write sets after it (IST); without a position
# (or when the donor no longer has them) it gets a whole copy (SST). Extra
# arguments go to mariadbd (e.g. --wsrep-sst-donor=n3). Returns when the
# node is Synced; "IST" or "SST" on stdout says which it was.
stack_galera_kill() { # D N
	local g=$1/galera pid
	pid=$(cat "$g/n$2.mysqld.pid" 2>/dev/null) || return 1
	kill -KILL "$pid" 2>/dev/null || return 1
	stack_wait 100 bash -c "! kill -0 $pid"
}

stack_galera_restart() { # D N [MARIADBD_ARGS...]
	local d=$1 n=$2 g=$1/galera m cluster="gcomm://" pos me lines
	shift 2
	me=$(stack_plain_user smsdesk-db) || return 1
	for m in 1 2 3; do cluster="${cluster}127.0.0.1:$(cat "$g/n$m.gport"),"; done
	cluster=${cluster%,}
	rm -f "$g/n$n.recover.log"
	stack_log_file "$g/n$n.recover.log" || return 1
	[ "$(id -u)" -eq 0 ] && chown "$me" "$g/n$n.recover.log"
	mariadbd --no-defaults --datadir="$g/n$n" --user="$me" --log-error="$g/n$n.recover.log" \
		--skip-networking --socket="$g/n$n.recover.sock" --pid-file="$g/n$n.recover.pid" \
		--innodb-buffer-pool-size=128M --binlog-format=ROW --default-storage-engine=InnoDB \
		--innodb-autoinc-lock-mode=2 --log-bin-trust-function-creators=1 \
		--wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so --wsrep-recover \
		--wsrep-cluster-address="$cluster" --wsrep-sst-method=rsync \
		>/dev/null 2>&1 || stack_log "Galera node $n: --wsrep-recover failed (it will get a whole copy)"
	pos=$(sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]\{36\}:-\{0,1\}[0-9]*\).*/\1/p' \
		"$g/n$n.recover.log" | tail -n 1)
	case $pos in *:-1|"") pos= ;; esac
	lines=$(wc -l < "$g/n$n.err")
	if ! STACK_GALERA_NAME=$(cat "$g/name") stack_galera_node "$d" "$n" "$cluster" "$(cat "$g/n$n.gport")" \
		"$(cat "$g/n$n.sstport")" ${pos:+--wsrep-start-position="$pos"} "$@"; then
		stack_galera_kill "$d" "$n"
		return 1
	fi
	# the joiner's log from this start on: IST received, or a state snapshot
	if tail -n +$((lines + 1)) "$g/n$n.err" | grep -q 'IST received\|Receiving IST'; then echo IST
	else echo SST; fi
}

# ---- the same without access to the server configuration: a web root
# D/apache/public with htaccess.example as its .htaccess, the wrapper
# script that file describes, and a copy of static/ (an ordinary user's
# symbolic link would have to be owned by the user too). Apache serves only
# what the .htaccess says (AllowOverride All, as shared hosts allow).
stack_apache_htaccess_start() { # D PORT [BINARY]
	local d=$1 port=$2 bin=${3:-$REPO/cgi-bin/smsdesk.fcgi} pub=$1/apache/public user m
	user=$(stack_apache_user) || return 1
	mkdir -p "$pub" "$d/apache/fcgid" "$d/apache/run"
	cp "$REPO/htaccess.example" "$pub/.htaccess"
	rm -rf "$pub/static" && cp -r "$REPO/static" "$pub/static"
	# the wrapper, as htaccess.example writes it, with this stack's paths
	sed -n 's/^#   \(#!\/bin\/sh\|export .*\|exec .*\)$/\1/p' "$REPO/htaccess.example" |
		sed -e "s#/home/USER/smsdesk/smsdesk.conf#$d/smsdesk.conf#" \
		    -e "s#/home/USER/smsdesk/cgi-bin/smsdesk.fcgi#$bin#" > "$pub/smsdesk.fcgi"
	chmod 0755 "$pub/smsdesk.fcgi"
	if [ "$(grep -c "$d\\|$bin" "$pub/smsdesk.fcgi")" != 2 ]; then
		stack_log "htaccess.example's wrapper changed shape: tools/stack.sh cannot adapt it"
		return 1
	fi
	{
		echo "# generated by tools/stack.sh: a shared host's Apache, htaccess.example in its web root"
		echo "ServerRoot $d/apache"
		echo "DefaultRuntimeDir $d/apache/run"
		echo "PidFile $d/apache/httpd.pid"
		echo "Listen 127.0.0.1:$port"
		echo "ServerName 127.0.0.1"
		echo "ErrorLog $d/smsdesk.log"
		echo "LogLevel warn"
		for m in mpm_event authz_core alias mime dir headers expires rewrite fcgid; do
			echo "LoadModule ${m}_module /usr/lib/apache2/modules/mod_$m.so"
		done
		echo "TypesConfig /etc/mime.types"
		echo "FcgidIPCDir $d/apache/fcgid"
		echo "FcgidProcessTableFile $d/apache/fcgid/shm"
		echo "FcgidMaxRequestLen 65536"
		echo "DocumentRoot $pub"
		echo "<Directory $pub>"
		echo "    AllowOverride All"
		echo "    Require all granted"
		echo "</Directory>"
	} > "$d/apache/httpd.conf"
	stack_log_file "$d/smsdesk.log" || return 1
	stack_apache_run "$d" "$port" "$user" "Apache (.htaccess)"
}

# ---- make run's supervisor: like systemd's Restart=always for the four
# services of a stack (MariaDB, the fake carrier, smsdesk, nginx). One that
# exits, whatever the cause, is started again after a backoff (1 s, doubled
# each time it dies within 10 s of its start, at most 30 s), with a line
# saying so. smsdesk is not restarted when MariaDB is: it reconnects.
STACK_SERVICES="mariadb carrier smsdesk nginx"
stack_service_pidfile() { # D NAME
	case $2 in
	mariadb) echo "$1/mysql/mysqld.pid" ;;
	carrier) echo "$1/carrier.pid" ;;
	smsdesk) echo "$1/smsdesk.pid" ;;
	nginx) echo "$1/nginx/run.pid" ;;
	esac
}
stack_service_start() { # D PORT BINARY NAME
	case $4 in
	mariadb) stack_mariadb_start "$1" ;;
	carrier) stack_carrier_start "$1" $(($2 + 1)) ;;
	smsdesk) stack_smsdesk_start "$1" "$3" ;;
	nginx)
		# nginx's workers outlive a master killed with SIGKILL and keep the
		# port: end those left on this stack's port (our own processes)
		local p
		for p in $(ss -Hltnp "sport = :$2" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
			if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = nginx ]; then kill -KILL "$p" 2>/dev/null || true; fi
		done
		stack_nginx_start "$1" "$2" ;;
	esac
}
# Runs until a trapped signal ends the shell (whose EXIT trap stops the
# stack). The services must be this shell's children (started by it).
stack_supervise() { # D PORT SMSDESK_BINARY
	local d=$1 port=$2 bin=$3 name pid dead rc how f
	local -A delay started
	for name in $STACK_SERVICES; do delay[$name]=1; started[$name]=-100; done
	while :; do
		local pids=()
		for name in $STACK_SERVICES; do
			f=$(stack_service_pidfile "$d" "$name")
			if [ -s "$f" ]; then pids+=("$(cat "$f")"); fi
		done
		dead= rc=0
		# one bash already reaped (while it waited for a command in the
		# foreground) is no longer seen by `wait -n`: only `wait PID` has
		# its status
		for pid in "${pids[@]}"; do
			if ! kill -0 "$pid" 2>/dev/null; then
				dead=$pid
				wait "$pid" 2>/dev/null || rc=$?
				break
			fi
		done
		[ -n "$dead" ] || wait -n -p dead "${pids[@]}" || rc=$?
		if [ -z "$dead" ]; then
			sleep 1 &
			wait $! || true
			continue
		fi
		for name in $STACK_SERVICES; do
			if [ "$(cat "$(stack_service_pidfile "$d" "$name")" 2>/dev/null)" = "$dead" ]; then break; fi
		done
		if [ "$rc" -gt 128 ]; then how="signal $((rc - 128))"; else how="status $rc"; fi
		if [ $((SECONDS - started[$name])) -lt 10 ]; then
			delay[$name]=$((delay[$name] * 2))
			[ "${delay[$name]}" -le 30 ] || delay[$name]=30
		else
			delay[$name]=1
		fi
		echo "$name exited ($how); restarting in ${delay[$name]} s" >&2
		while :; do
			# a background sleep: a signal to this shell is handled at once
			sleep "${delay[$name]}" &
			wait $! || true
			started[$name]=$SECONDS
			f=$(stack_service_pidfile "$d" "$name")
			if stack_service_start "$d" "$port" "$bin" "$name"; then
				echo "$name restarted (pid $(cat "$f"))" >&2
				break
			fi
			# what a failed start left running is ended before the next one
			if [ -s "$f" ]; then
				pid=$(cat "$f")
				kill -KILL "$pid" 2>/dev/null || true
				wait "$pid" 2>/dev/null || true
			fi
			delay[$name]=$((delay[$name] * 2))
			[ "${delay[$name]}" -le 30 ] || delay[$name]=30
			echo "$name did not start again; restarting in ${delay[$name]} s" >&2
		done
	done
}
