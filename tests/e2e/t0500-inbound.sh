#!/usr/bin/env bash
# Texting in: the signed inbound webhook, stored once, routed as the
# routing rules say (last-updated application, external > borrower >
# co-borrower), the Unmatched list, unknown receiving numbers, bad input.
. "$REPO/tests/e2e/lib.sh"

URL=$INBOUND_URL ACCOUNT=$CARRIER_ACCOUNT

A=$(mobile); B=$(mobile); C=$(mobile)           # agents' numbers
X=$(mobile); P=$(mobile); Y=$(mobile); Z=$(mobile); U=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Inbound $UNIQ", "sms_enabled": true},
                   {"key": "o2", "name": "Other $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@in.test", "name": "Ann In", "role": "agent",
   "password": "inbound-pass-1", "sms_permission": true, "sms_number": "$A",
   "mms_enabled": true, "display_images": true},
  {"key": "bo", "org": "o", "email": "bo$UNIQ@in.test", "name": "Bo In", "role": "agent",
   "password": "inbound-pass-1", "sms_permission": true, "sms_number": "$B",
   "mms_enabled": true, "display_images": false},
  {"key": "cy", "org": "o", "email": "cy$UNIQ@in.test", "name": "Cy In", "role": "agent",
   "password": "inbound-pass-1", "sms_permission": true, "sms_number": "$C"},
  {"key": "adm", "org": "o", "email": "adm$UNIQ@in.test", "name": "Ad Min", "role": "admin",
   "password": "inbound-pass-1"},
  {"key": "out", "org": "o2", "email": "out$UNIQ@in.test", "name": "Out Sider", "role": "admin",
   "password": "inbound-pass-1"}],
 "partners": [{"key": "p", "org": "o", "name": "Pat Partner", "mobile": "$P"},
              {"key": "pz", "org": "o", "name": "Zed Partner", "mobile": "$Z"},
              {"key": "px", "org": "o2", "name": "Other Org Partner", "mobile": "$X"}],
 "leads": [
  {"key": "older", "org": "o", "name": "Older app", "updated_at": "2026-11-01T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "bx1", "role": "borrower", "name": "Xena Older", "mobile": "$X"}]},
  {"key": "newer", "org": "o", "name": "Newer app", "updated_at": "2026-11-10T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "bx2", "role": "borrower", "name": "Xena Newer", "mobile": "$X"}]},
  {"key": "p1", "org": "o", "name": "Partner app 1", "updated_at": "2026-11-05T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "b1", "role": "borrower", "name": "Bea One", "mobile": "$(mobile)"}, {"partner": "p", "key": "p1p"}]},
  {"key": "p2", "org": "o", "name": "Partner app 2", "updated_at": "2026-11-08T10:00:00Z", "assigned": ["ann"],
   "contacts": [{"key": "b2", "role": "borrower", "name": "Bea Two", "mobile": "$(mobile)"}, {"partner": "p", "key": "p2p"}]},
  {"key": "shared", "org": "o", "name": "Shared number app", "assigned": ["ann"],
   "contacts": [{"key": "cob", "role": "co_borrower", "name": "Cody Co", "mobile": "$Y"},
                {"key": "bor", "role": "borrower", "name": "Bora Bor", "mobile": "$Y"}]},
  {"key": "vsp", "org": "o", "name": "Borrower vs partner app", "assigned": ["ann"],
   "contacts": [{"key": "bz", "role": "borrower", "name": "Zoe Borrower", "mobile": "$Z"}, {"partner": "pz", "key": "pzz"}]},
  {"key": "bos", "org": "o", "name": "Bo only app", "updated_at": "2026-11-12T10:00:00Z", "assigned": ["bo"],
   "contacts": [{"key": "bbo", "role": "borrower", "name": "Bob Boonly", "mobile": "$(mobile)"}]},
  {"key": "other", "org": "o2", "name": "Other org app",
   "contacts": [{"partner": "px", "key": "pxx"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
cat "$T_TMP/import.err"
id() { id_of d "$1" "$2"; }

# inbound (lib.sh): a signed delivery, each with a new MessageSid, in $SID
msg() { sql "SELECT $1 FROM messages WHERE carrier_sid = '$SID'"; }

# ---- signatures
inbound "$X" "$A" "Hello from Xena"
check "a signed inbound message is answered 200" test "$STATUS" = 200
check "with an empty TwiML response" body_has '<Response/>'
check "as text/xml" header_has '^Content-Type: text/xml'
check "it is stored once, as received" test "$(msg "COUNT(*)")" = 1
check "and in the webhook log" test "$(sql "SELECT COUNT(*) FROM webhook_log WHERE kind = 'inbound' AND message_sid = '$SID'")" = 1

for i in 2 3; do inbound "$X" "$A" "Hello from Xena" "MessageSid=$SID"; done
check "the same MessageSid delivered three times is answered 200" test "$STATUS" = 200
check "and stored as one message" test "$(msg "COUNT(*)")" = 1
check "each delivery is in the webhook log" test "$(sql "SELECT COUNT(*) FROM webhook_log WHERE message_sid = '$SID'")" = 3

new_sid
good=$(twilio_sign "$URL" "MessageSid=$SID" "AccountSid=$ACCOUNT" "From=$X" "To=$A" "Body=hi")
req -H "X-Twilio-Signature: $good" --data-urlencode "MessageSid=$SID" --data-urlencode "AccountSid=$ACCOUNT" \
	--data-urlencode "From=$X" --data-urlencode "To=$A" --data-urlencode "Body=hi, tampered" "$URL"
check "a tampered body is refused (403)" test "$STATUS" = 403
req --data-urlencode "MessageSid=$SID" --data-urlencode "AccountSid=$ACCOUNT" \
	--data-urlencode "From=$X" --data-urlencode "To=$A" --data-urlencode "Body=hi" "$URL"
check "a missing signature is refused (403)" test "$STATUS" = 403
wrong=$(SIGN_TOKEN=not-the-token twilio_sign "$URL" "MessageSid=$SID" "AccountSid=$ACCOUNT" "From=$X" "To=$A" "Body=hi")
req -H "X-Twilio-Signature: $wrong" --data-urlencode "MessageSid=$SID" --data-urlencode "AccountSid=$ACCOUNT" \
	--data-urlencode "From=$X" --data-urlencode "To=$A" --data-urlencode "Body=hi" "$URL"
check "a signature made with another token is refused (403)" test "$STATUS" = 403
req -H "X-Twilio-Signature: $good" --data-urlencode "MessageSid=$SID" --data-urlencode "AccountSid=$ACCOUNT" \
	--data-urlencode "From=$X" --data-urlencode "To=$A" --data-urlencode "Body=hi" "$URL?x=1"
check "a signature made for another URL is refused (403)" test "$STATUS" = 403
OTHER_ACCOUNT=AC$(printf 'other %s' "$UNIQ" | sha256sum | cut -c1-32)
twilio_post "$URL" "MessageSid=$SID" "AccountSid=$OTHER_ACCOUNT" "From=$X" "To=$A" "Body=hi" "NumMedia=0"
check "a validly signed request for another account is refused (403)" test "$STATUS" = 403
check "refused requests store nothing" test "$(sql "SELECT (SELECT COUNT(*) FROM messages WHERE carrier_sid = '$SID') + (SELECT COUNT(*) FROM webhook_log WHERE message_sid = '$SID')")" = 0
check "and are logged" grep -q 'inbound message with a missing or wrong signature refused' "$STACK_DIR/smsdesk.log"

# ---- bad input: clear errors, nothing stored
before=$(sql "SELECT COUNT(*) FROM webhook_log")
req -H "X-Twilio-Signature: $good" --data-binary $'MessageSid=x&Body=\xff\xfe' \
	-H 'Content-Type: application/x-www-form-urlencoded' "$URL"
check "invalid UTF-8 is refused (400)" test "$STATUS" = 400
yes 'p=1' | head -n 10000 | paste -sd'&' > "$T_TMP/many"
req -H "X-Twilio-Signature: $good" --data-binary "@$T_TMP/many" "$URL"
check "10,000 parameters are refused (400)" test "$STATUS" = 400
head -c 200000 /dev/zero | tr '\0' 'a' | sed 's/^/Body=/' > "$T_TMP/big"
req -H "X-Twilio-Signature: $good" --data-binary "@$T_TMP/big" "$URL"
check "an oversized body is refused (413)" test "$STATUS" = 413
check "none of them is logged or stored" test "$(sql "SELECT COUNT(*) FROM webhook_log")" = "$before"

# ---- routing
inbound "$X" "$A" "to the newer app"
check "a shared mobile: the application updated last receives it" test "$(msg lead_id)" = "$(id leads newer)"
check "as that application's contact" test "$(msg contact_id)" = "$(id contacts bx2)"
check "in the conversation of the agent who owns the number" test "$(msg user_id)" = "$(sql "SELECT id FROM users WHERE sms_number = '$A'")"
check "a number of another organization does not count" test "$(msg org_id)" = "$(sql "SELECT org_id FROM leads WHERE id = $(id leads newer)")"
check "a message does not change the application's updated_at" test "$(sql "SELECT updated_at FROM leads WHERE id = $(id leads newer)")" = "2026-11-10 10:00:00"

inbound "$P" "$A" "partner here"
check "a partner on several applications: the last updated receives it" test "$(msg lead_id)" = "$(id leads p2)"
check "as the partner's contact there" test "$(msg contact_id)" = "$(id contacts p2p)"
# the other application is updated after: the next reply follows it (the
# copy of updated_at each contact carries moves with its lead)
sql "UPDATE leads SET updated_at = GREATEST(updated_at, (SELECT t FROM (SELECT MAX(updated_at) + INTERVAL 1 MINUTE AS t
	FROM leads WHERE id IN ($(id leads p1), $(id leads p2))) x)) WHERE id = $(id leads p1)"
inbound "$P" "$A" "partner again"
check "the partner's application updated since receives the next reply" test "$(msg lead_id)" = "$(id leads p1)"
check "as the partner's contact there" test "$(msg contact_id)" = "$(id contacts p1p)"

inbound "$Y" "$A" "which of us?"
check "borrower and co-borrower sharing a number: the borrower receives it" test "$(msg contact_id)" = "$(id contacts bor)"

inbound "$Z" "$A" "borrower or partner?"
check "a borrower sharing a partner's number: the external contact receives it" test "$(msg contact_id)" = "$(id contacts pzz)"

# another agent's number: routed only among the applications its owner
# may see. Bo is on none of them: his Unmatched list, and nothing opens.
inbound "$Y" "$B" "to Bo"
check "the receiving number decides whose conversation it joins" test "$(msg user_id)" = "$(sql "SELECT id FROM users WHERE sms_number = '$B'")"
check "an application its owner may not see does not take it: Unmatched" test "$(msg "COALESCE(lead_id, 'none')")" = none
inbound "$P" "$C" "partner to Cy"
check "a partner texting an agent on none of its applications: Unmatched" test "$(msg "COALESCE(lead_id, 'none')")" = none
login "$T_TMP/cy.jar" "cy$UNIQ@in.test" inbound-pass-1
for l in p1 p2 shared; do
	get "$T_TMP/cy.jar" "/leads/$(id leads $l)"
	check "and the text opens no application to Cy ($l: 404)" test "$STATUS" = 404
	get "$T_TMP/cy.jar" "/leads/$(id leads $l)/loanfile"
	check "nor its loan file ($l: 404)" test "$STATUS" = 404
	get "$T_TMP/cy.jar" "/leads/$(id leads $l)/consents"
	check "nor its consents ($l: 404)" test "$STATUS" = 404
done
# Cy assigned to the older of the partner's applications: it is routed
# there, though another one was updated since
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($(id leads p2), $(sql "SELECT id FROM users WHERE sms_number = '$C'"))"
inbound "$P" "$C" "partner to Cy again"
check "among the partner's applications, the newest Cy may see takes it" test "$(msg lead_id)" = "$(id leads p2)"
get "$T_TMP/cy.jar" "/leads/$(id leads p1)"
check "the newer one stays closed to Cy (404)" test "$STATUS" = 404

# the carrier writes numbers in E.164: anything else is not its request
inbound "${Y#+1}" "$A" "ten digits"
check "a sender written without +1 is refused (400)" test "$STATUS" = 400
check "and not stored" test "$(msg "COUNT(*)")" = 0
inbound "$Y" "$A" "ten digits"
check "the same sender in E.164 is the contact" test "$(msg contact_id)" = "$(id contacts bor)"

unknown_to=$(mobile)
inbound "$X" "$unknown_to" "to nobody"
check "a number that belongs to no user is answered 200" test "$STATUS" = 200
check "and kept in the webhook log" test "$(sql "SELECT COUNT(*) FROM webhook_log WHERE message_sid = '$SID'")" = 1
check "only" test "$(msg "COUNT(*)")" = 0

# ---- the chatbox shows it: a grey bubble with its time
jar=$T_TMP/ann.jar
login "$jar" "ann$UNIQ@in.test" inbound-pass-1
get "$jar" "/leads/$(id leads shared)?chat=$(id leads shared)&contact_$(id leads shared)=$(id contacts bor)"
check "the chatbox shows the inbound text" body_has 'ten digits'
check "as an incoming (grey) bubble" grep -q 'msg msg-in' "$T_TMP/body"
page_lacks "another agent's inbound text is not in Ann's conversation" 200 "id=\"chat-$(id leads shared)\"" 'to Bo'
grep -A3 'ten digits' "$T_TMP/body" | grep -q 'msg-time" datetime="20[0-9-]*T[0-9:]*Z" title="[A-Z][a-z][a-z] [0-9]*, [0-9, ]*[0-9]*:[0-9][0-9] [AP]M [A-Z]*">[0-9]*:[0-9][0-9] [AP]M<' && ok "with its time" || not_ok "with its time"

# ---- a sender on no application: the agent's Unmatched list, then filed
inbound "$U" "$A" "I am new here"
check "a sender on no application is answered 200" test "$STATUS" = 200
check "and kept, with no application, in Ann's conversation" test "$(msg "CONCAT(COALESCE(lead_id, 'none'), '/', user_id)")" = "none/$(sql "SELECT id FROM users WHERE sms_number = '$A'")"
unmatched=$(msg id)
inbound "$U" "$A" "hello again"
second=$(msg id)
get "$jar" /leads
check "the header links to the Unmatched list with a count" grep -q 'href="/unmatched">Unmatched <span class="badge"[^>]*>2<' "$T_TMP/body"
get "$jar" /unmatched
check "Ann's Unmatched list shows the text" body_has 'I am new here'
check "the Unmatched list is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
check "with the sender's number, as people write it" body_has "($(echo "$U" | cut -c3-5)) $(echo "$U" | cut -c6-8)-$(echo "$U" | cut -c9-12)"
get "$jar" "/unmatched/$unmatched?q=Newer"
check "the filing page finds applications by name" body_has 'Newer app'
check "and lists their contacts to file to" body_has 'File to Xena Newer'
check "the filing page is valid HTML (tidy)" tidy -q -e "$T_TMP/body"
# the candidates most recently updated first, each with its contacts:
# borrower, co-borrower, partner (read in one statement, put in order in C)
get "$jar" "/unmatched/$unmatched?q=app"
shown=$(grep -o -e '<h2><a href="/leads/[0-9]*">[^<]*' -e 'File to [^<]*' "$T_TMP/body" |
	sed 's/^<h2>.*">/# /; s/^File to //' | tr '\n' '|')
check "candidates newest first, their contacts in order ($shown)" bash -c '
	case "$1" in *"# Newer app|Xena Newer|# Partner app 1|Bea One|Pat Partner|# Partner app 2|Bea Two|Pat Partner|# Older app|Xena Older|"*) ;; *) exit 1 ;; esac
	case "$1" in *"# Shared number app|Bora Bor|Cody Co|"*) ;; *) exit 1 ;; esac
	case "$1" in *"# Borrower vs partner app|Zoe Borrower|Zed Partner|"*) ;; *) exit 1 ;; esac' _ "$shown"
check "an agent's candidates are the agent's own applications (not Bo's)" bash -c '
	case "$1" in *"Bo only app"*) exit 1 ;; esac' _ "$shown"

bo=$T_TMP/bo.jar; cy=$T_TMP/cy.jar; adm=$T_TMP/adm.jar; outsider=$T_TMP/out.jar
login "$bo" "bo$UNIQ@in.test" inbound-pass-1
get "$bo" /unmatched
page_lacks "another agent's Unmatched list does not show it" 200 '<h1>Unmatched texts</h1>' 'I am new here'
get "$bo" "/unmatched/$unmatched"
check "nor may another agent open it (404)" test "$STATUS" = 404
post "$bo" "/unmatched/$unmatched/file" --data-urlencode "lead=$(id leads newer)" --data-urlencode "contact=$(id contacts bx2)"
check "nor file it (404)" test "$STATUS" = 404
login "$outsider" "out$UNIQ@in.test" inbound-pass-1
get "$outsider" "/unmatched/$unmatched"
check "an admin of another organization gets 404" test "$STATUS" = 404
post "$outsider" "/unmatched/$unmatched/file" --data-urlencode "lead=$(id leads other)" --data-urlencode "contact=$(id contacts pxx)"
check "and cannot file it to their own application (404)" test "$STATUS" = 404
req -b "$jar" --data-urlencode "lead=$(id leads newer)" --data-urlencode "contact=$(id contacts bx2)" "$BASE/unmatched/$unmatched/file"
check "filing without the csrf token is refused (403)" test "$STATUS" = 403
post "$jar" "/unmatched/$unmatched/file" --data-urlencode "lead=$(id leads other)" --data-urlencode "contact=$(id contacts pxx)"
check "filing to another organization's application is refused (404)" test "$STATUS" = 404
check "refused filings change nothing" test "$(sql "SELECT COUNT(*) FROM messages WHERE id IN ($unmatched, $second) AND lead_id IS NULL")" = 2

login "$adm" "adm$UNIQ@in.test" inbound-pass-1
get "$adm" /unmatched
check "the organization's admin sees every agent's unmatched texts" body_has 'I am new here'
org_unmatched=$(sql "SELECT COUNT(*) FROM messages WHERE org_id = (SELECT org_id FROM users WHERE sms_number = '$A')
	AND lead_id IS NULL AND direction = 'inbound'")
check "with the organization's count in the header ($org_unmatched)" grep -q "href=\"/unmatched\">Unmatched <span class=\"badge\"[^>]*>$org_unmatched<" "$T_TMP/body"
post "$adm" "/unmatched/$unmatched/file" --data-urlencode "lead=$(id leads newer)" --data-urlencode "contact=$(id contacts bx2)"
check "the admin files it (303)" test "$STATUS" = 303
check "to the application's chatbox" test "$(location)" = "/leads/$(id leads newer)?chat=$(id leads newer)&contact_$(id leads newer)=$(id contacts bx2)&agent_$(id leads newer)=$(sql "SELECT id FROM users WHERE sms_number = '$A'")"
check "both texts from that number are filed" test "$(sql "SELECT COUNT(*) FROM messages WHERE id IN ($unmatched, $second) AND lead_id = $(id leads newer) AND contact_id = $(id contacts bx2) AND filed_by IS NOT NULL")" = 2
get "$jar" "/leads/$(id leads newer)?chat=$(id leads newer)&contact_$(id leads newer)=$(id contacts bx2)"
check "Ann sees the filed text in the chatbox" body_has 'I am new here'
get "$jar" /unmatched
page_lacks "and no longer in her Unmatched list" 200 '<h1>Unmatched texts</h1>' 'I am new here'
page_lacks "the header shows no Unmatched count" 200 '<h1>Unmatched texts</h1>' 'href="/unmatched">Unmatched <span class="badge"'
post "$jar" "/unmatched/$unmatched/file" --data-urlencode "lead=$(id leads newer)" --data-urlencode "contact=$(id contacts bx2)"
check "a text filed already cannot be filed again (404)" test "$STATUS" = 404
check "after inbound and filing, every conversation carries its sources' names and last text ($(conversations_carried_wrong) differ)" \
	test "$(conversations_carried_wrong)" = 0
# the header's counts (schema/0025) equal the texts, every organization's
# and user's, in one statement's snapshot: rows that agree show up twice
differ=$(sql "SELECT COUNT(*) FROM (SELECT 1 FROM (
	SELECT org_id, user_id, n FROM unmatched_counts WHERE n <> 0
	UNION ALL
	SELECT org_id, 0, COUNT(*) FROM messages WHERE lead_id IS NULL AND direction = 'inbound' GROUP BY org_id
	UNION ALL
	SELECT org_id, user_id, COUNT(*) FROM messages WHERE lead_id IS NULL AND direction = 'inbound'
	AND user_id IS NOT NULL GROUP BY org_id, user_id) x GROUP BY org_id, user_id, n HAVING COUNT(*) <> 2) y")
check "the Unmatched counts equal the texts ($differ differ)" test "$differ" = 0

# ---- images: rows created with the message; the notice text as the rule says
media_url="$CARRIER/2010-04-01/Accounts/$ACCOUNT/Messages/MMtest/Media/MEtest$UNIQ"
notices() { sql "SELECT COUNT(*) FROM messages WHERE kind = 'image_notice' AND contact_number = '$Y' AND agent_number = '$1'"; }
# Bo and Cy join the shared application: Y's texts to them are routed there
sql "INSERT INTO assignments (lead_id, user_id) SELECT $(id leads shared), id FROM users WHERE sms_number IN ('$B', '$C')"
inbound "$Y" "$A" "" "NumMedia=1" "MediaUrl0=$media_url" "MediaContentType0=image/png"
check "an image message is answered 200" test "$STATUS" = 200
check "it keeps how many images it carried" test "$(msg num_media)" = 1
check "and a media row to fetch, with its URL and declared type" test "$(sql "SELECT CONCAT(mm.idx, ' ', mm.url, ' ', mm.declared_type) FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.carrier_sid = '$SID'")" = "0 $media_url image/png"
check "MMS enabled and display images: no notice is texted" test "$(notices "$A")" = 0

inbound "$Y" "$B" "see attached" "NumMedia=1" "MediaUrl0=$media_url" "MediaContentType0=image/jpeg"
check "MMS on, display images off: one automatic text tells the sender" test "$(notices "$B")" = 1
check "queued through the outbox to the sender, from the agent's number" test "$(sql "SELECT COUNT(*) FROM messages m WHERE kind = 'image_notice' AND agent_number = '$B' AND contact_number = '$Y' AND direction = 'outbound' AND user_id = $(sql "SELECT id FROM users WHERE sms_number = '$B'") AND lead_id = $(id leads shared)")" = 1
check "saying images are not received on this number" test "$(sql "SELECT body FROM messages WHERE kind = 'image_notice' AND agent_number = '$B' AND contact_number = '$Y'")" = "Images are not received on this number. Please send your message as text."
wait_sql 10 "SELECT COUNT(*) FROM messages WHERE kind = 'image_notice' AND agent_number = '$B' AND contact_number = '$Y' AND carrier_sid IS NOT NULL" 1
check "the dispatcher sends it to the carrier" test "$(curl -sS "$CARRIER/_fake/messages" | jq --arg t "$Y" --arg f "$B" '[.[] | select(.to == $t and .from == $f)] | length')" = 1
inbound "$Y" "$B" "another one" "NumMedia=2" "MediaUrl0=$media_url" "MediaContentType0=image/jpeg" "MediaUrl1=$media_url" "MediaContentType1=image/gif"
check "a second image the same day sends no second notice" test "$(notices "$B")" = 1
check "its two images are both kept" test "$(sql "SELECT COUNT(*) FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.carrier_sid = '$SID'")" = 2
sql "UPDATE messages SET created_at = NOW(6) - INTERVAL 25 HOUR WHERE kind = 'image_notice' AND agent_number = '$B' AND contact_number = '$Y'"
inbound "$Y" "$B" "next day" "NumMedia=1" "MediaUrl0=$media_url" "MediaContentType0=image/jpeg"
check "a day later an image gets the notice again" test "$(notices "$B")" = 2

inbound "$Y" "$C" "no mms here" "NumMedia=1" "MediaUrl0=$media_url" "MediaContentType0=image/jpeg"
check "without MMS enabled the image is kept" test "$(msg num_media)" = 1
check "and no text is sent" test "$(notices "$C")" = 0

login "$bo" "bo$UNIQ@in.test" inbound-pass-1
shared=$(id leads shared)
get "$bo" "/leads/$shared?chat=$shared&agent_$shared=$(sql "SELECT id FROM users WHERE sms_number = '$B'")&contact_$shared=$(id contacts bor)"
check "the receiving agent opens the application the reply was routed to" test "$STATUS" = 200
check "display images off: the conversation says an image could not be displayed" body_has 'An image was sent but could not be displayed.'
page_lacks "and shows no image" 200 "id=\"chat-$shared\"" '<img src="/media/'
check "the notice text shows as automatic" body_has '(automatic)'
mid=$(sql "SELECT mm.id FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.agent_number = '$A' AND m.contact_number = '$Y' ORDER BY mm.id LIMIT 1")
sql "UPDATE message_media SET status = 'pending', next_attempt_at = NOW(6) + INTERVAL 1 HOUR, bytes = NULL WHERE id = $mid"
get "$jar" "/leads/$shared?chat=$shared&contact_$shared=$(id contacts bor)"
check "display images on: an image not fetched yet says so" body_has 'An image is being received'

sql "UPDATE message_media SET status = 'fetched', content_type = 'image/png', size = 1, sha256 = REPEAT('0', 64), bytes = 'x' WHERE id = $mid"
get "$jar" "/leads/$shared?chat=$shared&contact_$shared=$(id contacts bor)"
check "a fetched image shows in the bubble" body_has "<img src=\"/media/$mid\""
check "with a Download button" body_has "href=\"/media/$mid?download=1\" download>Download<"

# malformed image fields: a clear 400, nothing stored
inbound "$Y" "$A" "too many" "NumMedia=11"
check "more than 10 images is refused (400)" test "$STATUS" = 400
inbound "$Y" "$A" "no url" "NumMedia=1"
check "an image without its URL is refused (400)" test "$STATUS" = 400
inbound "$Y" "$A" "ftp" "NumMedia=1" "MediaUrl0=ftp://example.test/x.png"
check "an image URL that is not http(s) is refused (400)" test "$STATUS" = 400
check "none of them stored anything" test "$(msg "COUNT(*)")" = 0

# ---- end to end: the fake carrier's phone sends an image; smsdesk stores
# the text, fetches the image and shows it
curl -sS -X POST "$CARRIER/_fake/inbound" --data-urlencode "from=$Y" --data-urlencode "to=$A" \
	--data-urlencode "body=the whole way ($UNIQ)" --data media=sample > "$T_TMP/fake.json"
check "the carrier's signed delivery is answered 200" test "$(jq -r .status "$T_TMP/fake.json")" = 200
SID=$(jq -r .sid "$T_TMP/fake.json")
check "the text is stored, on the shared application" test "$(msg lead_id)" = "$shared"
check "its image is fetched from the carrier" wait_sql 30 "SELECT mm.status FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.carrier_sid = '$SID'" fetched
mid=$(sql "SELECT mm.id FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.carrier_sid = '$SID'")
get "$jar" "/media/$mid"
check "and served to the receiving agent as the stored PNG" test "$STATUS|$(head -c 8 "$T_TMP/body" | od -An -tx1 | tr -d ' ')" = "200|89504e470d0a1a0a"
get "$jar" "/leads/$shared?chat=$shared&contact_$shared=$(id contacts bor)"
check "the chatbox shows it" body_has "<img src=\"/media/$mid\""
