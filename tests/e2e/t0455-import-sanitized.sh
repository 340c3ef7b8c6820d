#!/usr/bin/env bash
# smsdeskctl import built with AddressSanitizer and UBSan (build/asan/
# smsdeskctl), in both runs: a whole data set, then inputs meant to break a
# parser (deep nesting, long and odd strings, wrong types at every level,
# NUL and invalid UTF-8, huge numbers). Each ends with exit 0 (the good
# file) or 1 with a message, and never with a sanitizer report.
. "$REPO/tests/e2e/lib.sh"

ASAN_CTL=$REPO/build/asan/smsdeskctl
check "the sanitized smsdeskctl is built" test -x "$ASAN_CTL"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$REPO/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
actl() { SMSDESK_CONF=$SMSDESK_CONF "$ASAN_CTL" "$@"; }
clean() { ! grep -q -e 'Sanitizer' -e 'runtime error:' "$1"; }

# sanitized NAME FILE WANT_EXIT [TEXT]: the exit status, TEXT on stderr when
# given, and no sanitizer report
sanitized() {
	local name=$1 file=$2 want=$3 text=${4:-} rc
	actl import "$file" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	check "$name: exit $want (got $rc)" test "$rc" = "$want"
	check "$name: no sanitizer report" clean "$T_TMP/err"
	[ -n "$text" ] && check "$name: says why" grep -qF -- "$text" "$T_TMP/err"
	[ "$want" != 0 ] && check "$name: prints nothing on stdout" test ! -s "$T_TMP/out"
	[ "$rc" = "$want" ] && clean "$T_TMP/err" || sed 's/^/# /' "$T_TMP/err" | head -n 40
}

PW='sanitized import password'
cat > "$T_TMP/good.json" <<JSON
{"organizations": [{"key": "o", "name": "Sanitized $UNIQ", "sms_enabled": true, "sms_level": "advanced",
                    "time_zone": "America/New_York"}],
 "users": [{"key": "a", "org": "o", "email": "A.$UNIQ@Sanitized.Test", "name": "Ann Ä Sanitized",
            "role": "agent", "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)",
            "mms_enabled": true, "display_images": null},
           {"key": "m", "org": "o", "email": "m.$UNIQ@sanitized.test", "name": "Max 😀", "role": "manager",
            "password": "$PW"}],
 "partners": [{"key": "p", "org": "o", "name": "Pat Partner", "mobile": "(512) $(nanp7 | sed 's/^\(...\)/\1-/')"}],
 "leads": [{"key": "l", "org": "o", "name": "Sanitized lead", "updated_at": "2026-11-20T04:00:00-06:00",
            "assigned": ["a", "m"],
            "contacts": [{"key": "c", "role": "borrower", "name": "Cora", "mobile": "$(mobile)"},
                         {"key": "d", "role": "co_borrower", "name": "Dee"},
                         {"key": "pk", "partner": "p"}]}],
 "consents": [{"agent": "a", "contact": "c", "status": "granted"}, {"partner": "p", "status": "pending"}]}
JSON
sanitized "a whole data set" "$T_TMP/good.json" 0
check "a whole data set: prints the key map" jq -e '.users.a > 0 and .contacts.c > 0' "$T_TMP/out"
sanitized "the same file again" "$T_TMP/good.json" 1 "already exists in the database"

bad() { printf '%s' "$2" > "$T_TMP/$1.json"; echo "$T_TMP/$1.json"; }
sanitized "an empty file" "$(bad empty '')" 1
sanitized "a top-level array" "$(bad array '[]')" 1
sanitized "a top-level string" "$(bad string '"x"')" 1
sanitized "truncated inside a string" "$(bad trunc '{"organizations": [{"key": "o", "name": "ab')" 1
sanitized "deep nesting" "$(bad deep "$(printf '[%.0s' $(seq 1 5000))")" 1
sanitized "a list that is an object" "$(bad listobj '{"users": {"key": "a"}}')" 1
sanitized "an entry that is a number" "$(bad entrynum '{"organizations": [1]}')" 1
sanitized "a key that is a number" "$(bad keynum '{"organizations": [{"key": 7, "name": "x"}]}')" 1
sanitized "a name that is an object" "$(bad nameobj '{"organizations": [{"key": "o", "name": {"a": 1}}]}')" 1
sanitized "contacts that are a string" "$(bad contacts '{"organizations": [{"key": "o", "name": "x"}], "leads": [{"key": "l", "org": "o", "name": "y", "contacts": "c"}]}')" 1
sanitized "assigned holding a number" "$(bad assigned '{"organizations": [{"key": "o", "name": "x"}], "leads": [{"key": "l", "org": "o", "name": "y", "assigned": [1]}]}')" 1
sanitized "a huge number as a boolean" "$(bad hugenum '{"organizations": [{"key": "o", "name": "x", "sms_enabled": 1e400}]}')" 1
sanitized "a NUL inside a name" "$(bad nul '{"organizations": [{"key": "o", "name": "a\u0000b"}]}')" 1
printf '{"organizations": [{"key": "o", "name": "\xff\xfe"}]}' > "$T_TMP/utf8.json"
sanitized "invalid UTF-8" "$T_TMP/utf8.json" 1
sanitized "a lone surrogate escape" "$(bad surrogate '{"organizations": [{"key": "o", "name": "\ud800"}]}')" 1
sanitized "a name of 100,000 characters" "$(bad long "{\"organizations\": [{\"key\": \"o\", \"name\": \"$(head -c 100000 /dev/zero | tr '\0' n)\"}]}")" 1 "200 characters"
sanitized "a duplicate field" "$(bad dupfield '{"organizations": [{"key": "o", "key": "p", "name": "x"}]}')" 1
sanitized "an email without a domain" "$(bad email "{\"organizations\": [{\"key\": \"o\", \"name\": \"x$UNIQ\"}], \"users\": [{\"key\": \"u\", \"org\": \"o\", \"email\": \"nobody\", \"name\": \"N\", \"role\": \"agent\", \"password\": \"$PW\"}]}")" 1
sanitized "a partner link to nothing" "$(bad nopartner '{"organizations": [{"key": "o", "name": "x"}], "leads": [{"key": "l", "org": "o", "name": "y", "contacts": [{"partner": "ghost"}]}]}')" 1
sanitized "a consent naming no one" "$(bad consent '{"consents": [{"status": "granted"}]}')" 1
sanitized "a missing file" "$T_TMP/no-such-file.json" 1
actl import >/dev/null 2>"$T_TMP/err"; rc=$?
check "no file named: a usage error (exit 2, got $rc)" test "$rc" = 2
check "no file named: no sanitizer report" clean "$T_TMP/err"
actl migrate >/dev/null 2>"$T_TMP/err"; rc=$?
check "migrate, sanitized, with nothing to do: exit 0 (got $rc)" test "$rc" = 0
check "migrate: no sanitizer report" clean "$T_TMP/err"
