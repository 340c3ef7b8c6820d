#!/usr/bin/env bash
# The platform: health, error pages, security headers, static files.
. "$REPO/tests/e2e/lib.sh"

expect_status "healthz answers 200" 200 "$BASE/healthz"
check "healthz says ok" body_has '^ok$'
check "healthz is not cached" header_has '^Cache-Control: no-store'

expect_status "unknown page is 404" 404 "$BASE/no-such-page"
check "404 is the template page" body_has '<h1>Page not found</h1>'
check "404 page carries the layout" body_has 'class="brand"'
check "404 page names the request id" body_has 'request [0-9a-f]\{32\}'
rid=$(grep -o 'request [0-9a-f]*' "$T_TMP/body" | cut -d' ' -f2)
check "the 404 is logged with the same request id" grep -q "\[$rid\] GET /no-such-page -> 404" "$STACK_DIR/smsdesk.log"

check "CSP forbids inline script" header_has "^Content-Security-Policy: .*script-src 'self'"
check "CSP sets frame-ancestors" header_has "^Content-Security-Policy: .*frame-ancestors 'none'"
check "X-Content-Type-Options" header_has '^X-Content-Type-Options: nosniff'
check "Referrer-Policy" header_has '^Referrer-Policy: same-origin'

expect_status "POST to a GET-only route is 405" 405 -X POST -d x=1 "$BASE/healthz"
check "405 lists the allowed methods" header_has '^Allow: GET'
check "405 is the template page" body_has 'That method is not allowed here'

expect_status "HEAD works like GET" 200 -I "$BASE/healthz"

expect_status "static CSS is served by nginx" 200 "$BASE/static/smsdesk.css"
check "static files are cached for long" header_has '^Cache-Control: .*max-age='
check "static files keep nosniff" header_has '^X-Content-Type-Options: nosniff'
expect_status "/ sends an anonymous visitor to sign in" 303 "$BASE/"
check "to /login" header_has "^Location: /login"
expect_status "the sign-in page renders" 200 "$BASE/login"
check "every page uses the layout's stylesheet" body_has '/static/smsdesk.css?v=[0-9a-f]\{8,\}'

# nginx rejects an oversized body itself, and shows smsdesk's error page
head -c 70000 /dev/zero | tr '\0' a > "$T_TMP/big"
expect_status "a body over the limit is 413 through nginx" 413 --data-binary "@$T_TMP/big" "$BASE/healthz"
check "nginx's 413 uses smsdesk's page" body_has 'That request is too large'

# smsdesk's own limit, reached without nginx in front (as under spawn-fcgi)
out=$(CONTENT_LENGTH=1 fcgi POST /healthz "$(head -c 70000 /dev/zero | tr '\0' a)")
check "smsdesk refuses a body over max_body_bytes with 413" grep -q '^Status: 413' <<<"$out"

# every page template starts with the autoescape pragma (they would not load otherwise)
for f in "$REPO"/templates/*.tpl; do
	check "$(basename "$f") begins with AUTOESCAPE" grep -q '^{{%AUTOESCAPE context="HTML"}}' <(head -n1 "$f")
done
