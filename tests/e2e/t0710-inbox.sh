#!/usr/bin/env bash
# /inbox and Needs reply: a conversation whose newest text came from the
# contact, not answered nor marked Done since, needs a reply; the state
# lives on the conversation (it survives page loads, sign-outs and other
# devices, the same for everyone who may see it); Done clears it without
# texting, a new text from the contact brings it back, Mark unread puts it
# back until answered or Done; the header counts them for the user; /inbox
# lists what the user may see with filters and pages; another
# organization's conversations are never listed nor changed.
. "$REPO/tests/e2e/lib.sh"

PW='inbox password 1'
AL_NUM=$(mobile); BO_NUM=$(mobile); ZZ_NUM=$(mobile)
BOB=$(mobile); CY=$(mobile); OTHER=$(mobile)
many=""
for i in $(seq 1 52); do many="$many{\"key\": \"m$i\", \"role\": \"co_borrower\", \"name\": \"Many $i\"},"; done
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Inbox $UNIQ", "sms_enabled": true},
                   {"key": "o2", "name": "Inbox other $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@inbox.test", "name": "Al Inbox", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@inbox.test", "name": "Bo Inbox", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$BO_NUM"},
  {"key": "mo", "org": "o", "email": "mo.$UNIQ@inbox.test", "name": "Mo Manager", "role": "manager", "password": "$PW"},
  {"key": "zz", "org": "o2", "email": "zz.$UNIQ@inbox.test", "name": "Zz Other", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$ZZ_NUM"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Brown purchase", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"}]},
  {"key": "l2", "org": "o", "name": "Cy refi", "assigned": ["bo"], "contacts": [
     {"key": "cy", "role": "borrower", "name": "Cy Young", "mobile": "$CY"}]},
  {"key": "l3", "org": "o", "name": "Many contacts", "assigned": ["al"], "contacts": [${many%,}]},
  {"key": "l9", "org": "o2", "name": "Other org lead", "assigned": ["zz"], "contacts": [
     {"key": "oz", "role": "borrower", "name": "Oz Elsewhere", "mobile": "$OTHER"}]}],
 "consents": [{"agent": "al", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); l3=$(id_of d leads l3); l9=$(id_of d leads l9)
bob=$(id_of d contacts bob); cy=$(id_of d contacts cy); oz=$(id_of d contacts oz)
al=$(id_of d users al); bo=$(id_of d users bo); zz=$(id_of d users zz)

text_in() { inbound "$@"; [ "$STATUS" = 200 ] || echo "inbound answered $STATUS" >&2; }
# names: the contact names of the last /inbox page's rows, in order, on one line
names() { grep -o 'class="inbox-name">[^<]*' "$T_TMP/body" | sed 's/.*">//' | tr '\n' '|'; }
listed() { [ "$STATUS" = 200 ] && grep -q '<h1>Inbox</h1>' "$T_TMP/body" && names | grep -q -- "$1"; }
# count: the header's Needs reply count of the last page
count() { grep -o 'class="needs-count" href="/inbox?show=needs"[^>]*><span class="badge">[0-9+]*</span><span class="sr"> [a-z ]*</span>' "$T_TMP/body" | sed 's/.*badge">\([0-9+]*\)<\/span><span class="sr"> \(.*\)<\/span>/\1 \2/'; }
needs() { sql "SELECT needs_reply FROM conversations WHERE user_id = $1 AND lead_id = $2 AND contact_id = $3"; }
# mark ACTION JAR AGENT LEAD CONTACT [BACK]: Done or Mark unread from /inbox
mark() { post "$2" "/inbox/$1" --data-urlencode "agent=$3" --data-urlencode "lead=$4" \
	--data-urlencode "contact=$5" --data-urlencode "back=${6:-/inbox?show=needs}"; }

# a text arrives while everyone is signed out
text_in "$BOB" "$AL_NUM" "Is the rate locked?"
login "$T_TMP/al" "al.$UNIQ@inbox.test" "$PW"
get "$T_TMP/al" "/inbox"
check "an agent lands on Needs reply" grep -q 'class="current"><span class="sr">Shown: </span>Needs reply<' "$T_TMP/body"
check "the text that came while signed out is listed" listed 'Bob Brown'
check "with its application and the agent whose number it is" grep -q 'inbox-lead">Brown purchase</span> · <span class="inbox-agent">Al Inbox <span class="inbox-number">' "$T_TMP/body"
check "its role" grep -q 'inbox-role">Borrower<' "$T_TMP/body"
check "the last text, who wrote it" grep -q 'inbox-who">Bob Brown:</span> Is the rate locked?' "$T_TMP/body"
check "Needs reply with its age" grep -q 'inbox-needs">Needs reply, waiting under a minute<' "$T_TMP/body"
check "the consent circle (green: granted)" grep -q 'consent consent-green" title="Consented"' "$T_TMP/body"
check "the row opens the chatbox on that conversation" grep -q "href=\"/leads/$l1?chat=$l1&amp;agent_$l1=$al&amp;contact_$l1=$bob\"" "$T_TMP/body"
check "a search box (GET, q)" grep -q '<form class="inbox-search" method="get" action="/inbox" role="search">.*name="q"' "$T_TMP/body"
check "the header counts it for a screen reader" test "$(count)" = "1 needs a reply"
for i in 1 2 3; do get "$T_TMP/al" "/leads"; done
get "$T_TMP/al" "/inbox"
check "after several page loads it still needs a reply" listed 'Bob Brown'
check "the dropdown marks it and says how long" grep -q 'notif-needs">Needs reply, waiting under a minute<' "$T_TMP/body"
login "$T_TMP/al2" "al.$UNIQ@inbox.test" "$PW"
get "$T_TMP/al2" "/inbox?show=needs"
check "on another device too" listed 'Bob Brown'
sql "UPDATE conversations SET waiting_since = NOW(6) - INTERVAL 2 HOUR - INTERVAL 5 MINUTE WHERE user_id = $al AND lead_id = $l1"
get "$T_TMP/al2" "/inbox?show=needs"
check "the age is from the contact's first unanswered text" grep -q 'inbox-needs">Needs reply, waiting 2 h<' "$T_TMP/body"
text_in "$BOB" "$AL_NUM" "Hello?"
get "$T_TMP/al2" "/inbox?show=needs"
check "a second text does not restart the wait" grep -q 'inbox-needs">Needs reply, waiting 2 h<' "$T_TMP/body"

login "$T_TMP/mo" "mo.$UNIQ@inbox.test" "$PW"
get "$T_TMP/mo" "/inbox?show=needs"
check "the manager sees it under Needs reply too" listed 'Bob Brown'
check "the manager's header counts it" test "$(count)" = "1 needs a reply"
login "$T_TMP/bo" "bo.$UNIQ@inbox.test" "$PW"
get "$T_TMP/bo" "/inbox?show=needs"
check "another agent (not on the lead) does not see it" test "$STATUS $(names)" = "200 "
page_lacks "nor counts it" 200 '<h1>Inbox</h1>' 'class="needs-count"' 

# a reply clears it
post "$T_TMP/al" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" \
	--data-urlencode "body=Yes, locked until Friday" --data-urlencode "back=/inbox"
check "the reply is accepted" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND direction = 'outbound' AND body = 'Yes, locked until Friday'")" = 1
get "$T_TMP/al" "/inbox?show=needs"
check "a reply clears Needs reply" test "$STATUS $(names)" = "200 "
page_lacks "and the count" 200 '<h1>Inbox</h1>' 'class="needs-count"' 
get "$T_TMP/al" "/inbox?show=mine"
check "it stays under Mine" listed 'Bob Brown'
check "the last text is the agent's" grep -q 'inbox-who">You:</span> Yes, locked until Friday' "$T_TMP/body"

# Done, and a new text brings it back
text_in "$BOB" "$AL_NUM" "Thanks!"
check "a new text needs a reply again" test "$(needs $al $l1 $bob)" = 1
mark done "$T_TMP/mo" "$al" "$l1" "$bob" "/inbox?show=needs&page=1"
check "Done answers with the page it came from" test "$STATUS $(location)" = "303 /inbox?show=needs&page=1"
check "Done clears it" test "$(needs $al $l1 $bob)" = 0
check "without texting" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND direction = 'outbound'")" = 1
get "$T_TMP/al" "/inbox?show=needs"
check "for the agent as well as the manager who marked it" test "$STATUS $(names)" = "200 "
text_in "$BOB" "$AL_NUM" "One more question"
get "$T_TMP/al" "/inbox"
check "a new text from the contact brings it back" listed 'Bob Brown'
check "counted again" test "$(count)" = "1 needs a reply"

# Mark unread
mark done "$T_TMP/al" "$al" "$l1" "$bob"
get "$T_TMP/al" "/inbox?show=mine"
check "a Done row offers Mark unread" grep -q 'action="/inbox/unread"' "$T_TMP/body"
mark unread "$T_TMP/al" "$al" "$l1" "$bob"
check "Mark unread answers 303" test "$STATUS" = 303
get "$T_TMP/al" "/inbox?show=needs"
check "Mark unread puts it back under Needs reply" listed 'Bob Brown'
check "and in the count" test "$(count)" = "1 needs a reply"
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     SELECT org_id, $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB', 'Answered by another program', 'delivered' FROM leads WHERE id = $l1"
check "until answered (a text written by plain SQL too)" test "$(needs $al $l1 $bob)" = 0
post "$T_TMP/al" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" \
	--data-urlencode "body=Anything else?" --data-urlencode "back=/inbox"
mark unread "$T_TMP/al" "$al" "$l1" "$bob"
mark done "$T_TMP/al" "$al" "$l1" "$bob"
check "or Done" test "$(needs $al $l1 $bob)" = 0
mark unread "$T_TMP/al" "$al" "$l1" "$bob" "//evil.example/x"
check "a return path that is not local goes to /inbox" test "$STATUS $(location)" = "303 /inbox"

# the chatbox has Done and Mark unread for the conversation it shows
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$bob"
check "the chatbox offers Done" grep -q '<form method="post" action="/inbox/done"><input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="agent" value="'"$al"'"><input type="hidden" name="lead" value="'"$l1"'"><input type="hidden" name="contact" value="'"$bob"'">' "$T_TMP/body"
check "and Mark unread" grep -q 'action="/inbox/unread">.*>Mark unread</button>' "$T_TMP/body"
back=$(grep -o 'action="/inbox/unread">[^>]*>[^>]*>[^>]*>[^>]*><input type="hidden" name="back" value="[^"]*"' "$T_TMP/body" | head -n1 | sed 's/.*value="//;s/"$//;s/&amp;/\&/g')
mark unread "$T_TMP/al" "$al" "$l1" "$bob" "$back"
check "Mark unread from the chatbox comes back to it" test "$STATUS $(location)" = "303 /leads/$l1?chat=$l1&contact_$l1=$bob"
check "and the conversation needs a reply" test "$(needs $al $l1 $bob)" = 1
mark done "$T_TMP/al" "$al" "$l1" "$bob" "$back"
check "Done from the chatbox clears it" test "$(needs $al $l1 $bob)" = 0

# the manager: All with the agent named, per-agent filter
text_in "$CY" "$BO_NUM" "Cy here"
get "$T_TMP/mo" "/inbox"
check "a manager lands on All" grep -q 'class="current"><span class="sr">Shown: </span>All<' "$T_TMP/body"
check "All lists every agent's conversations" test "$(names | grep -c 'Cy Young|Bob Brown|')" = 1
check "naming the agent on each row" grep -q 'inbox-agent">Bo Inbox <span class="inbox-number">' "$T_TMP/body"
check "a link per agent" grep -q "href=\"/inbox?agent=$bo\">Bo Inbox<" "$T_TMP/body"
get "$T_TMP/mo" "/inbox?agent=$bo"
check "the per-agent filter lists that agent's only" test "$STATUS $(names)" = "200 Cy Young|"
get "$T_TMP/al" "/inbox?agent=$bo"
check "an agent has no per-agent filter (404)" test "$STATUS" = 404
get "$T_TMP/al" "/inbox?show=all"
check "nor All (404)" test "$STATUS" = 404
get "$T_TMP/mo" "/inbox?agent=$zz"
check "another organization's agent is no filter (404)" test "$STATUS" = 404

# another organization
text_in "$OTHER" "$ZZ_NUM" "Elsewhere"
check "the other organization's text made its conversation" test "$(needs $zz $l9 $oz)" = 1
get "$T_TMP/mo" "/inbox?show=all"
check "another organization's conversation is never listed" test "$STATUS" = 200 -a -z "$(names | grep 'Oz Elsewhere')"
mark done "$T_TMP/mo" "$zz" "$l9" "$oz"
check "its Done is refused (404)" test "$STATUS" = 404
check "and nothing changes" test "$(needs $zz $l9 $oz)" = 1
mark done "$T_TMP/bo" "$al" "$l1" "$bob"
check "an agent not on the lead: 404 too" test "$STATUS" = 404

# CSRF
mark unread "$T_TMP/al" "$al" "$l1" "$bob"
mark done "$T_TMP/al" "$al" "$l1" "$bob"
req -b "$T_TMP/al" --data-urlencode "agent=$al" --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" "$BASE/inbox/unread"
check "without its CSRF token Mark unread is refused (403)" test "$STATUS" = 403
check "and nothing changes" test "$(needs $al $l1 $bob)" = 0

# paging: 50 a page
for c in $(jq -r '.contacts | to_entries[] | select(.key | startswith("m")) | .value' "$T_TMP/ids.d.json"); do
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, created_at)
	     SELECT org_id, $l3, $c, $al, 'outbound', '$AL_NUM', '+15125550100', 'old text $c', 'delivered', '2026-01-02 15:00:00' FROM leads WHERE id = $l3"
done
get "$T_TMP/al" "/inbox?show=mine"
check "a page lists 50" test "$(names | tr '|' '\n' | grep -c .)" = 50
check "newest activity first" test "$(names | cut -d'|' -f1)" = "Bob Brown"
check "with a link to the older ones, keeping the filter" grep -q 'href="/inbox?show=mine&amp;page=2">Older' "$T_TMP/body"
get "$T_TMP/al" "/inbox?show=mine&page=2"
check "the second page has the rest" test "$(names | tr '|' '\n' | grep -c .)" = 3
check "and a link back to the newer ones" grep -q 'href="/inbox?show=mine&amp;page=1">← Newer' "$T_TMP/body"

# the old page and the dropdown's link
get "$T_TMP/al" "/notifications"
check "/notifications goes to /inbox" test "$STATUS $(location)" = "303 /inbox"
get "$T_TMP/al" "/leads"
check "the dropdown's All conversations opens /inbox" grep -q 'class="notif-all" href="/inbox">All conversations<' "$T_TMP/body"
check "the header links to the inbox" grep -q '<a href="/inbox">Inbox</a>' "$T_TMP/body"
get "$T_TMP/al" "/inbox?show=mine&q="
check "an empty search is the inbox" listed 'Bob Brown'

# The header's count is exact up to what it shows and "99+" above: the
# session's statement stops looking after the hundredth (inbox.h). ref: the
# number by its definition, every conversation on a lead the agent was ever
# assigned to (each once), counted whole.
ref() { sql "SELECT COUNT(*) FROM conversations cv WHERE cv.needs_reply = 1
	     AND cv.lead_id IN (SELECT lead_id FROM assignments WHERE user_id = $al)"; }
# text_as USER CONTACT...: an inbound text in USER's conversation with each contact of l3
text_as() {
	local u=$1 c; shift
	for c in "$@"; do
		sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
		     SELECT org_id, $l3, $c, $u, 'inbound', '$AL_NUM', '+15125550100', 'question $c', 'received' FROM leads WHERE id = $l3"
	done
}
mcontacts=$(jq -r '.contacts | to_entries[] | select(.key | startswith("m")) | .value' "$T_TMP/ids.d.json" | sort -n)
text_as "$al" $mcontacts
get "$T_TMP/al" "/leads"
base=$(ref)
check "with 52 more waiting the header counts them ($base)" test "$(count)" = "$base need a reply"
k=$((99 - base))
[ "$k" -ge 1 ] && [ "$k" -le 51 ] || echo "# $base already waiting: the boundary cannot be set up" >&2
text_as "$bo" $(head -n "$k" <<<"$mcontacts")
get "$T_TMP/al" "/leads"
check "another agent's conversations on the agent's lead count too: 99 exactly" test "$(ref) $(count)" = "99 99 need a reply"
sql "INSERT INTO assignments (lead_id, user_id, assigned_at, assigned_by, unassigned_at, unassigned_by)
     SELECT $l3, $al, '2026-01-01', $al, '2026-01-02', $al"
get "$T_TMP/al" "/leads"
check "a lead assigned twice counts its conversations once" test "$(count)" = "99 need a reply"
get "$T_TMP/al" "/inbox?show=needs&page=2"
check "and the inbox lists them once: 99, 49 on the second page" test "$(names | tr '|' '\n' | grep -c .)" = 49
text_as "$bo" $(sed -n "$((k + 1))p" <<<"$mcontacts")
get "$T_TMP/al" "/leads"
check "the hundredth: 99+" test "$(ref) $(count)" = "100 99+ need a reply"
login "$T_TMP/mo2" "mo.$UNIQ@inbox.test" "$PW"
get "$T_TMP/mo2" "/leads"
check "a manager's count stops at 99+ too" test "$(count)" = "99+ need a reply"
