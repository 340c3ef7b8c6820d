#!/usr/bin/env bash
# The usage report: per month and per user, sent, received, billed, failed
# and opted out, matching the texts exactly (the expected figures are
# computed here from the rows the test writes), its CSV, and who may see it.
. "$REPO/tests/e2e/lib.sh"

PW='report pass 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Report Co $UNIQ", "sms_enabled": true},
                   {"key": "o2", "name": "Other Report $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@report.test", "name": "Ann Report", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"},
  {"key": "bo", "org": "o", "email": "bo$UNIQ@report.test", "name": "Bo Report", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"},
  {"key": "adm", "org": "o", "email": "adm$UNIQ@report.test", "name": "Ada Report", "role": "admin", "password": "$PW"},
  {"key": "out", "org": "o2", "email": "out$UNIQ@report.test", "name": "Out Report", "role": "admin", "password": "$PW"},
  {"key": "root", "email": "root$UNIQ@report.test", "name": "Root Report", "role": "superadmin", "password": "$PW"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
org=$(id_of d organizations o); org2=$(id_of d organizations o2)
ann=$(id_of d users ann); bo=$(id_of d users bo)

# user direction status sid? billed created_at contact
cat > "$T_TMP/rows" <<ROWS
ann outbound delivered 1 1 2026-10-01 00:00:00 +15125550301
ann outbound sent 1 2 2026-10-15 12:00:00 +15125550302
ann outbound delivered 1 3 2026-10-31 23:59:59 +15125550301
ann outbound failed 0 1 2026-10-10 09:00:00 +15125550303
ann inbound received 1 1 2026-10-11 09:00:00 +15125550301
ann inbound received 1 1 2026-10-12 09:00:00 +15125550304
ann outbound delivered 1 4 2026-09-30 23:59:59 +15125550301
ann inbound received 1 1 2026-11-01 00:00:00 +15125550301
bo outbound delivered 1 5 2026-10-20 10:00:00 +15125550305
bo outbound undelivered 1 2 2026-10-21 10:00:00 +15125550306
bo inbound received 1 1 2026-10-22 10:00:00 +15125550305
ROWS
n=0
while read -r who dir st sid billed day time contact; do
	n=$((n + 1))
	uid=$([ "$who" = ann ] && echo "$ann" || echo "$bo")
	sql "INSERT INTO messages (org_id, user_id, direction, agent_number, contact_number, body, billed, status, carrier_sid, created_at)
	     VALUES ($org, $uid, '$dir', '+15125550300', '$contact', 'report row $n', $billed, '$st',
	     $([ "$sid" = 1 ] && echo "'SMreport$UNIQ$n'" || echo NULL), '$day $time')"
done < "$T_TMP/rows"
# opt-outs in October: Ann's +15125550304 by STOP (two ledger rows, one number),
# Bo records +15125550306 by phone; one in November does not count
stop=$(sql "SELECT id FROM messages WHERE body = 'report row 6' AND org_id = $org")
sql "INSERT INTO consent_ledger (org_id, scope, agent_number, contact_number, old_status, new_status, source, message_id, created_at) VALUES
     ($org, 'pair', '+15125550300', '+15125550304', 'granted', 'none', 'reply', $stop, '2026-10-12 09:00:01'),
     ($org, 'organization', '', '+15125550304', 'none', 'none', 'reply', $stop, '2026-10-12 09:00:01'),
     ($org, 'organization', '', '+15125550399', 'granted', 'none', 'reply', $stop, '2026-11-02 09:00:01')"
sql "INSERT INTO consent_ledger (org_id, scope, agent_number, contact_number, old_status, new_status, source, changed_by, note, created_at) VALUES
     ($org, 'pair', '+15125550300', '+15125550306', 'granted', 'none', 'manual', $bo, 'by phone', '2026-10-23 09:00:00')"

# the expected figures, computed from the rows above
expect() { # USER -> "sent received billed failed"
	awk -v u="$1" '$1 == u && $6 ~ /^2026-10-/ {
		if ($2 == "outbound" && $4 == 1) { s++; b += $5 }
		if ($2 == "inbound") r++
		if ($2 == "outbound" && ($3 == "failed" || $3 == "undelivered")) f++
	} END { printf "%d %d %d %d", s, r, b, f }' "$T_TMP/rows"
}
login "$T_TMP/adm" "adm$UNIQ@report.test" "$PW"
get "$T_TMP/adm" "/reports/usage?month=2026-10"
check "the admin opens the report (200)" test "$STATUS" = 200
row() { tr -d '\n' < "$T_TMP/body" | grep -o "<tr><th scope=\"row\">$1</th>\(<td>[0-9]*</td>\)*" | sed 's/<[^>]*>/ /g' | tr -s ' ' | sed 's/^ //; s/ $//'; }
check "Ann's figures match the texts ($(row 'Ann Report'))" test "$(row 'Ann Report')" = "Ann Report $(expect ann) 1"
check "Bo's figures match the texts ($(row 'Bo Report'))" test "$(row 'Bo Report')" = "Bo Report $(expect bo) 1"
check "charts are drawn on the server as SVG with a title" grep -q '<svg role="img" aria-label="Texts sent and received in Oct 2026, by User"' "$T_TMP/body"
check "a bar per user" test "$(grep -c 'class="bar-sent"' "$T_TMP/body")" -ge 2
# the twelve months' chart, from the monthly summary: the organization's
# sent, received and billed of each month, as computed from the rows
trend() { # YYYY-MM "Mon YYYY" -> "<tr><td>Mon YYYY</td><td>SENT</td><td>RECEIVED</td><td>BILLED</td></tr>"
	awk -v m="$1" -v shown="$2" '$6 ~ "^" m "-" {
		if ($2 == "outbound" && $4 == 1) { s++; b += $5 }
		if ($2 == "inbound") r++
	} END { printf "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>", shown, s, r, b }' "$T_TMP/rows"
}
check "the chart's October is the organization's ($(trend 2026-10 'Oct 2026'))" grep -qF "$(trend 2026-10 'Oct 2026')" "$T_TMP/body"
check "and so is its September ($(trend 2026-09 'Sep 2026'))" grep -qF "$(trend 2026-09 'Sep 2026')" "$T_TMP/body"
check "months read like Oct 2026" grep -q '<caption>Oct 2026, by User</caption>' "$T_TMP/body"
check "  the chart's columns by the month's short name" grep -q 'class="chart-label" text-anchor="middle">Oct</text>' "$T_TMP/body"
check "no script on the page but the site's own" bash -c "! grep -q '<script>' '$T_TMP/body'"
check "the report page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
get "$T_TMP/adm" "/reports/usage.csv?month=2026-10"
check "the CSV downloads" header_has '^Content-Type: text/csv'
check "with a header row" test "$(head -n1 "$T_TMP/body" | tr -d '\r')" = '"month","user_id","user","sent","received","billed","failed","opted_out"'
check "Ann's CSV row matches" grep -q "^\"2026-10\",\"$ann\",\"Ann Report\",\"$(expect ann | sed 's/ /","/g')\",\"1\"" "$T_TMP/body"
check "Bo's CSV row matches" grep -q "^\"2026-10\",\"$bo\",\"Bo Report\",\"$(expect bo | sed 's/ /","/g')\",\"1\"" "$T_TMP/body"
get "$T_TMP/adm" "/reports/usage?month=2026-09"
check "September holds only September's text" test "$(row 'Ann Report')" = "Ann Report 1 0 4 0 0"
get "$T_TMP/adm" "/reports/usage?month=2026-13"
check "a malformed month is refused (400)" test "$STATUS" = 400

login "$T_TMP/out" "out$UNIQ@report.test" "$PW"
get "$T_TMP/out" "/reports/usage?month=2026-10"
page_lacks "another organization's admin sees only their own" 200 "<h1>Usage report · Other Report $UNIQ" 'Ann Report'
get "$T_TMP/out" "/reports/usage?month=2026-10&org=$org"
page_lacks "and cannot choose ours" 200 "<h1>Usage report · Other Report $UNIQ" 'Ann Report'
login "$T_TMP/ann" "ann$UNIQ@report.test" "$PW"
get "$T_TMP/ann" "/reports/usage?month=2026-10"
check "an agent is refused (403)" test "$STATUS" = 403
login "$T_TMP/root" "root$UNIQ@report.test" "$PW"
get "$T_TMP/root" "/reports/usage?month=2026-10"
total=$(awk '$6 ~ /^2026-10-/ && $2 == "outbound" && $4 == 1 { s++ } END { print s }' "$T_TMP/rows")
check "the superadmin sees every organization, ours with its totals" \
	grep -q "<a href=\"/reports/usage?month=2026-10&amp;org=$org\">Report Co $UNIQ</a></th><td>$total</td>" "$T_TMP/body"
get "$T_TMP/root" "/reports/usage?month=2026-10&org=$org"
check "and one organization by user" test "$(row 'Ann Report')" = "Ann Report $(expect ann) 1"

# ---- the figures follow the texts as they change: the report reads a
# monthly summary kept by triggers on messages (schema/0023)
add() { # "S R B F O" + "dS dR dB dF dO"
	paste -d' ' <(echo "$1" | tr ' ' '\n') <(echo "$2" | tr ' ' '\n') | awk '{ printf "%s%d", (NR > 1 ? " " : ""), $1 + $2 }'
}
get "$T_TMP/adm" "/reports/usage?month=2026-10"
ann_before=$(row 'Ann Report' | cut -d' ' -f3-); bo_before=$(row 'Bo Report' | cut -d' ' -f3-)
sql "INSERT INTO messages (org_id, user_id, direction, agent_number, contact_number, body, billed, status, created_at)
     VALUES ($org, $ann, 'outbound', '+15125550300', '+15125550301', 'report row late', 2, 'queued', '2026-10-05 10:00:00')"
late=$(sql "SELECT id FROM messages WHERE body = 'report row late' AND org_id = $org")
get "$T_TMP/adm" "/reports/usage?month=2026-10"
check "a queued text counts for nothing yet" test "$(row 'Ann Report' | cut -d' ' -f3-)" = "$ann_before"
sql "UPDATE messages SET carrier_sid = 'SMreportlate$UNIQ', status = 'sent' WHERE id = $late"
sql "UPDATE messages SET status = 'undelivered' WHERE org_id = $org AND body = 'report row 1'"
sql "UPDATE messages SET created_at = '2026-10-31 23:00:00' WHERE org_id = $org AND body = 'report row 8'"
sql "DELETE FROM messages WHERE org_id = $org AND body = 'report row 11'"
get "$T_TMP/adm" "/reports/usage?month=2026-10"
check "the carrier accepts it, a text turns undelivered, one moves in from November" \
	test "$(row 'Ann Report' | cut -d' ' -f3-)" = "$(add "$ann_before" "1 1 2 1 0")"
check "a text deleted is taken off" test "$(row 'Bo Report' | cut -d' ' -f3-)" = "$(add "$bo_before" "0 -1 0 0 0")"
get "$T_TMP/adm" "/reports/usage?month=2026-11"
check "and November no longer counts the one that moved" test "$(row 'Ann Report')" = "Ann Report 0 0 0 0 1"
# every organization's, every month's: the summary equals the texts, in
# one statement's snapshot (the other tests write texts meanwhile); rows
# that differ show up once, rows that agree twice
differ=$(sql "SELECT COUNT(*) FROM (SELECT 1 FROM (
	SELECT org_id, month, user_id, sent, received, billed, failed FROM usage_monthly
	WHERE sent <> 0 OR received <> 0 OR billed <> 0 OR failed <> 0
	UNION ALL
	SELECT org_id, DATE_FORMAT(created_at, '%Y-%m-01'), COALESCE(user_id, 0),
		SUM(direction = 'outbound' AND carrier_sid IS NOT NULL) AS s, SUM(direction = 'inbound') AS r,
		SUM(IF(direction = 'outbound' AND carrier_sid IS NOT NULL, billed, 0)) AS b,
		SUM(direction = 'outbound' AND status IN ('failed', 'undelivered')) AS f
	FROM messages GROUP BY 1, 2, 3 HAVING s OR r OR b OR f) x
	GROUP BY org_id, month, user_id, sent, received, billed, failed
	HAVING COUNT(*) <> 2) y")
check "the whole summary equals the texts it sums ($differ rows differ)" test "$differ" = 0
check "and it is not empty" test "$(sql "SELECT COUNT(*) FROM usage_monthly WHERE org_id = $org")" -gt 0
