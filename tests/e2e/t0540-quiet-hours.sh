#!/usr/bin/env bash
# Quiet hours, on the clock the tests move (test.clock_file): a text an
# agent sends outside the recipient's window (08:00-21:00 their time, or
# 08:00-20:00 in Florida) is accepted and held in the outbox until the
# window opens; the chatbox shows it as scheduled, its sender or an admin
# can cancel it; the dispatcher checks the window again when it goes, and
# every other rule (a STOP meanwhile: not sent). Answers to the contact's
# own text (STOP, HELP) go at once. The setting is validated on the admin
# page and in the import.
. "$REPO/tests/e2e/lib.sh"
trap 'clock_reset; rm -rf "$T_TMP"' EXIT

PW='quiet hours password 1'
AL="+1737$(nanp7)"; BO="+1737$(nanp7)"; ADM="+1737$(nanp7)"
TEX="+1512$(nanp7)"; CAL="+1415$(nanp7)"; FLA="+1305$(nanp7)"; PEN="+1512$(nanp7)"; NYC="+1212$(nanp7)"
user() { # KEY ROLE NAME [extra json]
	echo "{\"key\": \"$1\", \"org\": \"q\", \"email\": \"$1.$UNIQ@quiet.test\", \"name\": \"$3\", \"role\": \"$2\", \"password\": \"$PW\"${4:+, $4}}"
}
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "q", "name": "Quiet $UNIQ", "sms_enabled": true, "time_zone": "America/Chicago"}],
 "users": [
  $(user adm admin "Ada Admin" "\"sms_permission\": true, \"sms_number\": \"$ADM\""),
  $(user al agent "Al Agent" "\"sms_permission\": true, \"sms_number\": \"$AL\""),
  $(user bo agent "Bo Agent" "\"sms_permission\": true, \"sms_number\": \"$BO\"")],
 "leads": [
  {"key": "l1", "org": "q", "name": "Quiet one", "assigned": ["al", "bo"], "contacts": [
     {"key": "tex", "role": "borrower", "name": "Tex Austin", "mobile": "$TEX"},
     {"key": "cal", "role": "co_borrower", "name": "Cal Frisco", "mobile": "$CAL"},
     {"key": "fla", "role": "co_borrower", "name": "Flo Miami", "mobile": "$FLA"},
     {"key": "pen", "role": "co_borrower", "name": "Pen Ding", "mobile": "$PEN"},
     {"key": "nyc", "role": "co_borrower", "name": "Ny Cee", "mobile": "$NYC"}]}],
 "consents": [
  {"agent": "al", "contact": "tex", "status": "granted"},
  {"agent": "al", "contact": "cal", "status": "granted"},
  {"agent": "al", "contact": "fla", "status": "granted"},
  {"agent": "al", "contact": "nyc", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1)
for k in tex cal fla pen nyc; do eval "$k=$(id_of d contacts $k)"; done
u_al=$(id_of d users al)
ORG=$(sql "SELECT org_id FROM leads WHERE id = $l1")

# a day to come, in Chicago (no DST change near it in these tests)
D=$(TZ=America/Chicago date -d '+2 days' +%F)
D1=$(TZ=America/Chicago date -d "$D + 1 day" +%F)
utc() { TZ=UTC date -d "TZ=\"$2\" $1" '+%Y-%m-%d %H:%M'; }  # WALL ZONE -> UTC
# WALL ZONE -> as the pages write it, a grep pattern: "Dec 8, 8:00 AM EST" (the year when not this one)
shown_at() { TZ="$2" date -d "TZ=\"$2\" $1" '+%b %-d, \(%Y, \)\?%-I:%M %p %Z'; }
at() { clock_set "TZ=\"$2\" $1"; }                          # WALL ZONE
signin() { for u in adm al bo; do login "$T_TMP/$u" "$u.$UNIQ@quiet.test" "$PW"; done; }
send() { post "$T_TMP/$1" /sms/send --data-urlencode "lead=$l1" --data-urlencode "contact=$2" --data-urlencode "body=$3"; }
last_id() { sql "SELECT MAX(id) FROM messages WHERE org_id = $ORG AND direction = 'outbound' AND contact_id = $1"; }
status() { sql "SELECT status FROM messages WHERE id = $1"; }
hold() { sql "SELECT CONCAT(hold, ' ', DATE_FORMAT(next_attempt_at, '%Y-%m-%d %H:%i')) FROM outbox WHERE message_id = $1"; }
chat() { get "$T_TMP/$1" "/leads/$l1?chat=$l1&contact_$l1=$2&agent_$l1=$u_al"; }

# ---- 19:30 in Texas: 20:30 in Florida (its law closes at 20:00) and in New
# York (21:00), 17:30 in California
at "$D 19:30" America/Chicago
signin
send al "$tex" "tex inside $UNIQ"; t_in=$(last_id "$tex")
send al "$cal" "cal inside $UNIQ"; c_in=$(last_id "$cal")
send al "$nyc" "nyc inside $UNIQ"; n_in=$(last_id "$nyc")
send al "$fla" "fla florida $UNIQ"; f_held=$(last_id "$fla")
check "19:30 in Texas: the text goes at once" wait_sql 10 "SELECT status <> 'queued' FROM messages WHERE id = $t_in"
check "17:30 in California: the text goes at once" wait_sql 10 "SELECT status <> 'queued' FROM messages WHERE id = $c_in"
check "20:30 in New York (federal window): the text goes at once" wait_sql 10 "SELECT status <> 'queued' FROM messages WHERE id = $n_in"
check "the carrier has the Texas text once" test "$(carrier_created "tex inside $UNIQ")" = 1
check "20:30 in Florida (its law closes at 20:00): accepted and held until 08:00 there" \
	test "$(hold "$f_held")" = "quiet_hours $(utc "$D1 08:00" America/New_York)"
check "the held text is queued" test "$(status "$f_held")" = queued
chat al "$tex"
page_lacks "19:30 in Texas: the chatbox warns of no quiet hours" 200 "id=\"chat-$l1\"" 'class="chat-quiet"'
chat al "$fla"
check "20:30 in Florida: the chatbox says a text would wait, before it is typed" \
	body_has "Quiet hours: it is 8:30 PM $(TZ=America/New_York date -d "TZ=\"America/New_York\" $D 20:30" +%Z) for Flo Miami. A text sent now waits until $(shown_at "$D1 08:00" America/New_York), their time."

# ---- 21:05 in Texas: held until 08:00 Texas time; 19:05 in California: sent
at "$D 21:05" America/Chicago
send al "$tex" "tex night $UNIQ"; t_night=$(last_id "$tex")
send al "$cal" "cal evening $UNIQ"; c_eve=$(last_id "$cal")
check "21:05 in Texas: held until 08:00 in Texas" test "$(hold "$t_night")" = "quiet_hours $(utc "$D1 08:00" America/Chicago)"
check "19:05 in California: sent" wait_sql 10 "SELECT status <> 'queued' FROM messages WHERE id = $c_eve"
chat al "$tex"
check "the chatbox says when it goes, in their time" body_has "Scheduled: will be sent $(shown_at "$D1 08:00" America/Chicago), their time"
check "with Cancel for its sender" body_has 'action="/sms/cancel"'
chat bo "$tex"
check "another agent sees it scheduled, without Cancel" body_has "Scheduled: will be sent $(shown_at "$D1 08:00" America/Chicago), their time"
page_lacks "... and without Cancel" 200 "id=\"chat-$l1\"" 'action="/sms/cancel"'

# ---- after midnight (00:30 in Texas): held until the same morning
at "$D1 00:30" America/Chicago
signin
send al "$tex" "tex after midnight $UNIQ"; t_mid=$(last_id "$tex")
check "00:30 in Texas: held until 08:00 that morning" test "$(hold "$t_mid")" = "quiet_hours $(utc "$D1 08:00" America/Chicago)"
send al "$cal" "cal night $UNIQ"; c_night=$(last_id "$cal")
check "22:30 in California: held until 08:00 in California" test "$(hold "$c_night")" = "quiet_hours $(utc "$D1 08:00" America/Los_Angeles)"
# a consent request is held too (an agent started it)
post "$T_TMP/al" /sms/consent --data-urlencode "lead=$l1" --data-urlencode "contact=$pen"
p_req=$(last_id "$pen")
check "a consent request at night is held" test "$(sql "SELECT CONCAT(m.kind, ' ', o.hold) FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = $p_req")" = "consent_request quiet_hours"

# cancel: not another agent, the sender, an admin
post "$T_TMP/bo" /sms/cancel --data-urlencode "message=$t_mid"
check "another agent cannot cancel it (403)" test "$STATUS" = 403
check "... and it still waits" test "$(status "$t_mid")" = queued
post "$T_TMP/al" /sms/cancel --data-urlencode "message=$t_mid" --data-urlencode "back=/leads/$l1?chat=$l1"
check "its sender cancels it (303 back)" test "$STATUS" = 303
check "it is cancelled and out of the outbox" test "$(sql "SELECT CONCAT(status, ' ', cancelled_by, ' ', (SELECT COUNT(*) FROM outbox WHERE message_id = $t_mid)) FROM messages WHERE id = $t_mid")" = "cancelled $u_al 0"
post "$T_TMP/al" /sms/cancel --data-urlencode "message=$t_mid"
check "a second cancel is refused (409) and changes nothing" test "$STATUS:$(status "$t_mid")" = 409:cancelled
post "$T_TMP/adm" /sms/cancel --data-urlencode "message=$c_night"
check "an admin of the organization cancels another's text" test "$STATUS:$(status "$c_night")" = 303:cancelled
post "$T_TMP/al" /sms/cancel --data-urlencode "message=$t_in"
check "a text already sent cannot be cancelled (409)" test "$STATUS" = 409
chat al "$tex"
check "the chatbox shows the cancelled text as cancelled" body_has '<div class="msg-status status-cancelled">Cancelled'

# the contact answers STOP at 01:30 Florida time: the confirmation goes at
# once (not held), the held text never goes
at "$D1 00:30" America/Chicago
inbound "$FLA" "$AL" "STOP"
check "the STOP is taken" test "$STATUS" = 200
check "the STOP's confirmation is not held: it goes at night" wait_sql 10 "SELECT COUNT(*) FROM messages WHERE org_id = $ORG AND contact_number = '$FLA' AND kind = 'automatic' AND carrier_sid IS NOT NULL"
check "the held text is not sent: failed, consent withdrawn" wait_sql 10 "SELECT status = 'failed' AND error_message LIKE '%opted out%' OR error_message LIKE '%consent was withdrawn%' FROM messages WHERE id = $f_held"
inbound "$TEX" "$AL" "HELP"
check "the answer to HELP at night is not held" wait_sql 10 "SELECT COUNT(*) FROM messages WHERE org_id = $ORG AND contact_number = '$TEX' AND kind = 'automatic' AND carrier_sid IS NOT NULL"

# ---- the admin narrows the window to 09:00-21:00 while the text waits
signin
post "$T_TMP/adm" /admin/settings --data-urlencode "wording=" --data-urlencode "cooloff_hours=24" --data-urlencode "quiet_hours=09:00-21:00"
check "the admin saves 09:00-21:00" test "$STATUS:$(sql "SELECT quiet_hours FROM organizations WHERE id = $ORG")" = "303:09:00-21:00"
at "$D1 07:59" America/Chicago
check "07:59: an answer to HELP goes (the sentinel: lib.sh help_answered)" help_answered "$TEX" "$AL"
check "07:59 in Texas: still waiting" test "$(status "$t_night")" = queued
at "$D1 08:00:30" America/Chicago
check "08:00 in Texas under 09:00-21:00: the dispatcher holds it again until 09:00" \
	wait_sql 10 "SELECT CONCAT(o.hold, ' ', DATE_FORMAT(o.next_attempt_at, '%Y-%m-%d %H:%i')) = 'quiet_hours $(utc "$D1 09:00" America/Chicago)' FROM outbox o WHERE o.message_id = $t_night"
check "... unsent, its attempts untouched" test "$(sql "SELECT CONCAT(m.status, ' ', o.attempts) FROM messages m JOIN outbox o ON o.message_id = m.id WHERE m.id = $t_night")" = "queued 0"
at "$D1 09:00:30" America/Chicago
check "09:00 in Texas: it goes" wait_sql 15 "SELECT status <> 'queued' FROM messages WHERE id = $t_night"
check "the carrier has it once" test "$(carrier_created "tex night $UNIQ")" = 1
check "09:00: an answer to HELP goes (the sentinel)" help_answered "$TEX" "$AL"
check "the cancelled texts never reached the carrier" test "$(carrier_created "tex after midnight $UNIQ")$(carrier_created "cal night $UNIQ")" = 00
check "nor the one whose contact opted out" test "$(carrier_created "fla florida $UNIQ")" = 0
check "the consent request goes once its window opens" wait_sql 15 "SELECT status <> 'queued' FROM messages WHERE id = $p_req"

# ---- the setting: validated on the admin page (nothing changes) and in the import
signin  # the sessions follow the clock: hours went by
for bad in "22:00-06:00" "8:00-21:00" "09:00-09:30" "20:30-23:00" "09:00 21:00"; do
	post "$T_TMP/adm" /admin/settings --data-urlencode "wording=" --data-urlencode "cooloff_hours=24" --data-urlencode "quiet_hours=$bad"
	check "admin page: \"$bad\" refused with its reason" test "$(location)" = "/admin/settings?problem=bad_quiet_hours"
	check "admin page: \"$bad\" changes nothing" test "$(sql "SELECT quiet_hours FROM organizations WHERE id = $ORG")" = "09:00-21:00"
done
get "$T_TMP/adm" "/admin/settings?problem=bad_quiet_hours"
check "the admin page explains the refusal" body_has "Texting hours are two times of day, HH:MM-HH:MM"
check "the admin page shows the setting" body_has 'name="quiet_hours" value="09:00-21:00"'
cat > "$T_TMP/bad.json" <<JSON
{"organizations": [{"key": "x", "name": "Quiet bad $UNIQ", "quiet_hours": "22:00-06:00"}]}
JSON
check "import: a window across midnight is refused" bash -c "! SMSDESK_CONF='$SMSDESK_CONF' '$CTL_BIN' import '$T_TMP/bad.json' 2>'$T_TMP/bad.err'"
check "import: the error names the field" grep -q 'organizations\[0\] (key "x"): quiet_hours "22:00-06:00" must be HH:MM-HH:MM' "$T_TMP/bad.err"
check "import: nothing written" test "$(sql "SELECT COUNT(*) FROM organizations WHERE name = 'Quiet bad $UNIQ'")" = 0
cat > "$T_TMP/good.json" <<JSON
{"organizations": [{"key": "g", "name": "Quiet good $UNIQ", "quiet_hours": "09:30-17:00"}, {"key": "h", "name": "Quiet default $UNIQ"}]}
JSON
check "import: a valid window is stored" import_file g "$T_TMP/good.json"
check "import: as given, and the default without one" test "$(sql "SELECT GROUP_CONCAT(quiet_hours ORDER BY name SEPARATOR ' ') FROM organizations WHERE name IN ('Quiet good $UNIQ', 'Quiet default $UNIQ')")" = "08:00-21:00 09:30-17:00"
