#!/usr/bin/env bash
# `make bench`: smsdesk's throughput and memory next to a hello-world FastCGI
# responder H (tools/hello.c) behind an identical nginx. Run from the repo
# root after `make all tools`. Figures are reported, not asserted: the exit
# status is non-zero only when something failed to start or answered wrongly.
# The whole default run takes 30 to 50 minutes on the 2-core development
# machine when it has it to itself (most of it seeding the ten-times data),
# 10 to 11 with BENCH_TENX=0; the time is printed at the end.
#
#   BENCH_SECONDS      length of each measurement (default 10)
#   BENCH_WARMUP       warm-up before each measurement, seconds (default 2)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_CONNECTIONS  wrk connections (default 32)
#   BENCH_LEADS        leads in the benched organization (default 100000;
#                      the benched agent sees 1 in 100, so at least 5100)
#   BENCH_MESSAGES     texts in the database (default 1000000)
#   BENCH_DISPATCH     texts queued at once for the dispatcher (default 5000)
#   STACK_WORKERS      smsdesk workers, and H's threads (default 8)
#   BENCH_SIGNINS      parallel sign-ins of the memory burst (default 100)
#   BENCH_INBOUND_N    signed inbound webhooks made for the measurement, each
#                      sent once (default 25000 a second of BENCH_SECONDS)
#   BENCH_TENX         1 (default): after everything at BENCH_LEADS and
#                      BENCH_MESSAGES, the same database grows to ten times
#                      both and the pages are measured again (BENCH_LEADS
#                      then at most 499999); 0: not
#   STACK_MARIADB_POOL InnoDB's buffer pool (default 8G with BENCH_TENX=1,
#                      else 2G: the data stays in memory, as on a server)
#   BENCH_ONLY=signin  only the sign-in burst (no seeding, no wrk): a minute
#   BENCH_ROWS         a space-separated list of words: only the rows whose
#                      name holds one of them are measured (H and S always
#                      are: every ratio refers to them); "dispatcher" names
#                      the dispatcher's rows, "RSS" the resident memory's.
#                      The data and the sign-in burst are made as without
#                      it. Default: every row
#   BENCH_HOLD=1       after seeding and signing in, print the addresses, the
#                      agent's cookie and the stack's directory (also to
#                      BENCH_HOLD_FILE when set) and keep everything running,
#                      measuring nothing, until killed: for profiling
#
# The pages behind a login are measured as an agent: tools/bench.sh imports
# an organization, its users and partners with `smsdeskctl import`, then
# tools/bench-seed.sql creates BENCH_LEADS leads with their contacts,
# partner links, assignments and consents, tools/bench-messages.sql
# BENCH_MESSAGES texts in their conversations, and the agent signs in; its
# session cookie (BENCH_COOKIE) goes with the pages marked "login" only.
#
# Reported per page: requests/s, the ratios to H and to S (the session
# floor: a signed-in GET / that reads its session and redirects, the least
# any signed-in page does), median and p99 latency, and
# the database round trips per request as smsdesk counts them (log.debug,
# see "database round trips" below), then the throughput goals
# (docs/performance.md; PASS or MISS, never a failure).
#
# Sign-in burst: BENCH_SIGNINS users (imported) sign in at once, each from
# its own loopback address (127.1.x.y, so that no throttle refuses them),
# against a smsdesk that has served nothing else yet; its VmRSS is read
# before, every 50 ms during, and 2 s after. Each argon2id hash takes 19 MiB.
#
# Texting: smsdesk runs with carrier.rate_per_number = 0 (no per-number
# pause) against the fake carrier (tests/fakecarrier.c) on PORT+1 for the
# whole bench. After the pages, the dispatcher sends BENCH_DISPATCH texts
# queued in one transaction, with the fake's status callbacks off then on;
# then wrk POSTs the chatbox's form to /sms/send (tools/bench-send.lua)
# with callbacks off while the dispatcher sends what it queues; last,
# signed inbound webhooks (tools/bench-inbound.js makes them, one
# MessageSid each, tools/bench-inbound.lua sends each once) with durable
# commits, checking that every acknowledged one is stored. Both again over
# 32 conversations of four agents, each signed in (see "many conversations
# at once"). Then the round trips are counted, and the ten-times run (see
# "ten times the data").
set -Eeuo pipefail
# a bench that stops says where (set -E: in functions and substitutions too)
trap 'echo "bench: stopped: line $LINENO failed ($?): $BASH_COMMAND" >&2' ERR

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
# shellcheck source=tools/stack.sh
. tools/stack.sh

SECONDS_EACH=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
WRK_T=${BENCH_THREADS:-2}
WRK_C=${BENCH_CONNECTIONS:-32}
LEADS=${BENCH_LEADS:-100000}
MESSAGES=${BENCH_MESSAGES:-1000000}
DISPATCH_N=${BENCH_DISPATCH:-5000}
TENX=${BENCH_TENX:-1}
BENCH_T0=$(date +%s)
CHAT_MESSAGES=50 # in the conversation the chatbox shows
BENCH_COOKIE= # the agent's session, set by the sign-in below
ROWS=${BENCH_ROWS:-}
# wanted NAME: the row NAME is measured (BENCH_ROWS empty, or one of its
# words is in NAME)
wanted() {
	local w
	[ -n "$ROWS" ] || return 0
	for w in $ROWS; do
		[[ $1 == *"$w"* ]] && return 0
	done
	return 1
}
export STACK_WORKERS=${STACK_WORKERS:-8}
export STACK_NGINX_ACCESS_LOG=off
export STACK_MARIADB_FAST=1
# the texts and their indexes stay in memory, as on a real server: about
# 1.5 GB at 1x, 6 GB at 10x (allocated as it fills)
if [ "$TENX" = 1 ]; then export STACK_MARIADB_POOL=${STACK_MARIADB_POOL:-8G}
else export STACK_MARIADB_POOL=${STACK_MARIADB_POOL:-2G}; fi
export STACK_CONF_EXTRA="carrier.rate_per_number = 0"
RSS_GOAL_KB=$((32 * 1024))
DISPATCH_GOAL=300 # messages/s
RSS_SLACK_KB=${BENCH_RSS_SLACK_KB:-1024} # growth below this counts as steady
SIGNINS=${BENCH_SIGNINS:-100}
[ "$SIGNINS" -ge 1 ] 2>/dev/null && [ "$SIGNINS" -le 60000 ] ||
	{ echo "bench: BENCH_SIGNINS must be a number from 1 to 60000" >&2; exit 1; }

[ "$LEADS" -ge 5100 ] 2>/dev/null || { echo "bench: BENCH_LEADS must be a number >= 5100" >&2; exit 1; }
# the seed's mobiles are +1512 and 2n or 2n + 1 in seven digits
[ "$LEADS" -le "$([ "$TENX" = 1 ] && echo 499999 || echo 4999999)" ] ||
	{ echo "bench: BENCH_LEADS must be at most 4999999 (499999 with BENCH_TENX=1)" >&2; exit 1; }
case $TENX in 0 | 1) ;; *) echo "bench: BENCH_TENX must be 0 or 1" >&2; exit 1 ;; esac
[ "$MESSAGES" -ge $((CHAT_MESSAGES + 1)) ] 2>/dev/null ||
	{ echo "bench: BENCH_MESSAGES must be a number > $CHAT_MESSAGES" >&2; exit 1; }
if ! [ "$DISPATCH_N" -ge 100 ] 2>/dev/null || [ "$DISPATCH_N" -gt $((LEADS / 2)) ]; then
	echo "bench: BENCH_DISPATCH must be a number from 100 to BENCH_LEADS / 2" >&2
	exit 1
fi
# `make bench` builds `all tools`; the fake carrier is built here if needed
if [ ! -x build/release/fakecarrier ] || [ tests/fakecarrier.c -nt build/release/fakecarrier ]; then
	make --no-print-directory fakecarrier >&2 || { echo "bench: make fakecarrier failed" >&2; exit 1; }
fi
for f in cgi-bin/smsdesk.fcgi cgi-bin/smsdeskctl build/release/hello.fcgi build/release/fakecarrier; do
	[ -x "$f" ] || { echo "bench: $f is missing: run 'make all tools' first" >&2; exit 1; }
done
for c in wrk jq cgi-fcgi node; do
	command -v $c >/dev/null || { echo "bench: $c is not installed (make deps)" >&2; exit 1; }
done

D=$(mktemp -d "${TMPDIR:-/tmp}/smsdesk-bench.XXXXXX")
D2=$D/hello # H's nginx lives here, generated by the same stack_nginx_conf
HELLO_PID=

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
	stack_nginx_stop "$D2" || true
	if [ -n "$HELLO_PID" ]; then
		kill "$HELLO_PID" 2>/dev/null || true
		stack_wait 50 bash -c "! kill -0 $HELLO_PID" || kill -9 "$HELLO_PID" 2>/dev/null || true
		wait "$HELLO_PID" 2>/dev/null || true
	fi
	stack_stop_all "$D" || true
	rm -rf "$D"
}
trap cleanup EXIT


# --- start everything -------------------------------------------------------
echo "bench: starting MariaDB, smsdesk and nginx in $D" >&2
PORT=$(stack_free_port)
PORT2=$(stack_free_port)
while [ "$PORT2" -ge "$PORT" ] && [ "$PORT2" -le $((PORT + 1)) ]; do PORT2=$(stack_free_port); done

stack_mariadb_start "$D"
# a redo log that holds a seed's transaction without checkpoints in between
stack_mysql "$D" -e "SET GLOBAL innodb_log_file_size = 2147483648"
# Quiet hours hold the texts of the dispatcher's phases when it is night
# where their recipients live (the seed's are in Austin): then, and only
# then, smsdesk gets the tests' clock file (read on each request), and the
# dispatcher's phases run on a clock moved into a US afternoon
# (tools/stack.sh stack_daytime_offset). The pages stay on the real time.
DAYTIME_OFFSET=$(stack_daytime_offset)
if [ "$DAYTIME_OFFSET" != 0 ]; then
	export STACK_TEST_CLOCK=1 STACK_CLOCK_BASE=0
	echo "bench: night in the recipients' zone: the dispatcher's phases run $DAYTIME_OFFSET s from now" >&2
fi
stack_write_conf "$D" "$PORT" # the carrier at PORT+1, rate_per_number = 0
stack_carrier_start "$D" $((PORT + 1))
CARRIER=http://127.0.0.1:$((PORT + 1))
SMSDESK_CONF="$D/smsdesk.conf" cgi-bin/smsdeskctl migrate >"$D/migrate.log" 2>&1 ||
	{ cat "$D/migrate.log" >&2; echo "bench: migrate failed" >&2; exit 1; }
stack_smsdesk_start "$D" cgi-bin/smsdesk.fcgi
stack_nginx_start "$D" "$PORT"

mkdir -p "$D2"
build/release/hello.fcgi "$D2/hello.sock" "$STACK_WORKERS" >"$D2/hello.log" 2>&1 &
HELLO_PID=$!
if ! stack_wait 100 test -S "$D2/hello.sock"; then
	echo "bench: hello.fcgi did not start:" >&2
	cat "$D2/hello.log" >&2
	exit 1
fi
stack_nginx_start "$D2" "$PORT2" "$D2/hello.sock"

URL=http://127.0.0.1:$PORT
HURL=http://127.0.0.1:$PORT2

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$(cat "$D/smsdesk.pid")/status"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- sign-in burst (memory) ---------------------------------------------------
# First, on a fresh smsdesk: BENCH_SIGNINS users sign in at once.
echo "bench: $SIGNINS parallel sign-ins" >&2
SIGNIN_PASSWORD=burst-password-1
jq -n --argjson n "$SIGNINS" --arg pw "$SIGNIN_PASSWORD" '{
	organizations: [{key: "burst", name: "Burst Lending"}],
	users: [range($n) | {key: "u\(.)", org: "burst", email: "burst\(.)@bench.test",
		name: "Burst \(.)", role: "agent", password: $pw}]}' >"$D/burst.json"
SMSDESK_CONF="$D/smsdesk.conf" cgi-bin/smsdeskctl import "$D/burst.json" >/dev/null 2>"$D/burst.log" ||
	{ cat "$D/burst.log" >&2; echo "bench: the burst's users did not import" >&2; exit 1; }
burst_addr() { echo "127.1.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; }
mkdir -p "$D/burst"
for i in $(seq 0 $((SIGNINS - 1))); do # every browser first loads the form
	curl -sS -c "$D/burst/jar.$i" -o "$D/burst/form.$i" --interface "$(burst_addr "$i")" "$URL/login"
	grep -o 'name="csrf" value="[^"]*"' "$D/burst/form.$i" | sed 's/.*value="\([^"]*\)"/\1/' \
		>"$D/burst/csrf.$i"
done
BURST_RSS0=$(rss_kb)
BURST_PEAK=$BURST_RSS0
( while :; do rss_kb; sleep 0.05; done ) >"$D/burst/rss" 2>/dev/null &
sampler=$!
burst_t0=$(date +%s%N)
burst_pids=()
for i in $(seq 0 $((SIGNINS - 1))); do
	curl -sS -o /dev/null -w '%{http_code}\n' -b "$D/burst/jar.$i" --interface "$(burst_addr "$i")" \
		--data-urlencode "csrf=$(cat "$D/burst/csrf.$i")" --data-urlencode "email=burst$i@bench.test" \
		--data-urlencode "password=$SIGNIN_PASSWORD" "$URL/login" >"$D/burst/status.$i" 2>&1 &
	burst_pids+=($!)
done
wait "${burst_pids[@]}"
BURST_S=$(awk -v ns=$(( $(date +%s%N) - burst_t0 )) 'BEGIN { printf "%.1f", ns / 1e9 }')
sleep 2
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
BURST_RSS1=$(rss_kb)
BURST_PEAK=$(sort -n "$D/burst/rss" | tail -n1)
[ -n "$BURST_PEAK" ] || BURST_PEAK=$BURST_RSS1
BURST_OK=$(cat "$D/burst/status."* | grep -c '^303$' || true)
burst_report() {
	echo "sign-in burst: $SIGNINS parallel sign-ins ($BURST_OK answered 303) in ${BURST_S}s;" \
		"smsdesk VmRSS $(mb "$BURST_RSS0") MB before, $(mb "$BURST_PEAK") MB at most during," \
		"$(mb "$BURST_RSS1") MB 2 s after"
}
if [ "${BENCH_ONLY:-}" = signin ]; then
	burst_report
	printf '  %-4s %-44s %s MB\n' "$([ "$BURST_RSS1" -le "$RSS_GOAL_KB" ] && echo PASS || echo MISS)" \
		"RSS <= 32 MB after $SIGNINS sign-ins" "$(mb "$BURST_RSS1")"
	exit 0
fi

# --- data set ---------------------------------------------------------------
# One organization with LEADS leads; agent Amy (the benched one) is assigned
# every 100th, the four other agents the rest (tools/bench-seed.sql).
AGENT_EMAIL=amy@bench.test
AGENT_PASSWORD=bench-password-1
echo "bench: seeding $LEADS leads" >&2
seed_start=$(date +%s)
cat >"$D/seed.json" <<JSON
{
  "organizations": [{"key": "bench", "name": "Bench Lending", "sms_enabled": true,
                     "time_zone": "America/Chicago"}],
  "users": [
    {"key": "admin", "org": "bench", "email": "admin@bench.test", "name": "Ada Admin",
     "role": "admin", "password": "$AGENT_PASSWORD"},
    {"key": "amy", "org": "bench", "email": "$AGENT_EMAIL", "name": "Amy Agent",
     "role": "agent", "password": "$AGENT_PASSWORD", "sms_permission": true,
     "sms_number": "+15125550101", "time_zone": "America/Chicago"},
    {"key": "ben", "org": "bench", "email": "ben@bench.test", "name": "Ben Ortiz",
     "role": "agent", "password": "$AGENT_PASSWORD", "sms_permission": true,
     "sms_number": "+15125550102"},
    {"key": "carla", "org": "bench", "email": "carla@bench.test", "name": "Carla Nguyen",
     "role": "agent", "password": "$AGENT_PASSWORD", "sms_permission": true,
     "sms_number": "+15125550103"},
    {"key": "dev", "org": "bench", "email": "dev@bench.test", "name": "Dev Patel",
     "role": "agent", "password": "$AGENT_PASSWORD", "sms_permission": true,
     "sms_number": "+15125550104"},
    {"key": "eve", "org": "bench", "email": "eve@bench.test", "name": "Eve Kim",
     "role": "agent", "password": "$AGENT_PASSWORD"}],
  "partners": [
    {"key": "rita", "org": "bench", "name": "Rita Reyes", "role": "Real Estate Agent",
     "mobile": "+15125550199"},
    {"key": "sam", "org": "bench", "name": "Sam Stone", "role": "Title Officer",
     "mobile": "+15125550198"}]
}
JSON
SMSDESK_CONF="$D/smsdesk.conf" cgi-bin/smsdeskctl import "$D/seed.json" >"$D/seed-ids.json" 2>"$D/seed.log" ||
	{ cat "$D/seed.log" >&2; echo "bench: import failed" >&2; exit 1; }
id_of() { jq -er --arg kind "$1" --arg k "$2" '.[$kind][$k]' "$D/seed-ids.json"; }
ORG_ID=$(id_of organizations bench)
ADMIN_ID=$(id_of users admin)
AGENT_ID=$(id_of users amy)
sql() { stack_sql "$D" "$1"; }  # at smsdesk's time

seed_leads() { # TOTAL: the organization's leads grow to TOTAL (tools/bench-seed.sql)
	{
		printf 'SET @org = %d, @agent = %d, @admin = %d, @leads = %d;\n' \
			"$ORG_ID" "$AGENT_ID" "$ADMIN_ID" "$1"
		cat tools/bench-seed.sql
	} | stack_mysql "$D" smsdesk >"$D/seed-sql.log" 2>&1 ||
		{ cat "$D/seed-sql.log" >&2; echo "bench: tools/bench-seed.sql failed" >&2; exit 1; }
	AGENT_LEADS=$(sql "SELECT COUNT(*) FROM assignments WHERE user_id = $AGENT_ID AND unassigned_at IS NULL")
	if [ "$AGENT_LEADS" -ne $(($1 / 100)) ]; then
		echo "bench: the seed went wrong (agent's leads: $AGENT_LEADS, expected $(($1 / 100)))" >&2
		exit 1
	fi
}

# The pages' leads, among the agent's leads with an id above $1: LEAD_ID
# (/leads/ID) has a borrower, a co-borrower and a partner; CHAT_LEAD (the
# chatbox) a borrower, a co-borrower and two partners, and its conversation
# with the borrower (CHAT_CONTACT) is the one shown.
pick_leads() { # FROM_LEAD
	LEAD_ID=$(sql "SELECT a.lead_id FROM assignments a JOIN contacts c ON c.lead_id = a.lead_id
		WHERE a.user_id = $AGENT_ID AND a.unassigned_at IS NULL AND a.lead_id > $1 GROUP BY a.lead_id
		HAVING SUM(c.role = 'borrower') = 1 AND SUM(c.role = 'co_borrower') = 1
		AND SUM(c.role = 'external') = 1 ORDER BY a.lead_id LIMIT 1")
	LEAD_CONTACTS=$(sql "SELECT COALESCE(p.name, c.name) FROM contacts c
		LEFT JOIN partners p ON p.id = c.partner_id WHERE c.lead_id = ${LEAD_ID:-0} ORDER BY c.id")
	CHAT_LEAD=$(sql "SELECT a.lead_id FROM assignments a JOIN contacts c ON c.lead_id = a.lead_id
		WHERE a.user_id = $AGENT_ID AND a.unassigned_at IS NULL AND a.lead_id > $1 GROUP BY a.lead_id
		HAVING COUNT(*) = 4 AND SUM(c.role = 'borrower') = 1 AND SUM(c.role = 'co_borrower') = 1
		AND SUM(c.role = 'external') = 2 ORDER BY a.lead_id LIMIT 1")
	CHAT_CONTACT=$(sql "SELECT id FROM contacts WHERE lead_id = ${CHAT_LEAD:-0} AND role = 'borrower'")
	if [ -z "$LEAD_ID" ] || [ -z "$CHAT_LEAD" ] || [ -z "$CHAT_CONTACT" ]; then
		echo "bench: the seed went wrong (lead: ${LEAD_ID:-none}, chatbox: ${CHAT_LEAD:-none})" >&2
		exit 1
	fi
}

# The messages triggers that keep the notifications (schema/0012), the
# usage summary (schema/0023), the Unmatched counts (schema/0025) and the
# word index's queue (schema/0044) are taken off while texts are seeded
# and put back as they were: their per-row upserts would triple the time.
# tools/bench-messages.sql writes what they would have.
TRIGGERS=(messages_conversation_insert messages_usage_insert messages_unmatched_insert messages_words_insert)
declare -A TRG_BODY TRG_DEFINER TRG_WHEN TRG_MODE
trigger_field() { # TRIGGER COLUMN of information_schema.TRIGGERS, raw
	stack_mysql "$D" --raw -N -B -e "SELECT $2 FROM information_schema.TRIGGERS
		WHERE TRIGGER_SCHEMA = 'smsdesk' AND TRIGGER_NAME = '$1'"
}
trigger_off() {
	local t
	for t in "${TRIGGERS[@]}"; do
		TRG_BODY[$t]=$(trigger_field "$t" ACTION_STATEMENT)
		TRG_DEFINER[$t]=$(trigger_field "$t" DEFINER)
		TRG_WHEN[$t]="$(trigger_field "$t" ACTION_TIMING) $(trigger_field "$t" EVENT_MANIPULATION)"
		TRG_MODE[$t]=$(trigger_field "$t" SQL_MODE)
		if [ -z "${TRG_BODY[$t]}" ] || [ "$(trigger_field "$t" EVENT_OBJECT_TABLE)" != messages ]; then
			echo "bench: no trigger $t on messages (the schema changed?)" >&2
			exit 1
		fi
	done
	for t in "${TRIGGERS[@]}"; do
		sql "DROP TRIGGER $t"
	done
}
trigger_on() {
	local t
	for t in "${TRIGGERS[@]}"; do
		printf "SET SESSION sql_mode = '%s';\nDELIMITER ;;\nCREATE DEFINER = \`%s\`@\`%s\` TRIGGER %s %s ON messages FOR EACH ROW\n%s;;\nDELIMITER ;\n" \
			"${TRG_MODE[$t]}" "${TRG_DEFINER[$t]%@*}" "${TRG_DEFINER[$t]##*@}" "$t" "${TRG_WHEN[$t]}" \
			"${TRG_BODY[$t]}" | stack_mysql "$D" smsdesk ||
			{ echo "bench: the trigger $t could not be put back" >&2; exit 1; }
		if [ "$(trigger_field "$t" ACTION_STATEMENT)" != "${TRG_BODY[$t]}" ] ||
			[ "$(trigger_field "$t" DEFINER)" != "${TRG_DEFINER[$t]}" ]; then
			echo "bench: the trigger $t came back different" >&2
			exit 1
		fi
	done
}

seed_messages() { # COUNT FROM_LEAD: COUNT texts, CHAT_MESSAGES of them shown (bench-messages.sql)
	local before
	before=$(sql "SELECT COUNT(*) FROM messages")
	trigger_off
	{
		printf 'SET @org = %d, @agent = %d, @chat_lead = %d, @chat_contact = %d;\n' \
			"$ORG_ID" "$AGENT_ID" "$CHAT_LEAD" "$CHAT_CONTACT"
		printf 'SET @messages = %d, @chat_messages = %d, @from_lead = %d;\n' "$1" "$CHAT_MESSAGES" "$2"
		cat tools/bench-messages.sql
	} | stack_mysql "$D" smsdesk >"$D/seed-messages.log" 2>&1 ||
		{ cat "$D/seed-messages.log" >&2; echo "bench: tools/bench-messages.sql failed" >&2; exit 1; }
	trigger_on
	MESSAGES_NOW=$(sql "SELECT COUNT(*) FROM messages")
	shown=$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $CHAT_LEAD AND contact_id = $CHAT_CONTACT
		AND user_id = $AGENT_ID")
	if [ "$MESSAGES_NOW" != $((before + $1)) ] || [ "$shown" != "$CHAT_MESSAGES" ]; then
		echo "bench: the messages seed went wrong ($((MESSAGES_NOW - before)) messages," \
			"$shown in the shown conversation)" >&2
		exit 1
	fi
}

# After a seed: InnoDB writes its dirty pages out, for at most two
# minutes, and purges the undo history the seed left (millions of rows for
# the ten-times growth), for at most five, before anything is measured: a
# database at rest. Purging took a core while the ten-times pages were
# measured, and /healthz, which reads no data, fell to 0.76 of itself.
status_value() { # NAME of information_schema.GLOBAL_STATUS
	sql "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$1'"
}
settle() {
	local tries=1200 start=$SECONDS
	stack_mysql "$D" -e "SET GLOBAL innodb_max_dirty_pages_pct = 0"
	while [ "$(status_value INNODB_BUFFER_POOL_PAGES_DIRTY)" -gt 1000 ] && [ "$tries" -gt 0 ]; do
		tries=$((tries - 1))
		sleep 0.1
	done
	stack_mysql "$D" -e "SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT"
	tries=3000
	while [ "$(status_value INNODB_HISTORY_LIST_LENGTH)" -gt 1000 ] && [ "$tries" -gt 0 ]; do
		tries=$((tries - 1))
		sleep 0.1
	done
	echo "bench: settled in $((SECONDS - start))s (dirty pages $(status_value INNODB_BUFFER_POOL_PAGES_DIRTY)," \
		"undo history $(status_value INNODB_HISTORY_LIST_LENGTH))" >&2
}

seed_leads "$LEADS"
pick_leads 0
echo "bench: seeded in $(( $(date +%s) - seed_start ))s: $(sql "SELECT COUNT(*) FROM leads") leads," \
	"$(sql "SELECT COUNT(*) FROM contacts") contacts, $AGENT_LEADS for $AGENT_EMAIL" >&2
echo "bench: seeding $MESSAGES messages" >&2
seed_start=$(date +%s)
seed_messages "$MESSAGES" 0
SEED_MESSAGES_S=$(( $(date +%s) - seed_start ))
settle
echo "bench: seeded in ${SEED_MESSAGES_S}s: $MESSAGES_NOW messages in" \
	"$(sql "SELECT COUNT(*) FROM conversations") conversations" >&2

# The agent signs in as a browser would: the form's csrf token is tied to the
# pre-login cookie, the answer is a 303 that sets the session cookie.
JAR=$D/cookies.txt
curl -sS -c "$JAR" -b "$JAR" -o "$D/login.html" "$URL/login"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$D/login.html" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')
got=$(curl -sS -c "$JAR" -b "$JAR" -o /dev/null -D "$D/login.headers" -w '%{http_code}' \
	--data-urlencode "csrf=$csrf" --data-urlencode "email=$AGENT_EMAIL" \
	--data-urlencode "password=$AGENT_PASSWORD" "$URL/login" || echo 000)
session=$(tr -d '\r' <"$D/login.headers" | sed -n 's/^set-cookie: *smsdesk_session=\([^;]*\).*/\1/Ip' | tail -n1)
if [ "$got" != 303 ] || [ -z "$session" ]; then
	echo "bench: signing in as $AGENT_EMAIL answered $got$([ -n "$session" ] || echo ", no session cookie")" >&2
	exit 1
fi
BENCH_COOKIE="smsdesk_session=$session"

# --- what is measured -------------------------------------------------------
# "name|URL|expected status[|login]". H_NAME is the baseline every ratio
# refers to. SMSDESK_PAGES are measured twice (memory growth), and once
# more with ten times the data; add new pages there. Pages marked "login"
# are requested with the agent's session cookie.
H_NAME="H (hello.fcgi)"
# S, the session floor: a signed-in GET / (the session read in MariaDB, a
# redirect); the signed-in pages' goals are ratios to it
S_NAME="S: GET / signed in (session floor)"
# the chatbox open on the agent's conversation with the lead's borrower
CHAT_NAME="/leads/ID?chat=ID (agent)"
# the inbox's search for a word in a tenth of the texts (tools/bench-messages.sql)
SEARCH_NAME="/inbox?q=WORD (agent)"
SEND_NAME="POST /sms/send (agent, durable)" # measured after the pages (see "texting" below)
# the send and the webhook again over SPREAD_N conversations of four agents
# (see "many conversations at once" below): the goals are theirs
SPREAD_N=32
SPREAD_SEND_NAME="POST /sms/send, $SPREAD_N conversations"
SPREAD_INBOUND_NAME="POST /webhooks/twilio/sms, $SPREAD_N convs"
BASE_PAGES=(
	"nginx static|$URL/static/smsdesk.css|200"
	"$H_NAME|$HURL/|200"
)
set_pages() { # the pages' addresses, from LEAD_ID, CHAT_LEAD and CHAT_CONTACT
	CHAT_PATH="/leads/$CHAT_LEAD?chat=$CHAT_LEAD&contact_$CHAT_LEAD=$CHAT_CONTACT"
	CHAT_URL=$URL$CHAT_PATH
	SMSDESK_PAGES=(
		"404 page|$URL/no-such-page|404"
		"/healthz|$URL/healthz|200"
		"$S_NAME|$URL/|303|login"
		"/leads (agent)|$URL/leads|200|login"
		"/leads/ID (agent)|$URL/leads/$LEAD_ID|200|login"
		"$CHAT_NAME|$CHAT_URL|200|login"
		"/inbox (agent)|$URL/inbox?show=mine|200|login"
		"$SEARCH_NAME|$URL/inbox?q=closing|200|login"
	)
}
set_pages
# The goals: "name|minimum ratio|maximum p99 in ms (or empty)": the pages
# nobody signs in for to H (GOALS_H), the signed-in ones to S (GOALS)
GOALS_H=(
	"404 page|0.80|"
	"/healthz|0.60|"
)
GOALS=(
	"/leads (agent)|0.60|20"
	"/leads/ID (agent)|0.50|20"
	"$CHAT_NAME|0.30|20"
	"/inbox (agent)|0.40|20"
	"$SEARCH_NAME|0.20|"
	"$SPREAD_SEND_NAME|0.25|50"
	"$SPREAD_INBOUND_NAME|0.30|"
)
# waiting requests do not queue behind idle kept-alive connections: every
# page's p99 within P99_PER_MEDIAN times its median (50%), under WRK_C
# connections
P99_PER_MEDIAN=4
# ten times the data: each page's ratio to H within 20 % of the same page's
TENX_SLACK=0.20

# HDR: the extra curl/wrk arguments for a page marked $1 ("login" or "").
HDR=()
set_hdr() {
	HDR=()
	if [ "$1" = login ]; then HDR=(-H "Cookie: $BENCH_COOKIE"); fi
}

# Checks every page answers what it should before anything is measured, and
# that the pages behind the login show what they should (not an error page,
# not the sign-in form).
body_check() { # NAME FILE: empty when the body is right, else what is wrong
	local n
	case $1 in
	"/leads (agent)")
		n=$(grep -c 'href="/leads/[0-9]*"' "$2" || true)
		[ "$n" = 50 ] || echo "$n lead rows instead of 50"
		grep -q 'href="/leads?page=2"' "$2" || echo "no link to page 2" ;;
	"/leads/ID (agent)")
		while IFS= read -r n; do
			grep -qF -- "<td class=\"card-title\">$n</td>" "$2" || echo "no contact $n"
		done <<<"$LEAD_CONTACTS"
		for n in '>Borrower<' '>Co-borrower<'; do
			grep -qF -- "$n" "$2" || echo "no $n"
		done ;;
	"/inbox (agent)")
		grep -q '<h1>Inbox</h1>' "$2" || echo "not the inbox"
		n=$(grep -c 'class="inbox-row' "$2" || true)
		[ "$n" = 50 ] || echo "$n conversation rows instead of 50"
		grep -q 'href="/inbox?show=mine&amp;page=2"' "$2" || echo "no link to page 2" ;;
	"$SEARCH_NAME")
		n=$(grep -c 'class="search-row"' "$2" || true)
		[ "$n" = 50 ] || echo "$n search results instead of 50" ;;
	"$CHAT_NAME")
		grep -q '<section class="chatbox' "$2" || echo "no chatbox"
		n=$(grep -o 'class="bubble"' "$2" | wc -l)
		[ "$n" = "$CHAT_MESSAGES" ] || echo "$n message bubbles instead of $CHAT_MESSAGES"
		n=$(grep -o '<a class="chat-contact[ "]' "$2" | wc -l)
		[ "$n" = 4 ] || echo "$n contacts instead of 4"
		grep -qF "<input type=\"hidden\" name=\"contact\" value=\"$CHAT_CONTACT\">" "$2" ||
			echo "the borrower is not the selected contact"
		grep -q '<button type="submit" class="primary"\( title="[^"]*"\)\?>Send</button>' "$2" ||
			echo "no Send button: $(grep -o '<p class="chat-reason">[^<]*' "$2" | head -n1)" ;;
	esac
}
check_pages() { # ENTRY...
	local entry name url want auth got wrong
	for entry in "$@"; do
		IFS='|' read -r name url want auth <<<"$entry"
		set_hdr "$auth"
		got=$(curl -sS -o "$D/page.html" -w '%{http_code}' "${HDR[@]}" "$url" || echo 000)
		if [ "$got" != "$want" ]; then
			echo "bench: $name ($url) answered $got, expected $want" >&2
			exit 1
		fi
		wrong=$(body_check "$name" "$D/page.html")
		if [ -n "$wrong" ]; then
			echo "bench: $name ($url) shows the wrong page: ${wrong//$'\n'/; }" >&2
			exit 1
		fi
	done
}
check_pages "${BASE_PAGES[@]}" "${SMSDESK_PAGES[@]}"
if [ "${BENCH_HOLD:-0}" = 1 ]; then # the seeded stack stays up for profiling
	{
		echo "bench: holding the stack in $D (Ctrl-C or kill $$ ends it)"
		echo "URL=$URL"
		echo "COOKIE=$BENCH_COOKIE"
		echo "LEAD_ID=$LEAD_ID"
		echo "CHAT_PATH=$CHAT_PATH"
		echo "DIR=$D"
	} | tee "${BENCH_HOLD_FILE:-/dev/null}" >&2
	while :; do sleep 3600; done
fi

# --- measuring --------------------------------------------------------------
declare -A RPS P50 P99 ERRS WHY
ORDER=()

# milliseconds from wrk's "99%  1.23ms" (us, ms, s or m).
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
		if (f < 0) print "?"; else printf "%.2f", n * f }'
}
# wrk --latency's line for one percentile (50%, 99%), in milliseconds
percentile() { # P WRK-REPORT
	to_ms "$(awk -v p="$1" '/Latency Distribution/ { d = 1 } d && $1 == p { print $2; exit }' <<<"$2")"
}

# Records KEY's figures from wrk's report: requests/s, median, p99 and errors
# (socket errors, plus the answers above 399 unless EXPECTED is one: wrk's
# "Non-2xx or 3xx responses" counts statuses above 399 only, a 3xx is no
# error to it).
wrk_record() { # KEY EXPECTED WRK-REPORT [MORE-ERRORS]
	local key=$1 want=$2 out=$3 errs non2xx
	echo "$out" >>"$D/wrk.log"
	RPS[$key]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
	P50[$key]=$(percentile 50% "$out")
	P99[$key]=$(percentile 99% "$out")
	errs=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
	# pages expected to fail (the 404 page) are all non-2xx: not an error
	[ "${want:0:1}" = 2 ] || [ "${want:0:1}" = 3 ] || non2xx=0
	ERRS[$key]=$(( ${errs:-0} + ${non2xx:-0} + ${4:-0} ))
	WHY[$key]=$(awk '/Socket errors:|Non-2xx or 3xx responses:/ { sub(/^ +/, ""); printf "%s%s", s, $0; s = "; " }' <<<"$out")
	[ "${4:-0}" = 0 ] || WHY[$key]="${WHY[$key]:+${WHY[$key]}; }${4} answers other than $want"
	ORDER+=("$key")
}

measure() { # KEY URL EXPECTED
	local key=$1 url=$2 want=$3 out
	echo "bench: measuring $key ($url), ${WARMUP}s warm-up + ${SECONDS_EACH}s" >&2
	[ "$WARMUP" -gt 0 ] && wrk -t"$WRK_T" -c"$WRK_C" -d"${WARMUP}s" "${HDR[@]}" "$url" >/dev/null
	out=$(wrk -t"$WRK_T" -c"$WRK_C" -d"${SECONDS_EACH}s" --latency "${HDR[@]}" "$url")
	wrk_record "$key" "$want" "$out"
}

# BENCH_ROWS: H and S always, the others when wanted
measured() { [ "$1" = "$H_NAME" ] || [ "$1" = "$S_NAME" ] || wanted "$1"; }
RSS0=$(rss_kb)
for entry in "${BASE_PAGES[@]}" "${SMSDESK_PAGES[@]}"; do
	IFS='|' read -r name url want auth <<<"$entry"
	measured "$name" || continue
	set_hdr "$auth"
	measure "$name" "$url" "$want"
done
RSS1=$(rss_kb)
for entry in "${SMSDESK_PAGES[@]}"; do
	IFS='|' read -r name url want auth <<<"$entry"
	wanted "$name (run 2)" || continue
	set_hdr "$auth"
	measure "$name (run 2)" "$url" "$want"
done
RSS2=$(rss_kb)

# --- texting ----------------------------------------------------------------
FAILED=0 # a wrong answer seen while texting: reported, then exit status 1
fake() { # PATH [curl args...]: the fake carrier's control API
	local path=$1; shift
	curl -fsS "$@" "$CARRIER/_fake/$path"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.0f", n * 1000 / ms; else print "?" }'; }

# The dispatcher's throughput: DISPATCH_N texts from the four agents with
# a number to as many borrowers who consented (the dispatcher checks the
# sending rules again before it sends), queued in one transaction (the
# messages and outbox rows outbox_enqueue writes) while smsdesk runs; the
# outbox is counted every 100 ms until it is empty. The dispatcher finds
# them on its idle poll (up to 1 s, POLL_MS); messages/s counts from the
# first count that went down to the empty outbox.
declare -A D_RATE D_TOTAL D_WAIT D_FAKE D_DB
DISPATCH_MODES=()
dispatch() { # MODE: the fake's callback mode (none or normal)
	local mode=$1 max t0 t1="" n1="" t2="" n="" now stats creates requests bodies sids st
	DISPATCH_MODES+=("$mode")
	fake reset -X POST >/dev/null
	fake callbacks -X POST --data "mode=$mode" >/dev/null
	[ "$DAYTIME_OFFSET" = 0 ] || echo "$DAYTIME_OFFSET" > "$D/clock"
	n=$(sql "SELECT COUNT(*) FROM outbox")
	[ "$n" = 0 ] || { echo "bench: $n texts are still in the outbox" >&2; exit 1; }
	max=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	echo "bench: the dispatcher sends $DISPATCH_N texts (callbacks $mode)" >&2
	sql "START TRANSACTION;
		INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, kind,
			agent_number, contact_number, body, encoding, length, billed, status)
		SELECT org_id, lead_id, contact_id, user_id, 'outbound', 'user', agent_number,
			contact_number, body, 'gsm7', CHAR_LENGTH(body), 1, 'queued'
		FROM (SELECT c.org_id, c.lead_id, c.id AS contact_id, u.id AS user_id,
				u.sms_number AS agent_number, c.mobile AS contact_number,
				CONCAT('Your closing is confirmed for Friday at 2pm (', '$mode', ' #', c.id, ')')
				AS body
			FROM contacts c
			JOIN assignments a ON a.lead_id = c.lead_id AND a.unassigned_at IS NULL
			JOIN users u ON u.id = a.user_id AND u.sms_permission = 1 AND u.sms_number IS NOT NULL
			JOIN consents k ON k.org_id = c.org_id AND k.contact_number = c.mobile
				AND k.scope = 'pair' AND k.agent_number = u.sms_number AND k.status = 'granted'
			WHERE c.org_id = $ORG_ID AND c.role = 'borrower' AND c.lead_id <> $CHAT_LEAD
			ORDER BY c.id LIMIT $DISPATCH_N) t;
		INSERT INTO outbox (message_id, next_attempt_at)
			SELECT id, NOW(6) FROM messages WHERE id > $max;
		COMMIT"
	t0=$(now_ms)
	while :; do
		n=$(sql "SELECT COUNT(*) FROM outbox")
		now=$(now_ms)
		if [ -z "$t1" ] && [ "$n" -lt "$DISPATCH_N" ]; then t1=$now; n1=$n; fi
		if [ "$n" = 0 ]; then t2=$now; break; fi
		[ $((now - t0)) -lt 60000 ] || break
		sleep 0.1
	done
	if [ -n "$t2" ]; then
		D_RATE[$mode]=$(rate "$n1" $((t2 - t1)))
		D_TOTAL[$mode]=$(awk -v ms=$((t2 - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
	else # not done in 60 s: the rate so far
		D_RATE[$mode]=$(rate $((${n1:-$DISPATCH_N} - n)) $((now - ${t1:-$now})))
		D_TOTAL[$mode]=">60"
		echo "bench: $n of $DISPATCH_N texts still queued after 60 s" >&2
	fi
	D_WAIT[$mode]=$(awk -v ms=$((${t1:-$now} - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
	# exactly one create per text at the carrier, every text with its sid
	stats=$(fake stats)
	creates=$(jq -r .messages <<<"$stats")
	requests=$(jq -r .requests <<<"$stats")
	bodies=$(fake messages | jq '[.[].body] | unique | length')
	D_FAKE[$mode]="$creates/$requests"
	if [ "$creates" != "$DISPATCH_N" ] || [ "$bodies" != "$DISPATCH_N" ]; then
		echo "bench: the fake carrier has $creates creates of $bodies texts, expected $DISPATCH_N" >&2
		FAILED=1
	fi
	sids=$(sql "SELECT COUNT(DISTINCT carrier_sid) FROM messages WHERE id > $max")
	if [ "$mode" = normal ]; then # the callbacks' statuses: let them arrive
		stack_wait 150 bash -c "curl -fsS '$CARRIER/_fake/stats' | jq -e '.callbacks_pending == 0'" ||
			echo "bench: callbacks still pending after 15 s" >&2
		sleep 0.5 # the last ones answered, maybe not yet committed
	fi
	st=$(sql "SELECT GROUP_CONCAT(CONCAT(status, ' ', n) ORDER BY status SEPARATOR ', ')
		FROM (SELECT status, COUNT(*) AS n FROM messages WHERE id > $max GROUP BY status) t")
	D_DB[$mode]="$sids sids; $st"
	[ "$DAYTIME_OFFSET" = 0 ] || echo 0 > "$D/clock"
	if [ "$sids" != "$DISPATCH_N" ]; then
		echo "bench: $sids of the $DISPATCH_N texts have a carrier sid" >&2
		FAILED=1
	fi
}
if wanted dispatcher; then
	dispatch none
	dispatch normal
fi

# POST /sms/send, the chatbox's Send, to the shown conversation's borrower
# (pair consent granted by the seed), with durable commits
# (innodb_flush_log_at_trx_commit = 1, as on a real server; the bench's
# MariaDB otherwise runs with STACK_MARIADB_FAST's 0). The fake carrier
# stays up with its callbacks off: the dispatcher sends what the POSTs
# queue, in the same process, at the same time.
SEND_BODY="Thanks! Your rate is locked; I will send the updated loan estimate today."
SEND_URL=$URL/sms/send
send_form() { # BODY: the form, urlencoded (csrf from the chatbox)
	jq -rn --arg lead "$CHAT_LEAD" --arg contact "$CHAT_CONTACT" --arg agent "$AGENT_ID" \
		--arg body "$1" --arg back "$CHAT_PATH" --arg csrf "$csrf" \
		'"lead=\($lead)&contact=\($contact)&agent=\($agent)&body=\($body|@uri)&back=\($back|@uri)&csrf=\($csrf|@uri)"'
}
measure_send() { # KEY
	local key=$1 from t0 got sent out see_other other queued drafts all took
	fake reset -X POST >/dev/null
	fake callbacks -X POST --data mode=none >/dev/null
	curl -sS -o "$D/chat.html" -H "Cookie: $BENCH_COOKIE" "$CHAT_URL"
	csrf=$(grep -o 'name="csrf" value="[^"]*"' "$D/chat.html" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')
	from=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	t0=$(now_ms)
	got=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: $BENCH_COOKIE" \
		-H 'Content-Type: application/x-www-form-urlencoded' --data "$(send_form "$SEND_BODY (check)")" \
		"$SEND_URL" || echo 000)
	sent=$(sql "SELECT COUNT(*) FROM messages WHERE id > $from AND body = '$SEND_BODY (check)'
		AND status <> 'failed'")
	if [ "${got%% *}" != 303 ] || [ "${got#* }" != "$URL$CHAT_PATH" ] || [ "$sent" != 1 ]; then
		echo "bench: $key answered $got and queued $sent texts, expected 303 to $CHAT_PATH and 1" >&2
		exit 1
	fi
	set_hdr login
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
	echo "bench: measuring $key ($SEND_URL), ${WARMUP}s warm-up + ${SECONDS_EACH}s" >&2
	[ "$WARMUP" -gt 0 ] && BENCH_SEND_FORM=$(send_form "$SEND_BODY (warm-up)") \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${WARMUP}s" -s tools/bench-send.lua "${HDR[@]}" "$SEND_URL" >/dev/null
	out=$(BENCH_SEND_FORM=$(send_form "$SEND_BODY") \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${SECONDS_EACH}s" --latency -s tools/bench-send.lua "${HDR[@]}" "$SEND_URL")
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 0"
	see_other=$(sed -n 's/^bench-send: 303=\([0-9]*\) other=.*/\1/p' <<<"$out")
	other=$(sed -n 's/^bench-send: 303=[0-9]* other=\([0-9]*\)$/\1/p' <<<"$out")
	wrk_record "$key" 303 "$out" "${other:-0}"
	# every 303 queued one text (a refused one also answers 303, as a draft)
	queued=$(sql "SELECT COUNT(*) FROM messages WHERE id > $from AND body = '$SEND_BODY'")
	drafts=$(sql "SELECT COUNT(*) FROM sms_drafts")
	if [ -z "$see_other" ] || [ "$queued" -lt "$see_other" ] || [ "$queued" -gt $((see_other + WRK_C)) ] ||
		[ "$drafts" != 0 ]; then
		echo "bench: $key: ${see_other:-?} answers 303 but $queued texts queued, $drafts drafts" >&2
		FAILED=1
	fi
	SEND_QUEUED=$queued
	# what the dispatcher sent meanwhile, from the check and the warm-up on
	read -r all sent < <(sql "SELECT COUNT(*), COUNT(carrier_sid) FROM messages WHERE id > $from")
	took=$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')
	SEND_DISPATCHED="the dispatcher sent $sent of the $all texts queued from the warm-up on in ${took}s"
	[ "$DAYTIME_OFFSET" = 0 ] || SEND_DISPATCHED+=" (night in the recipients' zone: quiet hours hold the others)"
}
SEND_QUEUED='' SEND_DISPATCHED=''
wanted "$SEND_NAME" && measure_send "$SEND_NAME"
SEND_QUEUED_1X=$SEND_QUEUED
SEND_DISPATCHED_1X=$SEND_DISPATCHED
CHAT_LEAD_1X=$CHAT_LEAD

# Inbound: signed webhooks from WRK_C concurrent senders with durable
# commits (innodb_flush_log_at_trx_commit = 1, as on a real server), each
# with its own MessageSid; every 200 must be a stored message.
INBOUND_NAME="POST /webhooks/twilio/sms (durable)"
INBOUND_N=${BENCH_INBOUND_N:-$((25000 * SECONDS_EACH))}
INBOUND_URL=$URL/webhooks/twilio/sms
conf_get() { sed -n "s/^$1 *= *//p" "$D/smsdesk.conf" | tail -n 1; }
# a borrower's reply (the seed's numbers are not all valid NANP numbers:
# the chatbox's borrower gets a valid one, after the sends above)
INBOUND_FROM=+15125559876
# (its pair consent with the agent's number granted, as the old one was:
# the round trips below send to it again)
sql "UPDATE contacts SET mobile = '$INBOUND_FROM' WHERE id = $CHAT_CONTACT;
	INSERT INTO consents (org_id, scope, agent_number, contact_number, status)
	SELECT $ORG_ID, 'pair', sms_number, '$INBOUND_FROM', 'granted' FROM users WHERE id = $AGENT_ID"
INBOUND_ACKED='' INBOUND_STORED=''
if wanted "$INBOUND_NAME"; then
	for f in warm run; do
		node tools/bench-inbound.js "$(conf_get carrier.auth_token)" "$(conf_get public_url)/webhooks/twilio/sms" \
			"$(conf_get carrier.account_sid)" +15125550101 "$INBOUND_FROM" \
			"$([ $f = warm ] && echo $((INBOUND_N * WARMUP / SECONDS_EACH + 1)) || echo "$INBOUND_N")" > "$D/inbound-$f.txt"
	done
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
	echo "bench: measuring $INBOUND_NAME, ${WARMUP}s warm-up + ${SECONDS_EACH}s" >&2
	[ "$WARMUP" -gt 0 ] && BENCH_INBOUND_FILE=$D/inbound-warm.txt BENCH_INBOUND_THREADS=$WRK_T \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${WARMUP}s" -s tools/bench-inbound.lua "$INBOUND_URL" >/dev/null
	sleep 2 # the warm-up's last answers land before the count starts
	INBOUND_RUN_FROM=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	out=$(BENCH_INBOUND_FILE=$D/inbound-run.txt BENCH_INBOUND_THREADS=$WRK_T \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${SECONDS_EACH}s" --latency -s tools/bench-inbound.lua "$INBOUND_URL")
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 0"
	INBOUND_ACKED=$(sed -n 's/^bench-inbound: 200=\([0-9]*\) other=.*/\1/p' <<<"$out")
	other=$(sed -n 's/^bench-inbound: 200=[0-9]* other=\([0-9]*\)$/\1/p' <<<"$out")
	wrk_record "$INBOUND_NAME" 200 "$out" "${other:-0}"
	INBOUND_STORED=$(sql "SELECT COUNT(*) FROM messages WHERE id > $INBOUND_RUN_FROM AND direction = 'inbound'")
	# wrk stops counting answers at the deadline: up to one request per
	# connection may be stored without its 200 having been counted
	if [ -z "$INBOUND_ACKED" ] || [ "$INBOUND_STORED" -lt "$INBOUND_ACKED" ] ||
		[ "$INBOUND_STORED" -gt $((INBOUND_ACKED + WRK_C)) ]; then
		echo "bench: $INBOUND_NAME: ${INBOUND_ACKED:-?} acknowledged but $INBOUND_STORED stored" >&2
		FAILED=1
	fi
fi

# --- many conversations at once ----------------------------------------------
# The send and the webhook above put every text into one conversation (the
# chatbox's borrower): that conversation's row orders them, one durable
# commit after another, however short each is, as it must (the texts of one
# conversation have one order). A loan office's traffic is many
# conversations at once: these rows send and receive over SPREAD_N of them,
# SPREAD_N / 4 for each of the four agents who may text (amy, ben, carla,
# dev), each signed in with its own session, each wrk request the next
# conversation of the list; the send's and the webhook's goals are theirs.
spread_signin() { # EMAIL: prints the session cookie's value
	local jar=$D/spread-$1.jar token got
	curl -sS -c "$jar" -b "$jar" -o "$D/spread-login.html" "$URL/login"
	token=$(grep -o 'name="csrf" value="[^"]*"' "$D/spread-login.html" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')
	got=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -D "$D/spread-login.headers" -w '%{http_code}' \
		--data-urlencode "csrf=$token" --data-urlencode "email=$1" \
		--data-urlencode "password=$AGENT_PASSWORD" "$URL/login" || echo 000)
	[ "$got" = 303 ] || { echo "bench: signing in as $1 answered $got" >&2; return 1; }
	tr -d '\r' <"$D/spread-login.headers" | sed -n 's/^set-cookie: *smsdesk_session=\([^;]*\).*/\1/Ip' | tail -n1
}
# SPREAD: "agent_id lead_id contact_id mobile agent_number cookie csrf", one line a conversation
spread_setup() {
	local key email agent number session cookie lead contact i=0 chat token mobile
	: > "$D/spread.txt"
	for key in amy ben carla dev; do
		email=$([ "$key" = amy ] && echo "$AGENT_EMAIL" || echo "$key@bench.test")
		agent=$(id_of users "$key")
		number=$(sql "SELECT sms_number FROM users WHERE id = $agent")
		session=$(spread_signin "$email") && [ -n "$session" ] || return 1
		cookie="smsdesk_session=$session"
		while read -r lead contact; do
			# a valid number of its own, with the pair's consent (the
			# seed's are not all valid NANP numbers; the seed uses area code 512 only)
			mobile=+1737555$((9800 + i))
			sql "UPDATE contacts SET mobile = '$mobile' WHERE id = $contact;
				INSERT INTO consents (org_id, scope, agent_number, contact_number, status)
				VALUES ($ORG_ID, 'pair', '$number', '$mobile', 'granted')"
			chat="/leads/$lead?chat=$lead&contact_$lead=$contact"
			curl -sS -o "$D/spread-chat.html" -H "Cookie: $cookie" "$URL$chat"
			token=$(grep -o 'name="csrf" value="[^"]*"' "$D/spread-chat.html" | head -n1 |
				sed 's/.*value="\([^"]*\)"/\1/')
			[ -n "$token" ] || { echo "bench: no form in $key's chatbox $chat" >&2; return 1; }
			echo "$agent $lead $contact $mobile $number $cookie $token" >> "$D/spread.txt"
			i=$((i + 1))
		done < <(sql "SELECT a.lead_id, c.id FROM assignments a
			JOIN contacts c ON c.lead_id = a.lead_id AND c.role = 'borrower'
			WHERE a.user_id = $agent AND a.unassigned_at IS NULL AND a.lead_id <> $CHAT_LEAD
			ORDER BY a.lead_id LIMIT $((SPREAD_N / 4))")
	done
	[ "$i" = "$SPREAD_N" ] || { echo "bench: $i conversations for the spread rows, not $SPREAD_N" >&2; return 1; }
	# no other contact has these numbers: an inbound text has one conversation
	[ "$(sql "SELECT COUNT(*) FROM contacts WHERE mobile BETWEEN '+17375559800' AND '+17375559899'")" = "$SPREAD_N" ] ||
		{ echo "bench: the spread rows' numbers are taken" >&2; return 1; }
}
measure_send_spread() {
	local from body="$SEND_BODY (many)" out see_other other queued
	# "Cookie<TAB>form" a line, for tools/bench-send.lua (BENCH_SEND_FILE)
	while read -r agent lead contact _ _ cookie token; do
		printf '%s\t%s\n' "$cookie" "$(jq -rn --arg lead "$lead" --arg contact "$contact" --arg agent "$agent" \
			--arg body "$body" --arg back "/leads/$lead?chat=$lead&contact_$lead=$contact" --arg csrf "$token" \
			'"lead=\($lead)&contact=\($contact)&agent=\($agent)&body=\($body|@uri)&back=\($back|@uri)&csrf=\($csrf|@uri)"')"
	done < "$D/spread.txt" > "$D/spread-send.txt"
	fake callbacks -X POST --data mode=none >/dev/null
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
	echo "bench: measuring $SPREAD_SEND_NAME, ${WARMUP}s warm-up + ${SECONDS_EACH}s" >&2
	[ "$WARMUP" -gt 0 ] && BENCH_SEND_FILE=$D/spread-send.txt \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${WARMUP}s" -s tools/bench-send.lua "$SEND_URL" >/dev/null
	sleep 2 # the warm-up's last answers land before the count starts
	from=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	local log_from lock_waits
	log_from=$(stat -c %s "$D/smsdesk.log")
	lock_waits=$(sql "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_ROW_LOCK_WAITS'")
	out=$(BENCH_SEND_FILE=$D/spread-send.txt \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${SECONDS_EACH}s" --latency -s tools/bench-send.lua "$SEND_URL")
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 0"
	see_other=$(sed -n 's/^bench-send: 303=\([0-9]*\) other=.*/\1/p' <<<"$out")
	other=$(sed -n 's/^bench-send: 303=[0-9]* other=\([0-9]*\)$/\1/p' <<<"$out")
	wrk_record "$SPREAD_SEND_NAME" 303 "$out" "${other:-0}"
	queued=$(sql "SELECT COUNT(*) FROM messages WHERE id > $from AND body = '$body'")
	if [ -z "$see_other" ] || [ "$queued" -lt "$see_other" ] || [ "$queued" -gt $((see_other + WRK_C)) ] ||
		[ "$(sql "SELECT COUNT(DISTINCT lead_id, contact_id, user_id) FROM messages WHERE id > $from AND body = '$body'")" != "$SPREAD_N" ]; then
		echo "bench: $SPREAD_SEND_NAME: ${see_other:-?} answers 303 but $queued texts queued, or not in $SPREAD_N conversations" >&2
		FAILED=1
	fi
	SPREAD_QUEUED=$queued
	# what held them up: row lock waits, and conflicts smsdesk retried (db.c)
	local conflicts  # grep -c finding none says 0 and fails
	conflicts=$(tail -c +$((log_from + 1)) "$D/smsdesk.log" | grep -c 'db: conflict (' || true)
	SPREAD_WAITS="$(( $(sql "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_ROW_LOCK_WAITS'") - lock_waits )) row lock waits, ${conflicts:-0} conflicts retried"
}
measure_inbound_spread() {
	local f to from run_from out acked other stored
	to=$(awk '{ printf "%s%s", s, $5; s = "," }' "$D/spread.txt")
	from=$(awk '{ printf "%s%s", s, $4; s = "," }' "$D/spread.txt")
	for f in warm run; do
		node tools/bench-inbound.js "$(conf_get carrier.auth_token)" "$(conf_get public_url)/webhooks/twilio/sms" \
			"$(conf_get carrier.account_sid)" "$to" "$from" \
			"$([ $f = warm ] && echo $((INBOUND_N * WARMUP / SECONDS_EACH + 1)) || echo "$INBOUND_N")" > "$D/spread-inbound-$f.txt"
	done
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 1"
	echo "bench: measuring $SPREAD_INBOUND_NAME, ${WARMUP}s warm-up + ${SECONDS_EACH}s" >&2
	[ "$WARMUP" -gt 0 ] && BENCH_INBOUND_FILE=$D/spread-inbound-warm.txt BENCH_INBOUND_THREADS=$WRK_T \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${WARMUP}s" -s tools/bench-inbound.lua "$INBOUND_URL" >/dev/null
	sleep 2 # the warm-up's last answers land before the count starts
	run_from=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages")
	out=$(BENCH_INBOUND_FILE=$D/spread-inbound-run.txt BENCH_INBOUND_THREADS=$WRK_T \
		wrk -t"$WRK_T" -c"$WRK_C" -d"${SECONDS_EACH}s" --latency -s tools/bench-inbound.lua "$INBOUND_URL")
	stack_mysql "$D" -e "SET GLOBAL innodb_flush_log_at_trx_commit = 0"
	acked=$(sed -n 's/^bench-inbound: 200=\([0-9]*\) other=.*/\1/p' <<<"$out")
	other=$(sed -n 's/^bench-inbound: 200=[0-9]* other=\([0-9]*\)$/\1/p' <<<"$out")
	wrk_record "$SPREAD_INBOUND_NAME" 200 "$out" "${other:-0}"
	stored=$(sql "SELECT COUNT(*) FROM messages WHERE id > $run_from AND direction = 'inbound'")
	if [ -z "$acked" ] || [ "$stored" -lt "$acked" ] || [ "$stored" -gt $((acked + WRK_C)) ] ||
		[ "$(sql "SELECT COUNT(DISTINCT lead_id, contact_id, user_id) FROM messages WHERE id > $run_from AND direction = 'inbound'")" != "$SPREAD_N" ]; then
		echo "bench: $SPREAD_INBOUND_NAME: ${acked:-?} acknowledged but $stored stored, or not in $SPREAD_N conversations" >&2
		FAILED=1
	fi
	SPREAD_ACKED=$acked SPREAD_STORED=$stored
}
SPREAD_QUEUED='' SPREAD_ACKED='' SPREAD_STORED='' SPREAD_WAITS=''
if wanted "$SPREAD_SEND_NAME" || wanted "$SPREAD_INBOUND_NAME"; then
	if spread_setup; then
		wanted "$SPREAD_SEND_NAME" && measure_send_spread
		wanted "$SPREAD_INBOUND_NAME" && measure_inbound_spread
	else
		FAILED=1
	fi
fi

# --- database round trips -------------------------------------------------
# Counted by smsdesk itself: with log.debug = on it logs, at the end of each
# request, "request METHOD PATH STATUS db_round_trips=N" (level debug). After
# the wrk runs, smsdesk is restarted with log.debug = on and one worker (so
# that every request meets the same warm connection and prepared
# statements), each page is requested once to warm up, then RT_N times with
# the same cookie and form, straight over FastCGI (cgi-fcgi: through nginx,
# a kept-alive connection would hold the one worker and the next request
# would wait behind it); the median is reported, and the counts when
# they differ. smsdesk then runs as before. A smsdesk without log.debug
# (it refuses unknown settings) gets "?" and a note, not a failure.
RT_N=5
declare -A RT RT_NOTE
RT_STATE="counted"
restart_smsdesk() { # [VAR=VALUE...]: smsdesk again, with these in its environment
	stack_smsdesk_stop "$D" || true
	# shellcheck disable=SC2163 # VAR=VALUE arguments
	( [ $# -eq 0 ] || export "$@"; stack_smsdesk_start "$D" cgi-bin/smsdesk.fcgi ) 2>>"$D/restart.log"
}
rt_one() { # REQUEST...: makes one request, prints "STATUS COUNT" from smsdesk's debug line
	local off line tries=30
	off=$(stat -c %s "$D/smsdesk.log")
	"$@" >/dev/null 2>&1 || true
	while :; do
		line=$(tail -c +$((off + 1)) "$D/smsdesk.log" |
			sed -n 's/.* debug \[[^]]*\] request [A-Z]* [^ ]* \([0-9]*\) db_round_trips=\([0-9]*\)$/\1 \2/p' |
			head -n1)
		[ -n "$line" ] && break
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 0
		sleep 0.1
	done
	echo "$line"
}
rt_measure() { # KEY STATUS REQUEST...: the request gets its number (0 = warm-up) as last argument
	local key=$1 want=$2 i n counts=() sorted; shift 2
	if [ -z "$(rt_one "$@" 0)" ]; then
		RT[$key]="?"; RT_NOTE[$key]="no 'request ... db_round_trips=N' line in smsdesk's log"
		return
	fi
	for i in $(seq 1 "$RT_N"); do
		n=$(rt_one "$@" "$i")
		[ -n "$n" ] || continue
		if [ "${n% *}" != "$want" ]; then
			echo "bench: $key answered ${n% *} (expected $want) while its round trips were counted" >&2
			FAILED=1
		fi
		counts+=("${n#* }")
	done
	if [ "${#counts[@]}" -lt "$RT_N" ]; then
		RT[$key]="?"; RT_NOTE[$key]="$((RT_N - ${#counts[@]})) of $RT_N requests logged no count"
		return
	fi
	sorted=$(printf '%s\n' "${counts[@]}" | sort -n)
	RT[$key]=$(sed -n "$(( (RT_N + 1) / 2 ))p" <<<"$sorted")
	[ "$(head -n1 <<<"$sorted")" = "$(tail -n1 <<<"$sorted")" ] ||
		RT_NOTE[$key]="the $RT_N requests differ: ${counts[*]}"
}
# shellcheck disable=SC2317 # the rt_* requests are called through rt_measure
rt_fcgi() { # METHOD URL BODY [NAME=VALUE...]: one FastCGI request to smsdesk's socket
	local method=$1 uri=${2#"$URL"} body=$3 path query=""; shift 3
	path=${uri%%\?*}
	[ "$path" = "$uri" ] || query=${uri#*\?}
	printf '%s' "$body" | env -i REQUEST_METHOD="$method" REQUEST_URI="$uri" SCRIPT_NAME="$path" \
		QUERY_STRING="$query" CONTENT_LENGTH="${#body}" CONTENT_TYPE=application/x-www-form-urlencoded \
		REMOTE_ADDR=127.0.0.1 SERVER_NAME=127.0.0.1 SERVER_PORT="${URL##*:}" "$@" \
		cgi-fcgi -bind -connect "$D/smsdesk.sock"
}
# shellcheck disable=SC2317
rt_page() { # URL AUTH [N]
	if [ "$2" = login ]; then rt_fcgi GET "$1" "" HTTP_COOKIE="$BENCH_COOKIE"
	else rt_fcgi GET "$1" ""; fi
}
# shellcheck disable=SC2317
rt_send() { # [N]: the chatbox's Send, as measured
	rt_fcgi POST "$SEND_URL" "$(send_form "$SEND_BODY (round trips $1)")" HTTP_COOKIE="$BENCH_COOKIE"
}
# shellcheck disable=SC2317
rt_webhook() { # N: the Nth of the signed webhooks made for this
	local sig body
	IFS=$'\t' read -r sig body < <(sed -n "$(($1 + 1))p" "$D/inbound-rt.txt")
	rt_fcgi POST "$INBOUND_URL" "$body" HTTP_X_TWILIO_SIGNATURE="$sig"
}
echo "bench: counting database round trips (smsdesk with log.debug = on)" >&2
if restart_smsdesk SMSDESK_LOG_DEBUG=on SMSDESK_WORKERS=1; then
	for entry in "${SMSDESK_PAGES[@]}"; do
		IFS='|' read -r name url want auth <<<"$entry"
		measured "$name" || continue
		rt_measure "$name" "$want" rt_page "$url" "$auth"
	done
	if wanted "$SEND_NAME"; then
		rt_measure "$SEND_NAME" 303 rt_send
		drafts=$(sql "SELECT COUNT(*) FROM sms_drafts")
		if [ "$drafts" != 0 ]; then # a refused send is not the send measured
			echo "bench: $SEND_NAME was refused while its round trips were counted" >&2
			RT[$SEND_NAME]="?"; RT_NOTE[$SEND_NAME]="refused (a draft kept)"
			FAILED=1
		fi
	fi
	if wanted "$INBOUND_NAME"; then
		node tools/bench-inbound.js "$(conf_get carrier.auth_token)" "$(conf_get public_url)/webhooks/twilio/sms" \
			"$(conf_get carrier.account_sid)" +15125550101 "$INBOUND_FROM" $((RT_N + 1)) > "$D/inbound-rt.txt"
		rt_measure "$INBOUND_NAME" 200 rt_webhook
	fi
else
	RT_STATE="not counted: this smsdesk does not start with log.debug = on ($(tail -n1 "$D/smsdesk.log"))"
fi
if ! restart_smsdesk; then
	echo "bench: smsdesk did not start again after counting round trips" >&2
	exit 1
fi

# --- ten times the data -----------------------------------------------------
# The same database grows to 10 x BENCH_LEADS leads and 9 x BENCH_MESSAGES
# more texts (tools/bench-seed.sql, tools/bench-messages.sql: the same
# shapes, the agent's 1 in 100 leads, the new texts on the new leads over
# the same year), then the pages are measured once more, with H again, on
# leads of the same shape among the new ones (the 1x chatbox's conversation
# has taken the POSTs and webhooks measured above): a chatbox showing 50 of
# 10 x BENCH_MESSAGES texts. BENCH_TENX=0 skips this.
if [ "$TENX" = 1 ]; then
	echo "bench: growing the database to $((LEADS * 10)) leads" >&2
	tenx_start=$(date +%s)
	from_lead=$(sql "SELECT MAX(id) FROM leads")
	seed_leads $((LEADS * 10))
	pick_leads "$from_lead"
	TENX_LEADS_S=$(( $(date +%s) - tenx_start ))
	echo "bench: grown in ${TENX_LEADS_S}s; adding $((MESSAGES * 9)) messages" >&2
	seed_start=$(date +%s)
	seed_messages $((MESSAGES * 9)) "$from_lead"
	TENX_MESSAGES_S=$(( $(date +%s) - seed_start ))
	settle
	TENX_DATA="$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $ORG_ID") leads ($AGENT_LEADS for $AGENT_EMAIL),"
	TENX_DATA+=" $MESSAGES_NOW messages; grown in $(( $(date +%s) - tenx_start ))s"
	TENX_DATA+=" (leads ${TENX_LEADS_S}s, messages ${TENX_MESSAGES_S}s)"
	echo "bench: $TENX_DATA" >&2
	set_pages
	check_pages "${SMSDESK_PAGES[@]}"
	set_hdr ""
	measure "$H_NAME [10x]" "$HURL/" 200
	for entry in "${SMSDESK_PAGES[@]}"; do
		IFS='|' read -r name url want auth <<<"$entry"
		measured "$name [10x]" || measured "$name" || continue
		set_hdr "$auth"
		measure "$name [10x]" "$url" "$want"
	done
	wanted "$SEND_NAME [10x]" && measure_send "$SEND_NAME [10x]"
fi

# --- report -----------------------------------------------------------------
# KEY's requests/s to H's measured in the same phase (1x, or [10x])
xh() {
	local h=${RPS[$H_NAME]}
	[[ $1 == *" [10x]" ]] && h=${RPS["$H_NAME [10x]"]}
	awk -v a="${RPS[$1]:-0}" -v b="${h:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'
}
# KEY's requests/s to S measured in the same phase (1x, run 2 or [10x])
xs() {
	local s=${RPS[$S_NAME]:-}
	[[ $1 == *" [10x]" ]] && s=${RPS["$S_NAME [10x]"]:-}
	[[ $1 == *" (run 2)" ]] && s=${RPS["$S_NAME (run 2)"]:-}
	awk -v a="${RPS[$1]:-0}" -v b="${s:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'
}
# KEY's p99 to its median
spread() { awk -v a="${P99[$1]}" -v b="${P50[$1]}" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "?" }'; }

echo
echo "smsdesk bench: wrk -t$WRK_T -c$WRK_C -d${SECONDS_EACH}s over loopback, $(nproc) CPUs,"
echo "smsdesk and H with $STACK_WORKERS workers each, nginx ${STACK_NGINX_WORKERS:-2} workers, access log off"
echo
printf '%-40s %11s %6s %6s %9s %9s %7s %11s %6s\n' "page" "requests/s" "x H" "x S" "p50 ms" "p99 ms" \
	"p99/p50" "round trips" "errors"
for key in "${ORDER[@]}"; do
	printf '%-40s %11s %6s %6s %9s %9s %7s %11s %6s\n' "$key" "${RPS[$key]}" "$(xh "$key")" "$(xs "$key")" \
		"${P50[$key]}" "${P99[$key]}" "$(spread "$key")" "${RT[$key]:-}" "${ERRS[$key]}"
done
for key in "${ORDER[@]}"; do
	[ "${ERRS[$key]}" = 0 ] || echo "errors, $key: ${WHY[$key]}"
done
echo "(x H, x S: to H and to S measured in the same phase; round trips: database round trips per request," \
	"smsdesk's own count, the median of $RT_N; $RT_STATE)"
for key in "${!RT_NOTE[@]}"; do
	echo "round trips, $key: ${RT_NOTE[$key]}"
done
echo
echo "data: $LEADS leads, $MESSAGES messages (seeded in ${SEED_MESSAGES_S}s); the chatbox shows" \
	"$CHAT_MESSAGES of them, lead $CHAT_LEAD_1X (4 contacts)"
[ "$TENX" = 1 ] && echo "ten times: $TENX_DATA; the chatbox [10x] shows $CHAT_MESSAGES texts of lead $CHAT_LEAD"
[ -z "$SEND_QUEUED_1X" ] ||
	echo "$SEND_NAME: $SEND_QUEUED_1X texts queued in ${SECONDS_EACH}s (errors: answers other than 303" \
		"to the chatbox); with the fake carrier's callbacks off, $SEND_DISPATCHED_1X"
[ -z "$INBOUND_STORED" ] ||
	echo "$INBOUND_NAME: ${INBOUND_ACKED:-?} acknowledged (200) in ${SECONDS_EACH}s," \
		"$INBOUND_STORED stored (all acknowledged ones, and at most $WRK_C answered after wrk stopped counting)"
[ -z "$SPREAD_QUEUED" ] ||
	echo "$SPREAD_SEND_NAME: $SPREAD_QUEUED texts queued in ${SECONDS_EACH}s by 4 agents, each with its own session; $SPREAD_WAITS"
[ -z "$SPREAD_STORED" ] ||
	echo "$SPREAD_INBOUND_NAME: ${SPREAD_ACKED:-?} acknowledged (200) in ${SECONDS_EACH}s, $SPREAD_STORED stored"
printf 'smsdesk VmRSS: %d kB at start, %d kB after run 1, %d kB after run 2\n' "$RSS0" "$RSS1" "$RSS2"
burst_report
echo
if [ "${#DISPATCH_MODES[@]}" -gt 0 ]; then
	echo "dispatcher: $DISPATCH_N texts queued at once, carrier.rate_per_number = 0, fake carrier on loopback"
	printf '%-14s %12s %14s %10s %16s  %s\n' "callbacks" "messages/s" "all sent in s" "first s" \
		"fake creates/req" "in the database"
	for mode in "${DISPATCH_MODES[@]}"; do
		printf '%-14s %12s %14s %10s %16s  %s\n' "$([ "$mode" = none ] && echo off || echo on)" \
			"${D_RATE[$mode]}" "${D_TOTAL[$mode]}" "${D_WAIT[$mode]}" "${D_FAKE[$mode]}" "${D_DB[$mode]}"
	done
	echo "(messages/s from the first text sent to the empty outbox; \"first s\": the wait for the"
	echo " dispatcher's idle poll, at most 1 s, plus the 100 ms polling of the outbox)"
	echo
fi

verdict() { [ "$1" = 1 ] && echo PASS || echo MISS; }
goal_line() { # OK TEXT FIGURE
	printf '  %-4s %-56s %s\n' "$(verdict "$1")" "$2" "$3"
}
at_least() { awk -v r="$1" -v m="$2" 'BEGIN { print (r != "?" && r + 0 >= m + 0) ? 1 : 0 }'; }
at_most() { awk -v r="$1" -v m="$2" 'BEGIN { print (r != "?" && r != "" && r + 0 <= m + 0) ? 1 : 0 }'; }
run2() { [ -z "$2" ] || echo " (run 2: $2)"; }
echo "goals:"
for goal in "${GOALS_H[@]/%/|H}" "${GOALS[@]/%/|S}"; do
	IFS='|' read -r name min p99 base <<<"$goal"
	[ -n "${RPS[$name]:-}" ] || continue # not measured (BENCH_ROWS)
	if [ "$base" = H ]; then r=$(xh "$name"); else r=$(xs "$name"); fi
	r2=
	if [ -n "${RPS["$name (run 2)"]:-}" ]; then
		if [ "$base" = H ]; then r2=$(xh "$name (run 2)"); else r2=$(xs "$name (run 2)"); fi
	fi
	goal_line "$(at_least "$r" "$min")" "$name >= $min x $base" "$r$(run2 "$name" "$r2")"
	[ -z "$p99" ] || goal_line "$(at_most "${P99[$name]}" "$p99")" "$name p99 <= $p99 ms" \
		"${P99[$name]}$(run2 "$name" "${P99["$name (run 2)"]:-}")"
done
for key in "${ORDER[@]}"; do # run 1's (run 2 and 10x are in the table above)
	case $key in "nginx static" | "$H_NAME"* | *" (run 2)" | *" [10x]") continue ;; esac
	goal_line "$(at_most "$(spread "$key")" "$P99_PER_MEDIAN")" "$key p99 <= $P99_PER_MEDIAN x median" \
		"$(spread "$key") (p99 ${P99[$key]} ms, median ${P50[$key]} ms)"
done
if [ "$TENX" = 1 ]; then
	for entry in "${SMSDESK_PAGES[@]}" "$SEND_NAME"; do
		name=${entry%%|*}
		[ -n "${RPS["$name [10x]"]:-}" ] || continue # not measured (BENCH_ROWS)
		r=$(awk -v a="${RPS["$name [10x]"]:-0}" -v ha="${RPS["$H_NAME [10x]"]:-0}" \
			-v b="${RPS[$name]:-0}" -v hb="${RPS[$H_NAME]:-0}" \
			'BEGIN { if (ha > 0 && b > 0 && hb > 0) printf "%.2f", (a / ha) / (b / hb); else print "?" }')
		goal_line "$(at_least "$r" "$(awk -v s="$TENX_SLACK" 'BEGIN { print 1 - s }')")" \
			"$name at 10x within 20 % of 1x" "$r of 1x ($(xh "$name [10x]") x H, 1x $(xh "$name"))"
	done
else
	echo "  ---- each page with 10 x the data within 20 % of 1 x: not measured (BENCH_TENX=0)"
fi
if [ -n "${D_RATE[none]:-}" ]; then
	ok=$(awk -v r="${D_RATE[none]}" -v m="$DISPATCH_GOAL" 'BEGIN { print (r + 0 >= m + 0) ? 1 : 0 }')
	goal_line "$ok" "dispatcher >= $DISPATCH_GOAL messages/s, callbacks off" \
		"${D_RATE[none]} (callbacks on: ${D_RATE[normal]})"
fi
peak=$(( RSS1 > RSS2 ? RSS1 : RSS2 ))
goal_line $(( peak <= RSS_GOAL_KB )) "RSS <= 32 MB with $STACK_WORKERS workers" "$(mb "$peak") MB"
goal_line $(( BURST_RSS1 <= RSS_GOAL_KB )) "RSS <= 32 MB after $SIGNINS parallel sign-ins, $STACK_WORKERS workers" \
	"$(mb "$BURST_RSS1") MB"
goal_line $(( RSS2 - RSS1 <= RSS_SLACK_KB )) "RSS not growing (run 2 - run 1 <= ${RSS_SLACK_KB} kB)" \
	"$(printf '%+d' $(( RSS2 - RSS1 ))) kB"
echo "(a miss is reported, not a failure: the exit status says only whether everything started and answered right)"
echo "bench: done in $(( $(date +%s) - BENCH_T0 ))s" >&2
[ "$FAILED" = 0 ] || echo "bench: texting answered wrongly (see above)" >&2
exit "$FAILED"
