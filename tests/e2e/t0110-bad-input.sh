#!/usr/bin/env bash
# Bad input is refused with a clear page and a log line, and changes nothing.
. "$REPO/tests/e2e/lib.sh"

expect_status "malformed percent-encoding in the query is 400" 400 "$BASE/healthz?a=%zz"
check "the 400 page says why" body_has 'malformed percent-encoding'
expect_status "truncated percent-encoding is 400" 400 "$BASE/healthz?a=%4"
expect_status "invalid UTF-8 in the query is 400" 400 "$BASE/healthz?a=%C3%28"
check "the 400 page names UTF-8" body_has 'not valid UTF-8'
expect_status "an encoded surrogate is 400" 400 "$BASE/healthz?a=%ED%A0%80"
expect_status "a NUL byte in the query is 400" 400 "$BASE/healthz?a=x%00y"
check "the 400 page names the NUL byte" body_has 'NUL byte'
expect_status "malformed percent-encoding in the path is 400" 400 "$BASE/%zzpath"

# directly over FastCGI, so that nginx cannot clean the request up first
out=$(env -i REQUEST_METHOD='GE T' REQUEST_URI=/healthz REMOTE_ADDR=127.0.0.1 \
	cgi-fcgi -bind -connect "$STACK_DIR/smsdesk.sock" </dev/null)
check "a malformed method is 400" grep -q '^Status: 400' <<<"$out"
out=$(env -i REQUEST_METHOD=GET REQUEST_URI=/healthz CONTENT_LENGTH=abc REMOTE_ADDR=127.0.0.1 \
	cgi-fcgi -bind -connect "$STACK_DIR/smsdesk.sock" </dev/null)
check "a malformed Content-Length is 400" grep -q '^Status: 400' <<<"$out"

# form bodies, sent directly over FastCGI to a route that takes POST
out=$(fcgi POST /login 'email=%C3%28&password=x')
check "invalid UTF-8 in a form body is 400" grep -q '^Status: 400' <<<"$out"
check "the page names UTF-8" grep -q 'not valid UTF-8' <<<"$out"
out=$(fcgi POST /login 'email=a%zz')
check "malformed percent-encoding in a form body is 400" grep -q '^Status: 400' <<<"$out"
out=$(fcgi POST /login 'email=a%00b')
check "an encoded NUL in a form body is 400" grep -q '^Status: 400' <<<"$out"
out=$(printf 'email=a\0b' | env -i REQUEST_METHOD=POST REQUEST_URI=/login CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=9 REMOTE_ADDR=127.0.0.1 cgi-fcgi -bind -connect "$STACK_DIR/smsdesk.sock")
check "a raw NUL byte in a form body is 400" grep -q '^Status: 400' <<<"$out"
out=$(fcgi POST /login '{"email":"a"}' 'application/json')
check "a POST that is not a form is 415" grep -q '^Status: 415' <<<"$out"
expect_status "the same through nginx is 415" 415 -H 'Content-Type: text/plain' --data 'email=x' "$BASE/login"
before=$(sql "SELECT COUNT(*) FROM login_attempts")
expect_status "a POST with bad UTF-8 through nginx is 400" 400 --data 'email=%FF&password=x' "$BASE/login"
check "refused requests change nothing" test "$(sql "SELECT COUNT(*) FROM login_attempts")" = "$before"

# after all that, smsdesk still serves
expect_status "smsdesk still serves after bad input" 200 "$BASE/healthz"
