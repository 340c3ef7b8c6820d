#!/usr/bin/env bash
# Signing in and out: passwords, sessions, CSRF, expiry and throttling.
. "$REPO/tests/e2e/lib.sh"

PW='correct horse battery'
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o$UNIQ", "name": "Login Org $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o$UNIQ", "email": "ann.$UNIQ@login.test", "name": "Ann Agent", "role": "agent", "password": "$PW"},
  {"key": "tom", "org": "o$UNIQ", "email": "tom.$UNIQ@login.test", "name": "Tom Throttle", "role": "agent", "password": "$PW"},
  {"key": "ida", "org": "o$UNIQ", "email": "ida.$UNIQ@login.test", "name": "Ida Inactive", "role": "agent", "password": "$PW"},
  {"key": "pat", "org": "o$UNIQ", "email": "pat.$UNIQ@login.test", "name": "Pat Parallel", "role": "agent", "password": "$PW"},
  {"key": "su", "email": "root.$UNIQ@login.test", "name": "Root", "role": "superadmin", "password": "$PW"}],
 "leads": [{"key": "l1", "org": "o$UNIQ", "name": "Login lead", "assigned": ["ann"]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
ann=$(id_of d users ann)
lead=$(id_of d leads l1)
ANN=ann.$UNIQ@login.test
# sign-ins from their own loopback address, so the throttles of other tests
# (and of the other build's run) do not mix with these
ADDR=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
C=(--interface "$ADDR")

sessions() { sql "SELECT COUNT(*) FROM sessions WHERE user_id = $ann"; }

# the form and its pre-login token
req -c "$T_TMP/pre" "${C[@]}" "$BASE/login"
check "the sign-in page renders" test "$STATUS" = 200
check "it sets a pre-login cookie" grep -q smsdesk_pre "$T_TMP/pre"
check "the form carries a csrf field" test -n "$(csrf_from "$T_TMP/body")"
token=$(csrf_from "$T_TMP/body")

before=$(sessions)
expect_status "sign-in without csrf is 403" 403 -b "$T_TMP/pre" "${C[@]}" \
	--data-urlencode "email=$ANN" --data-urlencode "password=$PW" "$BASE/login"
# the token with its last digit changed (to another one)
wrong=${token%?}$([ "${token: -1}" = 0 ] && echo 1 || echo 0)
expect_status "sign-in with a wrong csrf is 403" 403 -b "$T_TMP/pre" "${C[@]}" \
	--data-urlencode "csrf=$wrong" --data-urlencode "email=$ANN" --data-urlencode "password=$PW" "$BASE/login"
expect_status "sign-in with a csrf but no pre-login cookie is 403" 403 "${C[@]}" \
	--data-urlencode "csrf=$token" --data-urlencode "email=$ANN" --data-urlencode "password=$PW" "$BASE/login"
check "refused sign-ins create no session" test "$(sessions)" = "$before"

# the token is a keyed MAC (HMAC-SHA256) of the pre-login cookie, not a
# digest anyone can compute from the cookie
pre=$(awk '$6 ~ /smsdesk_pre$/ {print $7}' "$T_TMP/pre")
digest=$(printf 'smsdesk-login:%s' "$pre" | sha256sum | cut -d' ' -f1)
check "the form token is not a plain digest of the cookie" test -n "$pre" -a "$token" != "$digest"
expect_status "a token computed from the cookie alone is refused (403)" 403 -b "$T_TMP/pre" "${C[@]}" \
	--data-urlencode "csrf=$digest" --data-urlencode "email=$ANN" --data-urlencode "password=$PW" "$BASE/login"
check "the key lives in MariaDB (32 bytes), shared by every host" \
	test "$(sql "SELECT LENGTH(secret) FROM server_secrets WHERE name = 'login_form'")" = 32
key=$(sql "SELECT HEX(secret) FROM server_secrets WHERE name = 'login_form'")
mac=$(printf 'smsdesk-login:%s' "$pre" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" | sed 's/.*= *//')
check "the token is HMAC-SHA256 of the cookie under that key" test "$token" = "$mac"
# a second smsdesk (another host against the same database) takes the
# token the first one issued
second=$T_TMP/second.sock
SMSDESK_LISTEN=$second SMSDESK_DISPATCHER=0 SMSDESK_CONF=$SMSDESK_CONF "$E2E_SMSDESK_BIN" \
	>"$T_TMP/second.log" 2>&1 &
second_pid=$!
if stack_wait 100 test -S "$second"; then
	body="csrf=$token&email=$(jq -rn --arg e "$ANN" '$e|@uri')&password=$(jq -rn --arg p "$PW" '$p|@uri')"
	COOKIE="smsdesk_pre=$pre" FCGI_SOCKET=$second fcgi POST /login "$body" > "$T_TMP/second.out"
	check "another smsdesk process accepts the form's token" grep -q '^Status: 303' "$T_TMP/second.out"
else
	not_ok "a second smsdesk starts: $(tail -n 5 "$T_TMP/second.log")"
fi
kill -TERM "$second_pid" 2>/dev/null; wait "$second_pid" 2>/dev/null
sql "DELETE FROM sessions WHERE user_id = $ann"
before=$(sessions)

login "$T_TMP/j1" "$ANN" 'wrong password' "${C[@]}"
check "a wrong password is answered on the page" body_has 'Wrong email or password.'
cp "$T_TMP/body" "$T_TMP/wrong-pw"
login "$T_TMP/j1" "nobody.$UNIQ@login.test" 'wrong password' "${C[@]}"
check "an unknown email gets the same message" body_has 'Wrong email or password.'
check "no session after failures" test "$(sessions)" = "$before"

login "$T_TMP/j1" "$ANN" "$PW" "${C[@]}"
check "the right password signs in (303)" test "$STATUS" = 303
check "the session cookie is HttpOnly and SameSite=Lax" header_has '^Set-Cookie: smsdesk_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Lax'
check "the pre-login cookie is dropped" header_has '^Set-Cookie: smsdesk_pre=; .*Max-Age=0'
check "a session row was created" test "$(sessions)" = "$((before + 1))"
tok1=$(awk '$6 == "smsdesk_session" {print $7}' "$T_TMP/j1")
check "the token is not stored in clear" test "$(sql "SELECT COUNT(*) FROM sessions WHERE csrf_token = '$tok1' OR HEX(token_hash) = UPPER('$tok1')")" = 0
get "$T_TMP/j1" /leads
check "the signed-in user sees the leads page" test "$STATUS" = 200
check "the header shows the user's name" body_has 'Ann Agent'

# a sign-in always issues a new token, even to a browser that still holds
# an old one (here: one that went idle); the old token stays dead
cp "$T_TMP/j1" "$T_TMP/old"
sql "UPDATE sessions SET last_seen_at = NOW() - INTERVAL 3 HOUR WHERE token_hash = UNHEX(SHA2('$tok1', 256))"
login "$T_TMP/j1" "$ANN" "$PW" "${C[@]}"
tok2=$(awk '$6 == "smsdesk_session" {print $7}' "$T_TMP/j1")
check "signing in again issues a new token" test -n "$tok2" -a "$tok1" != "$tok2"
check "the old session row is gone" test "$(sql "SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2('$tok1', 256))")" = 0
get "$T_TMP/old" /leads
check "the replaced session no longer works" test "$STATUS" = 303
check "it sends the user to sign in, remembering the page" header_has '^Location: /login?next=/leads'

# a very long User-Agent (some in-app browsers) is cut to fit, not refused
login "$T_TMP/ua" "$ANN" "$PW" "${C[@]}" -A "$(printf 'Mozilla/5.0 (é) %.0s' $(seq 1 40))"
check "a sign-in with a 600-character User-Agent works" test "$STATUS" = 303

# next= is followed only within the site
login "$T_TMP/j2" "$ANN" "$PW" "${C[@]}" --data-urlencode "next=/leads/$lead"
check "next= brings the user back to the page asked for" header_has "^Location: /leads/$lead"
login "$T_TMP/j3" "$ANN" "$PW" "${C[@]}" --data-urlencode "next=//evil.test/x"
check "an off-site next= is ignored" header_has '^Location: /[[:space:]]*$'

# logout
expect_status "logout without csrf is 403" 403 -b "$T_TMP/j1" -X POST "$BASE/logout"
get "$T_TMP/j1" /leads
check "and the session still works" test "$STATUS" = 200
post "$T_TMP/j1" /logout
check "logout answers 303 to /login" test "$STATUS" = 303
check "logout expires the cookie" header_has '^Set-Cookie: smsdesk_session=; .*Max-Age=0'
check "the session row is deleted" test "$(sql "SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2('$tok2', 256))")" = 0
cp "$T_TMP/old" "$T_TMP/replay"; sed -i "s/$tok1/$tok2/" "$T_TMP/replay"
get "$T_TMP/replay" /leads
check "the logged-out token is refused" test "$STATUS" = 303

# expiry: idle (session.idle_minutes = 120) and absolute (12 hours)
login "$T_TMP/j4" "$ANN" "$PW" "${C[@]}"
tok=$(awk '$6 == "smsdesk_session" {print $7}' "$T_TMP/j4")
sql "UPDATE sessions SET last_seen_at = NOW() - INTERVAL 121 MINUTE WHERE token_hash = UNHEX(SHA2('$tok', 256))"
get "$T_TMP/j4" /leads
check "an idle session is refused" test "$STATUS" = 303
login "$T_TMP/j5" "$ANN" "$PW" "${C[@]}"
tok=$(awk '$6 == "smsdesk_session" {print $7}' "$T_TMP/j5")
sql "UPDATE sessions SET created_at = NOW() - INTERVAL 13 HOUR WHERE token_hash = UNHEX(SHA2('$tok', 256))"
get "$T_TMP/j5" /leads
check "a session past its absolute lifetime is refused" test "$STATUS" = 303

# a deactivated account cannot sign in, and its sessions stop working
login "$T_TMP/j6" "ida.$UNIQ@login.test" "$PW" "${C[@]}"
check "an active user signs in" test "$STATUS" = 303
sql "UPDATE users SET active = 0 WHERE email = 'ida.$UNIQ@login.test'"
get "$T_TMP/j6" /leads
check "a deactivated user's session is refused" test "$STATUS" = 303
login "$T_TMP/j7" "ida.$UNIQ@login.test" "$PW" "${C[@]}"
check "a deactivated user cannot sign in" body_has 'Wrong email or password.'

# superadmins land on organizations
login "$T_TMP/j8" "root.$UNIQ@login.test" "$PW" "${C[@]}"
get "$T_TMP/j8" /
check "a superadmin's start page is /superadmin/orgs" header_has '^Location: /superadmin/orgs'

# throttling: 5 failures for one account from one address wall that pair
TOM=tom.$UNIQ@login.test
login "$T_TMP/t0" "$TOM" "$PW" "${C[@]}"
check "tom signs in from his usual address" test "$STATUS" = 303
for i in 1 2 3 4 5; do login "$T_TMP/t" "$TOM" "bad $i" "${C[@]}"; done
check "five failures are answered as wrong passwords" body_has 'Wrong email or password.'
login "$T_TMP/t" "$TOM" "$PW" "${C[@]}"
check "the sixth attempt from that address is refused even with the right password (429)" test "$STATUS" = 429
check "the refusal says to wait" body_has 'Too many failed sign-in attempts'
sql "UPDATE login_attempts SET attempted_at = attempted_at - INTERVAL 16 MINUTE WHERE email = '$TOM'"
login "$T_TMP/t1" "$TOM" "$PW" "${C[@]}"
check "after 15 minutes the account can sign in again" test "$STATUS" = 303

# no lockout: an attacker failing on tom's account from other addresses
# does not keep tom out
rand_addr() { echo "127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"; }
X1=$(rand_addr)
for i in 1 2 3 4 5 6; do login "$T_TMP/x" "$TOM" "guess $i" --interface "$X1"; done
check "the attacker's address is walled off after 5 failures (429)" test "$STATUS" = 429
# and ten more failures from as many other addresses (written directly: the
# slow-down below would make a test wait for them)
attack() {
	sql "INSERT INTO login_attempts (email, remote_addr, succeeded)
	     SELECT '$TOM', CONCAT('10.9.9.', seq), 0 FROM seq_1_to_10"
}
attack
NEWADDR=$(rand_addr)
login "$T_TMP/n1" "$TOM" "$PW" --interface "$NEWADDR"
check "after 15 failures, an address tom never used is slowed down (429)" test "$STATUS" = 429
check "the page says to wait a minute" body_has 'Wait a minute'
login "$T_TMP/t2" "$TOM" "$PW" "${C[@]}"
check "tom still signs in at once from an address he used before (303)" test "$STATUS" = 303
attack
sql "UPDATE login_attempts SET attempted_at = attempted_at - INTERVAL 61 SECOND WHERE email = '$TOM'"
login "$T_TMP/n2" "$TOM" "$PW" --interface "$NEWADDR"
check "a minute later tom signs in from a new address too: a slow-down, not a wall" test "$STATUS" = 303

# throttling: 20 failures from one address, whatever the accounts
ADDR2=$(rand_addr)
for i in $(seq 1 20); do login "$T_TMP/a" "x$i.$UNIQ@login.test" bad --interface "$ADDR2"; done
login "$T_TMP/a" "$ANN" "$PW" --interface "$ADDR2"
check "the 21st attempt from one address is refused (429)" test "$STATUS" = 429
login "$T_TMP/a2" "$ANN" "$PW" "${C[@]}"
check "another address is not affected" test "$STATUS" = 303

# signing in to one's own account between rounds does not reset an
# address's count (nor do failures in the same second as the success hide)
ADDR3=$(rand_addr)
for round in 1 2; do
	for i in $(seq 1 10); do login "$T_TMP/s" "s$round-$i.$UNIQ@login.test" bad --interface "$ADDR3"; done
	login "$T_TMP/own$round" "$ANN" "$PW" --interface "$ADDR3"
	check "round $round: the sprayer signs in to its own account" test "$STATUS" = 303
done
login "$T_TMP/s" "s3.$UNIQ@login.test" bad --interface "$ADDR3"
check "after 20 failures between own sign-ins, the next guess is refused (429)" test "$STATUS" = 429

# check and record are one step: 30 parallel guesses at one account from
# one address get 5 password checks, not more
PAR=pat.$UNIQ@login.test
ADDR4=$(rand_addr)
req -c "$T_TMP/par" --interface "$ADDR4" "$BASE/login"
ptoken=$(csrf_from "$T_TMP/body")
for i in $(seq 1 30); do
	curl -sS -o /dev/null -w '%{http_code}\n' -b "$T_TMP/par" --interface "$ADDR4" \
		--data-urlencode "csrf=$ptoken" --data-urlencode "email=$PAR" \
		--data-urlencode "password=parallel $i" "$BASE/login" > "$T_TMP/par.$i" &
done
wait
checked=$(cat "$T_TMP"/par.* | grep -c '^200$')
throttled=$(cat "$T_TMP"/par.* | grep -c '^429$')
check "30 parallel guesses: 5 checked ($checked), 25 refused ($throttled)" test "$checked" = 5 -a "$throttled" = 25
check "30 parallel guesses: 5 attempts recorded" test "$(sql "SELECT COUNT(*) FROM login_attempts
	WHERE email = '$PAR' AND remote_addr = '$ADDR4'")" = 5
