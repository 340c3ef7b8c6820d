#!/usr/bin/env bash
# smsdeskctl import (all or nothing, the key -> id map), add-user and
# set-password, and the demo data set. Runs twice in one database (plain and
# sanitizer builds), so every email and SMS number carries this run's UNIQ.
. "$REPO/tests/e2e/lib.sh"

# In the sanitizer run ctl (lib.sh) is the sanitized smsdeskctl: a leak or
# undefined behaviour makes it exit non-zero and fails the checks below.

PW=import-test-password-1
# SMS numbers +1512NXXXXXX unique to this run (N is 2-9, as NANP requires)
LOCAL7=$(( 10#$UNIQ % 8000000 ))
num() { printf '+1512%07d' $(( (LOCAL7 + $1) % 8000000 + 2000000 )); }
loose() { local n; n=$(num "$1"); printf '(512) %s-%s' "${n:5:3}" "${n:8:4}"; }

# fixture SUFFIX FIRST_NUMBER: a valid data set; SUFFIX keeps emails apart
fixture() {
	local s=$1 b=$2
	cat <<JSON
{
  "organizations": [
    {"key": "org", "name": "Import Test $UNIQ$s", "sms_enabled": true, "sms_level": "advanced",
     "time_zone": "America/Denver"},
    {"key": "other", "name": "Import Other $UNIQ$s"}],
  "users": [
    {"key": "root", "email": "Root.$UNIQ.$s@Import.Test", "name": "Root $UNIQ", "role": "superadmin",
     "password": "$PW"},
    {"key": "adm", "org": "org", "email": "adm.$UNIQ.$s@import.test", "name": "Ada Admin",
     "role": "admin", "password": "$PW"},
    {"key": "al", "org": "org", "email": "al.$UNIQ.$s@import.test", "name": "Al Agent", "role": "agent",
     "password": "$PW", "sms_permission": true, "sms_number": "$(loose "$b")", "mms_enabled": true},
    {"key": "bo", "org": "org", "email": "bo.$UNIQ.$s@import.test", "name": "Bo Agent", "role": "agent",
     "password": "$PW", "sms_permission": true, "sms_number": "$(num $((b + 1)) | cut -c3-)"},
    {"key": "ot", "org": "other", "email": "ot.$UNIQ.$s@import.test", "name": "Otto Other",
     "role": "agent", "password": "$PW"}],
  "partners": [{"key": "rita", "org": "org", "name": "Rita Reyes", "mobile": "$(loose $((b + 2)))"}],
  "leads": [
    {"key": "l1", "org": "org", "name": "Brown purchase", "status": "Application",
     "updated_at": "2026-11-20T10:00:00Z", "assigned": ["al", "bo"],
     "contacts": [
       {"key": "bob", "role": "borrower", "name": "Bob Brown", "mobile": "$(num $((b + 3)))"},
       {"key": "beth", "role": "co_borrower", "name": "Beth Brown", "mobile": "$(loose $((b + 3)))"},
       {"partner": "rita"}]},
    {"key": "l2", "org": "org", "name": "Cole refinance", "assigned": ["al"],
     "contacts": [
       {"key": "carl", "role": "borrower", "name": "Carl Cole", "mobile": "$(num $((b + 4)))"},
       {"key": "rita_l2", "partner": "rita"}]}],
  "consents": [
    {"agent": "al", "contact": "bob", "status": "pending"},
    {"agent": "al", "contact": "beth", "status": "granted"},
    {"agent": "bo", "contact": "bob", "status": "pending"},
    {"partner": "rita", "status": "granted"}]
}
JSON
}

# is SQL WANT: the query's output equals WANT
is() { [ "$(sql "$1")" = "$2" ]; }
counts() {
	sql "SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM users),
	     (SELECT COUNT(*) FROM partners), (SELECT COUNT(*) FROM leads),
	     (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM assignments),
	     (SELECT COUNT(*) FROM consents), (SELECT COUNT(*) FROM consent_ledger)"
}

# ---- a round trip
fixture g 0 > "$T_TMP/good.json"
if import_file good "$T_TMP/good.json"; then ok "import exits 0"; else not_ok "import exits 0: $(cat "$T_TMP/import.err")"; fi
check "import prints nothing on stderr" test ! -s "$T_TMP/import.err"
check "the map has the five kinds in order" jq -e \
	'keys_unsorted == ["organizations","users","partners","leads","contacts"]' "$T_TMP/ids.good.json"
check "the map has every key" jq -e '(.organizations|keys) == ["org","other"] and
	(.users|keys) == ["adm","al","bo","ot","root"] and (.partners|keys) == ["rita"] and
	(.leads|keys) == ["l1","l2"] and (.contacts|keys) == ["beth","bob","carl","rita_l2"] and
	([.[][]] | all(type == "number" and . > 0))' "$T_TMP/ids.good.json"
check "the map is one line" test "$(wc -l < "$T_TMP/ids.good.json")" -eq 1

org=$(id_of good organizations org); other=$(id_of good organizations other)
al=$(id_of good users al); bo=$(id_of good users bo); root=$(id_of good users root)
rita=$(id_of good partners rita); l1=$(id_of good leads l1); l2=$(id_of good leads l2)
bob=$(id_of good contacts bob); beth=$(id_of good contacts beth)
N0=$(num 0); N1=$(num 1); N2=$(num 2); N3=$(num 3)

check "organization row" is "SELECT name, sms_enabled, sms_level, time_zone FROM organizations WHERE id = $org" \
	"$(printf 'Import Test %sg\t1\tadvanced\tAmerica/Denver' "$UNIQ")"
check "omitted organization fields take their defaults" is \
	"SELECT sms_enabled, sms_level, time_zone FROM organizations WHERE id = $other" \
	"$(printf '0\tstandard\tAmerica/Chicago')"
check "passwords are stored as argon2id hashes" is \
	"SELECT COUNT(*) FROM users WHERE org_id IN ($org, $other) AND password_hash LIKE '\$argon2id\$%'" 4
check "no password is stored in plain text" is \
	"SELECT COUNT(*) FROM users WHERE password_hash LIKE '%$PW%'" 0
check "the superadmin has no organization; its email is lower case" is \
	"SELECT role, org_id IS NULL, email, password_hash LIKE '\$argon2id\$%' FROM users WHERE id = $root" \
	"$(printf 'superadmin\t1\troot.%s.g@import.test\t1' "$UNIQ")"
check "an agent's loosely written SMS number is normalized" is \
	"SELECT org_id, role, sms_permission, sms_number, mms_enabled, display_images, time_zone FROM users WHERE id = $al" \
	"$(printf '%s\tagent\t1\t%s\t1\t0\tAmerica/Chicago' "$org" "$N0")"
check "a 10-digit SMS number is taken as US" is "SELECT sms_number FROM users WHERE id = $bo" "$N1"
check "a user without sms_number has none" is \
	"SELECT sms_number IS NULL, sms_permission FROM users WHERE email = 'adm.$UNIQ.g@import.test'" "$(printf '1\t0')"
check "partner row, default role, normalized mobile" is \
	"SELECT org_id, name, role, mobile FROM partners WHERE id = $rita" \
	"$(printf '%s\tRita Reyes\tReal Estate Agent\t%s' "$org" "$N2")"
check "the partner is linked to both leads as an external contact" is \
	"SELECT GROUP_CONCAT(lead_id ORDER BY lead_id), COUNT(*), SUM(role = 'external'),
	        SUM(name IS NULL AND mobile IS NULL) FROM contacts WHERE partner_id = $rita" \
	"$(printf '%s,%s\t2\t2\t2' "$l1" "$l2")"
check "the partner link with a key maps to its contact row" is \
	"SELECT partner_id, lead_id FROM contacts WHERE id = $(id_of good contacts rita_l2)" \
	"$(printf '%s\t%s' "$rita" "$l2")"
check "borrower and co-borrower rows, one normalized number" is \
	"SELECT GROUP_CONCAT(CONCAT_WS('/', role, name, mobile, org_id, lead_id) ORDER BY id SEPARATOR ' ')
	 FROM contacts WHERE id IN ($bob, $beth)" \
	"borrower/Bob Brown/$N3/$org/$l1 co_borrower/Beth Brown/$N3/$org/$l1"
check "updated_at is stored in UTC as given" is \
	"SELECT name, status, updated_at FROM leads WHERE id = $l1" \
	"$(printf 'Brown purchase\tApplication\t2026-11-20 10:00:00')"
check "omitted status is New and omitted updated_at is now" is \
	"SELECT status, TIMESTAMPDIFF(SECOND, updated_at, UTC_TIMESTAMP()) BETWEEN -5 AND 600
	 FROM leads WHERE id = $l2" "$(printf 'New\t1')"
check "assignments: two agents on one lead, one on the other, assigned by nobody" is \
	"SELECT GROUP_CONCAT(CONCAT(lead_id, ':', user_id) ORDER BY lead_id, user_id),
	        SUM(assigned_by IS NULL AND unassigned_at IS NULL)
	 FROM assignments WHERE lead_id IN ($l1, $l2)" \
	"$(printf '%s:%s,%s:%s,%s:%s\t3' "$l1" "$al" "$l1" "$bo" "$l2" "$al")"
check "a pair consent: the agent's and the contact's numbers" is \
	"SELECT status FROM consents WHERE org_id = $org AND scope = 'pair' AND agent_number = '$N0'
	 AND contact_number = '$N3'" granted
check "another agent's consent for the same contact is its own row" is \
	"SELECT status FROM consents WHERE org_id = $org AND scope = 'pair' AND agent_number = '$N1'
	 AND contact_number = '$N3'" pending
check "a partner's consent is for the organization" is \
	"SELECT status FROM consents WHERE org_id = $org AND scope = 'organization' AND agent_number = ''
	 AND contact_number = '$N2'" granted
check "three consent rows (the shared number is one pair)" is \
	"SELECT COUNT(*) FROM consents WHERE org_id = $org" 3
check "the ledger records every imported change with its old status" is \
	"SELECT GROUP_CONCAT(CONCAT(old_status, '>', new_status) ORDER BY id) FROM consent_ledger
	 WHERE org_id = $org AND agent_number = '$N0' AND contact_number = '$N3'" "none>pending,pending>granted"
check "four ledger rows, all from the import" is \
	"SELECT COUNT(*), SUM(source = 'import' AND note = 'imported' AND changed_by IS NULL)
	 FROM consent_ledger WHERE org_id = $org" "$(printf '4\t4')"

# ---- broken files change nothing and name the offending entry
# import_fails NAME FILE TEXT: exit 1, no map, TEXT on stderr, no row changed
import_fails() {
	local name=$1 file=$2 text=$3 before after rc=0
	before=$(counts)
	ctl import "$file" >"$T_TMP/out" 2>"$T_TMP/err" || rc=$?
	after=$(counts)
	if [ $rc -eq 1 ]; then ok "$name: exits 1"; else not_ok "$name: exits 1 (got $rc)"; fi
	check "$name: prints no map" test ! -s "$T_TMP/out"
	if grep -qF -- "$text" "$T_TMP/err"; then ok "$name: the message names the entry"
	else not_ok "$name: the message names the entry (want '$text', got '$(cat "$T_TMP/err")')"; fi
	if [ "$before" = "$after" ]; then ok "$name: changes nothing"
	else not_ok "$name: changes nothing ($before -> $after)"; fi
}
# broken NAME JQ: a variant of a fresh valid fixture
broken() { fixture b 10 | jq "$2" > "$T_TMP/$1.json"; }

broken base '.'
broken bad-phone '.leads[1].contacts[0].mobile = "555-01"'
import_fails "a bad phone number in the last lead" "$T_TMP/bad-phone.json" \
	'import: leads[1] (key "l2"): contacts[0] (key "carl"): mobile "555-01" is not a valid phone number'
broken bad-sms '.users[3].sms_number = "+1555"'
import_fails "a bad SMS number" "$T_TMP/bad-sms.json" \
	'import: users[3] (key "bo"): sms_number "+1555" is not a valid phone number'
broken unknown-org '.users[1].org = "nope"'
import_fails "an unknown organization key" "$T_TMP/unknown-org.json" \
	'users[1] (key "adm"): org "nope" is not a key of the file'"'"'s organizations'
broken dup-key '.leads[1].key = "l1"'
import_fails "a duplicate lead key" "$T_TMP/dup-key.json" 'leads[1] (key "l1"): key "l1" is used twice'
broken dup-contact '.leads[1].contacts[0].key = "beth"'
import_fails "a contact key used in two leads" "$T_TMP/dup-contact.json" \
	'leads[1] (key "l2"): contacts[0] (key "beth"): key "beth" is used twice'
broken bad-time '.leads[1].updated_at = "2026-11-31T10:00:00Z"'
import_fails "an invalid updated_at" "$T_TMP/bad-time.json" \
	'leads[1] (key "l2"): updated_at "2026-11-31T10:00:00Z" is not a time'
broken no-zone '.leads[0].updated_at = "2026-11-20 10:00:00"'
import_fails "an updated_at without its time zone" "$T_TMP/no-zone.json" 'leads[0] (key "l1"): updated_at'
broken cross-org '.leads[0].assigned += ["ot"]'
import_fails "an agent of another organization assigned" "$T_TMP/cross-org.json" \
	'leads[0] (key "l1"): assigned user "ot" belongs to another organization'
broken no-password 'del(.users[2].password)'
import_fails "a user without a password" "$T_TMP/no-password.json" 'users[2] (key "al"): password is missing'
# one length rule in characters everywhere: "ééééé" is 5 characters in 10 bytes
broken short-utf8 '.users[2].password = "ééééé"'
import_fails "a password of 5 two-byte characters" "$T_TMP/short-utf8.json" \
	'users[2] (key "al"): password must be 10 to 256 characters'
broken bad-consent '.consents += [{"agent": "adm", "contact": "carl", "status": "granted"}]'
import_fails "a consent for an agent without an SMS number" "$T_TMP/bad-consent.json" \
	'consents[4]: agent "adm" has no sms_number'
broken unknown-field '.partners[0].phone = "5125550100"'
import_fails "an unknown field" "$T_TMP/unknown-field.json" 'partners[0] (key "rita"): unknown field "phone"'
head -c 300 "$T_TMP/base.json" > "$T_TMP/truncated.json"
import_fails "malformed JSON" "$T_TMP/truncated.json" "truncated.json: line"
# found only when the database refuses the row, after other rows were written
broken taken-sms ".users[4].sms_number = \"$N0\""
import_fails "an SMS number another user has (found inside the transaction)" "$T_TMP/taken-sms.json" \
	"users[4] (key \"ot\"): sms_number \"$N0\" already belongs to another user"
check "the base of the broken files is itself valid" import_file base "$T_TMP/base.json"

import_fails "importing the same file again" "$T_TMP/good.json" \
	"users[0] (key \"root\"): email \"root.$UNIQ.g@import.test\" already exists in the database"
import_fails "a missing file" "$T_TMP/no-such-file.json" "no-such-file.json"

# ---- add-user and set-password
email=New.$UNIQ@Import.Test
out=$(printf '%s\n' "$PW-a" | ctl add-user --email "$email" --name "New User" --role agent \
	--org "$org" --password-stdin 2>"$T_TMP/err")
check "add-user prints the new id" grep -qx '[0-9][0-9]*' <<<"$out"
new=${out:-0}
check "add-user stores the user, email in lower case" is \
	"SELECT email, name, role, org_id, password_hash LIKE '\$argon2id\$%' FROM users WHERE id = $new" \
	"$(printf 'new.%s@import.test\tNew User\tagent\t%s\t1' "$UNIQ" "$org")"
check "add-user prints no password" bash -c "! grep -qF -- '$PW' <<<'$out' && ! grep -qF -- '$PW' '$T_TMP/err'"
out=$(ctl add-user --email "root2.$UNIQ@import.test" --name "Root Two" --role superadmin </dev/null)
check "add-user makes a superadmin without an organization" is \
	"SELECT role, org_id IS NULL FROM users WHERE id = ${out:-0}" "$(printf 'superadmin\t1')"
check "a user made without --password-stdin cannot sign in yet" is \
	"SELECT password_hash FROM users WHERE id = ${out:-0}" '!'
before=$(counts)
check "add-user refuses a duplicate email" bash -c "! printf '%s\n' '$PW' | SMSDESK_CONF='$SMSDESK_CONF' \
	'$CTL_BIN' add-user --email '$email' --name X --role agent --org $org --password-stdin 2>'$T_TMP/err'"
check "the duplicate is named" grep -q 'already exists' "$T_TMP/err"
check "add-user refuses an agent without --org" bash -c "! '$CTL_BIN' add-user --email 'x1.$UNIQ@import.test' \
	--name X --role agent </dev/null 2>/dev/null"
check "add-user refuses an unknown role" bash -c "! '$CTL_BIN' add-user --email 'x2.$UNIQ@import.test' \
	--name X --role owner --org $org </dev/null 2>/dev/null"
check "add-user refuses a password on the command line" bash -c "! '$CTL_BIN' add-user \
	--email 'x3.$UNIQ@import.test' --name X --role agent --org $org --password '$PW' 2>/dev/null"
check "add-user refuses a short password" bash -c "! echo short | '$CTL_BIN' add-user \
	--email 'x4.$UNIQ@import.test' --name X --role agent --org $org --password-stdin 2>/dev/null"
check "the refused add-users wrote nothing" test "$before" = "$(counts)"

hash1=$(sql "SELECT password_hash FROM users WHERE id = $new")
sql "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)
     VALUES (UNHEX(SHA2('t0300-$UNIQ', 256)), $new, REPEAT('a', 64), NOW(), NOW())"
if printf '%s\n' "$PW-b" | ctl set-password "$email" >"$T_TMP/out" 2>"$T_TMP/err"; then
	ok "set-password exits 0"; else not_ok "set-password exits 0: $(cat "$T_TMP/err")"; fi
hash2=$(sql "SELECT password_hash FROM users WHERE id = $new")
check "set-password changes the hash" test "$hash1" != "$hash2"
check "the new hash is argon2id" grep -q '^\$argon2id\$' <<<"$hash2"
check "set-password prints nothing" test ! -s "$T_TMP/out"
check "set-password ends the user's sessions" is "SELECT COUNT(*) FROM sessions WHERE user_id = $new" 0
check "set-password refuses a short password" bash -c "! echo short | SMSDESK_CONF='$SMSDESK_CONF' \
	'$CTL_BIN' set-password '$email' 2>/dev/null"
check "set-password refuses a password longer than 256" bash -c "! head -c 300 /dev/zero | tr '\0' a | \
	SMSDESK_CONF='$SMSDESK_CONF' '$CTL_BIN' set-password '$email' 2>/dev/null"
check "set-password refuses 'ééééé' (5 characters, 10 bytes) as the web forms do" bash -c "! printf '%s\n' 'ééééé' | \
	SMSDESK_CONF='$SMSDESK_CONF' '$CTL_BIN' set-password '$email' 2>/dev/null"
check "a refused password leaves the hash" is "SELECT password_hash FROM users WHERE id = $new" "$hash2"
# 256 characters of two bytes: set by the tool, and the sign-in form takes them
LONG_PW=$(printf 'é%.0s' $(seq 1 256))
check "set-password takes 256 two-byte characters" bash -c "printf '%s\n' '$LONG_PW' | \
	SMSDESK_CONF='$SMSDESK_CONF' '$CTL_BIN' set-password '$email'"
login "$T_TMP/long" "$email" "$LONG_PW"
check "and that password signs in" test "$STATUS" = 303
check "set-password for an unknown email fails" bash -c "! printf '%s\n' '$PW' | SMSDESK_CONF='$SMSDESK_CONF' \
	'$CTL_BIN' set-password 'nobody.$UNIQ@import.test' 2>/dev/null"

# ---- the demo data (tools/demo.json) loads: here with this run's emails and numbers
jq --arg u "$UNIQ" --argjson nums "[\"$(num 20)\",\"$(num 21)\",\"$(num 22)\",\"$(num 23)\",\"$(num 24)\",\"$(num 25)\",\"$(num 26)\",\"$(num 27)\"]" \
	'.organizations |= map(.name += " \($u)")
	 | .users |= (to_entries | map(.value.email = "demo\($u)." + .value.email
		| if .value.sms_number then .value.sms_number = $nums[.key] else . end) | map(.value))' \
	"$REPO/tools/demo.json" > "$T_TMP/demo.json"
if import_file demo "$T_TMP/demo.json"; then ok "the demo data imports"; else not_ok "the demo data imports: $(cat "$T_TMP/import.err")"; fi
check "the demo has two organizations and about 30 leads" jq -e \
	'(.organizations|length) == 2 and (.leads|length) >= 30' "$T_TMP/ids.demo.json"
ls=$(id_of demo organizations lonestar)
check "demo: a borrower and a co-borrower share one number" is \
	"SELECT COUNT(*) > 0 FROM contacts a JOIN contacts b ON a.lead_id = b.lead_id AND a.mobile = b.mobile
	 WHERE a.org_id = $ls AND a.role = 'borrower' AND b.role = 'co_borrower'" 1
check "demo: a borrower shares a number with a partner" is \
	"SELECT COUNT(*) > 0 FROM contacts c JOIN partners p ON p.org_id = c.org_id AND p.mobile = c.mobile
	 WHERE c.org_id = $ls AND c.role = 'borrower'" 1
check "demo: one borrower number is on several applications" is \
	"SELECT MAX(n) >= 2 FROM (SELECT COUNT(DISTINCT lead_id) n FROM contacts WHERE org_id = $ls
	 AND role = 'borrower' GROUP BY mobile) x" 1
check "demo: some leads have two agents" is \
	"SELECT COUNT(*) > 0 FROM (SELECT lead_id FROM assignments a JOIN leads l ON l.id = a.lead_id
	 WHERE l.org_id = $ls GROUP BY lead_id HAVING COUNT(*) = 2) x" 1
check "demo: consents granted and pending" is \
	"SELECT SUM(status = 'granted') > 0, SUM(status = 'pending') > 0 FROM consents WHERE org_id = $ls" "$(printf '1\t1')"
demo_pw=$(grep -o 'password: [^ )]*' "$REPO/tools/demo-logins.txt" | cut -d' ' -f2)
check "demo-logins.txt gives the demo password" jq -e --arg pw "$demo_pw" \
	'[.users[].password] | all(. == $pw)' "$REPO/tools/demo.json"
for e in $(grep -o '[a-z.]*@[a-z.]*' "$REPO/tools/demo-logins.txt"); do
	check "demo-logins.txt: $e is a demo user" jq -e --arg e "$e" 'any(.users[]; .email == $e)' "$REPO/tools/demo.json"
done
