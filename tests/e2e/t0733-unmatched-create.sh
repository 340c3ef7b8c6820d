#!/usr/bin/env bash
# Create an application from an Unmatched text: a prospect who texts first
# becomes the borrower (named, or not) of a new application of the
# organization, assigned to the agent whose number received the text; the
# text (and the others between the two numbers) is filed there and its
# chatbox opens. Allowed to whoever may file the text.
. "$REPO/tests/e2e/lib.sh"

PW='unmatched create 1'
AL_NUM="+1512$(nanp7)"; BO_NUM="+1737$(nanp7)"; NEW1="+1512$(nanp7)"; NEW2="+1512$(nanp7)"
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Prospects $UNIQ", "sms_enabled": true},
                   {"key": "b", "name": "Elsewhere $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@prospect.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@prospect.test", "name": "Bo Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$BO_NUM"},
  {"key": "ad", "org": "a", "email": "ad.$UNIQ@prospect.test", "name": "Ada Admin", "role": "admin", "password": "$PW"},
  {"key": "bz", "org": "b", "email": "bz.$UNIQ@prospect.test", "name": "Bea B", "role": "admin", "password": "$PW"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
al=$(id_of d users al); bo=$(id_of d users bo)
org=$(sql "SELECT org_id FROM users WHERE id = $al")
for u in al bo ad bz; do login "$T_TMP/$u" "$u.$UNIQ@prospect.test" "$PW"; done

inbound "$NEW1" "$AL_NUM" "Hi, I saw your sign about refinancing"
check "the prospect's first text is accepted" test "$STATUS" = 200
first=$(sql "SELECT id FROM messages WHERE carrier_sid = '$SID'")
inbound "$NEW1" "$AL_NUM" "Are you there?"
second=$(sql "SELECT id FROM messages WHERE carrier_sid = '$SID'")
check "both are unmatched" test "$(sql "SELECT COUNT(*) FROM messages WHERE id IN ($first, $second) AND lead_id IS NULL")" = 2

get "$T_TMP/al" "/unmatched/$first"
check "the filing page offers Create an application" body_has "action=\"/unmatched/$first/create\""
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

leads_before=$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $org")
post "$T_TMP/bo" "/unmatched/$first/create" --data-urlencode 'name=Pat Prospect'
check "another agent may not (as for filing: 404)" test "$STATUS" = 404
post "$T_TMP/bz" "/unmatched/$first/create" --data-urlencode 'name=Pat Prospect'
check "nor another organization's admin" test "$STATUS" = 404
req -b "$T_TMP/al" --data-urlencode 'name=Pat Prospect' "$BASE/unmatched/$first/create"
check "nor without the csrf token" test "$STATUS" = 403
check "refusals create nothing" test "$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $org")" = "$leads_before"

post "$T_TMP/al" "/unmatched/$first/create" --data-urlencode 'name=  Pat Prospect '
check "Al creates the application" test "$STATUS" = 303
lead=$(sql "SELECT id FROM leads WHERE org_id = $org AND name = 'Pat Prospect'")
check "one new lead in the organization, named after the borrower" test -n "$lead" -a "$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $org")" = $((leads_before + 1))
contact=$(sql "SELECT id FROM contacts WHERE lead_id = $lead")
check "its borrower is the sender, named" test "$(sql "SELECT CONCAT(role, '|', name, '|', mobile) FROM contacts WHERE lead_id = $lead")" = "borrower|Pat Prospect|$NEW1"
check "assigned to Al, whose number received the text" test "$(sql "SELECT GROUP_CONCAT(user_id) FROM assignments WHERE lead_id = $lead AND unassigned_at IS NULL")" = "$al"
check "both texts are filed there" test "$(sql "SELECT COUNT(*) FROM messages WHERE id IN ($first, $second) AND lead_id = $lead AND contact_id = $contact AND filed_by = $al")" = 2
check "its chatbox opens on the borrower" test "$(location)" = "/leads/$lead?chat=$lead&contact_$lead=$contact&agent_$lead=$al"
get "$T_TMP/al" "$(location)"
check "the chatbox shows the text" body_has 'I saw your sign about refinancing'
check "and offers to ask for consent" body_has 'Send consent request'
get "$T_TMP/al" "/unmatched/$first"
check "the text is no longer unmatched" test "$STATUS" = 404

# a double click (five at once): one application, the others open it
NEW3=$(mobile)
inbound "$NEW3" "$AL_NUM" "Are you still offering rate locks?"
fourth=$(sql "SELECT id FROM messages WHERE carrier_sid = '$SID'")
curl -sS -o "$T_TMP/page" -b "$T_TMP/al" "$BASE/profile"
token=$(csrf_from "$T_TMP/page")
before=$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $org")
for i in 1 2 3 4 5; do
	curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\n' -b "$T_TMP/al" --data-urlencode "csrf=$token" \
		--data-urlencode 'name=Quick Clicker' "$BASE/unmatched/$fourth/create" > "$T_TMP/click.$i" &
done
wait
check "five clicks at once make one application" \
	test "$(sql "SELECT COUNT(*) FROM leads WHERE org_id = $org")" = $((before + 1))
lead4=$(sql "SELECT lead_id FROM messages WHERE id = $fourth")
check "every click is sent to it (303 to its page)" \
	test "$(cat "$T_TMP"/click.* | grep -c "^303 .*/leads/$lead4?chat=$lead4")" = 5

# no name: the application is named after the number; an admin may do it
inbound "$NEW2" "$BO_NUM" "Quick question"
third=$(sql "SELECT id FROM messages WHERE carrier_sid = '$SID'")
post "$T_TMP/ad" "/unmatched/$third/create" --data-urlencode 'name='
check "the admin creates one without a name" test "$STATUS" = 303
lead2=$(sql "SELECT lead_id FROM messages WHERE id = $third")
n=${NEW2#+1}
check "named after the number" test "$(sql "SELECT name FROM leads WHERE id = $lead2")" = "Text from (${n:0:3}) ${n:3:3}-${n:6:4}"
check "its borrower has no name" test "$(sql "SELECT CONCAT(role, '|', COALESCE(name, 'NULL')) FROM contacts WHERE lead_id = $lead2")" = "borrower|NULL"
check "assigned to Bo, whose number received it" test "$(sql "SELECT GROUP_CONCAT(user_id) FROM assignments WHERE lead_id = $lead2")" = "$bo"
