#!/usr/bin/env bash
# Sensitive data (docs/behaviour.md, "Sensitive data"): under the organization's warn
# policy a text holding an SSN, a card number or a routing + account number
# is kept as a draft with the reason and nothing is queued; sent again with
# send_anyway=1 it is queued and recorded (what, and who); under the block
# policy it is refused even with send_anyway; an inbound one is marked; the
# look-alikes (prices, dates, phone and loan numbers, ZIP+4, NMLS IDs) go
# through untouched.
. "$REPO/tests/e2e/lib.sh"

PW='sensitive pass 1'
A=$(mobile); X=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Guard Co $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@guard.test", "name": "Ann Guard", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A"},
  {"key": "adm", "org": "o", "email": "adm$UNIQ@guard.test", "name": "Ada Guard", "role": "admin",
   "password": "$PW"}],
 "leads": [{"key": "l", "org": "o", "name": "Guarded app", "assigned": ["ann"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Guarded", "mobile": "$X"}]}],
 "consents": [{"agent": "ann", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l=$(id_of d leads l); bob=$(id_of d contacts bob); ann=$(id_of d users ann)
ORG=$(sql "SELECT org_id FROM leads WHERE id = $l")
for u in ann adm; do login "$T_TMP/$u" "$u$UNIQ@guard.test" "$PW"; done

# bodies are told apart by a tag without long runs of digits (the 9
# digits of $UNIQ could pass for a routing or an account number)
TAG=$(echo "$UNIQ" | sed 's/\(...\)/\1x/g')
BACK="/leads/$l?chat=$l&contact_$l=$bob"
send() { # BODY [more curl args]
	local body=$1; shift
	post "$T_TMP/ann" /sms/send --data-urlencode "lead=$l" --data-urlencode "contact=$bob" \
		--data-urlencode "body=$body" --data-urlencode "back=$BACK" "$@"
}
max_id() { sql "SELECT COALESCE(MAX(id), 0) FROM messages"; }
written_since() { sql "SELECT (SELECT COUNT(*) FROM messages WHERE id > $1 AND org_id = $ORG) + (SELECT COUNT(*) FROM outbox WHERE message_id > $1)"; }
draft_code() { sql "SELECT error FROM sms_drafts WHERE lead_id = $l AND contact_id = $bob"; }
box_error() { grep -o 'class="chat-error" role="alert">[^<]*' "$T_TMP/body" | sed 's/.*>//'; }

# refused NAME BODY CODE SENTENCE [more curl args]: 303 back, nothing
# written, the draft kept under CODE and shown with SENTENCE
refused() {
	local name=$1 body=$2 code=$3 sentence=$4; shift 4
	local mx
	mx=$(max_id)
	send "$body" "$@"
	check "$name: answered 303 back to the box" test "$STATUS|$(location | cut -d'&' -f1-2)" = "303|$BACK"
	check "$name: nothing queued" test "$(written_since "$mx")" = 0
	check "$name: kept as a draft with the code $code" test "$(draft_code)" = "$code"
	get "$T_TMP/ann" "$(location)"
	check "$name: the chatbox shows the text again" body_has "$(printf '%s' "$body" | sed 's/[.[\*^$]/\\&/g')</textarea>"
	check "$name: with the reason ($(box_error))" test "$(box_error)" = "$sentence"
	case $code in
	sensitive_*_blocked) page_lacks "$name: no Send anyway under block" 200 "id=\"chat-$l\"" 'name="send_anyway"' ;;
	sensitive_*) check "$name: the box offers Send anyway" body_has '<button type="submit" name="send_anyway" value="1"' ;;
	esac
}
# accepted NAME BODY KIND [more curl args]: one message queued, its
# sensitive_kind KIND (NULL when none) and who sent it anyway
accepted() {
	local name=$1 body=$2 kind=$3; shift 3
	local mx
	mx=$(max_id)
	send "$body" "$@"
	check "$name: answered 303" test "$STATUS" = 303
	check "$name: one message queued" test "$(sql "SELECT COUNT(*) FROM messages WHERE id > $mx AND org_id = $ORG AND direction = 'outbound' AND status IN ('queued', 'sending', 'sent', 'delivered')")" = 1
	check "$name: recorded as ${kind}" test "$(sql "SELECT CONCAT_WS('|', COALESCE(sensitive_kind, 'NULL'), COALESCE(sent_anyway_by, 'NULL')) FROM messages WHERE id > $mx AND org_id = $ORG")" = "$kind"
}

SSN_TEXT="Bob, is your SSN 536-22-4718? ($TAG)"
W="Texts are not a secure channel: move it to a secure channel, or choose Send anyway."
B="Texts are not a secure channel and your organization does not allow sending it: move it to a secure channel."

# ---- warn (the default): refused as a draft with the reason
check "an organization warns by default" test "$(sql "SELECT sensitive_policy FROM organizations WHERE id = $ORG")" = warn
refused "warn, an SSN" "$SSN_TEXT" sensitive_ssn "This text looks like it contains a Social Security number. $W"
refused "warn, a card number" "Card 4111 1111 1111 1111 exp 12/28 ($TAG)" sensitive_card \
	"This text looks like it contains a card number. $W"
refused "warn, routing and account" "Routing 021000021 account 123456789012 ($TAG)" sensitive_bank_account \
	"This text looks like it contains a bank routing and account number. $W"
refused "warn, send_anyway other than 1 is no override" "$SSN_TEXT" sensitive_ssn \
	"This text looks like it contains a Social Security number. $W" --data-urlencode send_anyway=yes

# ---- Send anyway: queued and recorded with who chose it
accepted "send anyway" "$SSN_TEXT" "ssn|$ann" --data-urlencode send_anyway=1
check "send anyway: the draft is gone" test -z "$(draft_code)"
get "$T_TMP/ann" "$BACK"
check "send anyway: the conversation says it was sent anyway" body_has 'Sent anyway, with what looks like a Social Security number in it.'
check "send anyway: it reaches the carrier" wait_sql 10 "SELECT COUNT(*) FROM messages WHERE body = '$SSN_TEXT' AND carrier_sid IS NOT NULL"
accepted "send anyway, a card" "Card 4111-1111-1111-1111 ($TAG)" "card|$ann" --data-urlencode send_anyway=1
accepted "send_anyway on a text with nothing sensitive records nothing" "Plain text sent anyway ($TAG)" "NULL|NULL" \
	--data-urlencode send_anyway=1

# ---- look-alikes go through untouched
n=0
while IFS= read -r text; do
	n=$((n + 1))
	accepted "look-alike $n ($text)" "$text" "NULL|NULL"
done <<EOT
The price is \$1,234,567.89, fee \$450 ($TAG)
Closing 12/15/2026 at 10:30, lock expires 2026-12-15 ($TAG)
Call 512-555-0112, (512) 555-0112, 512.555.0112 or +1 512 555 0112 ($TAG)
Loan #4000123456 and loan 2026-001234 ($TAG)
Austin, TX 78701-1234 or 787011234 ($TAG)
Ann Guard NMLS #1234567 ($TAG)
SSA never issues 666-12-3456 or 900-12-3456 or 536-00-4718 ($TAG)
Not a card: 4111 1111 1111 1112 ($TAG)
Our bank's routing number is 021000021 ($TAG)
Routing 021000022 account 123456789012 ($TAG)
EOT

# ---- the admin's setting
get "$T_TMP/adm" /admin/settings
check "the settings page offers warn and block" body_has 'name="sensitive_policy" value="block"'
check "with warn chosen" body_has 'value="warn" checked'
check "the settings page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
settings() { post "$T_TMP/$1" /admin/settings --data-urlencode "wording={agent} of {org}: may we text you? Reply START to agree, STOP to opt out." --data-urlencode cooloff_hours=24 --data-urlencode help_contact= "${@:2}"; }
settings adm --data-urlencode sensitive_policy=maybe
check "a policy other than warn or block is refused" test "$(location)|$(sql "SELECT sensitive_policy FROM organizations WHERE id = $ORG")" = "/admin/settings?problem=bad_sensitive|warn"
settings ann --data-urlencode sensitive_policy=block
check "an agent cannot change it (403)" test "$STATUS|$(sql "SELECT sensitive_policy FROM organizations WHERE id = $ORG")" = "403|warn"
settings adm --data-urlencode sensitive_policy=block
check "the admin sets block" test "$(location)|$(sql "SELECT sensitive_policy FROM organizations WHERE id = $ORG")" = "/admin/settings?done=saved|block"
get "$T_TMP/adm" /admin/settings
check "the page shows block chosen" body_has 'value="block" checked'
settings adm
check "a form without the field leaves it as it is" test "$(sql "SELECT sensitive_policy FROM organizations WHERE id = $ORG")" = block

# ---- block: no override
refused "block, an SSN with send_anyway=1" "$SSN_TEXT" sensitive_ssn_blocked \
	"This text looks like it contains a Social Security number. $B" --data-urlencode send_anyway=1
refused "block, a card without it" "Card 4111 1111 1111 1111 ($TAG)" sensitive_card_blocked \
	"This text looks like it contains a card number. $B"
refused "block, routing and account with send_anyway=1" "RTN 011000015 acct 4455667788 ($TAG)" \
	sensitive_bank_account_blocked "This text looks like it contains a bank routing and account number. $B" \
	--data-urlencode send_anyway=1
accepted "block, a look-alike still goes" "Your payment of \$2,145.67 is due 12/01/2026 ($TAG)" "NULL|NULL"
settings adm --data-urlencode sensitive_policy=warn

# ---- inbound: marked for the agent
text_in() { inbound "$X" "$A" "$1"; } # BODY: from the contact to Ann (lib.sh inbound)
kind_of_sid() { sql "SELECT COALESCE(sensitive_kind, 'NULL') FROM messages WHERE carrier_sid = '$SID'"; }
text_in "Sure, it's 536-22-4718"
check "an inbound SSN is stored (200)" test "$STATUS" = 200
check "and marked ssn" test "$(kind_of_sid)" = ssn
get "$T_TMP/ann" "$BACK"
check "the chatbox tells the agent to move it to a secure channel" body_has 'This text looks like it contains a Social Security number: move the matter to a secure channel.'
text_in "my card is 5500 0000 0000 0004"
check "an inbound card number is marked card" test "$(kind_of_sid)" = card
text_in "routing 322271627 account 000123456789"
check "an inbound routing and account number is marked bank_account" test "$(kind_of_sid)" = bank_account
text_in "Call me at (512) 555-0112 about the \$425,000 loan, closing 12/15/2026"
check "an inbound look-alike is not marked" test "$(kind_of_sid)" = NULL
text_in "STOP"
check "an inbound keyword is not marked" test "$(kind_of_sid)" = NULL
