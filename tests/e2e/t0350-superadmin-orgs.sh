#!/usr/bin/env bash
# /superadmin/orgs: the superadmin lists organizations, turns SMS on or off,
# sets the SMS level, and creates an organization with its first admin.
. "$REPO/tests/e2e/lib.sh"

org_row() { sql "SELECT sms_enabled, sms_level FROM organizations WHERE id = $1"; }
count_orgs() { sql "SELECT COUNT(*) FROM organizations WHERE name = '$1'"; }

PW="Orgs-pw-$UNIQ"
D=orgs-$UNIQ.test
cat > "$T_TMP/data.json" <<JSON
{
  "organizations": [{"key": "o$UNIQ", "name": "Omega Lending $UNIQ", "sms_enabled": false,
                     "time_zone": "America/New_York"}],
  "users": [
    {"key": "root$UNIQ", "email": "root@$D", "name": "Root $UNIQ", "role": "superadmin",
     "password": "$PW"},
    {"key": "admin$UNIQ", "org": "o$UNIQ", "email": "admin@$D", "name": "Ada Admin $UNIQ",
     "role": "admin", "password": "$PW"},
    {"key": "mgr$UNIQ", "org": "o$UNIQ", "email": "mgr@$D", "name": "Max Manager $UNIQ",
     "role": "manager", "password": "$PW"},
    {"key": "agent$UNIQ", "org": "o$UNIQ", "email": "agent@$D", "name": "Alice Agent $UNIQ",
     "role": "agent", "password": "$PW"}]
}
JSON
check "the test data imports" import_file data "$T_TMP/data.json"
org_id=$(id_of data organizations "o$UNIQ")
check "the import names the organization's id" test -n "$org_id" -a "$org_id" != null

# ---- who may
expect_status "anonymous GET /superadmin/orgs redirects" 303 "$BASE/superadmin/orgs"
check "to the sign-in page, coming back after" test "$(location)" = "/login?next=/superadmin/orgs"
expect_status "anonymous POST /superadmin/orgs/ID is refused" 403 \
	--data-urlencode sms_enabled=1 --data-urlencode sms_level=advanced "$BASE/superadmin/orgs/$org_id"

login "$T_TMP/root" "root@$D" "$PW"
check "the superadmin signs in" test "$STATUS" = 303
for who in admin mgr agent; do
	login "$T_TMP/$who" "$who@$D" "$PW"
	get "$T_TMP/$who" /superadmin/orgs
	check "GET /superadmin/orgs is 403 for the $who" test "$STATUS" = 403
	post "$T_TMP/$who" "/superadmin/orgs/$org_id" --data-urlencode sms_enabled=1 \
		--data-urlencode sms_level=advanced
	check "POST /superadmin/orgs/ID is 403 for the $who" test "$STATUS" = 403
	post "$T_TMP/$who" /superadmin/orgs --data-urlencode "name=By $who $UNIQ" \
		--data-urlencode time_zone=America/Chicago --data-urlencode sms_level=standard \
		--data-urlencode "admin_email=by-$who@$D" --data-urlencode "admin_name=By $who" \
		--data-urlencode "admin_password=$PW"
	check "POST /superadmin/orgs is 403 for the $who" test "$STATUS" = 403
	check "and creates nothing" test "$(count_orgs "By $who $UNIQ")" = 0
done
check "nobody changed the organization" test "$(org_row "$org_id")" = "$(printf '0\tstandard')"

# ---- the list
get "$T_TMP/root" /superadmin/orgs
check "the organizations page renders" test "$STATUS" = 200
check "it lists the organization" body_has "Omega Lending $UNIQ"
check "each row posts to its organization" body_has "action=\"/superadmin/orgs/$org_id\""
check "with its user counts (total and active)" \
	bash -c "grep -A3 'id=\"org-$org_id\"' '$T_TMP/body' | grep -q '<td data-label=\"Users (active)\">3 (3)</td>'"
check "it has the create form" body_has 'action="/superadmin/orgs"'
check "the create form asks for the first admin" body_has 'name="admin_email"'
check "the organizations page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# ---- csrf
req -b "$T_TMP/root" --data-urlencode sms_enabled=1 --data-urlencode sms_level=advanced \
	"$BASE/superadmin/orgs/$org_id"
check "a toggle without csrf is 403" test "$STATUS" = 403
req -b "$T_TMP/root" --data-urlencode "csrf=$(printf '0%.0s' {1..64})" --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=advanced "$BASE/superadmin/orgs/$org_id"
check "a toggle with a wrong csrf is 403" test "$STATUS" = 403
check "refused for csrf: nothing changed" test "$(org_row "$org_id")" = "$(printf '0\tstandard')"
req -b "$T_TMP/root" --data-urlencode "name=No Csrf $UNIQ" --data-urlencode time_zone=America/Chicago \
	--data-urlencode sms_level=standard --data-urlencode "admin_email=nocsrf@$D" \
	--data-urlencode "admin_name=No Csrf" --data-urlencode "admin_password=$PW" "$BASE/superadmin/orgs"
check "a create without csrf is 403" test "$STATUS" = 403
check "and creates nothing" test "$(count_orgs "No Csrf $UNIQ")" = 0

# ---- SMS on/off and level
post "$T_TMP/root" "/superadmin/orgs/$org_id" --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=advanced
check "turning SMS on at the advanced level answers 303" test "$STATUS" = 303
check "to done=saved" test "$(location)" = "/superadmin/orgs?done=saved"
check "it is stored" test "$(org_row "$org_id")" = "$(printf '1\tadvanced')"
get "$T_TMP/root" "/superadmin/orgs?done=saved"
check "the page says it was saved" body_has 'Saved.'
check "the row shows SMS on" \
	bash -c "grep -A4 'id=\"org-$org_id\"' '$T_TMP/body' | grep -q 'name=\"sms_enabled\"[^>]* checked'"
check "the row shows the advanced level" \
	bash -c "grep -A7 'id=\"org-$org_id\"' '$T_TMP/body' | grep -q 'value=\"advanced\" selected'"
post "$T_TMP/root" "/superadmin/orgs/$org_id" --data-urlencode sms_level=standard
check "an unchecked box turns SMS off" test "$(org_row "$org_id")" = "$(printf '0\tstandard')"
post "$T_TMP/root" "/superadmin/orgs/$org_id" --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=standard
check "SMS on at the standard level" test "$(org_row "$org_id")" = "$(printf '1\tstandard')"
post "$T_TMP/root" "/superadmin/orgs/$org_id" --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=premium
check "an unknown level: error=bad_level" test "$(location)" = "/superadmin/orgs?error=bad_level"
check "an unknown level: nothing changed" test "$(org_row "$org_id")" = "$(printf '1\tstandard')"
get "$T_TMP/root" "/superadmin/orgs?error=bad_level"
check "the page says so" body_has 'The SMS level is standard or advanced.'
post "$T_TMP/root" "/superadmin/orgs/$org_id"
check "a missing level: error=bad_level" test "$(location)" = "/superadmin/orgs?error=bad_level"
check "a missing level: nothing changed" test "$(org_row "$org_id")" = "$(printf '1\tstandard')"
post "$T_TMP/root" "/superadmin/orgs/999999999999" --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=advanced
check "an unknown organization id is 404" test "$STATUS" = 404
post "$T_TMP/root" "/superadmin/orgs/999999999999" --data-urlencode sms_level=premium
check "an unknown organization id is 404 whatever the form" test "$STATUS" = 404

# ---- creating an organization with its first admin
NEW="New Horizon $UNIQ"
post "$T_TMP/root" /superadmin/orgs --data-urlencode "name=  $NEW  " \
	--data-urlencode time_zone=America/Denver --data-urlencode sms_enabled=1 \
	--data-urlencode sms_level=advanced --data-urlencode "admin_email=First@$D" \
	--data-urlencode "admin_name=Fiona First $UNIQ" --data-urlencode "admin_password=$PW-first"
check "creating an organization answers 303" test "$STATUS" = 303
check "to done=created" test "$(location)" = "/superadmin/orgs?done=created"
check "the organization is stored" \
	test "$(sql "SELECT sms_enabled, sms_level, time_zone FROM organizations WHERE name = '$NEW'")" \
	= "$(printf '1\tadvanced\tAmerica/Denver')"
new_id=$(sql "SELECT id FROM organizations WHERE name = '$NEW'")
check "with its admin, email lower-cased, in its time zone" \
	test "$(sql "SELECT org_id, role, name, active, time_zone FROM users WHERE email = 'first@$D'")" \
	= "$(printf '%s\tadmin\tFiona First %s\t1\tAmerica/Denver' "$new_id" "$UNIQ")"
get "$T_TMP/root" "/superadmin/orgs?done=created"
check "the page says it was created" body_has 'Created.'
check "and lists the new organization" body_has "$NEW"
check "its time zone by a readable name, the setting's name in its title" \
	body_has "<td data-label=\"Time zone\" title=\"America/Denver\">Mountain (M[SD]T)</td>"
login "$T_TMP/first" "first@$D" "$PW-first"
check "the new admin signs in" test "$STATUS" = 303
get "$T_TMP/first" /admin/users
check "the new admin manages the new organization's users" test "$STATUS" = 200
check "and sees themselves there" body_has "Fiona First $UNIQ"
page_lacks "and only themselves" 200 '<h1>Users of ' "Ada Admin $UNIQ"
post "$T_TMP/root" /superadmin/orgs --data-urlencode "name=$NEW" \
	--data-urlencode time_zone=America/Chicago --data-urlencode sms_level=standard \
	--data-urlencode "admin_email=second@$D" --data-urlencode "admin_name=Sam Second" \
	--data-urlencode "admin_password=$PW"
check "SMS off when unchecked" \
	test "$(sql "SELECT o.sms_enabled, o.sms_level FROM organizations o JOIN users u ON u.org_id = o.id WHERE u.email = 'second@$D'")" \
	= "$(printf '0\tstandard')"

# every refused creation: the right message, no organization, no admin
refused_create() { # NAME CODE MESSAGE ORG_NAME EMAIL [--data-urlencode k=v ...]
	local name=$1 code=$2 message=$3 org=$4 email=$5; shift 5
	local orgs users
	orgs=$(count_orgs "$org")
	users=$(sql "SELECT COUNT(*) FROM users WHERE email = '$email'")
	post "$T_TMP/root" /superadmin/orgs --data-urlencode "name=$org" \
		--data-urlencode "admin_email=$email" "$@"
	check "$name: error=$code" test "$(location)" = "/superadmin/orgs?error=$code"
	check "$name: no organization created" test "$(count_orgs "$org")" = "$orgs"
	check "$name: no user created" \
		test "$(sql "SELECT COUNT(*) FROM users WHERE email = '$email'")" = "$users"
	get "$T_TMP/root" "/superadmin/orgs?error=$code"
	check "$name: the page says so" body_has "$message"
}
good=(--data-urlencode time_zone=America/Chicago --data-urlencode sms_level=standard
      --data-urlencode "admin_name=Some One" --data-urlencode "admin_password=$PW")
refused_create "the admin's email is taken (all or nothing)" dup_email \
	"That email address is already in use." "Taken $UNIQ" "agent@$D" "${good[@]}"
refused_create "an empty name" bad_name "Enter a name" "   " "empty-$UNIQ@$D" "${good[@]}"
refused_create "a too long name" bad_name "Enter a name" \
	"$(head -c 201 /dev/zero | tr '\0' n)" "long-$UNIQ@$D" "${good[@]}"
refused_create "an unknown time zone" bad_time_zone "Choose a valid time zone." \
	"Zone $UNIQ" "zone@$D" --data-urlencode time_zone=Mars/Olympus_Mons \
	--data-urlencode sms_level=standard --data-urlencode "admin_name=Some One" \
	--data-urlencode "admin_password=$PW"
refused_create "a time zone outside zoneinfo" bad_time_zone "Choose a valid time zone." \
	"Zone2 $UNIQ" "zone2@$D" --data-urlencode time_zone=../../etc/passwd \
	--data-urlencode sms_level=standard --data-urlencode "admin_name=Some One" \
	--data-urlencode "admin_password=$PW"
refused_create "an unknown level" bad_level "The SMS level is standard or advanced." \
	"Level $UNIQ" "level@$D" --data-urlencode time_zone=America/Chicago \
	--data-urlencode sms_level=premium --data-urlencode "admin_name=Some One" \
	--data-urlencode "admin_password=$PW"
refused_create "a malformed admin email" bad_email "That email address is not valid." \
	"Email $UNIQ" "not-an-email" "${good[@]}"
refused_create "an empty admin name" bad_name "Enter a name" \
	"Admin name $UNIQ" "noname@$D" --data-urlencode time_zone=America/Chicago \
	--data-urlencode sms_level=standard --data-urlencode "admin_name=" \
	--data-urlencode "admin_password=$PW"
refused_create "a short admin password" bad_password "Passwords must be 10 to 256 characters." \
	"Password $UNIQ" "shortpw@$D" --data-urlencode time_zone=America/Chicago \
	--data-urlencode sms_level=standard --data-urlencode "admin_name=Some One" \
	--data-urlencode "admin_password=short"

# ---- names are escaped
post "$T_TMP/root" /superadmin/orgs --data-urlencode "name=<script>alert(1)</script> $UNIQ" \
	"${good[@]/admin_name=Some One/admin_name=Xavier}" --data-urlencode "admin_email=xss@$D"
check "an organization with a hostile name is created" test "$(location)" = "/superadmin/orgs?done=created"
get "$T_TMP/root" /superadmin/orgs
check "its name is escaped" body_has "&lt;script&gt;alert(1)&lt;/script&gt; $UNIQ"
page_lacks "its name is not markup" 200 '<h1>Organizations ' '<script>alert(1)'
