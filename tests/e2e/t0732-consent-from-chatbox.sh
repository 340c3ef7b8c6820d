#!/usr/bin/env bash
# Send consent request from the chatbox: a contact whose circle is not green
# gets the button in the box of the viewer's own conversation; it posts to
# /sms/consent (the consents page's rules and cooling-off) and comes back
# to the same box, which then shows the yellow circle and the request.
. "$REPO/tests/e2e/lib.sh"

PW='consent chatbox 1'
AL_NUM="+1512$(nanp7)"; BO_NUM="+1737$(nanp7)"; CARL="+1512$(nanp7)"; GINA="+1512$(nanp7)"
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Consent Box $UNIQ", "sms_enabled": true, "time_zone": "America/Chicago"}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@cbox.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@cbox.test", "name": "Bo Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$BO_NUM"}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Cole refi", "assigned": ["al", "bo"], "contacts": [
     {"key": "carl", "role": "borrower", "name": "Carl Cole", "mobile": "$CARL"},
     {"key": "gina", "role": "co_borrower", "name": "Gina Green", "mobile": "$GINA"}]}],
 "consents": [{"agent": "al", "contact": "gina", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); carl=$(id_of d contacts carl); gina=$(id_of d contacts gina)
al=$(id_of d users al); bo=$(id_of d users bo)
login "$T_TMP/al" "al.$UNIQ@cbox.test" "$PW"

box() { awk -v id="id=\"chat-$1\"" 'index($0, id) {on=1} on {print} on && /^<\/section>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
box_has() { box "$1" | grep -q -- "$2"; }
box_lacks() { [ "$STATUS" = 200 ] && box "$1" | grep -q . && ! box "$1" | grep -q -- "$2"; }

here="/leads/$l1?chat=$l1&contact_$l1=$carl&agent_$l1=$al"
get "$T_TMP/al" "$here"
check "Carl's circle is red" box_has "$l1" 'consent consent-red" title="No consent"'
check "the box offers Send consent request" box_has "$l1" '<button type="submit" class="primary">Send consent request</button>'
check "posting to /sms/consent for Carl" box_has "$l1" "<input type=\"hidden\" name=\"contact\" value=\"$carl\"> <input type=\"hidden\" name=\"back\""
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$gina&agent_$l1=$al"
box_lacks "a consented contact gets no button" "$l1" 'Send consent request'
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$carl&agent_$l1=$bo"
box_lacks "nor does another agent's conversation" "$l1" 'Send consent request'

post "$T_TMP/al" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$carl" \
	--data-urlencode "back=$here" --data-urlencode return=back
check "the request goes, and comes back to the same chatbox" test "$STATUS" = 303 -a "$(location)" = "$here"
check "one consent request queued from Al's number" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND contact_id = $carl AND kind = 'consent_request' AND agent_number = '$AL_NUM'")" = 1
get "$T_TMP/al" "$here"
check "the box shows the yellow circle" box_has "$l1" 'consent consent-yellow" title="Pending consent"'
check "and the request in the conversation" box_has "$l1" 'would like to text you about your loan'
box_lacks "within the cooling-off no second button" "$l1" 'Send consent request</button>'
check "but when it may be sent again" box_has "$l1" 'A consent request can be sent again from'

# the rules are the consents page's: a second request within the cooling-off is refused there
post "$T_TMP/al" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$carl" \
	--data-urlencode "back=$here" --data-urlencode return=back
check "a second request is refused" test "$STATUS" = 303 -a "$(location)" != "$here"
check "nothing more is queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND contact_id = $carl AND kind = 'consent_request'")" = 1
check "explained on the consents page, which links back to the box" \
	test "$(location)" = "/leads/$l1/consents?refused=asked_recently&back=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]).replace(/%2F/g, "/"))' "$here")"
