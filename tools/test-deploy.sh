#!/usr/bin/env bash
# The systemd units and files of deploy/, checked offline (no running
# systemd needed, root in a container is enough): systemd-analyze verify
# over a copy whose /srv/smsdesk is this checkout (its ExecStart programs
# must exist: make all first), systemd-sysusers and systemd-tmpfiles into a
# throwaway root, and the socket path nginx.conf.example uses. TAP-like
# "ok - deploy: ..." lines, as tools/test.sh records them.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
T=$(mktemp -d /tmp/smsdesk-deploy.XXXXXX)
trap 'rm -rf "$T"' EXIT

result() { # OK? TEXT
	if [ "$1" -eq 0 ]; then echo "ok - deploy: $2"; else echo "not ok - deploy: $2"; fi
}

units() { # DIR PREFIX: deploy's units into DIR with /srv/smsdesk as PREFIX
	mkdir -p "$1"
	for f in deploy/*.service deploy/*.socket deploy/*.timer; do
		sed "s#/srv/smsdesk#$2#g" "$f" > "$1/$(basename "$f")"
	done
}
verify() { # DIR: systemd-analyze verify over its units; fails on any message
	(cd "$1" && systemd-analyze verify --man=no ./*.service ./*.socket ./*.timer) >"$1/verify.log" 2>&1 &&
		[ ! -s "$1/verify.log" ]
}

units "$T/units" "$REPO"
verify "$T/units"
rc=$?
result $rc "systemd-analyze verify accepts smsdesk.socket, smsdesk.service, smsdesk-dispatch.service and .timer"
[ $rc -eq 0 ] || cat "$T/units/verify.log"

# the check itself: a unit with a misspelt setting or a missing program fails
units "$T/bad1" "$REPO"
sed -i 's/^StandardInput=socket/StandardInput=sockets/' "$T/bad1/smsdesk.service"
units "$T/bad2" "$T/nowhere"
! verify "$T/bad1" && ! verify "$T/bad2"
result $? "systemd-analyze verify refuses a misspelt value and a missing ExecStart program (the check can fail)"

rc=0
for k in Restart=on-failure User=smsdesk ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
	ReadWritePaths=/var/log/smsdesk StandardInput=socket; do
	grep -qx "$k" deploy/smsdesk.service || { echo "# smsdesk.service lacks $k"; rc=1; }
done
result $rc "smsdesk.service restarts on failure, runs as smsdesk, sandboxed, writes only its log directory"

sock=$(sed -n 's/^ListenStream=//p' deploy/smsdesk.socket)
grep -q "server unix:$sock;" nginx.conf.example
result $? "smsdesk.socket listens where nginx.conf.example connects ($sock)"

mkdir -p "$T/root/etc/sysusers.d" "$T/root/etc/tmpfiles.d"
cp deploy/sysusers.d/smsdesk.conf "$T/root/etc/sysusers.d/"
cp deploy/tmpfiles.d/smsdesk.conf "$T/root/etc/tmpfiles.d/"
printf 'g adm 4\n' > "$T/root/etc/sysusers.d/adm.conf"   # Debian's base system has it
systemd-sysusers --root="$T/root" >"$T/sysusers.log" 2>&1 &&
	grep -q '^smsdesk:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' "$T/root/etc/passwd" &&
	systemd-tmpfiles --root="$T/root" --create >"$T/tmpfiles.log" 2>&1 &&
	[ "$(stat -c %a "$T/root/var/log/smsdesk")" = 750 ] &&
	[ "$(stat -c %u "$T/root/var/log/smsdesk")" = "$(sed -n 's/^smsdesk:x:\([0-9]*\):.*/\1/p' "$T/root/etc/passwd")" ]
rc=$?
result $rc "sysusers.d makes the smsdesk user, tmpfiles.d its log directory (0750, owned by it)"
[ $rc -eq 0 ] || cat "$T/sysusers.log" "$T/tmpfiles.log"

grep -q '^[[:space:]]*copytruncate$' deploy/logrotate/smsdesk &&
	grep -q '^/var/log/smsdesk/\*\.log {$' deploy/logrotate/smsdesk
result $? "logrotate rotates /var/log/smsdesk/*.log with copytruncate (smsdesk has no reopen signal)"
