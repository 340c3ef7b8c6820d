#!/usr/bin/env bash
# /profile: every role sees who they are, their SMS number and permissions;
# /profile/password changes the password and ends the user's other sessions.
. "$REPO/tests/e2e/lib.sh"

# location: the Location header of the last answer.
# password_hash_of EMAIL: the stored hash, to show that nothing changed.
password_hash_of() { sql "SELECT password_hash FROM users WHERE email = '$1'"; }

PW="Profile-pw-$UNIQ"
# a valid NANP number unique to this run: +1512, then 7 digits starting 2-9
NUMBER="+1512$(( 2000000 + 10#$UNIQ % 7990000 ))"
cat > "$T_TMP/data.json" <<JSON
{
  "organizations": [{"key": "org$UNIQ", "name": "Profile Lending $UNIQ", "sms_enabled": true,
                     "time_zone": "America/Chicago"}],
  "users": [
    {"key": "root$UNIQ", "email": "root-$UNIQ@profile.test", "name": "Root $UNIQ",
     "role": "superadmin", "password": "$PW"},
    {"key": "admin$UNIQ", "org": "org$UNIQ", "email": "admin-$UNIQ@profile.test",
     "name": "Ada Admin $UNIQ", "role": "admin", "password": "$PW"},
    {"key": "mgr$UNIQ", "org": "org$UNIQ", "email": "mgr-$UNIQ@profile.test",
     "name": "Max Manager $UNIQ", "role": "manager", "password": "$PW"},
    {"key": "agent$UNIQ", "org": "org$UNIQ", "email": "agent-$UNIQ@profile.test",
     "name": "Alice Agent $UNIQ", "role": "agent", "password": "$PW",
     "sms_permission": true, "sms_number": "$NUMBER", "mms_enabled": true,
     "display_images": false},
    {"key": "xss$UNIQ", "org": "org$UNIQ", "email": "xss-$UNIQ@profile.test",
     "name": "<script>alert(1)</script>", "role": "agent", "password": "$PW"}]
}
JSON
check "the test data imports" import_file data "$T_TMP/data.json"
agent_id=$(id_of data users "agent$UNIQ")
check "the import names the agent's id" test -n "$agent_id" -a "$agent_id" != null

# ---- signed out
expect_status "anonymous GET /profile redirects" 303 "$BASE/profile"
check "to the sign-in page, coming back after" test "$(location)" = "/login?next=/profile"
expect_status "anonymous POST /profile/password is refused" 403 \
	--data-urlencode current=x --data-urlencode new=y --data-urlencode confirm=y \
	"$BASE/profile/password"

# ---- every role sees its own profile
login "$T_TMP/agent" "agent-$UNIQ@profile.test" "$PW"
check "the agent signs in" test "$STATUS" = 303
get "$T_TMP/agent" /profile
check "the agent's profile renders" test "$STATUS" = 200
check "it shows the agent's name" body_has "Alice Agent $UNIQ"
check "it shows the agent's email" body_has "agent-$UNIQ@profile.test"
check "it shows the role" body_has '<dt>Role</dt><dd>Agent</dd>'
check "it shows the organization" body_has "<dd>Profile Lending $UNIQ</dd>"
check "it shows the agent's SMS number" body_has "$NUMBER"
check "SMS permission: yes" body_has '<dt>SMS permission</dt><dd>Yes</dd>'
check "MMS enabled: yes" body_has '<dt>MMS enabled</dt><dd>Yes</dd>'
check "display images: no" body_has '<dt>Display images</dt><dd>No</dd>'
check "the password form carries the csrf token" body_has 'action="/profile/password"'
check "the password form has the three fields" \
	bash -c "grep -q 'name=\"current\"' '$T_TMP/body' && grep -q 'name=\"new\"' '$T_TMP/body' && grep -q 'name=\"confirm\"' '$T_TMP/body'"
check "the profile page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

login "$T_TMP/mgr" "mgr-$UNIQ@profile.test" "$PW"
get "$T_TMP/mgr" /profile
check "the manager's profile renders" test "$STATUS" = 200
check "it shows the manager's name" body_has "Max Manager $UNIQ"
check "it shows the manager role" body_has '<dt>Role</dt><dd>Manager</dd>'
check "without a number it says so" body_has 'No SMS number'
check "SMS permission: no" body_has '<dt>SMS permission</dt><dd>No</dd>'
check "MMS enabled: no" body_has '<dt>MMS enabled</dt><dd>No</dd>'

login "$T_TMP/admin" "admin-$UNIQ@profile.test" "$PW"
get "$T_TMP/admin" /profile
check "the admin's profile renders" test "$STATUS" = 200
check "it shows the admin role" body_has '<dt>Role</dt><dd>Administrator</dd>'

login "$T_TMP/root" "root-$UNIQ@profile.test" "$PW"
get "$T_TMP/root" /profile
check "the superadmin's profile renders" test "$STATUS" = 200
check "it shows the superadmin's name" body_has "Root $UNIQ"
check "a superadmin belongs to no organization" body_has 'None (you run the service)'

# ---- names are escaped
login "$T_TMP/xss" "xss-$UNIQ@profile.test" "$PW"
get "$T_TMP/xss" /profile
check "a hostile name renders" test "$STATUS" = 200
check "a hostile name is escaped" body_has '&lt;script&gt;alert(1)&lt;/script&gt;'
page_lacks "a hostile name is not markup" 200 '<h1>Your profile</h1>' '<script>alert(1)'

# ---- password change: refused changes leave the hash alone
before=$(password_hash_of "agent-$UNIQ@profile.test")
NEW="New-pw-$UNIQ-x"

req -b "$T_TMP/agent" --data-urlencode "current=$PW" --data-urlencode "new=$NEW" \
	--data-urlencode "confirm=$NEW" "$BASE/profile/password"
check "a password change without csrf is 403" test "$STATUS" = 403
req -b "$T_TMP/agent" --data-urlencode "csrf=$(printf '0%.0s' {1..64})" --data-urlencode "current=$PW" \
	--data-urlencode "new=$NEW" --data-urlencode "confirm=$NEW" "$BASE/profile/password"
check "a password change with a wrong csrf is 403" test "$STATUS" = 403
check "refused for csrf: the hash is unchanged" test "$(password_hash_of "agent-$UNIQ@profile.test")" = "$before"

post "$T_TMP/agent" /profile/password --data-urlencode "current=wrong-$PW" \
	--data-urlencode "new=$NEW" --data-urlencode "confirm=$NEW"
check "a wrong current password is refused (303)" test "$STATUS" = 303
check "with error=wrong_password" test "$(location)" = "/profile?error=wrong_password"
get "$T_TMP/agent" "/profile?error=wrong_password"
check "the page says the current password is wrong" body_has 'The current password is wrong.'

post "$T_TMP/agent" /profile/password --data-urlencode "current=$PW" \
	--data-urlencode "new=short" --data-urlencode "confirm=short"
check "a too short new password: error=bad_password" test "$(location)" = "/profile?error=bad_password"
get "$T_TMP/agent" "/profile?error=bad_password"
check "the page gives the length rule" body_has 'Passwords must be 10 to 256 characters.'

long=$(head -c 257 /dev/zero | tr '\0' a)
post "$T_TMP/agent" /profile/password --data-urlencode "current=$PW" \
	--data-urlencode "new=$long" --data-urlencode "confirm=$long"
check "a too long new password: error=bad_password" test "$(location)" = "/profile?error=bad_password"

post "$T_TMP/agent" /profile/password --data-urlencode "current=$PW" \
	--data-urlencode "new=$NEW" --data-urlencode "confirm=${NEW}y"
check "differing new passwords: error=password_mismatch" test "$(location)" = "/profile?error=password_mismatch"
get "$T_TMP/agent" "/profile?error=password_mismatch"
check "the page says they differ" body_has 'The two new passwords differ.'

post "$T_TMP/agent" /profile/password --data-urlencode "current=$PW" --data-urlencode "new=$NEW"
check "a missing confirmation: error=password_mismatch" test "$(location)" = "/profile?error=password_mismatch"

check "after every refusal the hash is unchanged" test "$(password_hash_of "agent-$UNIQ@profile.test")" = "$before"

# ---- password change: works, and ends the other sessions only
login "$T_TMP/agent2" "agent-$UNIQ@profile.test" "$PW"
check "a second session for the agent" test "$STATUS" = 303
sessions_before=$(sql "SELECT COUNT(*) FROM sessions WHERE user_id = $agent_id")
check "the agent has two sessions" test "$sessions_before" -ge 2
post "$T_TMP/agent" /profile/password --data-urlencode "current=$PW" \
	--data-urlencode "new=$NEW" --data-urlencode "confirm=$NEW"
check "the password change answers 303" test "$STATUS" = 303
check "to done=password_changed" test "$(location)" = "/profile?done=password_changed"
check "the hash changed" test "$(password_hash_of "agent-$UNIQ@profile.test")" != "$before"
get "$T_TMP/agent" "/profile?done=password_changed"
check "the session that changed it stays signed in" test "$STATUS" = 200
check "the page confirms the change" body_has 'Your password was changed.'
check "one session is left" test "$(sql "SELECT COUNT(*) FROM sessions WHERE user_id = $agent_id")" = 1
get "$T_TMP/agent2" /profile
check "the other session is ended (303 to sign in)" test "$STATUS" = 303
check "the other session goes to /login" bash -c "sed -n 's/^Location: *//Ip' '$T_TMP/headers' | grep -q '^/login'"

login "$T_TMP/old" "agent-$UNIQ@profile.test" "$PW"
check "the old password no longer signs in" test "$STATUS" = 200
check "the sign-in page says so" body_has 'Wrong email or password.'
login "$T_TMP/new" "agent-$UNIQ@profile.test" "$NEW"
check "the new password signs in" test "$STATUS" = 303
get "$T_TMP/new" /profile
check "and the profile renders for it" test "$STATUS" = 200

# ---- the current-password check has the sign-in's limits: a stolen
# session cannot guess the password
ADDR=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
login "$T_TMP/mgr2" "mgr-$UNIQ@profile.test" "$PW" --interface "$ADDR"
check "the manager signs in from their own address" test "$STATUS" = 303
mgr_before=$(password_hash_of "mgr-$UNIQ@profile.test")
MGR_NEW="Mgr-new-$UNIQ-x"
for i in 1 2 3 4 5; do
	post "$T_TMP/mgr2" /profile/password --interface "$ADDR" --data-urlencode "current=guess-$i" \
		--data-urlencode "new=$MGR_NEW" --data-urlencode "confirm=$MGR_NEW"
done
check "five wrong current passwords: error=wrong_password" test "$(location)" = "/profile?error=wrong_password"
post "$T_TMP/mgr2" /profile/password --interface "$ADDR" --data-urlencode "current=$PW" \
	--data-urlencode "new=$MGR_NEW" --data-urlencode "confirm=$MGR_NEW"
check "the sixth, even the right one, is refused: error=too_many_attempts" \
	test "$(location)" = "/profile?error=too_many_attempts"
check "the hash is unchanged" test "$(password_hash_of "mgr-$UNIQ@profile.test")" = "$mgr_before"
get "$T_TMP/mgr2" "/profile?error=too_many_attempts"
check "the page says to wait" body_has 'Too many wrong passwords'
check "the guesses were recorded as failed sign-in attempts" test "$(sql "SELECT COUNT(*) FROM login_attempts
	WHERE email = 'mgr-$UNIQ@profile.test' AND remote_addr = '$ADDR' AND succeeded = 0")" = 5
