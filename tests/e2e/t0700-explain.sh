#!/usr/bin/env bash
# timeout: 900 (it seeds 200,000 texts: minutes on a busy machine)
# Every statement the pages run is served by an index: a
# database of its own (smsdesk_explain, seeded once per MariaDB by
# tools/bench-seed.sql and tools/bench-messages.sql with 20,000 leads and
# 200,000 texts, so that MariaDB's optimizer picks the plans it would in
# production) behind a second smsdesk (one worker, no dispatcher) and an
# nginx of one worker; MariaDB's general log (to its table) records what
# each page sends, as it ran it (a prepared statement's "Execute" carries
# its values; a trigger's statements, also logged, are left out). Each
# SELECT is then run with ANALYZE FORMAT=JSON (the rows it really read),
# each UPDATE, DELETE and INSERT ... SELECT with EXPLAIN FORMAT=JSON (the
# estimates: they would write). A plan fails when it
#   - reads a table whole (access type ALL, index, or their hash join
#     forms) of EXPLAIN_SCAN_MIN rows or more (a table of a few rows, the
#     users of an organization say, may be read whole), or
#   - materializes a subquery (all its rows, read before the page's LIMIT
#     can stop anything) of more rows than a page reads, counted as for
#     a sort (below), or
#   - sorts (filesort) or builds a temporary table over more rows than a
#     page reads (EXPLAIN_SHOWN_MAX: the 50 rows of a list or a
#     conversation and one more), counted as the product of the rows of
#     the tables of that query block, as they passed its conditions,
# naming the page and the query. An exception needs a line in EXCEPTIONS
# below with the reason its rows are bounded by design.
#
# The round trips: when smsdesk logs "request METHOD PATH STATUS
# db_round_trips=N" (log.debug = on), each page's N must equal what MariaDB's
# general log saw from that request (its commands but "Close stmt" and
# "Quit", which get no answer, and the trigger's statements), and the
# chatbox's must not grow with its contacts (a lead with 2 and one with 4,
# each counted on its second load, the statements then prepared). Every
# signed-in page must read its session, user and organization in one
# statement (checked from the general log, with or without the count).
# Without that log line, the counts' checks are reported as not run (not ok).
. "$REPO/tests/e2e/lib.sh"

T_START=$(date +%s)
EXPLAIN_DB=smsdesk_explain
EXPLAIN_LEADS=20000
EXPLAIN_MESSAGES=200000
EXPLAIN_SCAN_MIN=1000
EXPLAIN_SHOWN_MAX=51 # a page of 50, and one more read to know whether a next page exists
# "page|regular expression over the statement|why its rows are bounded"
EXCEPTIONS=(
	# the loan file is the lead's whole record: it shows every text, so its
	# sort is over the rows the page shows, however many
	"agent GET /leads/ID/loanfile|^SELECT m\.id, DATE_FORMAT\(m\.created_at|the loan file shows every text of the lead"
	"agent GET /leads/ID/loanfile.csv|^SELECT m\.id, DATE_FORMAT\(m\.created_at|the loan file shows every text of the lead"
	# an agent's Needs reply reads the conversations of the agent's own
	# leads (a few a lead) and sorts their keys, then joins the page's rows
	"agent GET /inbox|FROM \(SELECT nr_cv\.user_id, nr_cv\.lead_id|an agent's Needs reply sorts the conversations of the agent's own leads that need a reply, not the organization's"
)

xsql() { stack_mysql "$STACK_DIR" -N -B "$EXPLAIN_DB" -e "$1"; }
root() { stack_mysql "$STACK_DIR" -N -B -e "$1"; }

X=$T_TMP/x # the second smsdesk and its nginx
mkdir -p "$X"
XPORT=
cleanup_x() {
	stack_nginx_stop "$X" >/dev/null 2>&1
	stack_smsdesk_stop "$X" >/dev/null 2>&1
	root "SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE'; TRUNCATE TABLE mysql.general_log" \
		>/dev/null 2>&1
	rm -rf "$T_TMP"
}
trap cleanup_x EXIT

# ---- the database, seeded once per MariaDB (the sanitizer run reuses it)
root "CREATE DATABASE IF NOT EXISTS $EXPLAIN_DB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	GRANT ALL ON $EXPLAIN_DB.* TO 'smsdesk'@'localhost'"
x_env=(SMSDESK_CONF="$SMSDESK_CONF" SMSDESK_DB_NAME="$EXPLAIN_DB")
check "the migrations apply to a database of its own" env "${x_env[@]}" "$CTL_BIN" migrate
PW='explain password 1'
ORG=$(xsql "SELECT id FROM organizations WHERE name = 'Explain Lending'")
if [ -z "$ORG" ]; then
	start=$(date +%s)
	cat > "$T_TMP/seed.json" <<JSON
{"organizations": [{"key": "x", "name": "Explain Lending", "sms_enabled": true, "time_zone": "America/Chicago"}],
 "users": [
  {"key": "root", "email": "root@explain.test", "name": "Root", "role": "superadmin", "password": "$PW"},
  {"key": "admin", "org": "x", "email": "admin@explain.test", "name": "Ada Admin", "role": "admin", "password": "$PW"},
  {"key": "mgr", "org": "x", "email": "mgr@explain.test", "name": "Max Manager", "role": "manager", "password": "$PW"},
  {"key": "amy", "org": "x", "email": "amy@explain.test", "name": "Amy Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "+15125550101", "time_zone": "America/Chicago"},
  {"key": "ben", "org": "x", "email": "ben@explain.test", "name": "Ben Ortiz", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "+15125550102"},
  {"key": "carla", "org": "x", "email": "carla@explain.test", "name": "Carla Nguyen", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "+15125550103"}],
 "partners": [
  {"key": "rita", "org": "x", "name": "Rita Reyes", "role": "Real Estate Agent", "mobile": "+15125550199"},
  {"key": "sam", "org": "x", "name": "Sam Stone", "role": "Title Officer", "mobile": "+15125550198"}]}
JSON
	env "${x_env[@]}" "$CTL_BIN" import "$T_TMP/seed.json" > "$T_TMP/seed-ids.json" 2>"$T_TMP/import.err" ||
		cat "$T_TMP/import.err"
	ORG=$(jq -r .organizations.x "$T_TMP/seed-ids.json")
	AMY=$(jq -r .users.amy "$T_TMP/seed-ids.json")
	{ printf 'SET @org = %d, @agent = %d, @admin = %d, @leads = %d;\n' "$ORG" "$AMY" \
		"$(jq -r .users.admin "$T_TMP/seed-ids.json")" "$EXPLAIN_LEADS"
	  cat "$REPO/tools/bench-seed.sql"; } | stack_mysql "$STACK_DIR" "$EXPLAIN_DB" >"$T_TMP/seed.log" 2>&1 ||
		{ sed 's/^/# /' "$T_TMP/seed.log"; not_ok "tools/bench-seed.sql runs"; }
	# the chatbox's lead: Amy's first with four contacts
	CL=$(xsql "SELECT a.lead_id FROM assignments a JOIN contacts c ON c.lead_id = a.lead_id
		WHERE a.user_id = $AMY AND a.unassigned_at IS NULL GROUP BY a.lead_id HAVING COUNT(*) = 4
		ORDER BY a.lead_id LIMIT 1")
	CC=$(xsql "SELECT id FROM contacts WHERE lead_id = ${CL:-0} AND role = 'borrower'")
	# the messages trigger stays on: 200,000 texts take seconds, and the
	# conversations it keeps are the production ones
	{ printf 'SET @org = %d, @agent = %d, @chat_lead = %d, @chat_contact = %d;\n' "$ORG" "$AMY" "${CL:-0}" "${CC:-0}"
	  printf 'SET @messages = %d, @chat_messages = 50, @from_lead = 0;\n' "$EXPLAIN_MESSAGES"
	  cat "$REPO/tools/bench-messages.sql"; } | stack_mysql "$STACK_DIR" "$EXPLAIN_DB" >"$T_TMP/seed.log" 2>&1 ||
		{ sed 's/^/# /' "$T_TMP/seed.log"; not_ok "tools/bench-messages.sql runs"; }
	# Amy's first lead with two contacts: its chatbox is compared with the
	# four-contact one's
	C2=$(xsql "SELECT a.lead_id FROM assignments a JOIN contacts c ON c.lead_id = a.lead_id
		WHERE a.user_id = $AMY AND a.unassigned_at IS NULL GROUP BY a.lead_id HAVING COUNT(*) = 2
		ORDER BY a.lead_id LIMIT 1")
	# valid numbers for both leads' borrowers and co-borrowers (the seed's
	# are not all valid NANP numbers), their consents with Amy's number
	# granted: the chatbox's borrower +15125559876, the others 9875, 9872, 9871
	xsql "UPDATE contacts SET mobile = '+15125559876' WHERE id = ${CC:-0};
		UPDATE contacts SET mobile = '+15125559875' WHERE lead_id = ${CL:-0} AND role = 'co_borrower';
		UPDATE contacts SET mobile = IF(role = 'borrower', '+15125559872', '+15125559871')
			WHERE lead_id = ${C2:-0};
		INSERT INTO consents (org_id, scope, agent_number, contact_number, status)
		SELECT $ORG, 'pair', '+15125550101', n, 'granted' FROM (SELECT '+15125559876' AS n
			UNION ALL SELECT '+15125559875' UNION ALL SELECT '+15125559872' UNION ALL SELECT '+15125559871') x"
	echo "# seeded $EXPLAIN_DB in $(( $(date +%s) - start ))s"
fi
AMY=$(xsql "SELECT id FROM users WHERE email = 'amy@explain.test'")
CL=$(xsql "SELECT lead_id FROM contacts WHERE mobile = '+15125559876' AND org_id = ${ORG:-0}")
CC=$(xsql "SELECT id FROM contacts WHERE mobile = '+15125559876' AND org_id = ${ORG:-0}")
C2=$(xsql "SELECT lead_id FROM contacts WHERE mobile = '+15125559872' AND org_id = ${ORG:-0}")
C2C=$(xsql "SELECT id FROM contacts WHERE mobile = '+15125559872' AND org_id = ${ORG:-0}")
check "the seed: $EXPLAIN_LEADS leads, $((EXPLAIN_LEADS / 100)) of them Amy's" test \
	"$(xsql "SELECT COUNT(*) FROM leads WHERE org_id = ${ORG:-0}") $(xsql "SELECT COUNT(*) FROM assignments
		WHERE user_id = ${AMY:-0} AND unassigned_at IS NULL")" = "$EXPLAIN_LEADS $((EXPLAIN_LEADS / 100))"
check "the seed: at least $EXPLAIN_MESSAGES texts, 50 in the chatbox's conversation" test \
	"$(xsql "SELECT COUNT(*) >= $EXPLAIN_MESSAGES FROM messages WHERE org_id = ${ORG:-0}")" = 1
# the texts' words as the dispatcher would have added them (the search's
# plans read lead_words; a queue this long would be read instead)
check "the seed: the texts' words in lead_words, none queued" test \
	"$(xsql "SELECT COUNT(*) > $EXPLAIN_LEADS FROM lead_words") $(xsql "SELECT COUNT(*) < 100 FROM words_queue")" = "1 1"
LEAD=$(xsql "SELECT a.lead_id FROM assignments a WHERE a.user_id = ${AMY:-0} AND a.unassigned_at IS NULL
	AND a.lead_id <> ${CL:-0} ORDER BY a.lead_id LIMIT 1")

# ---- the general log, then the second smsdesk (its connections' Connect
# lines name the database: only their statements are the pages')
root "TRUNCATE TABLE mysql.general_log; SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
for try in 1 2 3; do
	XPORT=$(stack_free_port) || continue
	x_env=(SMSDESK_CONF="$SMSDESK_CONF" SMSDESK_DB_NAME="$EXPLAIN_DB" SMSDESK_LISTEN="$X/smsdesk.sock"
		SMSDESK_WORKERS=1 SMSDESK_DISPATCHER=0 SMSDESK_PUBLIC_URL="http://127.0.0.1:$XPORT")
	DEBUG=1
	env "${x_env[@]}" SMSDESK_LOG_DEBUG=on "$E2E_SMSDESK_BIN" >>"$X/smsdesk.log" 2>&1 &
	echo $! > "$X/smsdesk.pid"
	if ! stack_wait 100 test -S "$X/smsdesk.sock"; then # a smsdesk without log.debug
		DEBUG=0
		env "${x_env[@]}" "$E2E_SMSDESK_BIN" >>"$X/smsdesk.log" 2>&1 &
		echo $! > "$X/smsdesk.pid"
		stack_wait 100 test -S "$X/smsdesk.sock"
	fi
	# one nginx worker: its kept-alive connection to the one smsdesk worker
	# would otherwise make the other nginx worker's requests wait
	STACK_NGINX_WORKERS=1 stack_nginx_start "$X" "$XPORT" "$X/smsdesk.sock" 2>>"$X/nginx.err" && break
	stack_smsdesk_stop "$X" >/dev/null 2>&1
done
BASE=http://127.0.0.1:$XPORT
check "a second smsdesk on $EXPLAIN_DB answers" curl -fsS -o /dev/null "$BASE/healthz"

# the second smsdesk's connections (made as it starts, and again after a
# failure): their Connect lines name the database
THREADS=" "
threads() {
	local tid
	while read -r tid; do
		THREADS+="$tid "
	done < <(root "SELECT thread_id FROM mysql.general_log
		WHERE command_type = 'Connect' AND argument LIKE '% on $EXPLAIN_DB %'")
}
threads
: > "$T_TMP/statements" # page TAB statement
: > "$T_TMP/trips"      # page TAB smsdesk's count TAB MariaDB's
: > "$T_TMP/prepares"   # the statements as prepared, with their ? marks
: > "$T_TMP/unexplained"
: > "$T_TMP/sessions"    # page TAB its reads of sessions TAB 1 if with users and organizations
# page NAME CURL-ARGS...: one request, what it sent recorded under NAME
page() {
	local name=$1 line n tid cmd arg off got=0 sess=0 whole=1; shift
	root "TRUNCATE TABLE mysql.general_log"
	off=$(stat -c %s "$X/smsdesk.log")
	curl -sS -o "$T_TMP/page.html" "$@" 2>/dev/null
	if [ "$DEBUG" = 1 ]; then # the request's last line
		stack_wait 30 bash -c "tail -c +$((off + 1)) '$X/smsdesk.log' | grep -q 'db_round_trips='"
		line=$(tail -c +$((off + 1)) "$X/smsdesk.log" | grep -o 'db_round_trips=[0-9]*$' | tail -n1)
	fi
	sleep 0.2 # the general log is written as MariaDB answers: let the last line land
	while IFS=$'\t' read -r tid cmd arg; do
		[ "$cmd" != Connect ] || [[ $arg != *" on $EXPLAIN_DB "* ]] || THREADS+="$tid "
		case $THREADS in *" $tid "*) ;; *) continue ;; esac
		case $cmd in "Close stmt" | Quit) continue ;; esac
		# a trigger's statements are logged too: not sent by smsdesk
		[[ $cmd == Query && $arg =~ (^|[^A-Za-z_])(NEW|OLD)\. ]] && continue
		got=$((got + 1))
		if [ "$cmd" = Prepare ]; then
			printf '%s\n' "$arg" >> "$T_TMP/prepares"
			continue
		fi
		[ "$cmd" = Execute ] || [ "$cmd" = Query ] || continue
		printf '%s\t%s\n' "$name" "$arg" >> "$T_TMP/statements"
		if [[ $arg == *"FROM sessions"* ]]; then
			sess=$((sess + 1))
			[[ $arg == *"JOIN users"* && $arg == *organizations* ]] || whole=0
		fi
	done < <(stack_mysql "$STACK_DIR" --raw -N -B -e "SELECT thread_id, command_type,
		REPLACE(REPLACE(REPLACE(REPLACE(argument, '\n', ' '), '\t', ' '), '\r', ' '), CHAR(0), ' ')
		FROM mysql.general_log ORDER BY event_time")
	[ "$DEBUG" = 1 ] && printf '%s\t%s\t%s\n' "$name" "${line#db_round_trips=}" "$got" >> "$T_TMP/trips"
	printf '%s\t%s\t%s\n' "$name" "$sess" "$whole" >> "$T_TMP/sessions"
	return 0
}
# signin JAR EMAIL: through the form, as a browser
signin() {
	local jar=$1 token
	curl -sS -c "$jar" -b "$jar" -o "$T_TMP/login.html" "$BASE/login"
	token=$(csrf_from "$T_TMP/login.html")
	page "sign in ($2)" -c "$jar" -b "$jar" --data-urlencode "csrf=$token" \
		--data-urlencode "email=$2" --data-urlencode "password=$PW" "$BASE/login"
}

# ---- every page a user reaches
page "signed out GET /login" "$BASE/login"
page "signed out GET /" "$BASE/"
page "signed out GET /healthz" "$BASE/healthz"
# an inbound text to Amy from the chatbox's borrower, one from a partner
# (Rita, on a third of the leads), and one from a number nobody knows
# (Amy's Unmatched list), signed as the carrier does
TOKEN=$(sed -n 's/^carrier.auth_token *= *//p' "$SMSDESK_CONF" | tail -n1)
SID=$(sed -n 's/^carrier.account_sid *= *//p' "$SMSDESK_CONF" | tail -n1)
for from in +15125559876 +15125550199 "$(mobile)"; do
	IFS=$'\t' read -r sig body < <(node "$REPO/tools/bench-inbound.js" "$TOKEN" "$BASE/webhooks/twilio/sms" \
		"$SID" +15125550101 "$from" 1)
	page "carrier POST /webhooks/twilio/sms" -H "X-Twilio-Signature: $sig" --data "$body" "$BASE/webhooks/twilio/sms"
done
UNMATCHED=$(xsql "SELECT MAX(id) FROM messages WHERE lead_id IS NULL AND direction = 'inbound'")

CHAT="/leads/$CL?chat=$CL&contact_$CL=$CC"
A=$T_TMP/amy.jar
signin "$A" amy@explain.test
page "agent GET /" -b "$A" "$BASE/"
# the pages the bench measures, twice: the second load's round trips
# count (the statements then prepared, as in a running smsdesk)
page "agent GET /leads" -b "$A" "$BASE/leads"
page "agent GET /leads" -b "$A" "$BASE/leads"
page "agent GET /leads page 2" -b "$A" "$BASE/leads?page=2"
page "agent GET /leads/ID" -b "$A" "$BASE/leads/$LEAD"
page "agent GET /leads/ID" -b "$A" "$BASE/leads/$LEAD"
page "agent GET chatbox" -b "$A" "$BASE$CHAT"
page "agent GET chatbox" -b "$A" "$BASE$CHAT"
page "agent GET chatbox, two contacts" -b "$A" "$BASE/leads/$C2?chat=$C2&contact_$C2=$C2C"
page "agent GET chatbox, two contacts" -b "$A" "$BASE/leads/$C2?chat=$C2&contact_$C2=$C2C"
page "agent GET chatbox maximized" -b "$A" "$BASE$CHAT&max=$CL"
# Earlier messages: the 50 texts before one
CHAT_BEFORE=$(xsql "SELECT MAX(id) FROM messages WHERE lead_id = ${CL:-0} AND contact_id = ${CC:-0}")
page "agent GET chatbox, earlier messages" -b "$A" "$BASE$CHAT&before_$CL=${CHAT_BEFORE:-1}"
page "agent GET /leads with a chatbox" -b "$A" "$BASE/leads?chat=$CL&contact_$CL=$CC"
page "agent GET /inbox" -b "$A" "$BASE/inbox"
page "agent GET /inbox" -b "$A" "$BASE/inbox"
page "agent GET /inbox mine" -b "$A" "$BASE/inbox?show=mine"
page "agent GET /inbox mine page 2" -b "$A" "$BASE/inbox?show=mine&page=2"
# the inbox's search: a word in a tenth of the texts, the last four digits
# of the chatbox's borrower's number, a partner's name on a third of the
# leads (the agent sees one lead in a hundred), and a word nothing holds
page "agent GET /inbox?q=word" -b "$A" "$BASE/inbox?q=closing"
check "the search lists texts" grep -q 'class="search-row"' "$T_TMP/page.html"
page "agent GET /inbox?q=number" -b "$A" "$BASE/inbox?q=9876"
check "the search finds the number" grep -q 'class="search-row"' "$T_TMP/page.html"
page "agent GET /inbox?q=name" -b "$A" "$BASE/inbox?q=rita"
page "agent GET /inbox?q=nothing" -b "$A" "$BASE/inbox?q=nosuchword"
page "agent GET /unmatched" -b "$A" "$BASE/unmatched"
[ -n "$UNMATCHED" ] && page "agent GET /unmatched/ID" -b "$A" "$BASE/unmatched/$UNMATCHED"
# the filing page with Amy's 20 most recent applications as candidates, and
# with none; the consents page of the four-contact lead and of the
# two-contact one (each second load compared below)
page "agent GET /unmatched/ID, 20 candidates" -b "$A" "$BASE/unmatched/$UNMATCHED"
check "the filing page lists 20 candidates" test "$(grep -c '<h2><a href="/leads/' "$T_TMP/page.html")" = 20
page "agent GET /unmatched/ID, no candidate" -b "$A" "$BASE/unmatched/$UNMATCHED?q=no+such+application"
check "and none when nothing matches" grep -q 'No application matches' "$T_TMP/page.html"
page "agent GET /leads/ID/consents" -b "$A" "$BASE/leads/$CL/consents"
page "agent GET /leads/ID/consents" -b "$A" "$BASE/leads/$CL/consents"
page "agent GET /leads/ID/consents, two contacts" -b "$A" "$BASE/leads/$C2/consents"
page "agent GET /leads/ID/consents, two contacts" -b "$A" "$BASE/leads/$C2/consents"
page "agent GET /leads/ID/loanfile" -b "$A" "$BASE/leads/$CL/loanfile"
page "agent GET /leads/ID/loanfile.csv" -b "$A" "$BASE/leads/$CL/loanfile.csv"
page "agent GET /reports/usage" -b "$A" "$BASE/reports/usage"
page "agent GET /profile" -b "$A" "$BASE/profile"
curl -sS -o "$T_TMP/chat.html" -b "$A" "$BASE$CHAT"
page "agent POST /sms/send" -b "$A" --data-urlencode "csrf=$(csrf_from "$T_TMP/chat.html")" \
	--data-urlencode "once=$(grep -o 'name="once" value="[^"]*"' "$T_TMP/chat.html" | head -n1 | sed 's/.*value="//;s/"$//')" \
	--data "lead=$CL&contact=$CC&agent=$AMY" --data-urlencode "back=$CHAT" \
	--data-urlencode "body=Your appraisal is Thursday at 10am." "$BASE/sms/send"
check "POST /sms/send queued the text" test \
	"$(xsql "SELECT COUNT(*) FROM messages WHERE body = 'Your appraisal is Thursday at 10am.' AND status = 'queued'")" -ge 1

M=$T_TMP/mgr.jar
signin "$M" mgr@explain.test
page "manager GET /leads" -b "$M" "$BASE/leads"
page "manager GET /leads page 100" -b "$M" "$BASE/leads?page=100"
page "manager GET /leads/ID" -b "$M" "$BASE/leads/$LEAD"
page "manager GET chatbox" -b "$M" "$BASE$CHAT"
page "manager GET /inbox" -b "$M" "$BASE/inbox"
page "manager GET /inbox needs" -b "$M" "$BASE/inbox?show=needs"
page "manager GET /inbox one agent" -b "$M" "$BASE/inbox?agent=$AMY"
curl -sS -o "$T_TMP/inbox.html" -b "$M" "$BASE/inbox?agent=$AMY"
page "manager POST /inbox/done" -b "$M" --data-urlencode "csrf=$(csrf_from "$T_TMP/inbox.html")" \
	--data "agent=$AMY&lead=$CL&contact=$CC" --data-urlencode "back=/inbox" "$BASE/inbox/done"
page "manager POST /inbox/unread" -b "$M" --data-urlencode "csrf=$(csrf_from "$T_TMP/inbox.html")" \
	--data "agent=$AMY&lead=$CL&contact=$CC" --data-urlencode "back=/inbox" "$BASE/inbox/unread"
check "Done and Mark unread changed the conversation" test \
	"$(xsql "SELECT reopened_message_id = last_message_id AND needs_reply FROM conversations
		WHERE user_id = ${AMY:-0} AND lead_id = ${CL:-0} AND contact_id = ${CC:-0}")" = 1
page "manager GET /inbox?q=words" -b "$M" "$BASE/inbox?q=closing+friday"
page "manager GET /inbox?q=number page 2" -b "$M" "$BASE/inbox?q=(512)+555&page=2"
page "manager GET /unmatched" -b "$M" "$BASE/unmatched"
page "manager GET /reports/usage" -b "$M" "$BASE/reports/usage"

D=$T_TMP/admin.jar
signin "$D" admin@explain.test
page "admin GET /leads" -b "$D" "$BASE/leads"
page "admin GET /leads/ID" -b "$D" "$BASE/leads/$CL"
page "admin GET /admin/users" -b "$D" "$BASE/admin/users"
page "admin GET /admin/settings" -b "$D" "$BASE/admin/settings"
page "admin GET /reports/usage" -b "$D" "$BASE/reports/usage"
page "admin GET /reports/usage.csv" -b "$D" "$BASE/reports/usage.csv"
page "admin GET /unmatched" -b "$D" "$BASE/unmatched"

S=$T_TMP/root.jar
signin "$S" root@explain.test
page "superadmin GET /superadmin/orgs" -b "$S" "$BASE/superadmin/orgs"
page "superadmin GET /reports/usage" -b "$S" "$BASE/reports/usage"

root "SET GLOBAL general_log = 0"
n=$(cut -f1 "$T_TMP/statements" | sort -u | wc -l)
check "the general log recorded statements of $n pages (of the second smsdesk's connections)" test "$n" -ge 30

# ---- EXPLAIN each one: ANALYZE (the plan with the rows it really read) for
# a SELECT, EXPLAIN (the estimates) for the others, which would write. Each
# statement once, under the first page that ran it; one client for all.
explain_failures() { # JSON on stdin: one line per fault
	jq -r --argjson scan "$EXPLAIN_SCAN_MIN" --argjson shown "$EXPLAIN_SHOWN_MAX" '
		def rows: (.r_rows // .rows // 1);
		def passed: rows * ((.r_filtered // .filtered // 100) / 100);
		# the tables of one query block: not those of the subqueries and
		# derived tables it reads (their own blocks, checked as such)
		def level: if type == "object" then
				(if (.table | type) == "object" then .table else empty end),
				(to_entries[] | select(.key | IN("materialized", "subqueries", "query_block",
					"union_result", "query_specifications") | not) | .value | level)
			elif type == "array" then .[] | level else empty end;
		def derived: .table_name | test("^<(derived|subquery|union)");
		(.. | objects | select((.table | type) == "object") | .table
			| select((.access_type | IN("ALL", "hash_ALL", "index", "hash_index"))
				and (derived | not) and rows >= $scan)
			| "reads \(.table_name) whole (\(.access_type), \(rows | floor) rows)"),
		(.. | objects | to_entries[] | select(.key == "filesort" or .key == "temporary_table")
			| . as $e
			| ([$e.value | level | passed] | reduce .[] as $r (1; . * $r) | floor) as $n
			| select($n > $shown)
			| "\($e.key) over \($n) rows (\([$e.value | level | .table_name] | unique | join(", ")))"),
		(.. | objects | to_entries[] | select(.key == "materialization" or .key == "materialized")
			| . as $e
			| ([$e.value.query_block | level | passed] | reduce .[] as $r (1; . * $r) | floor) as $n
			| select($n > $shown)
			| "materializes \($n) rows (\([$e.value.query_block | level | .table_name] | unique | join(", ")))")'
}
excepted() { # PAGE STATEMENT: the reason, when listed
	local e p re why
	for e in "${EXCEPTIONS[@]}"; do
		IFS='|' read -r p re why <<<"$e"
		[ "$p" = "$1" ] && grep -qE -- "$re" <<<"$2" && { echo "$why"; return 0; }
	done
	return 1
}
# A value bound as bytes (a session's token hash, a secret) is logged as
# it is: not a literal that can be run again. Such a statement is rebuilt
# from its prepared text, its other values kept and the bytes replaced by
# '' (the same index is used for any value).
unbinary() { # STATEMENT: prints it runnable, or nothing
	perl -e '
		my $x = shift; my $bin = qr/\\x[0-9A-F]{2}|[^\x20-\x7e]/;
		if ($x !~ $bin) { print $x; exit 0 }
		open(my $f, "<", shift) or exit 0;
		while (my $p = <$f>) {
			chomp $p;
			my @parts = split /\?/, $p, -1;
			next if @parts < 2;
			my $re = join("(.*?)", map { quotemeta } @parts);
			my @v = ($x =~ /^$re$/s) or next;
			my $out = $parts[0];
			for my $i (0 .. $#v) { $out .= ($v[$i] =~ $bin ? "\x27\x27" : $v[$i]) . $parts[$i + 1] }
			print $out; exit 0;
		}' "$1" "$T_TMP/prepares"
}
declare -A FIRST # statement -> the first page that ran it
NAMES=() STMTS=()
while IFS=$'\t' read -r name stmt; do
	verb=$(awk '{ print toupper($1) }' <<<"$stmt")
	case $verb in
	SELECT | UPDATE | DELETE) ;;
	INSERT | REPLACE) grep -qiE '[[:space:]]SELECT[[:space:]]' <<<"$stmt" || continue ;;
	*) continue ;;
	esac
	stmt=$(unbinary "$stmt")
	if [ -z "$stmt" ]; then
		printf '%s: a statement with a value in bytes, and no prepared text that matches it\n' "$name" \
			>> "$T_TMP/unexplained"
		continue
	fi
	[ -z "${FIRST[$stmt]:-}" ] || continue
	FIRST[$stmt]=$name
	NAMES+=("$name")
	STMTS+=("$stmt")
done < "$T_TMP/statements"
mkdir -p "$T_TMP/plans"
for i in "${!STMTS[@]}"; do
	printf "SELECT '<<<%d>>>';\n%s FORMAT=JSON %s;\n" "$i" \
		"$([[ ${STMTS[$i]} =~ ^[[:space:]]*[Ss][Ee][Ll][Ee][Cc][Tt] ]] && echo ANALYZE || echo EXPLAIN)" "${STMTS[$i]}"
done | stack_mysql "$STACK_DIR" --force --raw -N -B "$EXPLAIN_DB" > "$T_TMP/plans.out" 2>"$T_TMP/plans.err"
awk -v d="$T_TMP/plans" '/^<<<[0-9]+>>>$/ { f = d "/" substr($0, 4, length($0) - 6); next } f { print > f }' \
	"$T_TMP/plans.out"
faults=0
: > "$T_TMP/faults"
for i in "${!STMTS[@]}"; do
	name=${NAMES[$i]} stmt=${STMTS[$i]}
	if [ ! -s "$T_TMP/plans/$i" ]; then
		printf '%s: no plan (%s): %s\n' "$name" "$(head -n1 "$T_TMP/plans.err")" "$stmt" >> "$T_TMP/faults"
		faults=$((faults + 1))
		continue
	fi
	while IFS= read -r fault; do
		[ -n "$fault" ] || continue
		if why=$(excepted "$name" "$stmt"); then
			echo "# excepted ($why): $name: $fault"
			continue
		fi
		printf '%s: %s: %s\n' "$name" "$fault" "$stmt" >> "$T_TMP/faults"
		faults=$((faults + 1))
	done < <(explain_failures < "$T_TMP/plans/$i")
done
explained=${#STMTS[@]}
if [ -s "$T_TMP/unexplained" ]; then
	not_ok "every statement could be explained: $(wc -l < "$T_TMP/unexplained") could not"
	sed 's/^/#   /' "$T_TMP/unexplained" | sort -u
else
	ok "every statement could be explained"
fi
check "statements were explained ($explained different ones)" test "$explained" -ge 30
if [ "$faults" = 0 ]; then
	ok "every plan of every page is served by an index (no scan of $EXPLAIN_SCAN_MIN rows or more, no sort or temporary table over more than $EXPLAIN_SHOWN_MAX)"
else
	not_ok "every plan of every page is served by an index: $faults faults"
	sed 's/^/#   /' "$T_TMP/faults" | cut -c1-700
fi

# ---- round trips
# "The session, the user and the organization come in one round trip":
# every signed-in page reads sessions in one statement, with users and
# organizations
bad=$(awk -F'\t' '$1 ~ /^(agent|manager|admin|superadmin) GET/ && ($2 != 1 || $3 != 1) {
		printf "%s (%d reads of sessions%s); ", $1, $2, $3 == 1 ? "" : ", not with the user and organization" }' \
	"$T_TMP/sessions")
if [ -z "$bad" ]; then ok "every signed-in page reads its session, user and organization in one statement"
else not_ok "every signed-in page reads its session, user and organization in one statement: $bad"; fi
if [ "$DEBUG" = 1 ] && [ -s "$T_TMP/trips" ]; then
	bad=$(awk -F'\t' '$2 == "" || $2 != $3 { printf "%s (smsdesk %s, MariaDB %s); ", $1, $2, $3 }' "$T_TMP/trips")
	if [ -z "$bad" ]; then ok "smsdesk's round trip count of every page is what MariaDB saw"
	else not_ok "smsdesk's round trip count of every page is what MariaDB saw: $bad"; fi
	# "the chatbox's contacts, consent states, assignments and messages in a
	# few [round trips], not one per contact": the same with 2 as with 4;
	# and no page's round trips grow with what it lists
	same_trips() { # WHAT PAGE-A A-SAYS PAGE-B B-SAYS
		local na nb
		na=$(awk -F'\t' -v p="$2" '$1 == p { n = $2 } END { print n }' "$T_TMP/trips")
		nb=$(awk -F'\t' -v p="$4" '$1 == p { n = $2 } END { print n }' "$T_TMP/trips")
		if [ -n "$na" ] && [ "$na" = "$nb" ]; then ok "$1 ($na $3, $nb $5)"
		else not_ok "$1 (${na:-?} $3, ${nb:-?} $5)"; fi
	}
	same_trips "the chatbox's round trips do not grow with its contacts" \
		"agent GET chatbox, two contacts" "with 2" "agent GET chatbox" "with 4"
	same_trips "the consents page's round trips do not grow with the contacts" \
		"agent GET /leads/ID/consents, two contacts" "with 2" "agent GET /leads/ID/consents" "with 4"
	if [ -n "$UNMATCHED" ]; then
		same_trips "the filing page's round trips do not grow with the candidates" \
			"agent GET /unmatched/ID, no candidate" "with none" \
			"agent GET /unmatched/ID, 20 candidates" "with 20"
	else
		not_ok "the filing page's round trips do not grow with the candidates: no unmatched text to file"
	fi
	awk -F'\t' '{ printf "# round trips: %s: %s\n", $1, $2 }' "$T_TMP/trips"
else
	not_ok "round trips per page: not checked, this smsdesk logs no 'request ... db_round_trips=N' line (log.debug)"
fi

echo "# $T_NAME took $(( $(date +%s) - T_START ))s"
check "the second smsdesk exits 0 on SIGTERM" stack_smsdesk_stop "$X"
if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$X/smsdesk.log"; then
	not_ok "no sanitizer reports in the second smsdesk's log"
	grep -A 20 -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$X/smsdesk.log" | head -40
fi
