#!/usr/bin/env bash
# Send later, on the clock the tests move: the chatbox schedules a text for
# a time in the agent's own zone (a datetime-local field and a "Send later"
# button, no JavaScript needed); it waits in the outbox, shows as scheduled
# with its time, can be cancelled, goes once at its time, and obeys every
# rule when it goes (quiet hours, consent). A time past, or more than a year
# ahead, or no time at all, is refused with a clear message and writes
# nothing.
. "$REPO/tests/e2e/lib.sh"
trap 'clock_reset; rm -rf "$T_TMP"' EXIT

PW='send later password 1'
AL="+1737$(nanp7)"; LA="+1737$(nanp7)"
TEX="+1512$(nanp7)"; TOM="+1512$(nanp7)"; WES="+1512$(nanp7)"
user() { # KEY ROLE NAME [extra json]
	echo "{\"key\": \"$1\", \"org\": \"s\", \"email\": \"$1.$UNIQ@later.test\", \"name\": \"$3\", \"role\": \"$2\", \"password\": \"$PW\"${4:+, $4}}"
}
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "s", "name": "Later $UNIQ", "sms_enabled": true}],
 "users": [
  $(user adm admin "Ada Admin"),
  $(user al agent "Al Agent" "\"sms_permission\": true, \"sms_number\": \"$AL\", \"time_zone\": \"America/Chicago\""),
  $(user la agent "Lu Angeles" "\"sms_permission\": true, \"sms_number\": \"$LA\", \"time_zone\": \"America/Los_Angeles\"")],
 "leads": [
  {"key": "l1", "org": "s", "name": "Later one", "assigned": ["al", "la"], "contacts": [
     {"key": "tex", "role": "borrower", "name": "Tex Austin", "mobile": "$TEX"},
     {"key": "tom", "role": "co_borrower", "name": "Tom Round", "mobile": "$TOM"},
     {"key": "wes", "role": "co_borrower", "name": "Wes Stop", "mobile": "$WES"}]}],
 "consents": [
  {"agent": "al", "contact": "tex", "status": "granted"},
  {"agent": "al", "contact": "tom", "status": "granted"},
  {"agent": "al", "contact": "wes", "status": "granted"},
  {"agent": "la", "contact": "tex", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1)
for k in tex tom wes; do eval "$k=$(id_of d contacts $k)"; done
u_al=$(id_of d users al)
ORG=$(sql "SELECT org_id FROM leads WHERE id = $l1")

D=$(TZ=America/Chicago date -d '+2 days' +%F)
D1=$(TZ=America/Chicago date -d "$D + 1 day" +%F)
utc() { TZ=UTC date -d "TZ=\"$2\" $1" '+%Y-%m-%d %H:%M'; }  # WALL ZONE -> UTC
# WALL ZONE -> as the pages write it, a grep pattern: "Dec 8, 8:00 AM EST" (the year when not this one)
shown_at() { TZ="$2" date -d "TZ=\"$2\" $1" '+%b %-d, \(%Y, \)\?%-I:%M %p %Z'; }
at() { clock_set "TZ=\"$2\" $1"; }
signin() { for u in adm al la; do login "$T_TMP/$u" "$u.$UNIQ@later.test" "$PW"; done; }
later() { # JAR CONTACT BODY SEND_AT
	post "$T_TMP/$1" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$2" \
		--data-urlencode "body=$3" --data-urlencode "later=1" --data-urlencode "send_at=$4" \
		--data-urlencode "back=/leads/$l1?chat=$l1&contact_$l1=$2"
}
last_id() { sql "SELECT COALESCE(MAX(id), 0) FROM messages WHERE org_id = $ORG AND direction = 'outbound' AND contact_id = $1"; }
status() { sql "SELECT status FROM messages WHERE id = $1"; }
hold() { sql "SELECT CONCAT(hold, ' ', DATE_FORMAT(next_attempt_at, '%Y-%m-%d %H:%i')) FROM outbox WHERE message_id = $1"; }
count() { sql "SELECT COUNT(*) FROM messages WHERE org_id = $ORG"; }

# ---- 10:00 in Chicago
at "$D 10:00" America/Chicago
signin
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$tex"
check "the chatbox offers Send later, with a date and time field" body_has 'type="datetime-local"'
check "... in the agent's zone" body_has "Send at (your time, C[SD]T)"
later al "$tex" "later at three $UNIQ" "${D}T15:00"
t3=$(last_id "$tex")
check "scheduled for 15:00 Chicago: accepted (303)" test "$STATUS" = 303
check "it waits for its time (send_later, 15:00 Chicago in UTC)" test "$(hold "$t3")" = "send_later $(utc "$D 15:00" America/Chicago)"
check "the message keeps the time chosen" test "$(sql "SELECT DATE_FORMAT(send_at, '%Y-%m-%d %H:%i') FROM messages WHERE id = $t3")" = "$(utc "$D 15:00" America/Chicago)"
later la "$tex" "later from LA $UNIQ" "${D}T13:00"
l13=$(sql "SELECT MAX(id) FROM messages WHERE org_id = $ORG AND body = 'later from LA $UNIQ'")
check "another agent's 13:00 is 13:00 in her zone (Los Angeles)" test "$(hold "$l13")" = "send_later $(utc "$D 13:00" America/Los_Angeles)"
later al "$tom" "later cancelled $UNIQ" "${D}T16:00"
t_cancel=$(last_id "$tom")
later al "$wes" "later opted out $UNIQ" "${D}T15:00"
w_stop=$(last_id "$wes")
later al "$tom" "later at night $UNIQ" "${D}T23:30"
t_night=$(last_id "$tom")
check "a time in quiet hours (23:30) waits for the window: 08:00 next morning" test "$(hold "$t_night")" = "quiet_hours $(utc "$D1 08:00" America/Chicago)"

get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$tex"
check "the chatbox shows it scheduled, with its time in the agent's zone" body_has "Scheduled: will be sent $(shown_at "$D 15:00" America/Chicago)"
check "with Cancel" body_has 'action="/sms/cancel"'

# refusals: nothing written, the text back in its box with the reason
for case in "${D}T09:00|That time has passed" "$(TZ=America/Chicago date -d "$D + 400 days" +%F)T10:00|A text can be scheduled at most a year ahead" \
	"tomorrow|Choose the date and time" "|Choose the date and time" "${D}T25:00|Choose the date and time" \
	"${D}T15:00:00junk|Choose the date and time"; do
	when=${case%%|*}; why=${case#*|}
	n=$(count)
	later al "$tex" "refused later $UNIQ" "$when"
	loc=$(location)
	check "send at \"$when\": nothing written" test "$(count)" = "$n"
	get "$T_TMP/al" "$loc"
	check "send at \"$when\": refused with \"$why\"" body_has "class=\"chat-error\" role=\"alert\">$why"
	check "send at \"$when\": the text comes back in its box" body_has "refused later $UNIQ</textarea>"
done

# a text to send later that needs confirming (a link shortener) keeps its
# time: Send anyway schedules it, it does not send it now
later la "$tex" "later link $UNIQ https://bit.ly/3xYz" "${D}T13:30"
check "a text to send later with a link shortener is held for confirmation" test "$STATUS" = 303
get "$T_TMP/la" "$(location)"
check "... its box keeps the time chosen" body_has "value=\"${D}T13:30\""
check "... and says the draft was to go later" body_has 'name="draft_later" value="1"'
post "$T_TMP/la" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$tex" \
	--data-urlencode "body=later link $UNIQ https://bit.ly/3xYz" --data-urlencode "send_anyway=1" \
	--data-urlencode "draft_later=1" --data-urlencode "send_at=${D}T13:30" \
	--data-urlencode "back=/leads/$l1?chat=$l1&contact_$l1=$tex"
l_link=$(sql "SELECT COALESCE(MAX(id), 0) FROM messages WHERE org_id = $ORG AND body = 'later link $UNIQ https://bit.ly/3xYz'")
check "Send anyway keeps the time: it waits for 13:30 in her zone" test "$(hold "$l_link")" = "send_later $(utc "$D 13:30" America/Los_Angeles)"

# cancel one; a STOP meanwhile stops another
post "$T_TMP/al" /sms/cancel --data-urlencode "message=$t_cancel"
check "the agent cancels a text sent later" test "$STATUS:$(status "$t_cancel")" = 303:cancelled
post "$T_TMP/al" "/leads/$l1/consents/optout" --data-urlencode "contact=$wes" --data-urlencode "note=asked by phone to stop"
check "an opt-out is recorded meanwhile" test "$(sql "SELECT status FROM consents WHERE org_id = $ORG AND contact_number = '$WES'")" = none

# ---- 13:00 in Los Angeles (15:00 in Chicago): the ones due go, once
# (sentinels: help_answered in lib.sh; Lu's number, so that Al's usage
# below stays as it is; Al's number last sent hours before on this clock,
# so nothing of his waits for its turn)
at "$D 14:59" America/Chicago
check "14:59: a text due now goes (a HELP answered: the sentinel)" help_answered "$TEX" "$LA"
check "14:59 in Chicago: nothing sent yet" test "$(status "$t3")" = queued
check "14:59: the carrier has none of them" test "$(carrier_created "later at three $UNIQ")$(carrier_created "later from LA $UNIQ")" = 00
check "the opted-out one is not sent: failed at once, consent withdrawn" wait_sql 10 "SELECT status = 'failed' FROM messages WHERE id = $w_stop"
at "$D 15:00:30" America/Chicago
check "15:00 in Chicago: the text goes" wait_sql 15 "SELECT status <> 'queued' FROM messages WHERE id = $t3"
check "13:00 in Los Angeles: hers goes too" wait_sql 15 "SELECT status <> 'queued' FROM messages WHERE id = $l13"
check "each reaches the carrier once" test "$(carrier_created "later at three $UNIQ")$(carrier_created "later from LA $UNIQ")" = 11
check "13:00 in Los Angeles: the one confirmed for 13:30 has not gone" test "$(carrier_created "later link $UNIQ https://bit.ly/3xYz")" = 0
at "$D 16:00:30" America/Chicago
check "16:00: a text due now goes (the sentinel)" help_answered "$TEX" "$LA"
check "16:00: the cancelled one never goes" test "$(carrier_created "later cancelled $UNIQ"):$(status "$t_cancel")" = 0:cancelled
check "the opted-out one never went" test "$(carrier_created "later opted out $UNIQ")" = 0
at "$D 23:30:30" America/Chicago
check "23:30: an answer to HELP goes at night (the sentinel)" help_answered "$TEX" "$LA"
check "23:30: the one due at night still waits for the window" test "$(status "$t_night")" = queued
at "$D1 08:00:30" America/Chicago
check "08:00 next morning: it goes" wait_sql 15 "SELECT status <> 'queued' FROM messages WHERE id = $t_night"
check "once" test "$(carrier_created "later at night $UNIQ")" = 1
signin
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$tom"
check "the cancelled text shows as cancelled" body_has '<div class="msg-status status-cancelled">Cancelled'
get "$T_TMP/al" "/leads/$l1/loanfile.csv"
check "the loan file's CSV lists the cancelled text with its status" grep -q "\"cancelled\".*\"later cancelled $UNIQ\"" "$T_TMP/body"
get "$T_TMP/al" "/leads/$l1/loanfile"
check "and its page" body_has "Cancelled (never sent)"
# Al: two sent (15:00 and the next morning), one failed (opted out), one
# cancelled (neither sent nor failed), one opt-out recorded
get "$T_TMP/adm" "/reports/usage.csv?month=$(TZ=UTC date -d "TZ=\"America/Chicago\" $D 10:00" +%Y-%m)"
check "the usage report counts the cancelled text neither as sent nor as failed" grep -q "\"$u_al\",\"Al Agent\",\"2\",\"0\",\"2\",\"1\",\"1\"" "$T_TMP/body"
