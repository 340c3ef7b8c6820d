#!/usr/bin/env bash
# The chatbox on /leads and /leads/ID: which boxes are open lives in the URL
# (chat=, min=, contact_ID=, agent_ID=), contacts one per number by
# precedence with consent circles, the assignments panel, the conversation
# in order with bubbles, statuses and the viewer's time zone.
. "$REPO/tests/e2e/lib.sh"

PW='chatbox password 1'
AL_NUM="+1737$(nanp7)"; BO_NUM="+1210$(nanp7)"
BOB="+1512$(nanp7)"; CARL="+1512$(nanp7)"; RITA="+1512$(nanp7)"; ZED="+1512$(nanp7)"
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Chat A $UNIQ", "sms_enabled": true, "time_zone": "America/Chicago"},
                   {"key": "b", "name": "Chat B $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "a", "email": "al.$UNIQ@chat.test", "name": "Al Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM", "time_zone": "America/New_York"},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@chat.test", "name": "Bo Agent", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$BO_NUM"},
  {"key": "mgr", "org": "a", "email": "mgr.$UNIQ@chat.test", "name": "Max Manager", "role": "manager", "password": "$PW",
   "time_zone": "America/Los_Angeles"},
  {"key": "bz", "org": "b", "email": "bz.$UNIQ@chat.test", "name": "Bea B", "role": "admin", "password": "$PW"}],
 "partners": [{"key": "rita", "org": "a", "name": "Rita Realtor", "role": "Real Estate Agent", "mobile": "$RITA"}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Brown purchase", "assigned": ["al", "bo"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"},
     {"key": "beth", "role": "co_borrower", "name": "Beth Shared", "mobile": "$BOB"},
     {"key": "carl", "role": "co_borrower", "name": "Carl Cole", "mobile": "$CARL"},
     {"key": "dan", "role": "borrower", "name": "Dan Dup", "mobile": "$RITA"},
     {"key": "eve", "role": "co_borrower", "name": "Eve Nomobile"},
     {"partner": "rita"}]},
  {"key": "l2", "org": "a", "name": "Zed refi", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed <i>Zane</i>", "mobile": "$ZED"}]},
  {"key": "lb", "org": "b", "name": "Other org lead", "assigned": ["bz"]}],
 "consents": [
  {"agent": "al", "contact": "bob", "status": "granted"},
  {"agent": "al", "contact": "carl", "status": "pending"},
  {"partner": "rita", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); lb=$(id_of d leads lb)
bob=$(id_of d contacts bob); beth=$(id_of d contacts beth); carl=$(id_of d contacts carl)
dan=$(id_of d contacts dan); zed=$(id_of d contacts zed)
al=$(id_of d users al); bo=$(id_of d users bo); bz=$(id_of d users bz)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")
rita_c=$(sql "SELECT id FROM contacts WHERE lead_id = $l1 AND role = 'external'")

# the conversation of Al and Bob, one message filed under Beth (same number)
msg() { # USER CONTACT DIRECTION AGENT_NUM CONTACT_NUM BODY STATUS CREATED [CODE MESSAGE]
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
	     contact_number, body, status, error_code, error_message, created_at)
	     VALUES ($org, $l1, $2, $1, '$3', '$4', '$5', '$6', '$7', ${9:-NULL},
	     $( [ -n "${10:-}" ] && echo "'${10}'" || echo NULL), '$8')"
}
msg "$al" "$bob" outbound "$AL_NUM" "$BOB" 'Hello <b>Bob</b> & co' delivered '2026-11-20 15:00:00'
msg "$al" "$beth" inbound "$AL_NUM" "$BOB" 'Hi back from the shared phone' received '2026-11-20 15:05:00'
msg "$al" "$bob" outbound "$AL_NUM" "$BOB" 'This one failed' failed '2026-11-20 15:10:00' 30003 'Unreachable destination handset'
msg "$al" "$bob" outbound "$AL_NUM" "$BOB" 'Still queued' queued '2026-11-20 15:20:00'
msg "$bo" "$bob" outbound "$BO_NUM" "$BOB" 'Bo private line' sent '2026-11-20 16:00:00'
msg "$al" "$dan" inbound "$AL_NUM" "$RITA" 'Rita before the link' received '2026-11-19 12:00:00'

login "$T_TMP/al" "al.$UNIQ@chat.test" "$PW"
login "$T_TMP/bo" "bo.$UNIQ@chat.test" "$PW"
login "$T_TMP/mgr" "mgr.$UNIQ@chat.test" "$PW"
login "$T_TMP/bz" "bz.$UNIQ@chat.test" "$PW"

# box ID: the HTML of lead ID's chatbox in the last page, on one line
box() { awk -v id="id=\"chat-$1\"" 'index($0, id) {on=1} on {print} on && /^<\/section>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
box_has() { box "$1" | grep -q -- "$2"; }
# box_lacks ID TEXT: the page (200) has the box, and the box lacks TEXT
box_lacks() { [ "$STATUS" = 200 ] && box "$1" | grep -q . && ! box "$1" | grep -q -- "$2"; }
# contacts ID: "color name" per contact entry of the chatbox, in order
contacts() { box "$1" | grep -o 'consent consent-[a-z]*" title="[^"]*"><span class="sr">[^<]*</span></span> <span class="chat-contact-name" title="[^"]*">[^<]*' | sed 's/consent consent-\([a-z]*\)".*chat-contact-name" title="[^"]*">/\1 /'; }
bubbles() { box "$1" | grep -o 'class="msg msg-[a-z]*"> <div class="bubble"><span class="msg-text">[^<]*' | sed 's/class="msg msg-\([a-z]*\)"> <div class="bubble"><span class="msg-text">/\1 /'; }

# where it opens
get "$T_TMP/al" "/leads?chat=$l1"
check "the chatbox opens on /leads" test "$STATUS" = 200
check "the box is drawn for the lead" body_has "id=\"chat-$l1\""
check "its header names the borrower and the application and links to it, keeping the open boxes" box_has "$l1" "<a class=\"chat-title\" href=\"/leads/$l1?chat=$l1\" title=\"Open the application\">Bob Brown · Brown purchase</a>"
check "the page loads the counting rules without inline script" body_has '<script src="/static/sms_text.js?v=[0-9a-f]*" defer></script>'
check "no inline script" bash -c "! grep -q '<script>' '$T_TMP/body'"
check "no inline style" bash -c "! grep -qi ' style=' '$T_TMP/body'"
check "the quick action of another lead keeps this box open" body_has "href=\"/leads?chat=$l1&amp;chat=$l2\""
check "the quick action of this lead does not open it twice" body_has "href=\"/leads?chat=$l1\" title=\"Send SMS\""
get "$T_TMP/al" "/leads/$l1?chat=$l1"
check "the chatbox opens on /leads/ID" bash -c "[ '$STATUS' = 200 ] && grep -q 'id=\"chat-$l1\"' '$T_TMP/body'"
get "$T_TMP/al" "/leads/$l1"
page_lacks "no chat= means no chatbox" 200 "href=\"/leads/$l1/loanfile\"" 'class="chatbox'
check "the Action Tools icon opens this lead's chatbox" body_has "href=\"/leads/$l1?chat=$l1\""
get "$T_TMP/al" "/leads?chat=$l1&chat=$l2"
check "the list with two chatboxes is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
check "two chatboxes at once" bash -c "grep -q 'id=\"chat-$l1\"' '$T_TMP/body' && grep -q 'id=\"chat-$l2\"' '$T_TMP/body'"
check "names in the second box are escaped" box_has "$l2" 'Zed &lt;i&gt;Zane&lt;/i&gt;'
get "$T_TMP/al" "/leads?chat=$l1&chat=$l1"
check "a repeated chat= draws one box" test "$(grep -c "id=\"chat-$l1\"" "$T_TMP/body")" = 1

# ids that are not the viewer's, or stale: that one box is dropped with a
# short note, from the page and from its links; the page and the other
# boxes are drawn
note='A chatbox was closed: its lead or contact no longer exists, or is not yours to see.'
while IFS='|' read -r what q keep drop; do
	get "$T_TMP/al" "/leads?$q&chat=$l2"
	check "$what: the page is drawn (200)" test "$STATUS" = 200
	check "$what: with the note, once" test "$(grep -c "$note" "$T_TMP/body")" = 1
	check "$what: the other box stays" body_has "id=\"chat-$l2\""
	[ -n "$keep" ] && check "$what: the box is drawn without the bad selection" body_has "id=\"chat-$keep\""
	[ -n "$drop" ] && page_lacks "$what: the box is dropped" 200 "id=\"chat-$l2\"" "id=\"chat-$drop\""
	# (the lead list's own links are made before a selection is checked)
	check "$what: and its parameters leave the other box's links" box_lacks "$l2" "$(printf '%s' "$q" | sed 's/&/\&amp;/g')&amp;"
done <<LIST
another organization's lead in chat=|chat=$lb||$lb
an absent lead|chat=999999999||999999999
a malformed id|chat=abc||
another lead's contact in contact_ID=|chat=$l1&contact_$l1=$zed||$l1
another organization's user in agent_ID=|chat=$l1&agent_$l1=$bz||$l1
an absent contact|chat=$l1&contact_$l1=999999999||$l1
a malformed contact id|chat=$l1&contact_$l1=x||$l1
a contact without a mobile|chat=$l1&contact_$l1=$(id_of d contacts eve)||$l1
LIST
get "$T_TMP/al" "/leads?chat=$l2"
page_lacks "without a bad id there is no note" 200 "id=\"chat-$l2\"" "$note"
get "$T_TMP/al" "/leads?chat=$lb&chat=$l2"
check "the lead list's SMS icons leave the dropped id out" body_has "href=\"/leads?chat=$l2&amp;chat=$l1\" title=\"Send SMS\""
get "$T_TMP/bo" "/leads/$l1?chat=$l2"
check "a lead the agent may not see: dropped in chat= too" bash -c "[ '$STATUS' = 200 ] && ! grep -q 'id=\"chat-$l2\"' '$T_TMP/body' && grep -q '$note' '$T_TMP/body'"
get "$T_TMP/bz" "/leads?chat=$l1"
check "another organization's admin sees no box and the note" bash -c "[ '$STATUS' = 200 ] && ! grep -q 'id=\"chat-$l1\"' '$T_TMP/body' && grep -q '$note' '$T_TMP/body'"

# contacts: one per number, external > borrower > co-borrower
get "$T_TMP/al" "/leads/$l1?chat=$l1"
check "the lead page with its chatbox is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
contacts "$l1" > "$T_TMP/contacts"
check "one entry per mobile number (3)" test "$(wc -l < "$T_TMP/contacts")" = 3
check "the partner wins over a borrower with its number" grep -q 'Rita Realtor' "$T_TMP/contacts"
check "so that borrower is not listed" bash -c "! grep -q 'Dan Dup' '$T_TMP/contacts'"
check "the borrower wins over a co-borrower with the same number" grep -q 'Bob Brown' "$T_TMP/contacts"
check "so that co-borrower is not listed" bash -c "! grep -q 'Beth Shared' '$T_TMP/contacts'"
check "contacts without a mobile are not listed" bash -c "! grep -q 'Eve Nomobile' '$T_TMP/contacts'"
check "entries read borrower, co-borrower, partner" test "$(cut -d' ' -f2- "$T_TMP/contacts" | tr '\n' '|')" = "Bob Brown|Carl Cole|Rita Realtor|"
BOB_SHOWN="(${BOB:2:3}) ${BOB:5:3}-${BOB:8:4}"
check "each shows role and number, as people write it" box_has "$l1" "Borrower</span> <span class=\"chat-contact-number phone\">$BOB_SHOWN<"
check "the partner's role is shown" box_has "$l1" 'Real Estate Agent'
check "consent: partner green (organization)" grep -qx 'green Rita Realtor' "$T_TMP/contacts"
check "consent: Bob green for Al's number" grep -qx 'green Bob Brown' "$T_TMP/contacts"
check "consent: Carl yellow (pending)" grep -qx 'yellow Carl Cole' "$T_TMP/contacts"
check "the first contact (the borrower) is selected by default" box_has "$l1" "class=\"chat-contact selected\" href=\"[^\"]*contact_$l1=$bob\""
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$rita_c"
check "the partner's conversation includes texts filed under the borrower sharing its number" box_has "$l1" 'Rita before the link'

# assignments and the conversation shown
agents() { box "$1" | grep -o '<aside class="chat-agents".*</aside>' | grep -o 'Al Agent\|Bo Agent' | tr '\n' ' '; }
check "the assignments panel lists the assigned agents" test "$(agents "$l1")" = "Al Agent Bo Agent "
check "the viewer's own conversation is shown by default" box_has "$l1" "class=\"chat-agent selected\" href=\"[^\"]*agent_$l1=$al\"><span class=\"sr\">Shown:</span> Al Agent"
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$bob"
check "selecting a contact highlights it" box_has "$l1" "class=\"chat-contact selected\" href=\"[^\"]*contact_$l1=$bob\""
bubbles "$l1" > "$T_TMP/bubbles"
check "messages in order, outbound right, inbound left" test "$(tr '\n' '|' < "$T_TMP/bubbles")" = "out Hello &lt;b&gt;Bob&lt;/b&gt; &amp; co|in Hi back from the shared phone|out This one failed|out Still queued|"
page_lacks "HTML in a message is escaped" 200 "id=\"chat-$l1\"" '<b>Bob</b>'
check "another agent's conversation is not mixed in" box_lacks "$l1" 'Bo private line'
check "sender names are shown" bash -c "grep -q 'msg-sender\">Al Agent' '$T_TMP/body' && grep -q 'msg-sender\">Beth Shared' '$T_TMP/body'"
check "times are in the viewer's zone (New York: 10:00 AM for 15:00Z)" box_has "$l1" 'msg-time" datetime="2026-11-20T15:00:00Z" title="Nov 20, \(2026, \)\?10:00 AM EST">10:00 AM</time>'
check "grouped under a heading per day" box_has "$l1" '<li class="msg-day"><span>Friday, November 20, 2026</span></li> <li id="msg-[0-9]*" class="msg msg-out">'
check "one heading per day" test "$(box "$l1" | grep -o 'msg-day' | wc -l)" = 1
meta='<div class="msg-meta"><span class="msg-sender">[^<]*</span> · <time class="msg-time" datetime="[^"]*" title="[^"]*">[^<]*</time></div>'
check "delivered under the delivered one" box_has "$l1" "co</span> *</div> $meta *<div class=\"msg-status status-delivered\">Delivered</div>"
check "failed, in plain words" box_has "$l1" 'status-failed">Failed: <span class="msg-failure">The phone was switched off or out of reach.</span>'
check "with the carrier's code as the detail" box_has "$l1" '<span class="msg-failure-code">(error 30003: Unreachable destination handset)</span>'
check "and Resend (an unreachable phone can pass later)" box_has "$l1" 'action="/sms/resend" class="msg-resend">.*name="message" value="[0-9]*">.*Resend</button>'
check "only under the failed one" test "$(box "$l1" | grep -o 'Resend</button>' | wc -l)" = 1
check "queued under the queued one" box_has "$l1" 'status-queued">Queued'
check "no status under an incoming text" box_has "$l1" "phone</span> *</div> $meta *</li>"
check "Al may text Bob (Send enabled)" box_has "$l1" '<button type="submit" class="primary" title="Send (Ctrl+Enter)">Send</button>'
check "the counter starts at 160 left, 0 billed" box_has "$l1" 'chars-left">160</span><span class="chars-words"> characters left</span> · <span class="billed">0</span>'
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$beth"
check "a deduplicated contact's id selects its number's entry" box_has "$l1" "class=\"chat-contact selected\" href=\"[^\"]*contact_$l1=$bob\""
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$carl"
check "a pending contact: Waiting for consent since it was asked" box_has "$l1" 'chat-reason">Waiting for consent since [A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M E[SD]T · <a href="/leads/[0-9]*/consents?back='
check "and the box is greyed out" box_has "$l1" 'chat-send refused'
check "and Send is disabled" box_has "$l1" 'class="primary" disabled>Send'
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$bob&agent_$l1=$bo"
check "another agent's conversation can be read" box_has "$l1" 'Bo private line'
check "its agent is highlighted" box_has "$l1" "class=\"chat-agent selected\" href=\"[^\"]*agent_$l1=$bo\""
check "but not answered" box_has "$l1" 'chat-reason">You are viewing another agent&#39;s conversation<'
check "consent circles follow the shown agent's number (Bob red for Bo)" grep -qx 'red Bob Brown' <(contacts "$l1")
get "$T_TMP/mgr" "/leads/$l1?chat=$l1&contact_$l1=$bob"
check "a manager (not assigned) sees the first assigned agent's conversation" box_has "$l1" "class=\"chat-agent selected\" href=\"[^\"]*agent_$l1=$al\""
check "in the manager's time zone (Los Angeles: 7:00 AM)" box_has "$l1" 'msg-time" datetime="2026-11-20T15:00:00Z" title="Nov 20, \(2026, \)\?7:00 AM PST">7:00 AM<'
check "the manager is not offered Resend on Al's text" box_lacks "$l1" 'Resend</button>'
check "and may not send: no SMS permission comes first" box_has "$l1" 'chat-reason">You do not have SMS permission.<'

# minimize, maximize, close: plain links
get "$T_TMP/al" "/leads?chat=$l1&chat=$l2&done=saved"
check "minimize adds min=ID" box_has "$l1" "href=\"/leads?chat=$l1&amp;chat=$l2&amp;min=$l1\" title=\"Minimize\""
check "close drops the chat (and one-time flash codes)" box_has "$l1" "href=\"/leads?chat=$l2\" title=\"Close\""
check "closing the other keeps this one" box_has "$l2" "href=\"/leads?chat=$l1\" title=\"Close\""
get "$T_TMP/al" "/leads?chat=$l1&min=$l1&contact_$l1=$carl&chat=$l2"
check "a minimized box shows only its header" box_has "$l1" 'chatbox minimized'
check "without its body" box_lacks "$l1" 'chat-body'
check "the other box stays open" box_has "$l2" 'chat-body'
check "maximize reopens on the contact of the newest incoming text, as the newest box" box_has "$l1" "href=\"/leads?chat=$l2&amp;chat=$l1&amp;contact_$l1=$bob\" data-restore=\"[^\"]*\" title=\"Maximize\""
check "on wide windows (the script), in its place: the boxes' order kept" box_has "$l1" "data-restore=\"/leads?chat=$l1&amp;chat=$l2&amp;contact_$l1=$bob\" title=\"Maximize\""
check "the box holding the newest incoming text is marked to flash" box_has "$l1" 'chatbox minimized latest'
check "close drops its selections too" box_has "$l1" "href=\"/leads?chat=$l2\" title=\"Close\""
get "$T_TMP/al" "/leads?chat=$l1&contact_$l1=$carl&chat=$l2"
check "an open box that stacks has the same Maximize (newest, newest incoming contact)" box_has "$l1" "class=\"chat-raise\" href=\"/leads?chat=$l2&amp;chat=$l1&amp;contact_$l1=$bob\""
get "$T_TMP/al" "/leads?chat=$l1&chat=$l2&contact_$l1=$bob"
check "selection links keep the other boxes" box_has "$l1" "href=\"/leads?chat=$l1&amp;chat=$l2&amp;contact_$l1=$carl\""
check "the form returns to this page" box_has "$l1" "name=\"back\" value=\"/leads?chat=$l1&amp;chat=$l2&amp;contact_$l1=$bob\""

# a former agent: the lead was reassigned; they see their own conversation,
# greyed out, with the reason
l3=$(sql "SELECT id FROM leads WHERE org_id = $org AND name = 'Zed refi'")
sql "UPDATE assignments SET unassigned_at = NOW() WHERE lead_id = $l3 AND user_id = $al"
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l3, $bo)"
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
     VALUES ($org, $l3, $zed, $al, 'outbound', '$AL_NUM', '$ZED', 'Al wrote to Zed', 'delivered')"
get "$T_TMP/al" "/leads/$l3?chat=$l3"
check "a reassigned agent opens the lead (200)" test "$STATUS" = 200
check "the box shows their own conversation" box_has "$l3" 'Al wrote to Zed'
check "their name is highlighted among the earlier agents" box_has "$l3" "class=\"chat-agent former selected\" href=\"[^\"]*agent_$l3=$al\""
check "greyed out" box_has "$l3" 'chat-send refused'
check "saying they are no longer assigned" box_has "$l3" 'chat-reason">You are no longer assigned to this lead<'
get "$T_TMP/bo" "/leads/$l3?chat=$l3"
check "the new agent sees their own (empty) conversation" box_has "$l3" "class=\"chat-agent selected\" href=\"[^\"]*agent_$l3=$bo\""
post "$T_TMP/al" /sms/send --data-urlencode "lead=$l3" --data-urlencode "contact=$zed" --data-urlencode "body=still mine?" \
	--data-urlencode "back=/leads/$l3?chat=$l3"
check "the server refuses the former agent's text (303)" test "$STATUS" = 303
check "keeping it as a draft with the reason" test "$(sql "SELECT error FROM sms_drafts WHERE lead_id = $l3 AND body = 'still mine?'")" = no_longer_assigned

# Resend: a failed text the failure of which can pass is queued again
failed_id=$(sql "SELECT id FROM messages WHERE lead_id = $l1 AND body = 'This one failed'")
post "$T_TMP/al" /sms/resend --data-urlencode "message=$failed_id" --data-urlencode "back=/leads/$l1?chat=$l1"
check "Resend answers with the page it came from" test "$STATUS $(location)" = "303 /leads/$l1?chat=$l1"
check "the text is queued again as a new message" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND body = 'This one failed'")" = 2
check "the failed one stays as it was" test "$(sql "SELECT status FROM messages WHERE id = $failed_id")" = failed
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, error_code, error_message)
     VALUES ($org, $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB', 'To a landline', 'failed', 30006, 'Landline or unreachable carrier')"
land=$(sql "SELECT id FROM messages WHERE body = 'To a landline' AND lead_id = $l1")
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$bob"
check "a landline reads as such" box_has "$l1" 'msg-failure">The number is a landline or cannot receive texts.<'
check "and offers no Resend there" box_lacks "$l1" "name=\"message\" value=\"$land\""
post "$T_TMP/al" /sms/resend --data-urlencode "message=$land"
check "a forced Resend of it is refused (409), saying why" bash -c "[ '$STATUS' = 409 ] && grep -q 'cannot be sent again: The number is a landline' '$T_TMP/body'"
post "$T_TMP/bo" /sms/resend --data-urlencode "message=$failed_id"
check "another agent cannot resend Al's text (404)" test "$STATUS" = 404
check "nothing more was queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l1 AND body IN ('This one failed', 'To a landline')")" = 3
