#!/usr/bin/env bash
# Times are written one way on every page, in the viewer's zone, with its
# short name: "Nov 20, 12:41 PM CST" (the year when it is not this one), in
# a <time datetime="...Z">; never an IANA name ("America/Chicago") nor
# "YYYY-MM-DD HH:MM" in the page's text. Read by a user in Chicago and one
# in Istanbul (whose zone the tz database names "+03": "UTC+3") on the lead
# page, the inbox, unmatched texts and consents; the ledger's CSV keeps its
# "YYYY-MM-DD HH:MM".
. "$REPO/tests/e2e/lib.sh"

PW='times pass 1'
A=$(mobile); I=$(mobile); N=$(mobile); U=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Times $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "cora", "org": "o", "email": "cora$UNIQ@times.test", "name": "Cora Chicago", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A", "time_zone": "America/Chicago"},
  {"key": "ivan", "org": "o", "email": "ivan$UNIQ@times.test", "name": "Ivan Istanbul", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$I", "time_zone": "Europe/Istanbul"}],
 "leads": [
  {"key": "win", "org": "o", "name": "Winter app", "updated_at": "2026-01-15T18:41:00Z", "assigned": ["cora", "ivan"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob Borrower", "mobile": "$N"}]},
  {"key": "sum", "org": "o", "name": "Summer app", "updated_at": "2026-07-04T17:05:00Z", "assigned": ["cora", "ivan"],
   "contacts": []}],
 "consents": [{"agent": "cora", "contact": "bob", "status": "granted"},
  {"agent": "ivan", "contact": "bob", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
win=$(id_of d leads win); sum=$(id_of d leads sum); bob=$(id_of d contacts bob)
for u in cora ivan; do login "$T_TMP/$u" "$u$UNIQ@times.test" "$PW"; done
inbound "$N" "$A" "to Cora $UNIQ"
inbound "$N" "$I" "to Ivan $UNIQ"
inbound "$U" "$A" "nobody's for Cora $UNIQ"
inbound "$U" "$I" "nobody's for Ivan $UNIQ"
check "the texts are stored" wait_sql 10 "SELECT COUNT(*) FROM messages WHERE body LIKE '%$UNIQ'" 4

# the page's text: no tags, scripts or styles (attributes hold ISO times)
text() { perl -0777 -pe 's/<(script|style)\b.*?<\/\1>//gis; s/<[^>]*>/ /gs' "$T_TMP/body"; }
# an instant as pages write it, the year optional (a run in another year)
T='[A-Z][a-z][a-z] [0-9]\{1,2\}, \(20[0-9][0-9], \)\?[0-9]\{1,2\}:[0-5][0-9] [AP]M'
plain() { # NAME ZONE_RE: the page's text has times with the zone, no IANA name, no ISO time
	local name=$1 zone=$2
	check "$name: times read like Jan 15, 12:41 PM with $zone" grep -q "$T $zone" <(text)
	check "$name: each in a <time datetime> (UTC)" \
		grep -q "<time[^>]*datetime=\"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z\"[^>]*>$T $zone</time>" "$T_TMP/body"
	if grep -qE '(America|Europe|Asia|Africa|Pacific|Atlantic|Australia|Etc)/[A-Za-z_]+' <(text); then
		not_ok "$name: no IANA zone name in the text ($(grep -oE '(America|Europe|Asia|Africa|Pacific|Atlantic|Australia|Etc)/[A-Za-z_]+' <(text) | head -n1))"
	else ok "$name: no IANA zone name in the text"; fi
	if grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}' <(text); then
		not_ok "$name: no YYYY-MM-DD HH:MM in the text ($(grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}' <(text) | head -n1))"
	else ok "$name: no YYYY-MM-DD HH:MM in the text"; fi
}

for who in cora ivan; do
	if [ $who = cora ]; then Z='C[SD]T'; W='12:41 PM CST'; S='12:05 PM CDT'
	else Z='UTC+3'; W='9:41 PM UTC+3'; S='8:05 PM UTC+3'; fi
	J=$T_TMP/$who
	get "$J" "/leads/$win?chat=$win&contact_$win=$bob"
	check "$who: the lead page is 200" test "$STATUS" = 200
	plain "$who: the lead page" "$Z"
	check "$who: updated in January, in the viewer's zone" \
		body_has "updated <time datetime=\"2026-01-15T18:41:00Z\">Jan 15, \\(2026, \\)\\?$W</time>"
	check "$who: Send later names the zone by its short name" body_has "Send at (your time, $Z)"
	get "$J" "/leads/$sum"
	check "$who: updated in July (summer time)" \
		body_has "updated <time datetime=\"2026-07-04T17:05:00Z\">Jul 4, \\(2026, \\)\\?$S</time>"
	get "$J" "/leads"
	check "$who: the leads list shows the same form" \
		body_has "<time datetime=\"2026-07-04T17:05:00Z\">Jul 4, \\(2026, \\)\\?$S</time>"
	get "$J" "/inbox"
	check "$who: the inbox is 200" test "$STATUS" = 200
	plain "$who: the inbox" "$Z"
	check "$who: the header's dropdown too" body_has "notif-when\" datetime=\"[^\"]*\">$T $Z<"
	get "$J" "/unmatched"
	check "$who: unmatched is 200" test "$STATUS" = 200
	check "$who: with the unmatched text" body_has "for ${who^} $UNIQ"
	plain "$who: unmatched" "$Z"
	get "$J" "/leads/$win/consents"
	check "$who: consents is 200" test "$STATUS" = 200
	check "$who: with the ledger's import row" body_has 'import'
	plain "$who: consents" "$Z"
	get "$J" "/leads/$win/consents.csv"
	check "$who: the ledger's CSV keeps YYYY-MM-DD HH:MM" grep -q '^"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]",' "$T_TMP/body"
done
