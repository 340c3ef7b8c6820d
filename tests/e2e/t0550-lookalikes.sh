#!/usr/bin/env bash
# Look-alike characters and link shorteners, without JavaScript
# (docs/behaviour.md, "Look-alike characters", "Link shorteners"):
# - standard level: a text refused only for its look-alikes comes back with
#   the offer (what it would go as, the segments before and after) and
#   "Replace them and send" queues the replaced text as GSM-7 with the
#   right billed count; a text edited since the offer is not sent unseen;
#   other special characters are named and nothing is offered;
# - advanced level: a text that look-alikes make bill more is held for a
#   confirmation with the same offer; replaced it bills less, sent anyway it
#   goes as typed; one that bills the same goes at once;
# - a public link shortener is warned about, Send anyway sends it and
#   records it; ordinary links go through untouched.
. "$REPO/tests/e2e/lib.sh"
export LC_ALL=C.UTF-8  # ${#text} counts characters

PW='lookalike pass 1'
A=$(mobile); V=$(mobile); X=$(mobile); Y=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "std", "name": "Plain Co $UNIQ", "sms_enabled": true},
  {"key": "adv", "name": "Fancy Co $UNIQ", "sms_enabled": true, "sms_level": "advanced"}],
 "users": [
  {"key": "ann", "org": "std", "email": "ann$UNIQ@plain.test", "name": "Ann Plain", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A"},
  {"key": "vic", "org": "adv", "email": "vic$UNIQ@fancy.test", "name": "Vic Fancy", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$V"}],
 "leads": [{"key": "l", "org": "std", "name": "Plain app", "assigned": ["ann"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Plain", "mobile": "$X"}]},
  {"key": "m", "org": "adv", "name": "Fancy app", "assigned": ["vic"],
   "contacts": [{"key": "cy", "role": "borrower", "name": "Cy Fancy", "mobile": "$Y"}]}],
 "consents": [{"agent": "ann", "contact": "bob", "status": "granted"},
  {"agent": "vic", "contact": "cy", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l=$(id_of d leads l); bob=$(id_of d contacts bob); ann=$(id_of d users ann)
m=$(id_of d leads m); cy=$(id_of d contacts cy)
STD=$(sql "SELECT org_id FROM leads WHERE id = $l"); ADV=$(sql "SELECT org_id FROM leads WHERE id = $m")
login "$T_TMP/ann" "ann$UNIQ@plain.test" "$PW"
login "$T_TMP/vic" "vic$UNIQ@fancy.test" "$PW"

# ann's box on the standard level, vic's on the advanced one
BACK_L="/leads/$l?chat=$l&contact_$l=$bob"
BACK_M="/leads/$m?chat=$m&contact_$m=$cy"
send() { # WHO BODY [more curl args]
	local who=$1 body=$2; shift 2
	if [ "$who" = ann ]; then
		post "$T_TMP/ann" /sms/send --data-urlencode "lead=$l" --data-urlencode "contact=$bob" \
			--data-urlencode "body=$body" --data-urlencode "back=$BACK_L" "$@"
	else
		post "$T_TMP/vic" /sms/send --data-urlencode "lead=$m" --data-urlencode "contact=$cy" \
			--data-urlencode "body=$body" --data-urlencode "back=$BACK_M" "$@"
	fi
}
max_id() { sql "SELECT COALESCE(MAX(id), 0) FROM messages"; }
written_since() { sql "SELECT (SELECT COUNT(*) FROM messages WHERE id > $1 AND org_id IN ($STD, $ADV)) + (SELECT COUNT(*) FROM outbox WHERE message_id > $1)"; }
draft_code() { sql "SELECT error FROM sms_drafts WHERE contact_id = $1"; }
# outbound messages queued since $1 (the outbox row goes once it is sent)
sent_since() { sql "SELECT COUNT(*) FROM messages WHERE id > $1 AND org_id IN ($STD, $ADV) AND direction = 'outbound'"; }
# what the one message queued since $1 is: encoding|length|billed|body
queued_since() { sql "SELECT CONCAT_WS('|', encoding, length, billed, body) FROM messages WHERE id > $1 AND org_id IN ($STD, $ADV) AND direction = 'outbound'"; }
recorded_since() { sql "SELECT CONCAT_WS('|', COALESCE(sensitive_kind, 'NULL'), COALESCE(link_shortener, 'NULL'), COALESCE(sent_anyway_by, 'NULL')) FROM messages WHERE id > $1 AND org_id IN ($STD, $ADV)"; }
errors() { grep -o 'class="chat-error" role="alert">[^<]*' "$T_TMP/body" | sed 's/.*>//' | tr '\n' '#'; }
# the offer as the page shows it, tags dropped, entities of the replaced text decoded
offer() { tr '\n' ' ' < "$T_TMP/body" | grep -o '<div class="chat-lookalikes"[^>]*>.*</div>' | sed 's#</div>.*##; s/<[^>]*>//g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g; s/  */ /g; s/^ //; s/ $//'; }
replace_value() { grep -o 'name="replace_lookalikes" value="[^"]*"' "$T_TMP/body" | sed 's/.*value="//; s/"$//; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g'; }

SPECIAL="This message has characters that can&#39;t be sent on your plan&#39;s standard texts (e.g. emoji or curly quotes). Remove them." # as HTML

# ---- standard level: refused, with the offer and the counts
LONG="“Hi Bob” — your rate’s locked… $(printf 'x%.0s' $(seq 1 70)) ($UNIQ)"
LONG_REPLACED="\"Hi Bob\" - your rate's locked... $(printf 'x%.0s' $(seq 1 70)) ($UNIQ)"
mx=$(max_id)
send ann "$LONG"
check "standard: a text with look-alikes is refused (303 back)" test "$STATUS|$(location | cut -d'&' -f1-2)" = "303|$BACK_L"
check "standard: nothing queued" test "$(written_since "$mx")" = 0
check "standard: kept as a draft (sms_special)" test "$(draft_code "$bob")" = sms_special
get "$T_TMP/ann" "$(location)"
check "standard: the box shows the text as typed" body_has "$LONG</textarea>"
check "standard: with the refusal ($(errors))" test "$(errors)" = "$SPECIAL#"
check "standard: the offer names the look-alikes ($(offer | cut -c1-90))" \
	test "$(offer | cut -d. -f1)" = "This text has look-alike characters (“ ” — ’ …) that the standard SMS level refuses"
check "standard: shows the text that will go" body_has "<p class=\"chat-lookalikes-text\">&quot;Hi Bob&quot; - your rate&#39;s locked\.\.\. x"
check "standard: and the segments before and after" test "$(offer | sed 's/.*→ //')" = "1 segment instead of 2"
check "standard: the button carries the replaced text" test "$(replace_value)" = "$LONG_REPLACED"
check "standard: the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# a text edited since the offer was shown is not sent unseen
mx=$(max_id)
send ann "$LONG and more" --data-urlencode "replace_lookalikes=$LONG_REPLACED"
check "edited since the offer: nothing queued" test "$STATUS|$(written_since "$mx")" = "303|0"
check "edited since the offer: kept as a draft (lookalikes_changed)" test "$(draft_code "$bob")" = lookalikes_changed
get "$T_TMP/ann" "$(location)"
check "edited since the offer: the box says so ($(errors))" \
	test "$(errors)" = "The text changed after its look-alike characters were shown: check the replaced text again.#"
check "edited since the offer: and offers the new text" test "$(replace_value)" = "$LONG_REPLACED and more"

# Replace them and send: the server replaces, the text goes as GSM-7
mx=$(max_id)
send ann "$LONG" --data-urlencode "replace_lookalikes=$LONG_REPLACED"
check "replace and send: answered 303 back" test "$STATUS|$(location)" = "303|$BACK_L"
check "replace and send: queued as GSM-7, $((${#LONG_REPLACED})) characters, 1 billed" \
	test "$(queued_since "$mx")" = "gsm7|${#LONG_REPLACED}|1|$LONG_REPLACED"
check "replace and send: the draft is gone" test -z "$(draft_code "$bob")"
check "replace and send: the carrier gets the replaced text" wait_sql 10 \
	"SELECT COUNT(*) FROM messages WHERE id > $mx AND carrier_sid IS NOT NULL AND org_id = $STD"
check "replace and send: exactly that body" test "$(carrier_created "$LONG_REPLACED")" = 1

# short: one segment either way
SHORT="Call me at 3 – thanks ($UNIQ)"
send ann "$SHORT"
get "$T_TMP/ann" "$(location)"
check "standard, short: the offer says 1 segment ($(offer | sed 's/.*→ //'))" test "$(offer | sed 's/.*→ //')" = "1 segment"

# other special characters remain: said, nothing offered
send ann "“Great” 😀 ($UNIQ)"
get "$T_TMP/ann" "$(location)"
check "standard, an emoji remains: said ($(offer | cut -c1-60))" test "$(offer)" = \
	"This text has look-alike characters (“ ”), but replacing them would not be enough: other special characters remain (😀)."
page_lacks "standard, an emoji remains: no Replace button" 200 "id=\"chat-$l\"" 'name="replace_lookalikes"'
mx=$(max_id)
send ann "“Great” 😀 ($UNIQ)" --data-urlencode "replace_lookalikes=\"Great\" 😀 ($UNIQ)"
check "standard, an emoji remains: Replace and send is still refused" \
	test "$STATUS|$(written_since "$mx")|$(draft_code "$bob")" = "303|0|sms_special"
send ann "Plain text, nothing to replace ($UNIQ)"
check "standard: a plain text goes without any offer" test "$STATUS|$(draft_code "$bob")" = "303|"

# ---- advanced level: a confirmation step when look-alikes bill more
ADV_TEXT="Your closing is set for Friday — bring your ID’s and the cashier’s check. $(printf 'y%.0s' $(seq 1 20)) ($UNIQ)"
ADV_REPLACED="Your closing is set for Friday - bring your ID's and the cashier's check. $(printf 'y%.0s' $(seq 1 20)) ($UNIQ)"
mx=$(max_id)
send vic "$ADV_TEXT"
check "advanced, 2 segments instead of 1: held (303 back)" test "$STATUS|$(written_since "$mx")" = "303|0"
check "advanced: kept as a draft (lookalikes_cost)" test "$(draft_code "$cy")" = lookalikes_cost
get "$T_TMP/vic" "$(location)"
check "advanced: the warning ($(errors))" \
	test "$(errors)" = "Look-alike characters make this text cost more messages: replace them, or choose Send anyway.#"
check "advanced: the offer ($(offer | cut -d. -f1))" \
	test "$(offer | cut -d. -f1)" = "This text has look-alike characters (— ’) that make it cost 70-character segments"
check "advanced: 1 segment instead of 2" test "$(offer | sed 's/.*→ //')" = "1 segment instead of 2"
check "advanced: Send anyway is offered" body_has '<button type="submit" name="send_anyway" value="1"'
check "advanced: the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
mx=$(max_id)
send vic "$ADV_TEXT" --data-urlencode "replace_lookalikes=$(replace_value)"
check "advanced, replaced: 1 billed, GSM-7" test "$(queued_since "$mx")" = "gsm7|${#ADV_REPLACED}|1|$ADV_REPLACED"
check "advanced, replaced: the carrier gets it" wait_sql 10 \
	"SELECT COUNT(*) FROM messages WHERE id > $mx AND carrier_sid IS NOT NULL AND org_id = $ADV"
mx=$(max_id)
send vic "$ADV_TEXT" --data-urlencode send_anyway=1
check "advanced, sent anyway: as typed, UCS-2, 2 billed" test "$(queued_since "$mx")" = "ucs2|${#ADV_TEXT}|2|$ADV_TEXT"
check "advanced, sent anyway: nothing recorded as sent anyway" test "$(recorded_since "$mx")" = "NULL|NULL|NULL"
mx=$(max_id)
send vic "Short — fine ($UNIQ)"
SHORT_ADV="Short — fine ($UNIQ)"
check "advanced, 1 segment either way: goes at once" test "$(queued_since "$mx")" = "ucs2|${#SHORT_ADV}|1|$SHORT_ADV"

# ---- link shorteners
W="This text has a link through a public link shortener, which carriers often block: use the full address, or choose Send anyway."
mx=$(max_id)
send ann "Apply here: https://bit.ly/3abcXYZ ($UNIQ)"
check "a shortener: held (303 back, nothing queued)" test "$STATUS|$(written_since "$mx")" = "303|0"
check "a shortener: kept as a draft (link_shortener)" test "$(draft_code "$bob")" = link_shortener
get "$T_TMP/ann" "$(location)"
check "a shortener: the warning ($(errors))" test "$(errors)" = "$W#"
check "a shortener: Send anyway is offered" body_has '<button type="submit" name="send_anyway" value="1"'
mx=$(max_id)
send ann "Apply here: https://bit.ly/3abcXYZ ($UNIQ)" --data-urlencode send_anyway=1
check "a shortener, sent anyway: queued" test "$STATUS|$(sent_since "$mx")" = "303|1"
check "a shortener, sent anyway: recorded with who chose it" test "$(recorded_since "$mx")" = "NULL|bit.ly|$ann"
get "$T_TMP/ann" "$BACK_L"
check "a shortener, sent anyway: the conversation says so" \
	body_has 'Sent anyway, with a link through bit.ly, a link shortener carriers often block.'
check "the chatbox is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
get "$T_TMP/ann" "/leads/$l/loanfile.csv"
check "a shortener, sent anyway: the loan file names it (its last column)" \
	sh -c "grep -F '3abcXYZ ($UNIQ)' '$T_TMP/body' | tr -d '\r' | grep -q ',\"Ann Plain\",.*,\"bit.ly\"\$'"
for text in "HTTPS://WWW.TINYURL.COM/y7k2" "see t.co/abc." "(cutt.ly/x)"; do
	mx=$(max_id)
	send ann "$text ($UNIQ)"
	check "a shortener ($text): held" test "$(written_since "$mx")|$(draft_code "$bob")" = "0|link_shortener"
done

# both: sensitive data and a shortener, shown together, confirmed once
SSN_TEXT="SSN 536-22-4718, form at bit.ly/form ($(echo "$UNIQ" | sed 's/\(...\)/\1x/g'))"
mx=$(max_id)
send ann "$SSN_TEXT"
get "$T_TMP/ann" "$(location)"
check "sensitive data and a shortener: both warnings shown" test "$(errors)" = \
	"This text looks like it contains a Social Security number. Texts are not a secure channel: move it to a secure channel, or choose Send anyway.#$W#"
send ann "$SSN_TEXT" --data-urlencode send_anyway=1
check "sensitive data and a shortener: one Send anyway sends it, both recorded" \
	test "$(recorded_since "$mx")" = "ssn|bit.ly|$ann"

# ordinary links are not warned about
n=0
while IFS= read -r text; do
	n=$((n + 1))
	mx=$(max_id)
	send ann "$text ($UNIQ)"
	check "ordinary link $n ($text): queued, nothing recorded" \
		test "$STATUS|$(sent_since "$mx")|$(recorded_since "$mx")" = "303|1|NULL|NULL|NULL"
done <<EOT
https://www.example.com/loan
Apply at lonestarlending.com/apply
notbit.ly.example.com/x and notbit.ly/x
https://www.example.com/loan?ref=bit.ly
Write to joe@bit.ly
EOT
