#!/usr/bin/env bash
# POST /sms/send: an accepted text is one queued message and its outbox row
# (billed count, encoding, length stored); every refusal writes nothing to
# messages or outbox and keeps the text as a draft that the page it goes
# back to shows, with the reason, in the box it was typed in.
. "$REPO/tests/e2e/lib.sh"

PW='send rules password 1'
AL="+1737$(nanp7)"; BO="+1210$(nanp7)"; NOP="+1214$(nanp7)"; MGR="+1713$(nanp7)"; AVA="+1832$(nanp7)"; OLI="+1469$(nanp7)"
BZ="+1281$(nanp7)"
BOB="+1512$(nanp7)"; CARL="+1512$(nanp7)"; DAVE="+1512$(nanp7)"; RITA="+1512$(nanp7)"; ZED="+1512$(nanp7)"
ROB="+1512$(nanp7)"; VIC="+1512$(nanp7)"; OZ="+1512$(nanp7)"
user() { # KEY ORG ROLE NAME [extra json]
	echo "{\"key\": \"$1\", \"org\": \"$2\", \"email\": \"$1.$UNIQ@send.test\", \"name\": \"$4\", \"role\": \"$3\", \"password\": \"$PW\"${5:+, $5}}"
}
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Send A $UNIQ", "sms_enabled": true},
                   {"key": "adv", "name": "Send Adv $UNIQ", "sms_enabled": true, "sms_level": "advanced"},
                   {"key": "off", "name": "Send Off $UNIQ"},
                   {"key": "b", "name": "Send B $UNIQ", "sms_enabled": true}],
 "users": [
  $(user adm a admin "Ada Admin"),
  $(user al a agent "Al Agent" "\"sms_permission\": true, \"sms_number\": \"$AL\""),
  $(user bo a agent "Bo Agent" "\"sms_permission\": true, \"sms_number\": \"$BO\""),
  $(user nop a agent "No Permission" "\"sms_number\": \"$NOP\""),
  $(user nonum a agent "No Number" "\"sms_permission\": true"),
  $(user mgr a manager "Max Manager" "\"sms_permission\": true, \"sms_number\": \"$MGR\""),
  $(user ava adv agent "Ava Advanced" "\"sms_permission\": true, \"sms_number\": \"$AVA\""),
  $(user oli off agent "Oli Off" "\"sms_permission\": true, \"sms_number\": \"$OLI\""),
  $(user bz b admin "Bea B" "\"sms_permission\": true, \"sms_number\": \"$BZ\"")],
 "partners": [{"key": "rita", "org": "a", "name": "Rita Realtor", "mobile": "$RITA"}],
 "leads": [
  {"key": "l1", "org": "a", "name": "Send one", "assigned": ["al", "bo", "nop", "nonum"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$BOB"},
     {"key": "carl", "role": "co_borrower", "name": "Carl Cole", "mobile": "$CARL"},
     {"key": "dave", "role": "co_borrower", "name": "Dave Dunn", "mobile": "$DAVE"},
     {"key": "nomo", "role": "co_borrower", "name": "No Mobile"},
     {"partner": "rita"}]},
  {"key": "l2", "org": "a", "name": "Send two", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed Zane", "mobile": "$ZED"}]},
  {"key": "lr", "org": "a", "name": "Reassigned", "assigned": ["al", "mgr"], "contacts": [
     {"key": "rob", "role": "borrower", "name": "Rob Ross", "mobile": "$ROB"}]},
  {"key": "lv", "org": "adv", "name": "Advanced", "assigned": ["ava"], "contacts": [
     {"key": "vic", "role": "borrower", "name": "Vic Vale", "mobile": "$VIC"}]},
  {"key": "lo", "org": "off", "name": "Off", "assigned": ["oli"], "contacts": [
     {"key": "oz", "role": "borrower", "name": "Oz Oak", "mobile": "$OZ"}]},
  {"key": "lb", "org": "b", "name": "Other org", "assigned": ["bz"], "contacts": [
     {"key": "bee", "role": "borrower", "name": "Bee Bay", "mobile": "$BOB"}]}],
 "consents": [
  {"agent": "al", "contact": "bob", "status": "granted"},
  {"agent": "al", "contact": "carl", "status": "pending"},
  {"agent": "nop", "contact": "bob", "status": "granted"},
  {"agent": "al", "contact": "zed", "status": "granted"},
  {"agent": "al", "contact": "rob", "status": "granted"},
  {"agent": "mgr", "contact": "rob", "status": "granted"},
  {"agent": "ava", "contact": "vic", "status": "granted"},
  {"agent": "oli", "contact": "oz", "status": "granted"},
  {"agent": "bz", "contact": "bee", "status": "granted"},
  {"partner": "rita", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
for k in l1 l2 lr lv lo lb; do eval "$k=$(id_of d leads $k)"; done
for k in bob carl dave nomo zed rob vic oz bee; do eval "$k=$(id_of d contacts $k)"; done
for k in al bo mgr ava; do eval "u_$k=$(id_of d users $k)"; done
rita=$(sql "SELECT id FROM contacts WHERE lead_id = $l1 AND role = 'external'")
ORGS=$(sql "SELECT GROUP_CONCAT(DISTINCT org_id) FROM leads WHERE id IN ($l1, $lv, $lo, $lb)")

for u in adm al bo nop nonum mgr ava oli bz; do login "$T_TMP/$u" "$u.$UNIQ@send.test" "$PW"; done

box() { awk -v id="id=\"chat-$1\"" 'index($0, id) {on=1} on {print} on && /^<\/section>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
box_has() { box "$1" | grep -q -- "$2"; }
# box_lacks ID TEXT: the page (200) has the box, and the box lacks TEXT
box_lacks() { [ "$STATUS" = 200 ] && box "$1" | grep -q . && ! box "$1" | grep -q -- "$2"; }
max_id() { sql "SELECT COALESCE(MAX(id), 0) FROM messages"; }
written_since() { sql "SELECT (SELECT COUNT(*) FROM messages WHERE id > $1 AND org_id IN ($ORGS)) + (SELECT COUNT(*) FROM outbox WHERE message_id > $1)"; }
send() { # JAR LEAD CONTACT BODY [more curl args]
	local jar=$1 lead=$2 contact=$3 body=$4; shift 4
	post "$jar" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$contact" \
		--data-urlencode "body=$body" "$@"
}
# the message the last accepted send wrote: field|field|...
sent_row() {
	sql "SELECT CONCAT_WS('|', org_id, lead_id, contact_id, user_id, direction, kind, agent_number,
	     contact_number, encoding, length, billed) FROM messages WHERE id > $1 AND org_id IN ($ORGS)"
}
# accepted NAME MAX_ID: exactly one message, queued (or moved on by the
# dispatcher), with its outbox row unless the dispatcher already sent it
accepted() {
	local name=$1 mx=$2
	check "$name: one message written" test "$(sql "SELECT COUNT(*) FROM messages WHERE id > $mx AND org_id IN ($ORGS)")" = 1
	check "$name: queued, or later" test "$(sql "SELECT COUNT(*) FROM messages m WHERE m.id > $mx AND m.org_id IN ($ORGS)
		AND (m.status <> 'queued' OR EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id))")" = 1
	check "$name: at most one outbox row" test "$(sql "SELECT COUNT(*) FROM outbox WHERE message_id > $mx")" -le 1
}
# refused NAME JAR LEAD REASON TEXT_SHOWN [send args]: nothing written, a
# 303 back, and that page shows the draft with the reason (as often as it
# is loaded: a GET changes nothing)
refused() {
	local name=$1 jar=$2 lead=$3 reason=$4 shown=$5; shift 5
	local mx loc
	if [ -z "$reason" ]; then not_ok "$name: the test names the reason it expects"; return; fi
	mx=$(max_id)
	send "$jar" "$@"
	loc=$(location)
	check "$name: answered 303" test "$STATUS" = 303
	check "$name: nothing written to messages or outbox" test "$(written_since "$mx")" = 0
	get "$jar" "$loc"
	check "$name: the next page keeps the text in the box" box_has "$lead" "placeholder=\"Type a message\"> $shown</textarea>"
	check "$name: and says why" box_has "$lead" "class=\"chat-error\" role=\"alert\">$reason"
	local drafts
	drafts=$(sql "SELECT COUNT(*) FROM sms_drafts")
	req -I -b "$jar" "$BASE$loc"; req -b "$jar" -H 'Sec-Purpose: prefetch' "$BASE$loc"
	get "$jar" "$loc"
	check "$name: a HEAD, a prefetch and a reload lose nothing" box_has "$lead" "class=\"chat-error\" role=\"alert\">$reason"
	check "$name: a GET changes nothing" test "$(sql "SELECT COUNT(*) FROM sms_drafts")" = "$drafts"
	get "$jar" "$(echo "$loc" | sed 's/[?&]draft_[0-9]*=[0-9]*$//')"
	check "$name: the page without the refusal does not show it" box_lacks "$lead" 'chat-error'
}
back1() { echo "/leads/$l1?chat=$l1&contact_$l1=$1"; }

# accepted
mx=$(max_id)
send "$T_TMP/al" "$l1" "$bob" "Hello Bob, your rate lock is confirmed." --data-urlencode "back=$(back1 "$bob")"
check "an accepted text answers 303 back to the page" test "$STATUS|$(location)" = "303|$(back1 "$bob")"
accepted "plain text" "$mx"
check "the message has the sender, numbers, kind, encoding, length and billed count" \
	test "$(sent_row "$mx")" = "$(sql "SELECT org_id FROM leads WHERE id = $l1")|$l1|$bob|$u_al|outbound|user|$AL|$BOB|gsm7|39|1"
get "$T_TMP/al" "$(back1 "$bob")"
check "it shows in the conversation as the user's" box_has "$l1" 'msg msg-out"> <div class="bubble"><span class="msg-text">Hello Bob, your rate lock is confirmed.</span> *</div>'
check "with its status under it" box_has "$l1" 'confirmed.</span> *</div> <div class="msg-meta"><span class="msg-sender">Al Agent</span> · <time class="msg-time" datetime="[^"]*" title="[^"]*">[^<]*</time></div> *<div class="msg-status status-'

mx=$(max_id)
send "$T_TMP/al" "$l1" "$bob" "$(printf 'line one\r\nline two')"
check "CRLF from a textarea is one character, as the counter showed" test "$(sent_row "$mx" | cut -d'|' -f9-11)" = "gsm7|17|1"
check "and stored as a line feed" test "$(sql "SELECT COUNT(*) FROM messages WHERE id > $mx AND org_id IN ($ORGS) AND body = 'line one\\nline two'")" = 1
check "without back, it returns to the lead's chatbox" test "$(location)" = "/leads/$l1?chat=$l1"

mx=$(max_id)
send "$T_TMP/al" "$l1" "$bob" "$(printf 'x%.0s' $(seq 1 160))" --data-urlencode "back=//evil.example/x"
check "exactly 160 characters on standard are accepted" test "$(sent_row "$mx" | cut -d'|' -f9-11)" = "gsm7|160|1"
check "an off-site back is not followed" test "$(location)" = "/leads/$l1?chat=$l1"

mx=$(max_id)
send "$T_TMP/al" "$l1" "$rita" "Hi Rita, the appraisal is in."
accepted "a partner with organization consent" "$mx"
mx=$(max_id)
send "$T_TMP/bo" "$l1" "$rita" "Rita, Bo here."
accepted "the partner's consent holds for every agent" "$mx"
check "Bo's text is in Bo's name and number" test "$(sent_row "$mx" | cut -d'|' -f4,7,8)" = "$(id_of d users bo)|$BO|$RITA"

mx=$(max_id)
send "$T_TMP/ava" "$lv" "$vic" "$(printf 'v%.0s' $(seq 1 100))😀"
accepted "advanced: a special character" "$mx"
check "advanced: UCS-2, 102 units, 2 billed" test "$(sent_row "$mx" | cut -d'|' -f9-11)" = "ucs2|102|2"
mx=$(max_id)
send "$T_TMP/ava" "$lv" "$vic" "$(printf 'w%.0s' $(seq 1 320))"
check "advanced: 320 plain characters bill 2 (the article's example)" test "$(sent_row "$mx" | cut -d'|' -f9-11)" = "gsm7|320|2"

# refused: nothing written, the text comes back
refused "organization SMS off" "$T_TMP/oli" "$lo" "SMS is turned off for your organization." "Off org text" \
	"$lo" "$oz" "Off org text" --data-urlencode "back=/leads/$lo?chat=$lo"
refused "no SMS permission" "$T_TMP/nop" "$l1" "You do not have SMS permission." "No permission text" \
	"$l1" "$bob" "No permission text" --data-urlencode "back=$(back1 "$bob")"
refused "no SMS number" "$T_TMP/nonum" "$l1" "You do not have an SMS number." "No number text" \
	"$l1" "$bob" "No number text" --data-urlencode "back=$(back1 "$bob")"
refused "a manager not assigned" "$T_TMP/mgr" "$l1" "You are not assigned to this lead" "Manager text" \
	"$l1" "$bob" "Manager text"
refused "another agent's conversation" "$T_TMP/al" "$l1" "You are viewing another agent&#39;s conversation" \
	"Impersonation text" "$l1" "$bob" "Impersonation text" --data-urlencode "agent=$(id_of d users bo)" \
	--data-urlencode "back=$(back1 "$bob")"
refused "no consent" "$T_TMP/al" "$l1" "No consent" "Dave text" \
	"$l1" "$dave" "Dave text" --data-urlencode "back=$(back1 "$dave")"
refused "pending consent (the box selects the draft's contact)" "$T_TMP/al" "$l1" "Waiting for consent" \
	"Carl &lt;text&gt; &amp; more" "$l1" "$carl" "Carl <text> & more" --data-urlencode "back=/leads?chat=$l1"
refused "a contact without a mobile" "$T_TMP/al" "$l1" "This contact has no mobile number." "Nomo text" \
	"$l1" "$nomo" "Nomo text" --data-urlencode "back=/leads/$l1?chat=$l1"
refused "161 characters on standard" "$T_TMP/al" "$l1" \
	"This message is too long: at most 160 characters on the standard SMS level." "$(printf 'y%.0s' $(seq 1 161))" \
	"$l1" "$bob" "$(printf 'y%.0s' $(seq 1 161))" --data-urlencode "back=$(back1 "$bob")"
refused "a special character on standard" "$T_TMP/al" "$l1" \
	"😀 can&#39;t be sent on your plan&#39;s standard texts. Remove it." "Thanks 😀" \
	"$l1" "$bob" "Thanks 😀" --data-urlencode "back=$(back1 "$bob")"
refused "641 characters on advanced" "$T_TMP/ava" "$lv" \
	"This message is too long: at most 640 characters." "$(printf 'z%.0s' $(seq 1 641))" \
	"$lv" "$vic" "$(printf 'z%.0s' $(seq 1 641))" --data-urlencode "back=/leads/$lv?chat=$lv"
refused "an empty text" "$T_TMP/al" "$l1" "This message is empty." "  " "$l1" "$bob" "  " --data-urlencode "back=$(back1 "$bob")"

# ids that are not the user's: 404/403, nothing written, nothing kept
mx=$(max_id); drafts=$(sql "SELECT COUNT(*) FROM sms_drafts")
send "$T_TMP/al" "$l1" "$zed" "Wrong lead text"
check "a contact of another lead is 404" test "$STATUS" = 404
send "$T_TMP/al" "$lb" "$bee" "Other org text"
check "a lead of another organization is 404" test "$STATUS" = 404
send "$T_TMP/al" "$l1" 999999999 "Absent contact text"
check "an absent contact is 404" test "$STATUS" = 404
send "$T_TMP/al" "" "$bob" "No lead text"
check "a missing lead is 404" test "$STATUS" = 404
req -b "$T_TMP/al" --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" --data-urlencode "body=No csrf" "$BASE/sms/send"
check "a missing csrf token is 403" test "$STATUS" = 403
req -b "$T_TMP/al" --data-urlencode "csrf=0000" --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" --data-urlencode "body=Bad csrf" "$BASE/sms/send"
check "a wrong csrf token is 403" test "$STATUS" = 403
req --data-urlencode "lead=$l1" --data-urlencode "contact=$bob" --data-urlencode "body=Anonymous" "$BASE/sms/send"
check "without a session it is 403" test "$STATUS" = 403
check "none of them wrote a message or outbox row" test "$(written_since "$mx")" = 0
check "none of them kept a draft" test "$(sql "SELECT COUNT(*) FROM sms_drafts")" = "$drafts"

# reassignment: the former agent may not send any more
mx=$(max_id)
send "$T_TMP/mgr" "$lr" "$rob" "Manager while assigned"
accepted "an assigned manager" "$mx"
post "$T_TMP/adm" "/leads/$lr/assignments" --data-urlencode action=reassign \
	--data-urlencode "from=$u_mgr" --data-urlencode "to=$(id_of d users bo)"
check "the lead is reassigned from the manager to Bo" header_has 'done=reassigned'
refused "the former (manager) agent after reassignment" "$T_TMP/mgr" "$lr" "You are no longer assigned to this lead" \
	"After reassignment" "$lr" "$rob" "After reassignment" --data-urlencode "back=/leads/$lr?chat=$lr&agent_$lr=$u_mgr"
get "$T_TMP/mgr" "/leads/$lr?chat=$lr&agent_$lr=$u_mgr"
check "the former agent still reads the conversation" box_has "$lr" 'Manager while assigned'
check "listed under earlier agents" box_has "$lr" 'Earlier</h3> <ul> <li><a class="chat-agent former selected"'
post "$T_TMP/adm" "/leads/$lr/assignments" --data-urlencode action=unassign --data-urlencode "user=$u_al"
mx=$(max_id)
send "$T_TMP/al" "$lr" "$rob" "Agent after unassignment"
check "a former agent (role agent) is refused with the page's reason (303 back)" test "$STATUS" = 303
check "and nothing was written" test "$(written_since "$mx")" = 0
get "$T_TMP/al" "$(location)"
check "the former agent still opens the lead and its chatbox" test "$STATUS" = 200
check "where the text box is greyed out" box_has "$lr" 'readonly'
check "and finds the refused text kept in the box" box_has "$lr" 'Agent after unassignment'

