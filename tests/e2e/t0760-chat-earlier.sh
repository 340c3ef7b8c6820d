#!/usr/bin/env bash
# The chatbox shows the newest 50 texts of its conversation; "Earlier
# messages" is a plain link to the same page with before_LEAD=M (the oldest
# text shown), which shows the 50 before it, down to the first; "Latest
# messages" goes back. before_LEAD only bounds the conversation already
# chosen: another conversation's text id shows this one's texts only, and a
# malformed one, or one on a lead the user may not see, draws no box.
. "$REPO/tests/e2e/lib.sh"

PW='earlier pass 1'
AL_NUM=$(mobile); BO_NUM=$(mobile); BOB=$(mobile); ZED=$(mobile); ROY=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Earlier $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@earlier.test", "name": "Al Early", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@earlier.test", "name": "Bo Other", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$BO_NUM"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Bob purchase", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Early", "mobile": "$BOB"}]},
  {"key": "l2", "org": "o", "name": "Zed refi", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed Other", "mobile": "$ZED"}]},
  {"key": "l3", "org": "o", "name": "Roy refi", "assigned": ["bo"], "contacts": [
     {"key": "roy", "role": "borrower", "name": "Roy Hidden", "mobile": "$ROY"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); l3=$(id_of d leads l3)
bob=$(id_of d contacts bob); zed=$(id_of d contacts zed); roy=$(id_of d contacts roy)
al=$(id_of d users al); bo=$(id_of d users bo)

# texts: COUNT of them on LEAD with CONTACT (NUMBER) and AGENT (ANUMBER),
# "TAG 001 (UNIQ)" up, an hour apart, alternately in and out
texts() { # LEAD CONTACT NUMBER AGENT ANUMBER COUNT TAG
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, kind, agent_number,
		contact_number, body, encoding, length, billed, status, created_at, updated_at)
		SELECT l.org_id, $1, $2, $4, IF(s.seq % 2, 'inbound', 'outbound'), 'user', '$5', '$3',
			CONCAT('$7 ', LPAD(s.seq, 3, '0'), ' ($UNIQ)'), 'gsm7', 20, 1,
			IF(s.seq % 2, 'received', 'delivered'),
			NOW() - INTERVAL ($6 - s.seq) HOUR, NOW() - INTERVAL ($6 - s.seq) HOUR
		FROM seq_1_to_$6 s JOIN leads l ON l.id = $1 ORDER BY s.seq"
}
check "120 texts with Bob" texts "$l1" "$bob" "$BOB" "$al" "$AL_NUM" 120 Bob
check "3 texts with Zed, after Bob's" texts "$l2" "$zed" "$ZED" "$al" "$AL_NUM" 3 Zed
check "3 texts with Roy (Bo's lead)" texts "$l3" "$roy" "$ROY" "$bo" "$BO_NUM" 3 Roy
id_of_text() { sql "SELECT id FROM messages WHERE body = '$1 ($UNIQ)'"; }
b1=$(id_of_text "Bob 001"); b21=$(id_of_text "Bob 021"); b71=$(id_of_text "Bob 071")
z1=$(id_of_text "Zed 001"); r1=$(id_of_text "Roy 001")
check "the texts have ids" test -n "$b1" -a -n "$b21" -a -n "$b71" -a -n "$z1" -a -n "$r1"

login "$T_TMP/al" "al.$UNIQ@earlier.test" "$PW"
box="/leads/$l1?chat=$l1&contact_$l1=$bob"
bubbles() { grep -o 'class="bubble"' "$T_TMP/body" | wc -l; }
# the href of the box's link LABEL, unescaped ("" when none)
link() { grep -o "<li class=\"msg-earlier\"><a href=\"[^\"]*\">$1</a>" "$T_TMP/body" |
	sed 's/.* href="\([^"]*\)".*/\1/; s/&amp;/\&/g'; }
# shown FIRST LAST: texts FIRST to LAST of Bob's are on the page, in order,
# and those just outside are not
shown() {
	local first=$1 last=$2 got want
	got=$(grep -o "<span class=\"msg-text\">Bob [0-9]* ($UNIQ)</span>" "$T_TMP/body" |
		sed 's/.*Bob \([0-9]*\).*/\1/' | tr '\n' ' ')
	want=$(seq -f '%03g' "$first" "$last" | tr '\n' ' ')
	[ "$got" = "$want" ] || { echo "shown: $got" >&2; return 1; }
}

get "$T_TMP/al" "$box"
check "the box answers" test "$STATUS" = 200
check "it shows 50 texts" test "$(bubbles)" = 50
check "the newest 50, oldest first (071 to 120)" shown 71 120
check "Earlier messages links to the texts before the oldest shown" \
	test "$(link 'Earlier messages')" = "$box&before_$l1=$b71"
check "no Latest messages on the newest page" test -z "$(link 'Latest messages')"

get "$T_TMP/al" "$box&before_$l1=$b71"
check "the earlier page answers" test "$STATUS" = 200
check "it shows 021 to 070" shown 21 70
check "Earlier messages again, before 021" test "$(link 'Earlier messages')" = "$box&before_$l1=$b21"
check "Latest messages goes back to the newest" test "$(link 'Latest messages')" = "$box"
check "the send form comes back to the newest, not to this page" \
	grep -qF "<input type=\"hidden\" name=\"back\" value=\"/leads/$l1?chat=$l1&amp;contact_$l1=$bob\">" "$T_TMP/body"

get "$T_TMP/al" "$box&before_$l1=$b21"
check "the first page shows 001 to 020" shown 1 20
check "and no Earlier messages" test -z "$(link 'Earlier messages')"
check "but Latest messages" test "$(link 'Latest messages')" = "$box"

# another conversation's text (Zed's, newer than all of Bob's): a bound only
get "$T_TMP/al" "$box&before_$l1=$z1"
check "before another conversation's text: Bob's newest 50" shown 71 120
page_lacks "and none of Zed's texts" 200 "Bob 120 ($UNIQ)" '<span class="msg-text">Zed'
# a hidden lead's text id as the bound of one's own box: nothing of it
get "$T_TMP/al" "$box&before_$l1=$((r1 + 1))"
page_lacks "before a hidden lead's text: none of Roy's texts" 200 "Bob 120 ($UNIQ)" '<span class="msg-text">Roy'
# a hidden lead's box with before: no box, no texts
get "$T_TMP/al" "/leads/$l1?chat=$l3&contact_$l3=$roy&before_$l3=$((r1 + 3))"
page_lacks "a hidden lead's box with before_ shows none of its texts" 200 "A chatbox was closed" '<span class="msg-text">'
get "$T_TMP/al" "/leads/$l1?chat=$l3&before_$l3=$((r1 + 3))&chat=$l1&contact_$l1=$bob"
check "next to it, one's own box still shows its newest" shown 71 120
# malformed: the box is not drawn, the page is
for bad in abc 0 -5 "${b71}x"; do
	get "$T_TMP/al" "$box&before_$l1=$bad"
	page_lacks "before_$l1=$bad: the box is closed, the page drawn" 200 "A chatbox was closed" '<span class="msg-text">'
done
