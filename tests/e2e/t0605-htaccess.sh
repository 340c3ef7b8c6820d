#!/usr/bin/env bash
# A shared host without access to the server configuration
# (tools/test.sh, run_hosted): Apache reads htaccess.example as the web
# root's .htaccess and starts smsdesk through the wrapper script it
# describes. Pages, static files, headers, limits and a sign-in.
. "$REPO/tests/e2e/lib.sh"

expect_status "a page is served by smsdesk through the .htaccess" 200 "$BASE/login"
check "with the security headers" header_has "^Content-Security-Policy: default-src 'self'"
check "once each" test "$(grep -ci '^X-Frame-Options' "$T_TMP/headers")" = 1
expect_status "a static file is served by Apache" 200 "$BASE/static/smsdesk.css"
check "cached for a year" header_has '^Cache-Control: max-age=31536000, public, immutable'
expect_status "a missing static file is Apache's 404" 404 "$BASE/static/no-such-$UNIQ.css"
check "not cached as immutable" bash -c "! grep -qi 'immutable' '$T_TMP/headers'"
expect_status "an unknown page is smsdesk's 404" 404 "$BASE/no-such-page-$UNIQ"
expect_status "the .htaccess itself is not served" 404 "$BASE/.htaccess"
page_lacks "the wrapper's text is not served" 404 '<h1>Page not found</h1>' 'SMSDESK_CONF'
expect_status "the wrapper's own address is smsdesk's 404" 404 "$BASE/smsdesk.fcgi"
page_lacks "without its text" 404 '<h1>Page not found</h1>' 'SMSDESK_CONF'
expect_status "invalid UTF-8 in the query is 400" 400 "$BASE/healthz?a=%C3%28"
head -c 65537 /dev/zero | tr '\0' a > "$T_TMP/big"
expect_status "a body over max_body_bytes is 413" 413 --data-binary "@$T_TMP/big" "$BASE/login"

PW='htaccess password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Htaccess $UNIQ"}],
 "users": [{"key": "u", "org": "o", "email": "u.$UNIQ@htaccess.test", "name": "Hta User", "role": "agent", "password": "$PW"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
login "$T_TMP/jar" "u.$UNIQ@htaccess.test" "$PW"
check "signing in works (303)" test "$STATUS" = 303
get "$T_TMP/jar" /profile
check "and the session holds (the profile shows the user)" body_has 'Hta User'
