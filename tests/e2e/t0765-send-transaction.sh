#!/usr/bin/env bash
# POST /sms/send reads everything it needs before its transaction, so that
# the transaction holds the conversation's row (the messages triggers move
# it on, schema/triggers/messages.sql) as briefly as it can: the
# organization's quiet hours come with the session, whether the box keeps
# a draft with the contact's facts. A send is seven round trips (the
# session, the lead, the contact; begin, the message, its outbox row,
# commit), eight when it drops the box's draft; the quiet hours it holds a
# text for are the organization's as the session read them.
. "$REPO/tests/e2e/lib.sh"

# the round trips on the real time: a moved clock costs each request one
# more round trip (its SET timestamp)
echo 0 > "$STACK_DIR/clock"
trap 'clock_reset; rm -rf "$T_TMP"' EXIT

PW='send transaction password 1'
AL="+1737$(nanp7)"; TEX="+1512$(nanp7)"
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Send Tx $UNIQ", "sms_enabled": true,
                    "time_zone": "America/Chicago"}],
 "users": [{"key": "al", "org": "o", "email": "al.$UNIQ@sendtx.test", "name": "Al Agent",
            "role": "agent", "password": "$PW", "sms_permission": true, "sms_number": "$AL"}],
 "leads": [{"key": "l", "org": "o", "name": "Send Tx lead", "assigned": ["al"],
            "contacts": [{"key": "tex", "role": "borrower", "name": "Tex Austin", "mobile": "$TEX"}]}],
 "consents": [{"agent": "al", "contact": "tex", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l=$(id_of d leads l) tex=$(id_of d contacts tex)
ORG=$(sql "SELECT org_id FROM leads WHERE id = $l")
login "$T_TMP/al" "al.$UNIQ@sendtx.test" "$PW"
session=$(awk '$6 == "smsdesk_session" { print $7 }' "$T_TMP/al")
curl -sS -o "$T_TMP/profile.html" -b "$T_TMP/al" "$BASE/profile"
csrf=$(csrf_from "$T_TMP/profile.html")
back="/leads/$l?chat=$l&contact_$l=$tex"

# ---- round trips: a second smsdesk of the build under test, one worker,
# log.debug on, no dispatcher (the texts stay queued)
export FCGI_SOCKET=$T_TMP/tx.sock
log=$T_TMP/tx.log
SMSDESK_LISTEN=$FCGI_SOCKET SMSDESK_WORKERS=1 SMSDESK_DISPATCHER=0 SMSDESK_LOG_DEBUG=on \
	"$E2E_SMSDESK_BIN" 2>"$log" &
pid=$!
check "a second smsdesk starts" stack_wait 100 test -S "$FCGI_SOCKET"
form() { # BODY
	printf 'lead=%s&contact=%s&body=%s&back=%s&csrf=%s' "$l" "$tex" "$(jq -rn --arg v "$1" '$v|@uri')" \
		"$(jq -rn --arg v "$back" '$v|@uri')" "$(jq -rn --arg v "$csrf" '$v|@uri')"
}
n_sends=0
send() { # BODY: one POST, waits for its line in the log
	COOKIE="smsdesk_session=$session" fcgi POST /sms/send "$(form "$1")" > "$T_TMP/answer"
	n_sends=$((n_sends + 1))
	stack_wait 50 test "$(grep -c ' request POST /sms/send ' "$log")" -ge "$n_sends"
}
trips() { grep -o ' request POST /sms/send .*' "$log" | sed -n "${1}p"; }
queued() { sql "SELECT COUNT(*) FROM messages m JOIN outbox o ON o.message_id = m.id
	WHERE m.org_id = $ORG AND m.body = '$1' AND m.status = 'queued'"; }
drafts() { sql "SELECT COUNT(*) FROM sms_drafts d JOIN sessions s ON s.id = d.session_id
	WHERE d.lead_id = $l AND d.contact_id = $tex AND s.user_id = $(id_of d users al)"; }

send "Warm-up $UNIQ"   # prepares the statements on this connection
send "First $UNIQ"
check "an accepted text answers 303 back to its box" grep -q "^Location: $back" "$T_TMP/answer"
check "it is queued with its outbox row" test "$(queued "First $UNIQ")" = 1
check "a send is seven round trips: session, lead, contact; begin, message, outbox, commit ($(trips 2))" \
	bash -c "grep -o ' request POST /sms/send .*' '$log' | sed -n 2p | grep -q ' 303 db_round_trips=7$'"

# a refused text (an empty one) is kept as the box's draft; the next
# accepted one drops it, in its transaction: one more round trip
for i in 1 2; do
	send ""
	check "a refused text keeps a draft ($i)" test "$(drafts)" = 1
	send "After a draft $i $UNIQ"
	check "the accepted text after it is queued ($i)" test "$(queued "After a draft $i $UNIQ")" = 1
	check "and drops the draft ($i)" test "$(drafts)" = 0
done
check "a send that drops a draft is eight round trips ($(trips 6))" \
	bash -c "grep -o ' request POST /sms/send .*' '$log' | sed -n 6p | grep -q ' 303 db_round_trips=8$'"
send "No draft now $UNIQ"
check "without a draft, seven again ($(trips 7))" \
	bash -c "grep -o ' request POST /sms/send .*' '$log' | sed -n 7p | grep -q ' 303 db_round_trips=7$'"
kill -TERM "$pid"
wait "$pid"
check "it stops cleanly" grep -q 'smsdesk stopped' "$log"
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: .*Sanitizer' -e 'runtime error:' '$log'"
unset FCGI_SOCKET

# ---- quiet hours as the session read them: the organization's window,
# whatever the default (08:00-21:00), on the stack's smsdesk and its clock
D=$(TZ=America/Chicago date -d '+2 days' +%F)
# the outbox row's hold, or the text's status once the dispatcher took it
hold_of() { sql "SELECT COALESCE(o.hold, m.status) FROM messages m
	LEFT JOIN outbox o ON o.message_id = m.id WHERE m.org_id = $ORG AND m.body = '$1'"; }
quiet() { # WINDOW WALL-TIME BODY: the organization's window, then a text at that time
	sql "UPDATE organizations SET quiet_hours = '$1' WHERE id = $ORG"
	clock_set "TZ=\"America/Chicago\" $D $2"
	login "$T_TMP/al" "al.$UNIQ@sendtx.test" "$PW"   # (the old session idled out)
	post "$T_TMP/al" /sms/send --data-urlencode "lead=$l" --data-urlencode "contact=$tex" \
		--data-urlencode "body=$3" --data-urlencode "back=$back"
}
quiet "15:00-20:00" 12:00 "Noon $UNIQ"
check "at noon, with the window 15:00-20:00, the text is held for it" \
	test "$(hold_of "Noon $UNIQ")" = quiet_hours
# held by the send itself: the dispatcher, woken by it, found nothing due
# (had the send let it go, the dispatcher would have held it, logging so)
noon=$(sql "SELECT id FROM messages WHERE org_id = $ORG AND body = 'Noon $UNIQ'")
sleep 1.5
check "held by the send, not by the dispatcher after it" \
	bash -c "! grep -q '\[dispatch\] message $noon: outside' '$STACK_DIR/smsdesk.log'"
quiet "19:00-24:00" 21:30 "Late $UNIQ"
late=$(hold_of "Late $UNIQ")
check "at 21:30, with the window 19:00-24:00, it goes at once ($late)" \
	bash -c "[ -n '$late' ] && [ '$late' != quiet_hours ] && [ '$late' != send_later ]"
