#!/usr/bin/env bash
# The loan file (docs/behaviour.md, "The loan file"): /leads/ID/loanfile and its CSV hold
# every message of every agent on the lead (both ways, a failed one with
# its carrier error, an image with its type, size and SHA-256) and every
# consent event of the lead's numbers, exactly once each; the CSV is
# RFC 4180 and formula-neutralised, its SHA-256 is on the page and in a
# header; only whoever may view the lead gets it (404 otherwise); the page
# is valid HTML.
. "$REPO/tests/e2e/lib.sh"

PW='loan file pass 1'
A=$(mobile); B=$(mobile); X=$(mobile); P=$(mobile)
# a number as people write it, as the pages and the CSV do: (512) 555-0123
shown() { echo "(${1:2:3}) ${1:5:3}-${1:8:4}"; }
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Loanfile Co $UNIQ", "sms_enabled": true},
                   {"key": "o2", "name": "Elsewhere $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "ann", "org": "o", "email": "ann$UNIQ@lf.test", "name": "Ann File", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$A", "mms_enabled": true,
   "display_images": true, "time_zone": "America/New_York"},
  {"key": "bo", "org": "o", "email": "bo$UNIQ@lf.test", "name": "Bo File", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$B"},
  {"key": "cy", "org": "o", "email": "cy$UNIQ@lf.test", "name": "Cy Unassigned", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$(mobile)"},
  {"key": "mgr", "org": "o", "email": "mgr$UNIQ@lf.test", "name": "Meg File", "role": "manager",
   "password": "$PW"},
  {"key": "out", "org": "o2", "email": "out$UNIQ@lf.test", "name": "Out Sider", "role": "admin",
   "password": "$PW"}],
 "partners": [{"key": "pat", "org": "o", "name": "Pat Partner", "mobile": "$P"}],
 "leads": [{"key": "l", "org": "o", "name": "Filed app", "updated_at": "2026-11-20T10:00:00Z",
   "assigned": ["ann", "bo"],
   "contacts": [{"key": "bob", "role": "borrower", "name": "Bob \"The\" Borrower", "mobile": "$X"},
                {"partner": "pat", "key": "pat"}]}],
 "consents": [{"agent": "ann", "contact": "bob", "status": "granted"},
              {"agent": "bo", "contact": "bob", "status": "granted"},
              {"partner": "pat", "status": "granted"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l=$(id_of d leads l); bob=$(id_of d contacts bob); pat=$(id_of d contacts pat)
for u in ann bo cy mgr out; do login "$T_TMP/$u" "$u$UNIQ@lf.test" "$PW"; done
send() { post "$T_TMP/$1" /sms/send --data-urlencode "lead=$l" --data-urlencode "contact=$2" --data-urlencode "body=$3"; }
sent() { wait_sql 15 "SELECT COUNT(*) FROM messages WHERE body = '$1' AND status IN ('sent', 'delivered', 'failed')"; }

# ---- the history: both agents, both ways, a failure, an image, consent events
send ann "$bob" "Hi Bob, Ann here ($UNIQ)"
check "Ann's text is sent" sent "Hi Bob, Ann here ($UNIQ)"
send bo "$bob" "=SUM(1) and \"quotes\", from Bo ($UNIQ)"
check "Bo's text, starting with =, is sent" sent "=SUM(1) and \"quotes\", from Bo ($UNIQ)"
# the carrier's fault queue is shared with whatever else is in flight (an
# earlier test's retries, image fetches): wait for quiet, and try again
# when another request took the fault
wait_sql 10 "SELECT COUNT(*) FROM outbox" 0
FAILED=
for try in 1 2 3; do
	curl -sS -o /dev/null "$CARRIER/_fake/fail" -d mode=4xx -d code=21211 -d count=1
	send ann "$pat" "Pat, this one fails, try $try ($UNIQ)"
	wait_sql 15 "SELECT COUNT(*) FROM messages WHERE body = 'Pat, this one fails, try $try ($UNIQ)' AND status IN ('sent', 'delivered', 'failed')"
	if [ "$(sql "SELECT CONCAT(status, ' ', error_code) FROM messages WHERE body = 'Pat, this one fails, try $try ($UNIQ)'")" = "failed 21211" ]; then
		FAILED="Pat, this one fails, try $try ($UNIQ)"
		break
	fi
done
curl -sS -o /dev/null "$CARRIER/_fake/fail" -d count=0
check "a text the carrier refuses is failed with its error (21211)" test -n "$FAILED"
req --data-urlencode "from=$X" --data-urlencode "to=$A" --data-urlencode "body=Here is my pay stub ($UNIQ)" \
	--data-urlencode media=sample "$CARRIER/_fake/inbound"
check "an inbound text with an image arrives" wait_sql 15 "SELECT COUNT(*) FROM messages WHERE body = 'Here is my pay stub ($UNIQ)' AND lead_id = $l"
check "its image is fetched" wait_sql 15 "SELECT mm.status FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.body = 'Here is my pay stub ($UNIQ)'" fetched
inbound "$X" "$B" "STOP"
check "Bob's STOP to Bo is stored (a consent event and a confirmation)" test "$STATUS" = 200

# the hash of the page and of the CSV agree while nothing moves
check "every status has settled" wait_sql 15 "SELECT COUNT(*) FROM messages WHERE lead_id = $l AND direction = 'outbound' AND status NOT IN ('delivered', 'undelivered', 'failed')" 0
NMSG=$(sql "SELECT COUNT(*) FROM messages WHERE lead_id = $l")
NIMG=$(sql "SELECT COUNT(*) FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.lead_id = $l")
NLEDGER=$(sql "SELECT COUNT(*) FROM consent_ledger WHERE contact_number IN ('$X', '$P')")
check "the history has both agents' messages both ways ($NMSG messages, $NIMG image, $NLEDGER consent events)" \
	test "$(sql "SELECT COUNT(DISTINCT user_id) FROM messages WHERE lead_id = $l")|$(sql "SELECT COUNT(DISTINCT direction) FROM messages WHERE lead_id = $l")|$NIMG" = "2|2|1"

# ---- the CSV
get "$T_TMP/ann" "/leads/$l/loanfile.csv"
cp "$T_TMP/body" "$T_TMP/loanfile.csv"
check "the CSV is 200 text/csv" test "$STATUS|$(grep -ci '^Content-Type: text/csv' "$T_TMP/headers")" = "200|1"
check "as an attachment" header_has '^Content-Disposition: attachment; filename="loan-file-lead-'"$l"'.csv"'
HEAD='"kind","id","message_id","time_utc","time_local","time_zone","direction","type","from","from_number","to","to_number","status","status_time_local","error_code","error","text","sensitive","sent_anyway_by","image_type","image_size","image_sha256","consent_scope","consent_old","consent_new","consent_source","consent_by","note","link_shortener"'
check "with the header row" test "$(head -n1 "$T_TMP/loanfile.csv" | tr -d '\r')" = "$HEAD"
# rows as JSON arrays, parsed as RFC 4180 (quoted cells may hold commas and line breaks)
node -e '
const s = require("fs").readFileSync(process.argv[1], "utf8"); const rows = []; let row = [], cell = "", i = 0, q = false;
if (!s.endsWith("\r\n")) { console.error("no final CRLF"); process.exit(1); }
while (i < s.length) { const c = s[i];
  if (q) { if (c === "\"" && s[i + 1] === "\"") { cell += "\""; i += 2; continue; } if (c === "\"") { q = false; i++; continue; } cell += c; i++; continue; }
  if (c === "\"" && cell === "") { q = true; i++; continue; }
  if (c === ",") { row.push(cell); cell = ""; i++; continue; }
  if (c === "\r" && s[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i += 2; continue; }
  console.error("unquoted character at " + i); process.exit(1); }
for (const r of rows) console.log(JSON.stringify(r));' "$T_TMP/loanfile.csv" > "$T_TMP/rows.jsonl"
check "the CSV parses as RFC 4180, every cell quoted, CRLF line ends" test $? = 0
check "every row has 29 cells" test "$(jq -s 'map(length) | unique' -c "$T_TMP/rows.jsonl")" = "[29]"
check "it holds exactly one row per message, image and consent event ($NMSG + $NIMG + $NLEDGER)" \
	test "$(jq -s -c '.[1:] | group_by(.[0]) | map([.[0][0], length])' "$T_TMP/rows.jsonl")" = "[[\"consent\",$NLEDGER],[\"image\",$NIMG],[\"message\",$NMSG]]"
check "each message id of the lead once, in time order" \
	test "$(jq -s -r '.[1:] | map(select(.[0] == "message") | .[1]) | join(",")' "$T_TMP/rows.jsonl")" = "$(sql "SELECT GROUP_CONCAT(id ORDER BY created_at, id) FROM messages WHERE lead_id = $l")"
check "each consent event once" \
	test "$(jq -s -r '.[1:] | map(select(.[0] == "consent") | .[1]) | join(",")' "$T_TMP/rows.jsonl")" = "$(sql "SELECT GROUP_CONCAT(id ORDER BY created_at, id) FROM consent_ledger WHERE contact_number IN ('$X', '$P')")"
row_of() { jq -s -c --arg b "$1" '.[1:] | map(select(.[0] == "message" and .[16] == $b)) | .[0]' "$T_TMP/rows.jsonl"; }
r=$(row_of "Hi Bob, Ann here ($UNIQ)")
check "an outbound row: from Ann's number to Bob's (as people write them), sent, in New York time" \
	test "$(jq -r '[.[6], .[7], .[8], .[9], .[10], .[11], .[5]] | join("|")' <<<"$r")" = "outbound|user|Ann File|$(shown "$A")|Bob \"The\" Borrower|$(shown "$X")|America/New_York"
check "with its status" grep -Eq '"(sent|delivered)"' <<<"$r"
check "its UTC time is the database's" test "$(jq -r '.[3]' <<<"$r")" = "$(sql "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM messages WHERE body = 'Hi Bob, Ann here ($UNIQ)'")"
check "its local time is New York's" test "$(jq -r '.[4]' <<<"$r")" = "$(sql "SELECT DATE_FORMAT(CONVERT_TZ(created_at, '+00:00', 'America/New_York'), '%Y-%m-%d %H:%i:%s') FROM messages WHERE body = 'Hi Bob, Ann here ($UNIQ)'")"
r=$(row_of "'=SUM(1) and \"quotes\", from Bo ($UNIQ)")
check "Bo's text: from Bo, its leading = neutralised, quotes kept" test "$(jq -r '.[8]' <<<"$r")" = "Bo File"
check "  written with doubled quotes in the file" grep -qF "\"'=SUM(1) and \"\"quotes\"\", from Bo ($UNIQ)\"" "$T_TMP/loanfile.csv"
r=$(row_of "$FAILED")
check "the failed text with the carrier's error" test "$(jq -r '[.[12], .[14], (.[15] | length > 0)] | join("|")' <<<"$r")" = "failed|21211|true"
r=$(row_of "Here is my pay stub ($UNIQ)")
check "the inbound text: from Bob to Ann, received" test "$(jq -r '[.[6], .[8], .[10], .[12]] | join("|")' <<<"$r")" = "inbound|Bob \"The\" Borrower|Ann File|received"
img=$(jq -s -c '.[1:] | map(select(.[0] == "image")) | .[0]' "$T_TMP/rows.jsonl")
want=$(sql "SELECT CONCAT_WS('|', mm.id, mm.message_id, mm.content_type, mm.size, mm.sha256) FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.lead_id = $l")
check "the image row: id, message, type, size, SHA-256 ($want)" \
	test "$(jq -r '[.[1], .[2], .[19], .[20], .[21]] | join("|")' <<<"$img")" = "$want"
check "right after its message" test "$(jq -s -r '.[1:] | map(.[0] + ":" + .[2]) | join(",")' "$T_TMP/rows.jsonl" | grep -c "message:$(jq -r '.[2]' <<<"$img"),image:$(jq -r '.[2]' <<<"$img")")" = 1
check "the STOP is a consent event with its text, for each pair it withdrew" \
	test "$(jq -s -c '.[1:] | map(select(.[0] == "consent" and .[25] == "reply")) | map([.[16], .[23], .[24]])' "$T_TMP/rows.jsonl")" = '[["STOP","granted","none"],["STOP","granted","none"]]'
check "the imports are consent events too" \
	test "$(jq -s '.[1:] | map(select(.[0] == "consent" and .[25] == "import")) | length' "$T_TMP/rows.jsonl")" = 3
HASH=$(sha256sum "$T_TMP/loanfile.csv" | cut -d' ' -f1)
check "the X-Loanfile-SHA256 header is the SHA-256 of the body" header_has "^X-Loanfile-SHA256: $HASH"
check "the generation time is in a header" header_has '^X-Loanfile-Generated: 20[0-9-]* [0-9:]*Z'

# ---- the printable page
get "$T_TMP/ann" "/leads/$l/loanfile"
cp "$T_TMP/body" "$T_TMP/loanfile.html"
check "the page is 200" test "$STATUS" = 200
check "the page is valid HTML (tidy)" tidy -q -e "$T_TMP/loanfile.html"
check "it shows the SHA-256 of the same CSV" body_has "<code class=\"hash\">$HASH</code>"
check "and says how many rows" body_has "($((NMSG + NIMG + NLEDGER)) rows after its header)"
check "it names the time zone" body_has 'Time (America/New_York)'
check "with when it was generated" body_has '<dt>Generated</dt><dd>20'
check "it lists every message" test "$(grep -c '<tr class="msg-' "$T_TMP/loanfile.html")" = "$NMSG"
check "escaped" body_has 'Bob &quot;The&quot; Borrower'
check "with the carrier error" body_has 'error 21211'
check "and the image's SHA-256" body_has "SHA-256 <code>$(sql "SELECT mm.sha256 FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.lead_id = $l")</code>"
check "and every consent event" test "$(awk '/<h2>Consent events/,0' "$T_TMP/loanfile.html" | grep -c '^<tr>')" = "$NLEDGER"
check "it has print CSS" grep -q '@media print' "$REPO/static/loanfile.css"
check "linked from the page" body_has 'href="/static/loanfile.css'
req "$BASE/static/loanfile.css"
check "which nginx serves" test "$STATUS" = 200

# ---- who may see it
get "$T_TMP/bo" "/leads/$l/loanfile.csv"
check "the other agent on the lead gets the same CSV rows" test "$STATUS|$(tail -n +2 "$T_TMP/body" | wc -l)" = "200|$(tail -n +2 "$T_TMP/loanfile.csv" | wc -l)"
get "$T_TMP/mgr" "/leads/$l/loanfile"
check "a manager of the organization may view it" test "$STATUS" = 200
for u in cy out; do
	for p in loanfile loanfile.csv; do
		get "$T_TMP/$u" "/leads/$l/$p"
		check "$u ($( [ $u = cy ] && echo 'an unassigned agent' || echo "another organization's admin")): /$p is 404" test "$STATUS" = 404
	done
done
req "$BASE/leads/$l/loanfile"
check "signed out: sent to sign in" test "$STATUS" = 303
post "$T_TMP/ann" "/leads/$l/loanfile"
check "it is read-only: POST is 405" test "$STATUS" = 405
get "$T_TMP/ann" "/leads/$l"
check "the lead page links to the loan file" body_has "href=\"/leads/$l/loanfile\""
