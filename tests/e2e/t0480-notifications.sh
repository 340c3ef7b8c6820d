#!/usr/bin/env bash
# The header's SMS notifications icon: a dropdown (plain <details>) with
# the user's conversations, most recent first, each with its last message
# and its own unread count; unread = inbound texts since the previous page
# load, acknowledged by that load (a refresh or a new sign-in shows none);
# the icon shakes and shows the total while such a conversation's chatbox is
# not open; /inbox lists them all, paged (/notifications goes there).
. "$REPO/tests/e2e/lib.sh"

PW='notify password 1'
AL_NUM=$(mobile); BO_NUM=$(mobile); BOB=$(mobile); ZED=$(mobile)
many=""
for i in $(seq 1 27); do many="$many{\"key\": \"m$i\", \"role\": \"co_borrower\", \"name\": \"Many $i\"},"; done
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Notify $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@notify.test", "name": "Al Notify", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@notify.test", "name": "Bo Notify", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$BO_NUM"},
  {"key": "adm", "org": "o", "email": "adm.$UNIQ@notify.test", "name": "Ad Notify", "role": "admin", "password": "$PW"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Brown <b>purchase</b>", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob <i>Brown</i>", "mobile": "$BOB"}]},
  {"key": "l2", "org": "o", "name": "Zed refi", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed Zane", "mobile": "$ZED"}]},
  {"key": "l3", "org": "o", "name": "Many contacts", "assigned": ["al"], "contacts": [
     ${many%,}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); l3=$(id_of d leads l3)
bob=$(id_of d contacts bob); zed=$(id_of d contacts zed)
al=$(id_of d users al)

# text_in FROM TO BODY: a signed delivery (lib.sh inbound), said if refused
text_in() { inbound "$@"; [ "$STATUS" = 200 ] || echo "inbound answered $STATUS" >&2; }

# menu: the header's dropdown of the last page, on one line
menu() { awk '/<details class="notif/ {on=1} on {print} on && /<\/details>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
menu_has() { menu | grep -q -- "$1"; }
# menu_lacks TEXT: the page (200) has the dropdown, and it lacks TEXT
menu_lacks() { [ "$STATUS" = 200 ] && menu | grep -q '<details class="notif' && ! menu | grep -q -- "$1"; }
# rows: "name|unread" per row of the last page's list, in order
rows() { menu | grep -o '<span class="notif-name">[^<]*</span>.*' | sed 's/<li>/\n/g' |
	sed -n 's/.*notif-name">\([^<]*\)<.*notif-unread">\([0-9+]*\)<.*/\1|\2/p; t; s/.*notif-name">\([^<]*\)<.*/\1|0/p'; }

login "$T_TMP/al" "al.$UNIQ@notify.test" "$PW"
login "$T_TMP/bo" "bo.$UNIQ@notify.test" "$PW"
login "$T_TMP/adm" "adm.$UNIQ@notify.test" "$PW"

get "$T_TMP/al" "/leads"
check "every page's header has the notifications dropdown" menu_has '<summary class="notif-icon"'
check "it is labelled for screen readers" menu_has '<span class="sr">SMS notifications</span>'
check "a user without texts is told so" menu_has 'No SMS conversations yet.'
check "nothing to shake" menu_lacks 'notif shake'

text_in "$BOB" "$AL_NUM" "Is the rate locked?"
req -I -b "$T_TMP/al" "$BASE/leads"
check "a HEAD answers 200" test "$STATUS" = 200
get "$T_TMP/al" "/leads"
check "after a text arrives the conversation is listed" menu_has 'notif-name">Bob &lt;i&gt;Brown&lt;/i&gt;<'
check "with the application (escaped)" menu_has 'notif-lead">Brown &lt;b&gt;purchase&lt;/b&gt;<'
check "and the last message" menu_has 'notif-last">Is the rate locked?<'
check "and its own unread count (a HEAD before acknowledged nothing)" test "$(rows | tr '\n' ' ')" = "Bob &lt;i&gt;Brown&lt;/i&gt;|1 "
check "the icon shows the total" menu_has 'notif-total">1<span class="sr"> unread</span>'
check "and shakes (its chatbox is not open)" menu_has '<details class="notif shake">'
check "no more 'No SMS conversations yet.'" menu_lacks 'No SMS conversations yet'
check "the row opens that conversation's chatbox on its application's page" menu_has "href=\"/leads/$l1?chat=$l1&amp;contact_$l1=$bob\""
check "the time reads like Dec 6, 2:05 PM CST" menu_has 'notif-when" datetime="20[0-9-]*T[0-9:]*Z">[A-Z][a-z][a-z] [0-9]\{1,2\}, [0-9]\{1,2\}:[0-5][0-9] [AP]M C[SD]T<'

get "$T_TMP/al" "/leads"
check "a refresh: the conversation stays listed" menu_has 'notif-last">Is the rate locked?<'
check "but unread is gone (acknowledged by the previous load)" test "$(rows | tr '\n' ' ')" = "Bob &lt;i&gt;Brown&lt;/i&gt;|0 "
check "no total" menu_lacks 'notif-total'
check "no shake" menu_lacks 'notif shake'

text_in "$ZED" "$AL_NUM" "Zed one"
text_in "$BOB" "$AL_NUM" "Bob again"
text_in "$ZED" "$AL_NUM" "Zed two"
get "$T_TMP/al" "/profile"
check "most recent first, each with its own count" test "$(rows | tr '\n' ' ')" = "Zed Zane|2 Bob &lt;i&gt;Brown&lt;/i&gt;|1 "
check "the total is the sum" menu_has 'notif-total">3<'
check "the dropdown is on the profile page too" menu_has 'notif shake'
check "off the lead pages a row opens the chatbox on its application's page" menu_has "href=\"/leads/$l2?chat=$l2&amp;contact_$l2=$zed\""

text_in "$ZED" "$AL_NUM" "Zed three"
get "$T_TMP/al" "/leads/$l2?chat=$l1&chat=$l2"
check "with that chatbox open the total still shows" menu_has 'notif-total">1<'
check "but the icon does not shake" menu_lacks 'notif shake'
check "on its application's page the row keeps the open boxes" menu_has "href=\"/leads/$l2?chat=$l1&amp;chat=$l2&amp;contact_$l2=$zed\""
text_in "$ZED" "$AL_NUM" "Zed four"
get "$T_TMP/al" "/leads/$l2?chat=$l2&min=$l2"
check "a minimized chatbox is not open: the icon shakes" menu_has 'notif shake'
check "the row restores it" menu_has "href=\"/leads/$l2?chat=$l2&amp;contact_$l2=$zed\""

text_in "$BOB" "$AL_NUM" "Before signing in again"
login "$T_TMP/al2" "al.$UNIQ@notify.test" "$PW"
get "$T_TMP/al2" "/leads"
check "a new sign-in shows no unread" menu_lacks 'notif-total'
check "and no row count" test "$(rows | grep -vc '|0$')" = 0
check "the text is listed as the last message" menu_has 'notif-last">Before signing in again<'

get "$T_TMP/bo" "/leads"
check "another agent sees none of Al's conversations" menu_has 'No SMS conversations yet.'

# outbound texts count as activity, not as unread
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT org_id, $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB', 'Yes, locked until Friday', 'delivered' FROM leads WHERE id = $l1"
get "$T_TMP/al2" "/leads"
check "the user's own last text is shown as theirs" menu_has 'notif-last">You: Yes, locked until Friday<'
check "and moves the conversation to the top" test "$(rows | head -n1)" = "Bob &lt;i&gt;Brown&lt;/i&gt;|0"

# /notifications: all of them, paged
for c in $(jq -r '.contacts | to_entries[] | select(.key | startswith("m")) | .value' "$T_TMP/ids.d.json"); do
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, created_at)
	     SELECT org_id, $l3, $c, $al, 'outbound', '$AL_NUM', '+15125550100', 'old text $c', 'delivered', '2026-01-02 15:00:00' FROM leads WHERE id = $l3"
done
get "$T_TMP/al2" "/notifications"
check "/notifications now goes to /inbox" test "$STATUS $(location)" = "303 /inbox"
get "$T_TMP/al2" "/inbox?show=mine"
check "/inbox lists them all (29 on one page of 50)" test "$(grep -c 'class="inbox-row' "$T_TMP/body")" = 29
check "old dates read like Jan 2, 9:00 AM CST" body_has 'inbox-when" datetime="2026-01-02T15:00:00Z">Jan 2, \(2026, \)\?9:00 AM CST<'
if command -v tidy >/dev/null; then
	check "/inbox is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
	get "$T_TMP/al2" "/leads"
	check "the lead list with the dropdown is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
else
	not_ok "tidy is installed"
fi
get "$T_TMP/adm" "/admin/users"
check "an admin's pages have the icon too" menu_has 'notif-icon'

# bounded: the header reads the conversations with one LIMITed query on an index
plan=$(sql "EXPLAIN SELECT cv.lead_id FROM conversations cv WHERE cv.user_id = $al ORDER BY cv.last_at DESC, cv.last_message_id DESC LIMIT 9")
check "the dropdown's query reads the conversations_recent index" grep -q conversations_recent <<<"$plan"
check "without a filesort" bash -c "! grep -q filesort <<<'$plan'"

# each conversation carries its names and its last text (migration 0026):
# a rename by any writer shows in the dropdown, and every carried column
# equals what it was copied from
sql "UPDATE leads SET name = 'Brown renamed $UNIQ' WHERE id = $l1"
sql "UPDATE contacts SET name = 'Bobby Renamed' WHERE id = $bob"
get "$T_TMP/al2" "/leads"
check "a renamed application shows in the dropdown" menu_has "Brown renamed $UNIQ"
check "a renamed contact too" menu_has 'notif-name">Bobby Renamed<'
P_NUM=$(mobile)
sql "INSERT INTO partners (org_id, name, role, mobile) SELECT org_id, 'Pat Partner', 'realtor', '$P_NUM' FROM leads WHERE id = $l2"
pid=$(sql "SELECT id FROM partners WHERE mobile = '$P_NUM'")
sql "INSERT INTO contacts (org_id, lead_id, role, partner_id) SELECT org_id, $l2, 'external', $pid FROM leads WHERE id = $l2"
pc=$(sql "SELECT id FROM contacts WHERE partner_id = $pid")
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, num_media)
     SELECT org_id, $l2, $pc, $al, 'inbound', '$AL_NUM', '$P_NUM', '', 'received', 1 FROM leads WHERE id = $l2"
sql "UPDATE partners SET name = 'Pat Renamed' WHERE id = $pid"
get "$T_TMP/al2" "/leads"
check "a partner's conversation shows the partner's new name" menu_has 'notif-name">Pat Renamed<'
check "and its last text, an image alone" menu_has 'notif-last">(image)<'
# a text filed from Unmatched to a contact the agent has not texted yet
# starts a conversation with its names (the filing trigger)
F_NUM=$(mobile)
sql "INSERT INTO contacts (org_id, lead_id, role, name, mobile) SELECT org_id, $l2, 'co_borrower', 'Fay Filed', '$F_NUM' FROM leads WHERE id = $l2"
fc=$(sql "SELECT id FROM contacts WHERE mobile = '$F_NUM'")
sql "INSERT INTO messages (org_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT org_id, $al, 'inbound', '$AL_NUM', '$F_NUM', 'Filed later', 'received' FROM leads WHERE id = $l2"
fm=$(sql "SELECT id FROM messages WHERE contact_number = '$F_NUM'")
sql "UPDATE messages SET lead_id = $l2, contact_id = $fc WHERE id = $fm"
get "$T_TMP/al2" "/leads"
check "a filed text's new conversation shows its contact" menu_has 'notif-name">Fay Filed<'
check "and its text" menu_has 'notif-last">Filed later<'
check "every conversation's carried columns equal their sources ($(conversations_carried_wrong) differ)" \
	test "$(conversations_carried_wrong)" = 0
