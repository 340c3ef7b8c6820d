#!/usr/bin/env bash
# /admin/users: an organization's admin lists, creates and edits its users;
# nobody else may, and no admin reaches another organization's users.
. "$REPO/tests/e2e/lib.sh"

# user_row ID: the columns an admin edits, to show what changed (or not).
user_row() {
	sql "SELECT role, sms_permission, COALESCE(sms_number, '-'), mms_enabled, display_images,
	     active FROM users WHERE id = $1"
}
count_email() { sql "SELECT COUNT(*) FROM users WHERE email = '$1'"; }

PW="Admin-pw-$UNIQ"
# valid NANP numbers unique to this run: +1512, then 7 digits starting 2-9
BASE_NUM=$(( 2000000 + 10#$UNIQ % 7990000 ))
num() { echo "+1512$(( BASE_NUM + $1 ))"; }
# the same numbers written loosely, as people type them
N3=$(( BASE_NUM + 3 )) N5=$(( BASE_NUM + 5 ))
D=users-$UNIQ.test
cat > "$T_TMP/data.json" <<JSON
{
  "organizations": [
    {"key": "a$UNIQ", "name": "Alpha Lending $UNIQ", "sms_enabled": true},
    {"key": "b$UNIQ", "name": "Beta Lending $UNIQ", "sms_enabled": true}],
  "users": [
    {"key": "root$UNIQ", "email": "root@$D", "name": "Root $UNIQ", "role": "superadmin",
     "password": "$PW"},
    {"key": "admin$UNIQ", "org": "a$UNIQ", "email": "admin@$D", "name": "Ada Admin $UNIQ",
     "role": "admin", "password": "$PW"},
    {"key": "mgr$UNIQ", "org": "a$UNIQ", "email": "mgr@$D", "name": "Max Manager $UNIQ",
     "role": "manager", "password": "$PW"},
    {"key": "agent$UNIQ", "org": "a$UNIQ", "email": "agent@$D", "name": "Alice Agent $UNIQ",
     "role": "agent", "password": "$PW", "sms_permission": true, "sms_number": "$(num 1)",
     "mms_enabled": true, "display_images": true},
    {"key": "xss$UNIQ", "org": "a$UNIQ", "email": "xss@$D", "name": "<script>alert(1)</script>",
     "role": "agent", "password": "$PW"},
    {"key": "badmin$UNIQ", "org": "b$UNIQ", "email": "badmin@$D", "name": "Bea Admin $UNIQ",
     "role": "admin", "password": "$PW"},
    {"key": "bagent$UNIQ", "org": "b$UNIQ", "email": "bagent@$D", "name": "Bob Agent $UNIQ",
     "role": "agent", "password": "$PW", "sms_permission": true, "sms_number": "$(num 2)"}]
}
JSON
check "the test data imports" import_file data "$T_TMP/data.json"
admin_id=$(id_of data users "admin$UNIQ")
mgr_id=$(id_of data users "mgr$UNIQ")
agent_id=$(id_of data users "agent$UNIQ")
bagent_id=$(id_of data users "bagent$UNIQ")
check "the import names the users' ids" test -n "$agent_id" -a "$agent_id" != null -a -n "$bagent_id"

# ---- who may
expect_status "anonymous GET /admin/users redirects" 303 "$BASE/admin/users"
check "to the sign-in page, coming back after" test "$(location)" = "/login?next=/admin/users"
expect_status "anonymous POST /admin/users is refused" 403 --data-urlencode email=x "$BASE/admin/users"

login "$T_TMP/admin" "admin@$D" "$PW"
login "$T_TMP/mgr" "mgr@$D" "$PW"
login "$T_TMP/agent" "agent@$D" "$PW"
login "$T_TMP/root" "root@$D" "$PW"
for who in mgr agent root; do
	get "$T_TMP/$who" /admin/users
	check "GET /admin/users is 403 for the $who" test "$STATUS" = 403
	post "$T_TMP/$who" /admin/users --data-urlencode "email=by-$who@$D" \
		--data-urlencode "name=By $who" --data-urlencode role=agent --data-urlencode "password=$PW"
	check "POST /admin/users is 403 for the $who" test "$STATUS" = 403
	check "and creates nobody" test "$(count_email "by-$who@$D")" = 0
done
before=$(user_row "$agent_id")
post "$T_TMP/mgr" "/admin/users/$agent_id" --data-urlencode role=admin --data-urlencode active=1
check "POST /admin/users/ID is 403 for a manager" test "$STATUS" = 403
check "and changes nothing" test "$(user_row "$agent_id")" = "$before"

# ---- the list
get "$T_TMP/admin" /admin/users
check "the admin's user list renders" test "$STATUS" = 200
check "it lists the organization's users" body_has "Alice Agent $UNIQ"
check "with their email" body_has "agent@$D"
check "and their SMS number" body_has "value=\"$(num 1)\""
check "each row posts to its user" body_has "action=\"/admin/users/$agent_id\""
check "each row form carries the csrf token" body_has 'name="csrf" value="[0-9a-f]\{64\}"'
check "it has the create form" body_has 'action="/admin/users"'
page_lacks "it does not list another organization's users" 200 '<h1>Users of ' "Bob Agent $UNIQ"
page_lacks "nor their numbers" 200 '<h1>Users of ' "$(num 2)"
check "a hostile name is escaped" body_has '&lt;script&gt;alert(1)&lt;/script&gt;'
page_lacks "a hostile name is not markup" 200 '<h1>Users of ' '<script>alert(1)'
check "the user list is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# ---- csrf
req -b "$T_TMP/admin" --data-urlencode role=manager --data-urlencode active=1 \
	"$BASE/admin/users/$agent_id"
check "an edit without csrf is 403" test "$STATUS" = 403
req -b "$T_TMP/admin" --data-urlencode "csrf=$(printf '0%.0s' {1..64})" \
	--data-urlencode role=manager --data-urlencode active=1 "$BASE/admin/users/$agent_id"
check "an edit with a wrong csrf is 403" test "$STATUS" = 403
check "refused for csrf: nothing changed" test "$(user_row "$agent_id")" = "$before"
req -b "$T_TMP/admin" --data-urlencode "email=nocsrf@$D" --data-urlencode "name=No Csrf" \
	--data-urlencode role=agent --data-urlencode "password=$PW" "$BASE/admin/users"
check "a create without csrf is 403" test "$STATUS" = 403
check "and creates nobody" test "$(count_email "nocsrf@$D")" = 0

# ---- editing
post "$T_TMP/admin" "/admin/users/$agent_id" --data-urlencode role=manager \
	--data-urlencode sms_permission=1 --data-urlencode "sms_number=(512) ${N3:0:3}-${N3:3}" \
	--data-urlencode display_images=1 --data-urlencode active=1
check "an edit answers 303" test "$STATUS" = 303
check "to done=saved" test "$(location)" = "/admin/users?done=saved"
check "it is stored; the number normalized; MMS unchecked is off" \
	test "$(user_row "$agent_id")" = "$(printf 'manager\t1\t%s\t0\t1\t1' "$(num 3)")"
get "$T_TMP/admin" "/admin/users?done=saved"
check "the list says it was saved" body_has 'Saved.'
get "$T_TMP/agent" /profile
check "the user's profile shows the new number" body_has "$(num 3)"

post "$T_TMP/admin" "/admin/users/$agent_id" --data-urlencode role=agent \
	--data-urlencode "sms_number=" --data-urlencode active=1
check "an empty number and unchecked boxes clear them" \
	test "$(user_row "$agent_id")" = "$(printf 'agent\t0\t-\t0\t0\t1')"
get "$T_TMP/agent" /profile
check "the user's profile says No SMS number" body_has 'No SMS number'

post "$T_TMP/admin" "/admin/users/$agent_id" --data-urlencode role=agent \
	--data-urlencode sms_permission=1 --data-urlencode "sms_number=$(num 1)" \
	--data-urlencode mms_enabled=1 --data-urlencode display_images=1 --data-urlencode active=1
before=$(user_row "$agent_id")
check "the agent is back as imported" test "$before" = "$(printf 'agent\t1\t%s\t1\t1\t1' "$(num 1)")"

# every refused edit: the right message, nothing changed
refused_edit() { # NAME CODE MESSAGE [--data-urlencode k=v ...]
	local name=$1 code=$2 message=$3; shift 3
	post "$T_TMP/admin" "/admin/users/$agent_id" "$@"
	check "$name: error=$code" test "$(location)" = "/admin/users?error=$code"
	check "$name: nothing changed" test "$(user_row "$agent_id")" = "$before"
	get "$T_TMP/admin" "/admin/users?error=$code"
	check "$name: the page says so" body_has "$message"
}
refused_edit "an unknown role" bad_role "Choose a valid role." \
	--data-urlencode role=superadmin --data-urlencode active=1 --data-urlencode "sms_number=$(num 1)"
refused_edit "a missing role" bad_role "Choose a valid role." \
	--data-urlencode active=1 --data-urlencode "sms_number=$(num 1)"
refused_edit "a malformed number" bad_phone "That mobile number is not valid." \
	--data-urlencode role=agent --data-urlencode active=1 --data-urlencode "sms_number=555-CALL-NOW"
refused_edit "a too short number" bad_phone "That mobile number is not valid." \
	--data-urlencode role=agent --data-urlencode active=1 --data-urlencode "sms_number=12345"
post "$T_TMP/admin" "/admin/users/$mgr_id" --data-urlencode role=manager \
	--data-urlencode active=1 --data-urlencode "sms_number=$(num 1)"
check "another user's number: error=number_unusable" test "$(location)" = "/admin/users?error=number_unusable"
check "another user's number: the manager has none" test "$(sql "SELECT COALESCE(sms_number, '-') FROM users WHERE id = $mgr_id")" = "-"
post "$T_TMP/admin" "/admin/users/$mgr_id" --data-urlencode role=manager \
	--data-urlencode active=1 --data-urlencode "sms_number=$(num 2)"
check "another organization's user's number: the same error=number_unusable (unique across the service)" \
	test "$(location)" = "/admin/users?error=number_unusable"
check "the manager still has no number" test "$(sql "SELECT COALESCE(sms_number, '-') FROM users WHERE id = $mgr_id")" = "-"

# ---- another organization's user, unknown ids
bbefore=$(user_row "$bagent_id")
post "$T_TMP/admin" "/admin/users/$bagent_id" --data-urlencode role=admin \
	--data-urlencode "sms_number=" --data-urlencode active=1
check "editing another organization's user is 404" test "$STATUS" = 404
check "and changes nothing" test "$(user_row "$bagent_id")" = "$bbefore"
post "$T_TMP/admin" "/admin/users/$bagent_id" --data-urlencode role=agent
check "deactivating another organization's user is 404" test "$STATUS" = 404
check "and leaves them active" test "$(user_row "$bagent_id")" = "$bbefore"
root_id=$(id_of data users "root$UNIQ")
post "$T_TMP/admin" "/admin/users/$root_id" --data-urlencode role=admin --data-urlencode active=1
check "editing the superadmin is 404" test "$STATUS" = 404
post "$T_TMP/admin" "/admin/users/999999999999" --data-urlencode role=agent --data-urlencode active=1
check "an unknown user id is 404" test "$STATUS" = 404

# ---- an admin cannot demote or deactivate themselves
abefore=$(user_row "$admin_id")
post "$T_TMP/admin" "/admin/users/$admin_id" --data-urlencode role=agent --data-urlencode active=1
check "changing one's own role: error=self" test "$(location)" = "/admin/users?error=self"
check "changing one's own role: nothing changed" test "$(user_row "$admin_id")" = "$abefore"
post "$T_TMP/admin" "/admin/users/$admin_id" --data-urlencode role=admin
check "deactivating oneself: error=self" test "$(location)" = "/admin/users?error=self"
check "deactivating oneself: nothing changed" test "$(user_row "$admin_id")" = "$abefore"
get "$T_TMP/admin" "/admin/users?error=self"
check "the page says why" body_has 'You cannot change your own role or deactivate yourself.'
post "$T_TMP/admin" "/admin/users/$admin_id" --data-urlencode role=admin --data-urlencode active=1 \
	--data-urlencode sms_permission=1 --data-urlencode "sms_number=$(num 4)"
check "an admin may give themselves a number" test "$(location)" = "/admin/users?done=saved"
check "and it is stored" test "$(sql "SELECT sms_number FROM users WHERE id = $admin_id")" = "$(num 4)"

# ---- deactivation ends the user's sessions
get "$T_TMP/agent" /profile
check "the agent is signed in" test "$STATUS" = 200
post "$T_TMP/admin" "/admin/users/$agent_id" --data-urlencode role=agent \
	--data-urlencode "sms_number=$(num 1)" --data-urlencode sms_permission=1
check "deactivating a user answers done=saved" test "$(location)" = "/admin/users?done=saved"
check "the user is inactive" test "$(sql "SELECT active FROM users WHERE id = $agent_id")" = 0
check "the user's sessions are deleted" test "$(sql "SELECT COUNT(*) FROM sessions WHERE user_id = $agent_id")" = 0
get "$T_TMP/agent" /profile
check "the deactivated user's next GET redirects" test "$STATUS" = 303
check "to the sign-in page" bash -c "sed -n 's/^Location: *//Ip' '$T_TMP/headers' | grep -q '^/login'"
login "$T_TMP/agent-again" "agent@$D" "$PW"
check "a deactivated user cannot sign in" test "$STATUS" = 200
get "$T_TMP/admin" /admin/users
check "the list still shows the inactive user" body_has "Alice Agent $UNIQ"
post "$T_TMP/admin" "/admin/users/$agent_id" --data-urlencode role=agent \
	--data-urlencode "sms_number=$(num 1)" --data-urlencode active=1
check "reactivating works" test "$(sql "SELECT active FROM users WHERE id = $agent_id")" = 1
login "$T_TMP/agent-again" "agent@$D" "$PW"
check "a reactivated user signs in" test "$STATUS" = 303

# ---- creating users
post "$T_TMP/admin" /admin/users --data-urlencode "email=  New-Agent@$D " \
	--data-urlencode "name=Nora New $UNIQ" --data-urlencode role=agent \
	--data-urlencode "password=$PW-new" --data-urlencode sms_permission=1 \
	--data-urlencode "sms_number=512 ${N5:0:3} ${N5:3}" \
	--data-urlencode mms_enabled=1
check "creating a user answers 303" test "$STATUS" = 303
check "to done=created" test "$(location)" = "/admin/users?done=created"
a_org=$(sql "SELECT org_id FROM users WHERE id = $admin_id")
check "the user is stored in the admin's organization, email lower-cased, number normalized" \
	test "$(sql "SELECT org_id, role, name, sms_permission, sms_number, mms_enabled, display_images, active FROM users WHERE email = 'new-agent@$D'")" \
	= "$(printf '%s\tagent\tNora New %s\t1\t%s\t1\t0\t1' "$a_org" "$UNIQ" "$(num 5)")"
get "$T_TMP/admin" "/admin/users?done=created"
check "the list says it was created" body_has 'Created.'
check "and lists the new user" body_has "Nora New $UNIQ"
login "$T_TMP/new" "new-agent@$D" "$PW-new"
check "the new user signs in" test "$STATUS" = 303
get "$T_TMP/new" /profile
check "and sees their number on their profile" body_has "$(num 5)"

refused_create() { # NAME CODE MESSAGE EMAIL [--data-urlencode k=v ...]
	local name=$1 code=$2 message=$3 email=$4; shift 4
	local n
	n=$(count_email "$email")
	post "$T_TMP/admin" /admin/users --data-urlencode "email=$email" "$@"
	check "$name: error=$code" test "$(location)" = "/admin/users?error=$code"
	check "$name: nobody created" test "$(count_email "$email")" = "$n"
	get "$T_TMP/admin" "/admin/users?error=$code"
	check "$name: the page says so" body_has "$message"
}
ok_fields=(--data-urlencode "name=Some One" --data-urlencode role=agent --data-urlencode "password=$PW")
refused_create "a duplicate email" email_unusable "That email address cannot be used." \
	"agent@$D" "${ok_fields[@]}"
refused_create "a duplicate email in other case" email_unusable "That email address cannot be used." \
	"AGENT@$D" "${ok_fields[@]}"
refused_create "a duplicate number" number_unusable "That SMS number cannot be used." \
	"dupnum@$D" "${ok_fields[@]}" --data-urlencode "sms_number=$(num 1)"
# another organization's email or number: the page the server sends the
# admin to says the value cannot be used, not that it exists, or where
unusable() { # NAME MESSAGE EMAIL [--data-urlencode k=v ...]
	local name=$1 message=$2 email=$3; shift 3
	post "$T_TMP/admin" /admin/users --data-urlencode "email=$email" "$@"
	local where
	where=$(location)
	check "$name: refused (303 to the list)" test "$STATUS" = 303 -a "${where%%\?*}" = /admin/users
	get "$T_TMP/admin" "$where"
	check "$name: the page says the value cannot be used" body_has "$message"
	check "$name: the page does not say it exists" \
		bash -c "! grep -qiE 'in use|another user|belongs|already|exists' '$T_TMP/body'"
}
unusable "another organization's email" "That email address cannot be used." \
	"bagent@$D" "${ok_fields[@]}"
unusable "another organization's number" "That SMS number cannot be used." \
	"dupnum2@$D" "${ok_fields[@]}" --data-urlencode "sms_number=$(num 2)"
check "nobody was created" test "$(count_email "dupnum2@$D")" = 0

refused_create "a malformed email" bad_email "That email address is not valid." \
	"not-an-email" "${ok_fields[@]}"
refused_create "an empty name" bad_name "Enter a name" \
	"noname@$D" --data-urlencode "name=   " --data-urlencode role=agent --data-urlencode "password=$PW"
refused_create "a too long name" bad_name "Enter a name" \
	"longname@$D" --data-urlencode "name=$(head -c 201 /dev/zero | tr '\0' n)" \
	--data-urlencode role=agent --data-urlencode "password=$PW"
refused_create "the superadmin role" bad_role "Choose a valid role." \
	"superrole@$D" --data-urlencode "name=Some One" --data-urlencode role=superadmin \
	--data-urlencode "password=$PW"
refused_create "a short password" bad_password "Passwords must be 10 to 256 characters." \
	"shortpw@$D" --data-urlencode "name=Some One" --data-urlencode role=agent \
	--data-urlencode "password=short"
refused_create "a malformed number" bad_phone "That mobile number is not valid." \
	"badnum@$D" "${ok_fields[@]}" --data-urlencode "sms_number=+1 (012) 555-0100"
