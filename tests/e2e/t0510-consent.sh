#!/usr/bin/env bash
# Consent by text: the request, START / STOP / HELP as signed inbound
# webhooks, plain-words opt-outs and their look-alikes, the scopes (pair,
# partner's organization), the cooling-off, a recorded phone opt-out, the
# admin's wording, and the ledger with its CSV.
. "$REPO/tests/e2e/lib.sh"

PW='consent pass 1'
A=$(mobile); B=$(mobile); X=$(mobile); P=$(mobile); Z=$(mobile); Q=$(mobile)
# a number as people write it, as the pages and the CSV do: (512) 555-0123
shown() { echo "(${1:2:3}) ${1:5:3}-${1:8:4}"; }
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Consent Co $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@consent.test", "name": "Ann Asker", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A", "nmls_id": "1234567"},
  {"key": "bo", "org": "o", "email": "bo$UNIQ@consent.test", "name": "Bo Second", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$B"},
  {"key": "mgr", "org": "o", "email": "mgr$UNIQ@consent.test", "name": "Meg Manager", "role": "manager",
   "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"},
  {"key": "adm", "org": "o", "email": "adm$UNIQ@consent.test", "name": "Adam Admin", "role": "admin",
   "password": "$PW"}],
 "partners": [{"key": "pat", "org": "o", "name": "Pat Partner", "mobile": "$P"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "First app", "updated_at": "2026-11-01T10:00:00Z", "assigned": ["ann", "bo"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Borrower", "mobile": "$X"}, {"partner": "pat", "key": "pat1"}]},
  {"key": "l2", "org": "o", "name": "Second app", "updated_at": "2026-11-02T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "bea", "role": "borrower", "name": "Bea Borrower", "mobile": "$Z"}, {"partner": "pat", "key": "pat2"}]},
  {"key": "l3", "org": "o", "name": "Third app", "updated_at": "2026-10-01T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "qui", "role": "borrower", "name": "Quinn Borrower", "mobile": "$Q"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
echo '{"organizations": [{"key": "n", "name": "NMLS '"$UNIQ"'"}], "users": [{"key": "x", "org": "n", "email": "x'"$UNIQ"'@nmls.test", "name": "X", "role": "agent", "password": "long enough 1", "nmls_id": "12a"}]}' > "$T_TMP/bad.json"
if import_file bad "$T_TMP/bad.json"; then not_ok "an NMLS ID that is not digits is refused by the import"
else check "an NMLS ID that is not digits is refused by the import, naming it" grep -q 'nmls_id "12a" is not 1 to 12 digits' "$T_TMP/import.err"; fi
id() { id_of d "$1" "$2"; }
l1=$(id leads l1); l2=$(id leads l2); l3=$(id leads l3); bob=$(id contacts bob); pat1=$(id contacts pat1)
pat2=$(id contacts pat2); bea=$(id contacts bea); qui=$(id contacts qui)
for u in ann bo mgr adm; do login "$T_TMP/$u" "$u$UNIQ@consent.test" "$PW"; done

status_of() { # NUMBER SCOPE AGENT_NUMBER
	sql "SELECT COALESCE((SELECT status FROM consents WHERE org_id = (SELECT org_id FROM leads WHERE id = $l1)
		AND contact_number = '$1' AND scope = '$2' AND agent_number = '$3'), 'none')"
}
ask() { post "$T_TMP/$1" /sms/consent --data-urlencode "lead=$2" --data-urlencode "contact=$3"; }
send() { post "$T_TMP/$1" /sms/send --data-urlencode "lead=$2" --data-urlencode "contact=$3" --data-urlencode "body=$4"; }
queued_to() { sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$1' AND direction = 'outbound' AND kind = '$2'"; }
ledger() { sql "SELECT COUNT(*) FROM consent_ledger WHERE contact_number = '$1'"; }
carrier_to() { curl -sS "$CARRIER/_fake/messages" | jq --arg t "$1" --arg b "$2" '[.[] | select(.to == $t and (.body | contains($b)))] | length'; }
box() { get "$T_TMP/$1" "/leads/$2?chat=$2&contact_$2=$3"; }

# ---- never asked: red, the reason says so, and the page offers the request
box ann "$l1" "$bob"
check "a contact never asked: the chatbox says so" body_has 'No consent: never asked'
check "and links to the consent page" body_has "href=\"/leads/$l1/consents?back="
get "$T_TMP/ann" "/leads/$l1/consents"
check "the consent page lists the contact" body_has 'Bob Borrower'
check "red, never asked" body_has 'never asked'
check "with a Send consent button for the agent" body_has '>Send consent</button>'
get "$T_TMP/mgr" "/leads/$l1/consents"
check "a manager sees the page" test "$STATUS" = 200
page_lacks "without the buttons" 200 '<h1>Consents</h1>' '>Send consent</button>'

# ---- a manager asking for someone else is refused and changes nothing
before=$(ledger "$X")
ask mgr "$l1" "$bob"
check "a manager's request is refused (303 back with the reason)" test "$STATUS|$(location | grep -c 'refused=not_assigned')" = "303|1"
check "and changes nothing" test "$(ledger "$X")|$(queued_to "$X" consent_request)" = "$before|0"

# ---- asking: yellow, the automated request through the outbox
ask ann "$l1" "$bob"
check "the agent's request is accepted (303)" test "$STATUS" = 303
check "the pair turns pending (yellow)" test "$(status_of "$X" pair "$A")" = pending
check "one consent request is queued" test "$(queued_to "$X" consent_request)" = 1
body=$(sql "SELECT body FROM messages WHERE contact_number = '$X' AND kind = 'consent_request'")
check "naming the agent, the organization and the NMLS ID, with START and STOP ($body)" \
	test "$body" = "Ann Asker of Consent Co $UNIQ (NMLS #1234567) would like to text you about your loan. Reply START to agree or STOP to opt out."
check "it reaches the carrier" wait_sql 10 "SELECT carrier_sid IS NOT NULL FROM messages WHERE contact_number = '$X' AND kind = 'consent_request'"
box ann "$l1" "$bob"
check "the chatbox says since when it waits" body_has 'Waiting for consent since [A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M [A-Z]'
ask ann "$l1" "$bob"
check "a resend inside the cooling-off is refused" test "$(location | grep -c 'refused=asked_recently')" = 1
check "and sends nothing" test "$(queued_to "$X" consent_request)" = 1
get "$T_TMP/ann" "/leads/$l1/consents"
check "the page says when it may be sent again" body_has 'Can be sent again after <time datetime="20[0-9-]*T[0-9:]*Z">[A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M [A-Z]'

# ---- START: green for the pair, one confirmation, sending allowed
inbound "$X" "$A" "Start"
check "START is answered 200" test "$STATUS" = 200
check "START grants the pair" test "$(status_of "$X" pair "$A")" = granted
check "the keyword message is kept like any other" test "$(sql "SELECT COUNT(*) FROM messages WHERE carrier_sid = '$SID' AND lead_id = $l1")" = 1
check "one automatic confirmation" test "$(queued_to "$X" automatic)" = 1
check "which reaches the carrier within seconds" wait_sql 10 "SELECT carrier_sid IS NOT NULL FROM messages WHERE contact_number = '$X' AND kind = 'automatic'"
send ann "$l1" "$bob" "Thanks Bob ($UNIQ)"
check "the agent may now text the contact" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = 'Thanks Bob ($UNIQ)'")" = 1
box bo "$l1" "$bob"
check "a borrower's consent is for one pair: the second agent is still refused" body_has 'No consent'
check "and the second agent's pair is none" test "$(status_of "$X" pair "$B")" = none

# ---- a partner's consent covers the organization
inbound "$P" "$A" "YES"
check "a partner's YES grants the whole organization" test "$(status_of "$P" organization "")" = granted
send bo "$l1" "$pat1" "Hi Pat from Bo ($UNIQ)"
check "another agent may text the partner" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = 'Hi Pat from Bo ($UNIQ)'")" = 1
send ann "$l2" "$pat2" "Hi Pat on the second app ($UNIQ)"
check "on another application the partner is on" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = 'Hi Pat on the second app ($UNIQ)'")" = 1
post "$T_TMP/adm" "/leads/$l3/partners" --data-urlencode "partner=$(id partners pat)"
pat3=$(sql "SELECT id FROM contacts WHERE lead_id = $l3 AND partner_id = $(id partners pat)")
send ann "$l3" "$pat3" "Hi Pat on a linked app ($UNIQ)"
check "and on one linked afterwards" test "$(sql "SELECT COUNT(*) FROM messages WHERE body = 'Hi Pat on a linked app ($UNIQ)'")" = 1

# ---- STOP: red across the organization, one confirmation, queued texts refused
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data mode=429 --data count=1000 --data retry_after=30
send ann "$l1" "$bob" "Waiting behind a 429 ($UNIQ)"
check "a text waits for the carrier" wait_sql 10 "SELECT o.attempts >= 1 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.body = 'Waiting behind a 429 ($UNIQ)'"
sql "INSERT INTO consents (org_id, scope, agent_number, contact_number, status) SELECT org_id, 'pair', '$B', '$X', 'granted' FROM leads WHERE id = $l1"
inbound "$X" "$A" "Stop."
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data count=0
check "'Stop.' withdraws the pair" test "$(status_of "$X" pair "$A")" = none
check "and every consent the number has in the organization" test "$(status_of "$X" pair "$B")" = none
check "one confirmation is queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND kind = 'automatic' AND body LIKE '%unsubscribed%'")" = 1
conf=$(sql "SELECT body FROM messages WHERE contact_number = '$X' AND kind = 'automatic' AND body LIKE '%unsubscribed%'")
check "naming the organization ($conf)" grep -q "Consent Co $UNIQ" <<<"$conf"
check "the text that was already queued is not sent" wait_sql 10 "SELECT status FROM messages WHERE body = 'Waiting behind a 429 ($UNIQ)'" failed
check "nothing of it reached the carrier" test "$(carrier_created "Waiting behind a 429 ($UNIQ)")" = 0
# (its first attempt may meet the carrier's last 429, whose Retry-After of
# 30 s the dispatcher honours)
check "the confirmation reaches the carrier" wait_sql 40 "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND kind = 'automatic' AND body LIKE '%unsubscribed%' AND carrier_sid IS NOT NULL"
inbound "$X" "$A" "STOP"
check "a second STOP sends no second confirmation" test "$(sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND kind = 'automatic' AND body LIKE '%unsubscribed%'")" = 1
mx=$(sql "SELECT MAX(id) FROM messages")
send ann "$l1" "$bob" "After the stop ($UNIQ)"
check "later sends are refused" test "$(sql "SELECT COUNT(*) FROM messages WHERE id > $mx AND direction = 'outbound'")" = 0
box ann "$l1" "$bob"
check "the chatbox says how they opted out" body_has 'Opted out by replying STOP on [A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M [A-Z]'
ask ann "$l1" "$bob"
check "a consent request to a number that opted out is refused" test "$(location | grep -c 'refused=opted_out')" = 1
check "nothing more was sent to it" test "$(sql "SELECT COUNT(*) FROM messages WHERE id > $mx AND direction = 'outbound'")" = 0
inbound "$P" "$B" "BLOCK"
check "BLOCK from a partner withdraws the organization's consent" test "$(status_of "$P" organization "")" = none
inbound "$X" "$A" "unstop"
check "texting START again (UNSTOP) grants again" test "$(status_of "$X" pair "$A")" = granted

# ---- HELP
inbound "$Z" "$A" "help"
help=$(sql "SELECT body FROM messages WHERE contact_number = '$Z' AND kind = 'automatic'")
check "HELP gets the organization's help text ($help)" bash -c "grep -q 'Consent Co $UNIQ' <<<\"\$0\" && grep -q 'STOP' <<<\"\$0\"" "$help"

# ---- plain words and look-alikes
for phrase in "opt out" "please opt me out" "stop texting me" "unsubscribe me" "remove me from your list" "do not text me"; do
	sql "INSERT INTO consents (org_id, scope, agent_number, contact_number, status) SELECT org_id, 'pair', '$A', '$Q', 'granted' FROM leads WHERE id = $l1 ON DUPLICATE KEY UPDATE status = 'granted'"
	inbound "$Q" "$A" "$phrase"
	check "'$phrase' withdraws consent" test "$(status_of "$Q" pair "$A")" = none
	inbound "$Q" "$A" "START"
done
for phrase in "don't stop" "stop by the office at 3"; do
	inbound "$Q" "$A" "$phrase"
	check "'$phrase' does not" test "$(status_of "$Q" pair "$A")" = granted
done
inbound "$Q" "$A" "can I opt out later if I want?"
check "an ambiguous reply withdraws nothing" test "$(status_of "$Q" pair "$A")" = granted
check "but is marked as a possible opt-out" test "$(sql "SELECT possible_opt_out FROM messages WHERE carrier_sid = '$SID'")" = 1
box ann "$l3" "$qui"
check "shown in the conversation for the agent to act on" body_has 'Possible opt-out'

# ---- an opt-out received by phone
post "$T_TMP/ann" "/leads/$l3/consents/optout" --data-urlencode "contact=$qui" --data-urlencode "note= "
check "recording an opt-out needs a note" test "$(status_of "$Q" pair "$A")" = granted
post "$T_TMP/mgr" "/leads/$l3/consents/optout" --data-urlencode "contact=$qui" --data-urlencode "note=by phone"
check "a manager not on the lead cannot record one (403)" test "$STATUS|$(status_of "$Q" pair "$A")" = "403|granted"
post "$T_TMP/ann" "/leads/$l3/consents/optout" --data-urlencode "contact=$qui" --data-urlencode 'note==HYPERLINK("x") said so by phone'
check "an opt-out by phone takes effect at once" test "$(status_of "$Q" pair "$A")" = none
check "kept in the ledger as recorded by the agent" test "$(sql "SELECT CONCAT(source, ' ', changed_by) FROM consent_ledger WHERE contact_number = '$Q' ORDER BY id DESC LIMIT 1")" = "manual $(sql "SELECT id FROM users WHERE sms_number = '$A'")"

# ---- the ledger and its CSV
get "$T_TMP/ann" "/leads/$l1/consents"
check "the page shows the ledger" body_has 'Consent ledger'
check "the consent page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
check "with the request" grep -q '<td data-label="Source">request</td>' "$T_TMP/body"
check "the replies, with their text" body_has 'Stop.'
get "$T_TMP/ann" "/leads/$l1/consents.csv"
check "the ledger downloads as CSV" header_has '^Content-Type: text/csv'
check "as an attachment" header_has '^Content-Disposition: attachment'
check "with a header row" test "$(head -n1 "$T_TMP/body" | tr -d '\r')" = '"time","contact","number","scope","agent_number","old_status","new_status","source","by","text","note"'
check "holding the request, START, STOP and UNSTOP of Bob's number" test "$(grep -cF "\"$(shown "$X")\"" "$T_TMP/body")" -ge 5
check "numbers written as people write them, not as +1... (a formula start)" \
	bash -c "grep -qF '\"$(shown "$X")\"' '$T_TMP/body' && ! grep -qF '$X' '$T_TMP/body'"
check "every line has 11 quoted cells" bash -c "tr -d '\r' < '$T_TMP/body' | awk -F'\",\"' 'NF != 11 { bad = 1 } END { exit bad }'"
get "$T_TMP/ann" "/leads/$l3/consents.csv"
check "a note starting with = is neutralised and its quotes doubled" grep -q "\"'=HYPERLINK(\"\"x\"\") said so by phone\"" "$T_TMP/body"
get "$T_TMP/mgr" "/leads/$l1/consents.csv"
check "a manager of the organization may download it" test "$STATUS" = 200

# ---- the admin's wording and cooling-off
get "$T_TMP/adm" /admin/settings
check "the settings page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
post "$T_TMP/adm" /admin/settings --data-urlencode "wording=Hi from {agent} at {org}, may we text you?" --data-urlencode cooloff_hours=24 --data-urlencode help_contact=
check "a wording without START and STOP is refused" test "$(location)" = "/admin/settings?problem=wording_keywords"
long=$(printf 'x%.0s' $(seq 1 120))
post "$T_TMP/adm" /admin/settings --data-urlencode "wording={agent} {org} $long Reply START or STOP." --data-urlencode cooloff_hours=24 --data-urlencode help_contact=
check "a wording too long for the standard level is refused" test "$(location)" = "/admin/settings?problem=wording_level"
post "$T_TMP/adm" /admin/settings --data-urlencode "wording={agent} of {org}: may we text you? Reply START to agree, STOP to opt out. ✓" --data-urlencode cooloff_hours=24 --data-urlencode help_contact=
check "a wording with a special character is refused on standard" test "$(location)" = "/admin/settings?problem=wording_level"
post "$T_TMP/adm" /admin/settings --data-urlencode "wording=" --data-urlencode cooloff_hours=24 --data-urlencode help_contact=
check "the default wording saves (it fits with this organization's agents)" test "$(location)" = "/admin/settings?done=saved"
post "$T_TMP/adm" /admin/settings --data-urlencode "wording={agent} of {org}{nmls}: may we text you? Reply START to agree, STOP to opt out." --data-urlencode cooloff_hours=0 --data-urlencode help_contact=
check "a cooling-off of 0 hours is refused" test "$(location)" = "/admin/settings?problem=bad_cooloff"
post "$T_TMP/adm" /admin/settings --data-urlencode "wording={agent} of {org}{nmls}: may we text you? Reply START to agree, STOP to opt out." --data-urlencode cooloff_hours=1 --data-urlencode "help_contact=Call (512) 555-0100."
check "a good wording is saved" test "$(location)" = "/admin/settings?done=saved"
ask ann "$l2" "$bea"
check "the next request uses it" test "$(sql "SELECT body FROM messages WHERE contact_number = '$Z' AND kind = 'consent_request'")" = "Ann Asker of Consent Co $UNIQ (NMLS #1234567): may we text you? Reply START to agree, STOP to opt out."
sql "UPDATE consent_ledger SET created_at = created_at - INTERVAL 2 HOUR WHERE contact_number = '$Z' AND source = 'request'"
ask ann "$l2" "$bea"
check "after the cooling-off a resend is allowed" test "$(queued_to "$Z" consent_request)" = 2
post "$T_TMP/ann" /admin/settings --data-urlencode "wording=x START STOP" --data-urlencode cooloff_hours=1
check "an agent cannot change the settings (403)" test "$STATUS" = 403

# ---- a queued request is checked again when it goes
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data mode=429 --data count=1000 --data retry_after=30
ask bo "$l1" "$bob"
check "Bo's request is accepted while the carrier holds it back" test "$(sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND agent_number = '$B' AND kind = 'consent_request'")" = 1
check "it waits for the carrier" wait_sql 10 "SELECT o.attempts >= 1 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.contact_number = '$X' AND m.agent_number = '$B' AND m.kind = 'consent_request'"
post "$T_TMP/adm" "/leads/$l1/assignments" --data-urlencode action=unassign --data-urlencode "user=$(id users bo)"
sql "UPDATE outbox o JOIN messages m ON m.id = o.message_id SET o.next_attempt_at = NOW(6) WHERE m.contact_number = '$X' AND m.agent_number = '$B'"
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" --data count=0
check "Bo unassigned meanwhile: the request fails instead of going out" wait_sql 15 "SELECT status FROM messages WHERE contact_number = '$X' AND agent_number = '$B' AND kind = 'consent_request'" failed
check "saying why" test "$(sql "SELECT error_message FROM messages WHERE contact_number = '$X' AND agent_number = '$B' AND kind = 'consent_request'")" = "the sender was unassigned from the lead before the text was sent"
