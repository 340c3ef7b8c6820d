#!/usr/bin/env bash
# Resend: a failed text reaches the borrower once more at most. After one
# Resend its bubble says "Resent" and links the new text, offers no Resend,
# and /sms/resend refuses it (any tokens, any user), also while the resend
# is still queued; nothing more reaches the carrier. Resend checks what a
# Send checks, its warnings included. Counted at the fake carrier.
. "$REPO/tests/e2e/lib.sh"

PW='resend password 1'
A_NUM=$(mobile); B_NUM=$(mobile); BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Resend $UNIQ", "sms_enabled": true, "sms_level": "advanced"}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@resend.test", "name": "Ann Resend", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$A_NUM"},
           {"key": "b", "org": "o", "email": "b.$UNIQ@resend.test", "name": "Ben Resend", "role": "agent",
            "password": "$PW", "sms_permission": true, "sms_number": "$B_NUM"}],
 "leads": [{"key": "l", "org": "o", "name": "Resend lead", "assigned": ["a", "b"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Resend", "mobile": "$BOB"}]}],
 "consents": [{"agent": "a", "contact": "bob", "status": "granted"}, {"agent": "b", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l); bob=$(id_of d contacts bob); org=$(id_of d organizations o)
login "$T_TMP/a" "a.$UNIQ@resend.test" "$PW"
login "$T_TMP/b" "b.$UNIQ@resend.test" "$PW"
CHAT="/leads/$lead?chat=$lead"

callbacks() { curl -sS -o /dev/null -X POST "$CARRIER/_fake/callbacks" -d "mode=$1" -d delay_ms=0; }
trap 'callbacks normal; rm -rf "$T_TMP"' EXIT
send() { # BODY [curl args...]
	local body=$1; shift
	post "$T_TMP/a" /sms/send --data-urlencode "lead=$lead" --data-urlencode "contact=$bob" \
		--data-urlencode "body=$body" --data-urlencode "back=$CHAT" "$@"
}
id_of_body() { sql "SELECT id FROM messages WHERE body = '$1' ORDER BY id LIMIT 1"; }
copies() { sql "SELECT COUNT(*) FROM messages WHERE body = '$1'"; }
# the once token of the Resend form of message ID in the last page
resend_token() { grep -o "name=\"once\" value=\"[0-9a-f]*\"><input type=\"hidden\" name=\"message\" value=\"$1\"" "$T_TMP/body" | sed 's/.*once" value="\([0-9a-f]*\)".*/\1/'; }
resend() { # JAR ID [curl args...]
	local jar=$1 id=$2; shift 2
	post "$T_TMP/$jar" /sms/resend --data-urlencode "message=$id" --data-urlencode "back=$CHAT" "$@"
}
# fails the next text at the carrier (30003, unreachable), then waits for it
fail_one() { # BODY [curl args for send...]
	local body=$1; shift
	callbacks fail_at_sent
	send "$body" "$@"
	wait_sql 30 "SELECT status FROM messages WHERE body = '$body'" undelivered
	local rc=$?
	callbacks normal
	return $rc
}

# 1. a text fails; Resend sends it again, once
B1="Your appraisal is Tuesday ($UNIQ)"
check "a text fails at the carrier (30003)" fail_one "$B1"
failed=$(id_of_body "$B1")
get "$T_TMP/a" "$CHAT"
check "its bubble offers Resend" body_has "name=\"message\" value=\"$failed\"><input type=\"hidden\" name=\"back\" value=\"[^\"]*\"><button type=\"submit\" class=\"link-button\">Resend</button>"
once=$(resend_token "$failed")
check "with a one-time token" test ${#once} = 64
resend a "$failed" --data-urlencode "once=$once"
check "Resend answers with the chatbox (303)" test "$STATUS $(location)" = "303 $CHAT"
check "the resend is delivered" wait_sql 15 "SELECT COUNT(*) FROM messages WHERE body = '$B1' AND status = 'delivered'"
resent=$(sql "SELECT MAX(id) FROM messages WHERE body = '$B1'")
check "the carrier received the text twice: the failed one and the resend" test "$(carrier_created "$B1")" = 2
get "$T_TMP/a" "$CHAT"
check "the chatbox answers 200" test "$STATUS" = 200
check "the failed bubble says Resent, linking the new text" body_has "<a class=\"msg-resent\" href=\"#msg-$resent\">Resent</a>"
check "the new text's bubble is the link's target" body_has "<li id=\"msg-$resent\" class=\"msg msg-out"
page_lacks "the failed bubble offers no Resend any more" 200 "id=\"chat-$lead\"" "name=\"message\" value=\"$failed\""

# 2. pressing Resend again, however it is sent, sends nothing
resend a "$failed" --data-urlencode "once=$once"
check "the same form again: nothing more is queued" test "$(copies "$B1")" = 2
resend a "$failed" --data-urlencode "once=$(printf 'f%.0s' $(seq 64))"
check "a new token is refused (409)" test "$STATUS" = 409
check "saying it was resent already" body_has 'This text was resent already; a failed text is resent once. Nothing was sent.'
resend a "$failed"
check "no token: refused too (409)" test "$STATUS" = 409
resend b "$failed"
check "another agent on the lead cannot resend it (404)" test "$STATUS" = 404
check "still two copies of the text" test "$(copies "$B1")" = 2

# 3. while the resend is still queued (the carrier answers 503 a few times)
B2="Please send the pay stubs ($UNIQ)"
check "a second text fails at the carrier" fail_one "$B2"
failed2=$(id_of_body "$B2")
curl -sS -o /dev/null -X POST "$CARRIER/_fake/fail" -d count=5 -d mode=503
resend a "$failed2"
check "its resend is accepted (303)" test "$STATUS" = 303
check "and waits in the outbox (the carrier refuses it for now)" test "$(sql "SELECT COUNT(*) FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.body = '$B2'")" = 1
resend a "$failed2"
check "a second Resend meanwhile is refused (409)" test "$STATUS" = 409
check "the resend is delivered once the carrier takes it" wait_sql 20 "SELECT COUNT(*) FROM messages WHERE body = '$B2' AND status = 'delivered'"
check "two copies in all at the carrier" test "$(carrier_created "$B2")" = 2
check "two messages in all" test "$(copies "$B2")" = 2

# 4. two Resends at once: one wins
B3="Closing moved to Friday ($UNIQ)"
check "a third text fails at the carrier" fail_one "$B3"
failed3=$(id_of_body "$B3")
# each with its own copy of the session's cookie jar and its own files: two
# curls writing one jar at once can leave it without the session, and the
# next step's requests then answer 403 (it happened under the sanitizers)
cp "$T_TMP/a" "$T_TMP/a2"
curl -sS -o "$T_TMP/page3" -b "$T_TMP/a" "$BASE/profile"
token3=$(csrf_from "$T_TMP/page3")
for j in a a2; do
	curl -sS -o /dev/null -w '%{http_code}\n' -b "$T_TMP/$j" -c "$T_TMP/$j" \
		--data-urlencode "csrf=$token3" --data-urlencode "message=$failed3" \
		--data-urlencode "back=$CHAT" "$BASE/sms/resend" > "$T_TMP/status-$j" &
done
wait
both=$(sort "$T_TMP/status-a" "$T_TMP/status-a2" | tr '\n' ' ')
check "both were taken as the agent's: one accepted, the other accepted or refused ($both)" \
	grep -Eq '^303 (303|409) $' <<<"$both"
check "two Resends at the same moment queue one text" test "$(copies "$B3")" = 2
# the carrier's mode is the next step's: the resend goes out with this one's
check "that resend is delivered" wait_sql 30 "SELECT COUNT(*) FROM messages WHERE body = '$B3' AND status = 'delivered'"

# 5. Resend checks the warnings a Send checks: a link shortener
B4="Upload it at bit.ly/up$UNIQ please"
check "a text sent anyway with a shortener's link fails" fail_one "$B4" --data-urlencode send_anyway=1
failed4=$(id_of_body "$B4")
get "$T_TMP/a" "$CHAT"
check "its bubble says the warning next to Resend anyway" body_has "name=\"message\" value=\"$failed4\"><input type=\"hidden\" name=\"back\" value=\"[^\"]*\"><input type=\"hidden\" name=\"send_anyway\" value=\"1\"><span class=\"msg-resend-warning\">It holds a link through bit.ly, a link shortener carriers often block.</span> <button type=\"submit\" class=\"link-button\">Resend anyway</button>"
resend a "$failed4"
check "Resend without confirming is refused (409)" test "$STATUS" = 409
check "saying why" body_has 'public link shortener'
check "and queues nothing" test "$(copies "$B4")" = 1
resend a "$failed4" --data-urlencode send_anyway=1
check "Resend anyway is accepted (303)" test "$STATUS" = 303
check "the resend keeps who chose to send it anyway" test "$(sql "SELECT link_shortener, sent_anyway_by IS NOT NULL FROM messages WHERE body = '$B4' ORDER BY id DESC LIMIT 1")" = "$(printf 'bit.ly\t1')"

# 6. sensitive data under the block policy: no Resend at all
B5="My SSN is 123-45-6789? ($UNIQ)"
check "a text sent anyway with an SSN fails" fail_one "$B5" --data-urlencode send_anyway=1
failed5=$(id_of_body "$B5")
sql "UPDATE organizations SET sensitive_policy = 'block' WHERE id = $org"
get "$T_TMP/a" "$CHAT"
page_lacks "under the block policy its bubble offers no Resend" 200 "id=\"chat-$lead\"" "name=\"message\" value=\"$failed5\""
check "and says why" body_has 'msg-resend-refused">This text looks like it contains a Social Security number.'
resend a "$failed5" --data-urlencode send_anyway=1
check "Resend anyway is refused (409)" test "$STATUS" = 409
check "nothing was queued" test "$(copies "$B5")" = 1
sql "UPDATE organizations SET sensitive_policy = 'warn' WHERE id = $org"

# a sentinel sent last: everything before it has reached the carrier
S="Sentinel after the resends ($UNIQ)"
send "$S"
check "the sentinel reaches the carrier" wait_sql 15 "SELECT carrier_sid IS NOT NULL FROM messages WHERE body = '$S'"
check "the refused resends never reached the carrier" test "$(carrier_created "$B1") $(carrier_created "$B3") $(carrier_created "$B4") $(carrier_created "$B5")" = "2 2 2 1"
