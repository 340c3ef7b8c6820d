#!/usr/bin/env bash
# An opt-out recorded by hand on one lead withdraws the number's consent in
# the whole organization, but its note (how it was received) is read only
# on that lead: another lead with the same number shows who recorded it and
# when ("Opted out by NAME on DATE"), on its consents page, ledger CSV and
# loan file, without the note.
. "$REPO/tests/e2e/lib.sh"

PW='optout note pass 1'
A=$(mobile); B=$(mobile); N=$(mobile)
NOTE="Called on 12/1 from her work phone, divorce pending $UNIQ"
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Opt-out notes $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@optnote.test", "name": "Ann Asker", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A"},
  {"key": "bo", "org": "o", "email": "bo$UNIQ@optnote.test", "name": "Bo Other", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$B"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Ann's app", "assigned": ["ann"],
   "contacts": [{"key": "c1", "role": "borrower", "name": "Cara Shared", "mobile": "$N"}]},
  {"key": "l2", "org": "o", "name": "Bo's app", "assigned": ["bo"],
   "contacts": [{"key": "c2", "role": "borrower", "name": "Cara Shared", "mobile": "$N"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); c1=$(id_of d contacts c1)
for u in ann bo; do login "$T_TMP/$u" "$u$UNIQ@optnote.test" "$PW"; done

post "$T_TMP/ann" "/leads/$l1/consents/optout" --data-urlencode "contact=$c1" --data-urlencode "note=$NOTE"
check "Ann records an opt-out on her lead (303)" test "$STATUS" = 303
check "  the ledger row names her lead" \
	test "$(sql "SELECT COUNT(*) FROM consent_ledger WHERE contact_number = '$N' AND source = 'manual' AND lead_id = $l1")" -ge 1
check "the withdrawal covers the organization: Bo's lead reads it as an opt-out" \
	test "$(sql "SELECT COUNT(*) FROM consent_ledger WHERE contact_number = '$N' AND new_status = 'none'")" -ge 1

get "$T_TMP/ann" "/leads/$l1/consents"
check "on Ann's lead the consents page shows the note" body_has "$UNIQ"
get "$T_TMP/ann" "/leads/$l1/consents.csv"
check "  and its ledger CSV" body_has "divorce pending $UNIQ"
get "$T_TMP/ann" "/leads/$l1/loanfile"
check "  and its loan file" body_has "divorce pending $UNIQ"

get "$T_TMP/bo" "/leads/$l2/consents"
check "on Bo's lead the consents page says who and when" body_has "Opted out by Ann Asker on [A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M [A-Z]"
page_lacks "  without the note" 200 "Opted out by Ann Asker" "divorce pending"
get "$T_TMP/bo" "/leads/$l2/consents.csv"
check "  its ledger CSV says who and when" body_has "Opted out by Ann Asker on 20"
check "  without the note (CSV)" test "$(grep -c "divorce pending" "$T_TMP/body")" = 0
get "$T_TMP/bo" "/leads/$l2/loanfile"
check "  its loan file says who and when" body_has "Opted out by Ann Asker on 20"
page_lacks "  without the note (loan file)" 200 "Opted out by Ann Asker" "divorce pending"
get "$T_TMP/bo" "/leads/$l2/loanfile.csv"
check "  nor in the loan file's CSV" test "$STATUS" = 200
check "  (which says who and when)" body_has "Opted out by Ann Asker on 20"
check "  (and lacks the note)" test "$(grep -c "divorce pending" "$T_TMP/body")" = 0
