#!/usr/bin/env bash
# Saved replies in the chatbox: offered merged for the selected contact and
# the sender (every field), without JavaScript through a GET form that
# keeps the page's address; a field with no value stays as its marker with
# a note, and /sms/send refuses a text still holding one; a merged reply
# goes through the same rules as typed text.
. "$REPO/tests/e2e/lib.sh"

PW='replies chatbox 1'
DANA_NUM="+1512$(nanp7)"; LEE_NUM="+1737$(nanp7)"; ANA="+1512$(nanp7)"
# the organization's name goes into a text: its run's tag in letters, since
# nine digits can be a bank routing number (the sensitive-data warning,
# about one run in 27)
ORG_TAG=$(echo "$UNIQ" | tr 0-9 a-j)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Merge Lending $ORG_TAG", "sms_enabled": true, "time_zone": "America/Chicago"}],
 "users": [
  {"key": "dana", "org": "a", "email": "dana.$UNIQ@merge.test", "name": "Dana Kim", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$DANA_NUM", "nmls_id": "123456"},
  {"key": "lee", "org": "a", "email": "lee.$UNIQ@merge.test", "name": "Lee Park", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$LEE_NUM"}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Ruiz purchase", "assigned": ["dana", "lee"], "contacts": [
     {"key": "ana", "role": "borrower", "name": "Ana Maria Ruiz", "mobile": "$ANA"}]}],
 "consents": [
  {"agent": "dana", "contact": "ana", "status": "granted"},
  {"agent": "lee", "contact": "ana", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); ana=$(id_of d contacts ana); dana=$(id_of d users dana); lee=$(id_of d users lee)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")
login "$T_TMP/dana" "dana.$UNIQ@merge.test" "$PW"
login "$T_TMP/lee" "lee.$UNIQ@merge.test" "$PW"

box() { awk -v id="id=\"chat-$1\"" 'index($0, id) {on=1} on {print} on && /^<\/section>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
box_has() { box "$1" | grep -q -- "$2"; }
textarea() { box "$1" | grep -o "<textarea id=\"chat-body-$1\"[^>]*> [^<]*</textarea>" | sed 's/^[^>]*> //; s/<\/textarea>$//'; }
written_since() { sql "SELECT COUNT(*) FROM messages WHERE id > $1 AND org_id = $org"; }
max_id() { sql "SELECT COALESCE(MAX(id), 0) FROM messages"; }

# Dana's phone as people write it
d=${DANA_NUM#+1}; DANA_SHOWN="(${d:0:3}) ${d:3:3}-${d:6:4}"
ALL='{first_name};{last_name};{agent_name};{agent_first_name};{agent_phone};{nmls_id};{org_name};{application}'
post "$T_TMP/dana" /replies --data-urlencode 'name=Every field' --data-urlencode "body=$ALL"
check "Dana saves a reply naming every field" test "$STATUS" = 303
every=$(sql "SELECT id FROM saved_replies WHERE user_id = $dana AND name = 'Every field'")
post "$T_TMP/dana" /replies --data-urlencode 'name=Short link' --data-urlencode 'body=Hi {first_name}, see bit.ly/abc'
short=$(sql "SELECT id FROM saved_replies WHERE user_id = $dana AND name = 'Short link'")
# the organization's reply, written straight in the table: no admin in this data
sql "INSERT INTO saved_replies (org_id, user_id, name, body) VALUES ($org, NULL, 'NMLS', 'Hi {first_name}, {agent_name} (NMLS {nmls_id})')"
nmls=$(sql "SELECT id FROM saved_replies WHERE org_id = $org AND user_id IS NULL")

# ---- offered in the box, with the page's address kept
get "$T_TMP/dana" "/leads/$l1?chat=$l1"
check "the chatbox renders" test "$STATUS" = 200
check "it offers the saved replies in a GET form back to this page" box_has "$l1" "<form method=\"get\" action=\"/leads/$l1\" class=\"chat-replies\""
check "keeping which chatbox is open" box_has "$l1" "<input type=\"hidden\" name=\"chat\" value=\"$l1\">"
check "and the contact selected" box_has "$l1" "<input type=\"hidden\" name=\"contact_$l1\" value=\"$ana\">"
check "and the agent shown" box_has "$l1" "<input type=\"hidden\" name=\"agent_$l1\" value=\"$dana\">"
check "the organization's reply is offered too" box_has "$l1" "<option value=\"$nmls\"[^>]*>NMLS (organization)</option>"
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# ---- chosen without JavaScript: the next page has it merged in the box
get "$T_TMP/dana" "/leads/$l1?chat=$l1&contact_$l1=$ana&agent_$l1=$dana&reply_$l1=$every"
want="Ana;Maria Ruiz;Dana Kim;Dana;$DANA_SHOWN;123456;Merge Lending $ORG_TAG;Ruiz purchase"
check "every field is merged in the box (got: $(textarea "$l1"))" test "$(textarea "$l1")" = "$want"
check "the reply is shown chosen" box_has "$l1" "<option value=\"$every\"[^>]*selected>"
check "the counter counts the merged text" box_has "$l1" "<span class=\"chars-left\">$((160 - ${#want}))</span>"
check "no field is left to fill" box_has "$l1" "<p class=\"chat-unfilled\" id=\"chat-unfilled-$l1\" aria-live=\"polite\"></p>"
check "each option carries its merged text for the script" box_has "$l1" "data-text=\"Hi Ana, Dana Kim (NMLS 123456)\""
# the page Send returns to does not choose the reply again (a second Send
# would text it twice)
check "the form's way back does not choose the reply again" \
	test "$(grep -o 'name="back" value="[^"]*"' "$T_TMP/body" | grep -c "reply_$l1")" = 0
check "(the form has its way back)" grep -q 'name="back" value="/leads/' "$T_TMP/body"

mx=$(max_id)
post "$T_TMP/dana" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$ana" \
	--data-urlencode "agent=$dana" --data-urlencode "body=$want"
check "the merged text is sent" test "$STATUS" = 303 -a "$(written_since "$mx")" = 1
check "as merged" test "$(sql "SELECT body FROM messages WHERE id > $mx AND org_id = $org")" = "$want"

# ---- a field with no value: Lee has no NMLS ID
get "$T_TMP/lee" "/leads/$l1?chat=$l1&reply_$l1=$nmls"
check "Lee gets the marker where the NMLS ID goes" test "$(textarea "$l1")" = "Hi Ana, Lee Park (NMLS [NMLS ID])"
check "with a note to fill it in" box_has "$l1" "Fill in the NMLS ID before sending"
page_lacks "never the literal field" 200 "chat-body-$l1" "NMLS {nmls_id}"
mx=$(max_id)
post "$T_TMP/lee" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$ana" \
	--data-urlencode "agent=$lee" --data-urlencode "body=Hi Ana, Lee Park (NMLS [NMLS ID])" \
	--data-urlencode "back=/leads/$l1?chat=$l1"
check "a text with an unfilled field is refused" test "$STATUS" = 303 -a "$(written_since "$mx")" = 0
get "$T_TMP/lee" "$(location)"
check "the box says why" box_has "$l1" "This text still has a field to fill in"
check "keeping the text" test "$(textarea "$l1")" = "Hi Ana, Lee Park (NMLS [NMLS ID])"
post "$T_TMP/lee" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$ana" \
	--data-urlencode "agent=$lee" --data-urlencode "body=Hi Ana, Lee Park (NMLS 654321)"
check "filled in, it is sent" test "$(written_since "$mx")" = 1

# ---- the same rules as typed text: a shortener's link is warned about
get "$T_TMP/dana" "/leads/$l1?chat=$l1&reply_$l1=$short"
check "the link reply is merged" test "$(textarea "$l1")" = "Hi Ana, see bit.ly/abc"
mx=$(max_id)
post "$T_TMP/dana" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$ana" \
	--data-urlencode "agent=$dana" --data-urlencode "body=Hi Ana, see bit.ly/abc" \
	--data-urlencode "back=/leads/$l1?chat=$l1"
check "it is held for the shortener warning" test "$STATUS" = 303 -a "$(written_since "$mx")" = 0
get "$T_TMP/dana" "$(location)"
check "the box warns as for typed text" box_has "$l1" "public link shortener"

# ---- another organization's or another user's reply id is not merged
get "$T_TMP/lee" "/leads/$l1?chat=$l1&reply_$l1=$every"
check "another user's reply is not put in the box" test "$(textarea "$l1")" = ""
