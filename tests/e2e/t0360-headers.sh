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


# smsdesk's own answers are never kept by a cache: every signed-in page,
# redirect and download says no-store (media say private: t0470)
PW='headers password 1'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Headers $UNIQ", "sms_enabled": true}],
 "users": [{"key": "a", "org": "o", "email": "a.$UNIQ@headers.test", "name": "Ada Headers", "role": "admin",
            "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"}],
 "leads": [{"key": "l", "org": "o", "name": "Headers lead", "assigned": ["a"],
   "contacts": [{"key": "c", "role": "borrower", "name": "Cy Headers", "mobile": "$(mobile)"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
lead=$(id_of d leads l)
login "$T_TMP/jar" "a.$UNIQ@headers.test" "$PW"
check "signing in: its redirect is not cached" header_has '^Cache-Control: no-store'
for path in /leads "/leads/$lead" "/leads/$lead?chat=$lead" /profile /admin/users /admin/settings \
	/reports/usage /reports/usage.csv "/leads/$lead/consents" "/leads/$lead/consents.csv" \
	"/leads/$lead/loanfile" "/leads/$lead/loanfile.csv" /inbox "/inbox?show=mine" /unmatched; do
	get "$T_TMP/jar" "$path"
	check "$path answers 200 and is not cached" bash -c "[ '$STATUS' = 200 ] && grep -qi '^Cache-Control: no-store' '$T_TMP/headers'"
done
check "the sign-in page is not cached" bash -c "curl -sS -D - -o /dev/null '$BASE/login' | grep -qi '^Cache-Control: no-store'"
