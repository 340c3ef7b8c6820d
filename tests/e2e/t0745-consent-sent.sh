#!/usr/bin/env bash
# "Send consent" on the consents page: the request goes, and the browser
# comes back to the page it was on (its Back kept) with sent=CONTACT, which
# the page says in a sentence read from the database ("Consent request sent
# to NAME at (512) 555-0101."); without back, to the consents page; a back
# that is no local path is not followed; an id from the URL that is no
# contact of the application says nothing.
. "$REPO/tests/e2e/lib.sh"

PW='sent pass 1'
A=$(mobile); X=$(mobile); Y=$(mobile); Z=$(mobile)
shown() { echo "(${1:2:3}) ${1:5:3}-${1:8:4}"; }
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Sent Co $UNIQ", "sms_enabled": true}],
 "users": [{"key": "ann", "org": "o", "email": "ann$UNIQ@sent.test", "name": "Ann Sender", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A", "nmls_id": "1234567"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Sent app", "assigned": ["ann"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob <b>Sent</b>", "mobile": "$X"},
                {"key": "cy", "role": "co_borrower", "name": "Cy Sent", "mobile": "$Y"}]},
  {"key": "l2", "org": "o", "name": "Other app", "assigned": ["ann"],
   "contacts": [{"key": "dee", "role": "borrower", "name": "Dee Elsewhere", "mobile": "$Z"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); bob=$(id_of d contacts bob); cy=$(id_of d contacts cy)
dee=$(id_of d contacts dee)
login "$T_TMP/ann" "ann$UNIQ@sent.test" "$PW"

# the page's form carries where it came back to: the page itself, its Back kept
back="/leads/$l1?chat=$l1&contact_$l1=$bob"
here="/leads/$l1/consents?back=$(jq -rn --arg b "$back" '$b | @uri' | sed 's,%2F,/,g')"  # as the page writes it
get "$T_TMP/ann" "$here"
check "the consents page answers" test "$STATUS" = 200
# form_back: the (unescaped) back of the page's first Send consent form
form_back() { grep -o 'name="back" value="[^"]*"' "$T_TMP/body" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/' |
	python3 -c 'import html, sys; print(html.unescape(sys.stdin.read().strip()))'; }
check "its Send consent form carries back: this page with its Back" test "$(form_back)" = "$here"

post "$T_TMP/ann" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" --data-urlencode "back=$here"
check "the request is queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE contact_number = '$X' AND kind = 'consent_request'")" = 1
check "and the browser goes back where it was, with sent=CONTACT" test "$STATUS $(location)" = "303 $here&sent=$bob"
get "$T_TMP/ann" "$(location)"
check "the page says it was sent, to whom, at which number" \
	body_has "role=\"status\">Consent request sent to Bob &lt;b&gt;Sent&lt;/b&gt; at $(shown "$X").</p>"
check "  and its Back still goes where it went" body_has "$(sed 's/&/\&amp;/g' <<<"$back")\">← Back to the chatbox"
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# without back: the consents page
post "$T_TMP/ann" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$cy"
check "without back: the consents page, with sent=CONTACT" test "$STATUS $(location)" = "303 /leads/$l1/consents?sent=$cy"
get "$T_TMP/ann" "$(location)"
check "  which says so" body_has "Consent request sent to Cy Sent at $(shown "$Y")."

# a back that is no local path is not followed
post "$T_TMP/ann" /sms/consent --data-urlencode "lead=$l2" --data-urlencode "contact=$dee" --data-urlencode "back=//evil.test/x"
check "a back to another site is not followed: the consents page" test "$STATUS $(location)" = "303 /leads/$l2/consents?sent=$dee"

# a refusal from the page comes back to it, its Back kept, saying why
post "$T_TMP/ann" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" --data-urlencode "back=$here"
check "a resend inside the cooling-off comes back to the page with the reason" \
	test "$STATUS $(location)" = "303 $here&refused=asked_recently"

# the sentence comes from the database: nothing for a contact of another application or free text
get "$T_TMP/ann" "/leads/$l1/consents?sent=$dee"
page_lacks "sent=ID of another application's contact says nothing" 200 '<h1>Consents</h1>' 'Consent request sent'
get "$T_TMP/ann" "/leads/$l1/consents?sent=%3Cscript%3E"
page_lacks "sent=free text says nothing" 200 '<h1>Consents</h1>' 'Consent request sent'
