#!/usr/bin/env bash
# Every page's HTML validates with tidy (no errors), for each role, with
# chatboxes open, the notifications dropdown filled, and the error pages.
# A missing tidy fails the test.
. "$REPO/tests/e2e/lib.sh"

if ! command -v tidy >/dev/null; then
	not_ok "tidy is installed"
	exit 0
fi
PW='tidy password 12'
AL=$(mobile); BOB=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Tidy $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@tidy.test", "name": "Al <Tidy>", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL"},
  {"key": "adm", "org": "o", "email": "adm.$UNIQ@tidy.test", "name": "Ad Tidy", "role": "admin", "password": "$PW"},
  {"key": "root", "email": "root.$UNIQ@tidy.test", "name": "Root Tidy", "role": "superadmin", "password": "$PW"}],
 "leads": [{"key": "l1", "org": "o", "name": "Tidy & lead", "assigned": ["al"], "contacts": [
   {"key": "bob", "role": "borrower", "name": "Bob \"Tidy\" Brown", "mobile": "$BOB"}]}],
 "consents": [{"agent": "al", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1); bob=$(id_of d contacts bob); al=$(id_of d users al)
org=$(sql "SELECT org_id FROM leads WHERE id = $l1")
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status, error_code, error_message)
     VALUES ($org, $l1, $bob, $al, 'outbound', '$AL', '$BOB', 'A <failed> text', 'failed', 30003, 'Unreachable'),
            ($org, $l1, $bob, $al, 'inbound', '$AL', '$BOB', 'A reply & more', 'received', NULL, NULL)"

valid() { # NAME: the last page validates
	if tidy -q -e "$T_TMP/body" >"$T_TMP/tidy" 2>&1 || ! grep -q 'Error:' "$T_TMP/tidy"; then
		ok "$1 is valid HTML (tidy)"
	else
		not_ok "$1 is valid HTML (tidy)"
		grep 'Error:' "$T_TMP/tidy" | head -5
	fi
}
page() { # JAR PATH [WANT]
	get "$1" "$2"
	if [ "$STATUS" = "${3:-200}" ]; then valid "$2 ($(basename "$1"))"; else not_ok "$2 ($(basename "$1")) answers ${3:-200} (got $STATUS)"; fi
}

req "$BASE/login"; [ "$STATUS" = 200 ] && valid "/login" || not_ok "/login answers 200"
req "$BASE/nowhere"; [ "$STATUS" = 404 ] && valid "the 404 page" || not_ok "the 404 page answers 404"
req -X POST --data 'a=b' "$BASE/profile/password"; [ "$STATUS" = 403 ] && valid "the 403 page (signed out)" || not_ok "a POST signed out answers 403 (got $STATUS)"
check "the 403 page names the cause" body_has '<h1>You are not signed in</h1>'

login "$T_TMP/agent" "al.$UNIQ@tidy.test" "$PW"
login "$T_TMP/admin" "adm.$UNIQ@tidy.test" "$PW"
login "$T_TMP/superadmin" "root.$UNIQ@tidy.test" "$PW"
for p in /leads "/leads?chat=$l1" "/leads?chat=$l1&min=$l1" "/leads/$l1" "/leads/$l1?chat=$l1&contact_$l1=$bob" \
	"/leads/$l1/consents" /inbox "/inbox?show=mine" /profile /unmatched "/leads?chat=999999999"; do
	page "$T_TMP/agent" "$p"
done
req -b "$T_TMP/agent" -X POST --data 'csrf=wrong' "$BASE/profile/password"
[ "$STATUS" = 403 ] && valid "the 403 page (expired form)" || not_ok "a POST with a wrong token answers 403"
check "it names the cause" body_has '<h1>This form has expired</h1>'
for p in /leads "/leads/$l1?chat=$l1" /admin/users /admin/settings /inbox "/inbox?show=needs" /profile; do
	page "$T_TMP/admin" "$p"
done
get "$T_TMP/agent" /admin/users
check "an agent on an admin page: 403" test "$STATUS" = 403
valid "the 403 page (not allowed)"
check "it names the cause" body_has '<h1>You are not allowed to do that</h1>'
for p in /superadmin/orgs /profile; do
	page "$T_TMP/superadmin" "$p"
done
