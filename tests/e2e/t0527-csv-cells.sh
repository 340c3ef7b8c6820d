#!/usr/bin/env bash
# CSV downloads hold no cell a spreadsheet would run as a formula: every
# download (the loan file, the consent ledger, the usage report) read back
# by a real CSV reader (csv-parse) has no cell starting with =, +, -, @,
# TAB, CR or LF; such a cell starts with an apostrophe, and the rest of it
# is the text as stored. Phone numbers are written as people write them,
# "(512) 555-0136"; a number outside North America stays E.164, guarded.
. "$REPO/tests/e2e/lib.sh"

PW='csv password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Csv $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@csv.test", "name": "Ada Csv", "role": "admin",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Csv lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Cy Csv", "mobile": "$(mobile)"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
org=$(id_of d organizations o); lead=$(id_of d leads l); c=$(id_of d contacts c); a=$(id_of d users a)
# what another program may have stored: names and texts starting with a
# TAB, a CR or an LF before a formula
sql "UPDATE users SET name = CONCAT(CHAR(9), '=HYPERLINK(\"x\")') WHERE id = $a"
sql "UPDATE contacts SET name = CONCAT(CHAR(13), '=1+1') WHERE id = $c"
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT $org, $lead, $c, $a, 'outbound', u.sms_number, c.mobile, CONCAT(CHAR(10), '@SUM(A1)'), 'delivered'
     FROM users u, contacts c WHERE u.id = $a AND c.id = $c"
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT $org, $lead, $c, $a, 'inbound', u.sms_number, c.mobile, CONCAT(CHAR(9), '-2+3'), 'received'
     FROM users u, contacts c WHERE u.id = $a AND c.id = $c"
# a text from a number outside North America (as an unmatched reply may be)
UK='+442071838750'
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT $org, $lead, $c, $a, 'inbound', u.sms_number, '$UK', 'from London', 'received'
     FROM users u WHERE u.id = $a"
login "$T_TMP/jar" "a.$UNIQ@csv.test" "$PW"

# read_csv NAME PATH: downloads PATH, reads it with csv-parse into $T_TMP/NAME.json
read_csv() {
	get "$T_TMP/jar" "$2"
	check "$1: the download answers 200" test "$STATUS" = 200
	cp "$T_TMP/body" "$T_TMP/$1.csv"
	check "$1: a CSV reader reads it" bash -c "node '$REPO/tests/e2e/csv-read.js' '$T_TMP/$1.csv' > '$T_TMP/$1.json'"
	check "$1: no cell starts with = + - @ TAB CR or LF" \
		test "$(jq '[.[][] | select(test("^[=+\\-@\t\r\n]"))] | length' "$T_TMP/$1.json")" = 0
}
# has_cell NAME TEXT: a cell that is TEXT after its apostrophe
has_cell() { jq -e --arg t "$2" '[.[][] | select(. == "'"'"'" + $t)] | length > 0' "$T_TMP/$1.json" >/dev/null; }

read_csv loanfile "/leads/$lead/loanfile.csv"
check "loanfile: an outbound text starting with LF is kept, neutralised" has_cell loanfile $'\n@SUM(A1)'
check "loanfile: an inbound text starting with TAB is kept, neutralised" has_cell loanfile $'\t-2+3'
check "loanfile: the contact's name starting with CR is kept, neutralised" has_cell loanfile $'\r=1+1'
read_csv ledger "/leads/$lead/consents.csv"
check "ledger: the contact's name starting with CR is kept, neutralised" has_cell ledger $'\r=1+1'
read_csv usage "/reports/usage.csv"
check "usage: the user's name starting with TAB is kept, neutralised" has_cell usage $'\t=HYPERLINK("x")'

# phone numbers: as people write them, no apostrophe; E.164 (guarded) abroad
shown() { echo "(${1:2:3}) ${1:5:3}-${1:8:4}"; }
AN=$(sql "SELECT sms_number FROM users WHERE id = $a"); CN=$(sql "SELECT mobile FROM contacts WHERE id = $c")
has_plain() { jq -e --arg t "$2" '[.[][] | select(. == $t)] | length > 0' "$T_TMP/$1.json" >/dev/null; }
check "loanfile: the agent's number as people write it ($(shown "$AN"))" has_plain loanfile "$(shown "$AN")"
check "loanfile: the contact's number as people write it" has_plain loanfile "$(shown "$CN")"
check "loanfile: no number in E.164 but the foreign one" \
	test "$(jq '[.[][] | select(test("^.?\\+1[0-9]{10}$"))] | length' "$T_TMP/loanfile.json")" = 0
check "loanfile: a number outside North America stays E.164, neutralised" has_cell loanfile "$UK"
check "ledger: the contact's number as people write it" has_plain ledger "$(shown "$CN")"
check "ledger: the agent's number as people write it" has_plain ledger "$(shown "$AN")"
