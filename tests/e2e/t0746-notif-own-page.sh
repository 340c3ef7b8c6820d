#!/usr/bin/env bash
# A row of the header's SMS notifications opens its chatbox on its own
# application's page (/leads/LEAD?chat=LEAD&contact_LEAD=C), never over
# another lead's page, a lead's sub-page or the lead list; on that
# application's page itself it opens over the page, the open boxes kept.
. "$REPO/tests/e2e/lib.sh"

PW='notif page pass 1'
AL_NUM=$(mobile); BOB=$(mobile); ZED=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Own page $UNIQ", "sms_enabled": true}],
 "users": [{"key": "al", "org": "o", "email": "al.$UNIQ@ownpage.test", "name": "Al Own", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$AL_NUM"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Bob purchase", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Own", "mobile": "$BOB"}]},
  {"key": "l2", "org": "o", "name": "Zed refi", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed Other", "mobile": "$ZED"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1); l2=$(id_of d leads l2); bob=$(id_of d contacts bob); zed=$(id_of d contacts zed)
login "$T_TMP/al" "al.$UNIQ@ownpage.test" "$PW"
inbound "$BOB" "$AL_NUM" "Any news on my rate? ($UNIQ)"
check "Bob's text arrives" test "$STATUS" = 200

# row_href: the href of the dropdown's row for Bob Own on the last page, unescaped
row_href() { awk '/<details class="notif/ {on=1} on {print} on && /<\/details>/ {exit}' "$T_TMP/body" |
	grep -o '<a class="notif-row[^"]*" href="[^"]*"><span class="notif-top"><span class="notif-name">Bob Own<' |
	sed 's/.* href="\([^"]*\)".*/\1/; s/&amp;/\&/g'; }
own="/leads/$l1?chat=$l1&contact_$l1=$bob"

get "$T_TMP/al" "/leads/$l2?chat=$l2"
check "on another lead's page, with its box open, the page answers" test "$STATUS" = 200
check "the row lists Bob's conversation" test -n "$(row_href)"
check "the row opens Bob's box on Bob's application's page ($own), not over Zed's" test "$(row_href)" = "$own"
get "$T_TMP/al" "/leads/$l2"
check "on another lead's page without boxes: the application's page too" test "$(row_href)" = "$own"
get "$T_TMP/al" "/leads/$l1/consents"
check "on the application's consents page: its application's page" test "$(row_href)" = "$own"
get "$T_TMP/al" "/leads?chat=$l2"
check "on the lead list: its application's page" test "$(row_href)" = "$own"
get "$T_TMP/al" "/profile"
check "off the lead pages: its application's page" test "$(row_href)" = "$own"
get "$T_TMP/al" "/leads/$l1?chat=$l2"
check "on its own application's page: over it, Zed's open box kept" \
	test "$(row_href)" = "/leads/$l1?chat=$l2&chat=$l1&contact_$l1=$bob"
get "$T_TMP/al" "$own"
check "the link opens Bob's box on his application's page" \
	bash -c "test '$STATUS' = 200 && grep -q 'title=\"Open the application\">Bob Own · Bob purchase</a>' '$T_TMP/body'"
