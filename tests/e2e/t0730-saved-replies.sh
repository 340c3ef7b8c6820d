#!/usr/bin/env bash
# /replies: a user's own saved replies and their organization's. Anyone
# writes their own; only admins the organization's, which everyone in the
# organization sees and no one outside it. A body with an unknown merge
# field or an unbalanced brace is refused, the field named, nothing saved.
. "$REPO/tests/e2e/lib.sh"

PW='replies password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Replies A $UNIQ", "sms_enabled": true},
                   {"key": "b", "name": "Replies B $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ad", "org": "a", "email": "ad.$UNIQ@replies.test", "name": "Ada Admin", "role": "admin", "password": "$PW"},
  {"key": "al", "org": "a", "email": "al.$UNIQ@replies.test", "name": "Al Agent", "role": "agent", "password": "$PW"},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@replies.test", "name": "Bo Agent", "role": "agent", "password": "$PW"},
  {"key": "bz", "org": "b", "email": "bz.$UNIQ@replies.test", "name": "Bea B", "role": "admin", "password": "$PW"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
al=$(id_of d users al)
org=$(sql "SELECT org_id FROM users WHERE id = $al")
for u in ad al bo bz; do login "$T_TMP/$u" "$u.$UNIQ@replies.test" "$PW"; done
count() { sql "SELECT COUNT(*) FROM saved_replies WHERE org_id = $org"; }

expect_status "signed out, /replies goes to sign in" 303 "$BASE/replies"

get "$T_TMP/al" /replies
check "the agent's page renders" test "$STATUS" = 200
check "it lists the merge fields" body_has '<code>{nmls_id}</code>'
check "the user menu links to it" body_has '<a href="/replies">Saved replies</a>'
page_lacks "an agent is not offered the organization's scope" 200 '<h1>Saved replies</h1>' 'name="scope"'
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"

# ---- an agent's own reply
post "$T_TMP/al" /replies --data-urlencode 'name=Hello' \
	--data-urlencode 'body=Hi {first_name}, {agent_first_name} here: {agent_phone}, NMLS {nmls_id}.'
check "the agent saves a reply" test "$STATUS" = 303 -a "$(location)" = "/replies?done=created"
own=$(sql "SELECT id FROM saved_replies WHERE org_id = $org AND user_id = $al AND name = 'Hello'")
check "it is stored as theirs" test -n "$own"
get "$T_TMP/al" /replies
check "it is listed with its body" body_has 'Hi {first_name}, {agent_first_name} here'
get "$T_TMP/bo" /replies
page_lacks "another agent does not see it" 200 '<h1>Saved replies</h1>' 'Hi {first_name}, {agent_first_name} here'

# ---- refusals: the field named, nothing saved
before=$(count)
post "$T_TMP/al" /replies --data-urlencode 'name=Bad' --data-urlencode 'body=Your {loan_amount} is ready'
check "an unknown field is refused" test "$STATUS" = 400
check "naming the field" body_has 'Unknown merge field {loan_amount}'
check "keeping what was typed" body_has 'Your {loan_amount} is ready</textarea>'
post "$T_TMP/al" /replies --data-urlencode 'name=Bad' --data-urlencode 'body=Hi {first_name, welcome'
check "an unclosed brace is refused" test "$STATUS" = 400
check "naming what follows it" body_has 'The brace of {first_name, welcome is never closed'
post "$T_TMP/al" /replies --data-urlencode 'name=Bad' --data-urlencode 'body=Hi first_name}'
check "a closing brace alone is refused" test "$STATUS" = 400
check "saying so" body_has 'A closing brace } has no opening brace {'
post "$T_TMP/al" "/replies/$own" --data-urlencode 'name=Hello' --data-urlencode 'body=Hi {First_Name}'
check "an edit with an unknown field is refused" test "$STATUS" = 400
check "naming it" body_has 'Unknown merge field {First_Name}'
check "nothing was saved" test "$(count)" = "$before"
check "the reply kept its body" test "$(sql "SELECT body FROM saved_replies WHERE id = $own")" = \
	'Hi {first_name}, {agent_first_name} here: {agent_phone}, NMLS {nmls_id}.'

# ---- the organization's replies
post "$T_TMP/al" /replies --data-urlencode 'name=Org try' --data-urlencode 'body=Hello' --data-urlencode scope=org
check "an agent may not write an organization reply" test "$STATUS" = 403
post "$T_TMP/ad" /replies --data-urlencode 'name=Welcome' \
	--data-urlencode 'body=Welcome to {org_name}, {first_name} {last_name}! About {application}: {agent_name}.' \
	--data-urlencode scope=org
check "the admin saves an organization reply" test "$STATUS" = 303
orgr=$(sql "SELECT id FROM saved_replies WHERE org_id = $org AND user_id IS NULL AND name = 'Welcome'")
check "it is the organization's" test -n "$orgr"
get "$T_TMP/bo" /replies
check "another agent of the organization sees it" body_has 'Welcome to {org_name}'
page_lacks "read only for them" 200 'Welcome to {org_name}' "action=\"/replies/$orgr\""
get "$T_TMP/bz" /replies
page_lacks "another organization does not see it" 200 '<h1>Saved replies</h1>' 'Welcome to {org_name}'

# ---- edit permissions
post "$T_TMP/bo" "/replies/$orgr" --data-urlencode 'name=Mine now' --data-urlencode 'body=x'
check "an agent may not edit the organization's" test "$STATUS" = 403
post "$T_TMP/bo" "/replies/$orgr/delete"
check "nor delete it" test "$STATUS" = 403
post "$T_TMP/bo" "/replies/$own" --data-urlencode 'name=Mine now' --data-urlencode 'body=x'
check "an agent may not edit another agent's (404)" test "$STATUS" = 404
post "$T_TMP/ad" "/replies/$own" --data-urlencode 'name=Mine now' --data-urlencode 'body=x'
check "nor may an admin edit an agent's own (404)" test "$STATUS" = 404
post "$T_TMP/bz" "/replies/$orgr" --data-urlencode 'name=Theirs' --data-urlencode 'body=x'
check "another organization's admin gets 404" test "$STATUS" = 404
post "$T_TMP/bz" "/replies/$orgr/delete"
check "also to delete" test "$STATUS" = 404
check "the organization's reply is unchanged" test "$(sql "SELECT name FROM saved_replies WHERE id = $orgr")" = Welcome
req -b "$T_TMP/ad" --data-urlencode 'name=x' --data-urlencode 'body=x' "$BASE/replies/$orgr"
check "an edit without the csrf token is refused" test "$STATUS" = 403

post "$T_TMP/al" "/replies/$own" --data-urlencode 'name=Hello again' --data-urlencode 'body=Hi {first_name}!'
check "the agent edits their own" test "$STATUS" = 303 -a "$(location)" = "/replies?done=saved"
check "the edit is stored" test "$(sql "SELECT CONCAT(name, '|', body) FROM saved_replies WHERE id = $own")" = 'Hello again|Hi {first_name}!'
post "$T_TMP/ad" "/replies/$orgr" --data-urlencode 'name=Welcome' --data-urlencode 'body=Welcome, {first_name}.'
check "the admin edits the organization's" test "$STATUS" = 303
post "$T_TMP/al" "/replies/$own/delete"
check "the agent deletes their own" test "$STATUS" = 303 -a "$(location)" = "/replies?done=reply_deleted"
check "it is gone" test "$(sql "SELECT COUNT(*) FROM saved_replies WHERE id = $own")" = 0
post "$T_TMP/ad" "/replies/$orgr/delete"
check "the admin deletes the organization's" test "$(sql "SELECT COUNT(*) FROM saved_replies WHERE id = $orgr")" = 0
