#!/usr/bin/env bash
# Installs the Debian packages smsdesk needs to build, run and be tested.
# As root it runs apt-get; otherwise it prints the exact command to run.
# `tools/deps.sh fuzz` (make fuzz) also wants afl++.
set -euo pipefail

PACKAGES=(
	# build
	gcc g++ make pkg-config
	libfcgi-dev libctemplate-dev libmariadb-dev libjansson-dev
	libcurl4-openssl-dev libargon2-dev libssl-dev libcmocka-dev libphonenumber-dev libicu-dev libcctz-dev
	# run
	mariadb-server mariadb-client nginx spawn-fcgi tzdata
	# run on a shared host: Apache with mod_fcgid; scale out: Galera
	apache2 libapache2-mod-fcgid galera-4 rsync
	# test and bench
	libfcgi-bin curl tidy wrk procps jq libmicrohttpd-dev
	# the browser tests (tests/browser, tools/test-browser.sh)
	chromium
	# the units in deploy/ are checked with systemd-analyze verify
	systemd
)
if [ "${1:-}" = fuzz ]; then
	PACKAGES+=(afl++)
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
# Node.js runs the JavaScript tests; the machine image may bring its own.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "smsdesk needs these Debian packages: ${missing[*]}" >&2
	echo "run: sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Packaging must not start a system MariaDB, nginx or Apache: smsdesk runs its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
