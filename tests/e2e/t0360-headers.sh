#!/usr/bin/env bash
# nginx's security headers on every kind of answer: smsdesk's pages and
# error pages, static files and nginx's own errors; error answers are never
# cached as immutable.
. "$REPO/tests/e2e/lib.sh"

# has_security_headers WHAT: the four headers nginx.conf.example sets
has_security_headers() {
	local what=$1
	check "$what: Content-Security-Policy" header_has "^Content-Security-Policy: default-src 'self'.*frame-ancestors 'none'"
	check "$what: X-Content-Type-Options" header_has '^X-Content-Type-Options: nosniff'
	check "$what: Referrer-Policy" header_has '^Referrer-Policy: same-origin'
	check "$what: X-Frame-Options" header_has '^X-Frame-Options: DENY'
}

expect_status "a page answers 200" 200 "$BASE/login"
has_security_headers "a page"

expect_status "a signed-out page redirects (303)" 303 "$BASE/leads"
has_security_headers "a redirect"

expect_status "a static file answers 200" 200 "$BASE/static/smsdesk.css"
has_security_headers "a static file"
check "a static file is cached as immutable" header_has '^Cache-Control: .*immutable'

expect_status "a missing static file is 404" 404 "$BASE/static/no-such-file-$UNIQ.css"
has_security_headers "a static 404"
check "a static 404 is not cached as immutable" bash -c "! grep -qi 'immutable' '$T_TMP/headers'"
check "a static 404 has no year-long expiry" bash -c "! grep -qi '^Cache-Control: max-age=31536000' '$T_TMP/headers'"

expect_status "an unknown page is smsdesk's 404" 404 "$BASE/no-such-page-$UNIQ"
has_security_headers "smsdesk's 404"
check "smsdesk's 404 is not cached as immutable" bash -c "! grep -qi 'immutable' '$T_TMP/headers'"

head -c 70000 /dev/zero | tr '\0' a > "$T_TMP/big"
expect_status "a body over the limit is 413 from nginx" 413 --data-binary "@$T_TMP/big" "$BASE/login"
has_security_headers "nginx's 413"

