#!/usr/bin/env bash
# Search in the inbox, /inbox?q=: words in the texts (both directions), a
# contact's or an application's name, a phone number however written and
# its last four digits; only what the user may view (an agent not assigned
# to a lead does not find its texts, nothing of another organization shows,
# not even as a count); matches highlighted and escaped; boolean mode's
# operators harmless; words of one or two letters; paging; bad input.
. "$REPO/tests/e2e/lib.sh"

PW='search password 1'
AL_NUM=$(mobile); BO_NUM=$(mobile); ZO_NUM=$(mobile)
BOB=$(mobile); WILL=$(mobile); RITA=$(mobile); ZED=$(mobile); SIDN=$(mobile); OTHER=$(mobile)
# words no other test's texts hold (the release and sanitizer runs share
# the database): letters only, the run's digits spelled as letters
U=$(tr '0-9' 'a-j' <<<"$UNIQ")
W=quokka$U        # in Bob's text to Al, Sid's to Bo and the other organization's
W_OUT=wombat$U    # in Al's text to Bob
W_TAG=numbat$U    # beside a <b> tag
W_PAGE=dingo$U    # in 55 texts
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Search $UNIQ", "sms_enabled": true},
                   {"key": "o2", "name": "Elsewhere $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@search.test", "name": "Al Searcher", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@search.test", "name": "Bo Keeper", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$BO_NUM"},
  {"key": "mg", "org": "o", "email": "mg.$UNIQ@search.test", "name": "Mo Manager", "role": "manager",
   "password": "$PW"},
  {"key": "zo", "org": "o2", "email": "zo.$UNIQ@search.test", "name": "Zo Elsewhere", "role": "agent",
   "password": "$PW", "sms_permission": true, "sms_number": "$ZO_NUM"}],
 "partners": [{"key": "rita", "org": "o", "name": "Rita Realtor$U", "mobile": "$RITA"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Pembrook$U purchase", "assigned": ["al"], "contacts": [
     {"key": "bob", "role": "borrower", "name": "Bob Quillfeather$U", "mobile": "$BOB"},
     {"key": "will", "role": "co_borrower", "name": "Will Ashdown$U", "mobile": "$WILL"},
     {"partner": "rita", "key": "ritac"}]},
  {"key": "l2", "org": "o", "name": "Zed <b>refi</b>", "assigned": ["al"], "contacts": [
     {"key": "zed", "role": "borrower", "name": "Zed Zane$U", "mobile": "$ZED"}]},
  {"key": "l3", "org": "o", "name": "Hidden$U lead", "assigned": ["bo"], "contacts": [
     {"key": "sid", "role": "borrower", "name": "Sid Unseen$U", "mobile": "$SIDN"}]},
  {"key": "l4", "org": "o2", "name": "Faraway$U lead", "assigned": ["zo"], "contacts": [
     {"key": "oth", "role": "borrower", "name": "Otto Faraway$U", "mobile": "$OTHER"}]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
[ -s "$T_TMP/ids.d.json" ] || cat "$T_TMP/import.err"
l1=$(id_of d leads l1); l2=$(id_of d leads l2)
bob=$(id_of d contacts bob); al=$(id_of d users al)

text_in() { inbound "$@"; [ "$STATUS" = 200 ] || echo "# inbound answered $STATUS" >&2; }
text_in "$BOB" "$AL_NUM" "The $W report is ready"
text_in "$WILL" "$AL_NUM" "Hello from the co-borrower"
text_in "$RITA" "$AL_NUM" "Listing photos are up"
text_in "$ZED" "$AL_NUM" "I typed <b>bold</b> and $W_TAG here"
text_in "$ZED" "$AL_NUM" "ok so be it"
text_in "$SIDN" "$BO_NUM" "Secret $W for Bo only"
text_in "$OTHER" "$ZO_NUM" "Elsewhere $W text"
# a text Al sent (outbound), as the dispatcher leaves one the carrier took
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number,
	body, status) VALUES ($(id_of d organizations o), $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB',
	'Your $W_OUT arrived', 'delivered')"
check "the texts are stored on their applications (the other organization's too)" test \
	"$(sql "SELECT COUNT(*) FROM messages WHERE lead_id IS NOT NULL AND (body LIKE '%$W%' OR body LIKE '%$W_OUT%'
		OR body LIKE '%$W_TAG%' OR body LIKE 'ok so be it' OR body LIKE 'Hello from the co-borrower'
		OR body LIKE 'Listing photos are up') AND org_id IN ($(id_of d organizations o), $(id_of d organizations o2))")" = 8

# The texts' words go into the word index (lead_words, schema/0044) when
# the dispatcher takes them from words_queue; the searches below read it.
l3=$(id_of d leads l3); l4=$(id_of d leads l4)
queued_here() { echo "SELECT COUNT(*) FROM words_queue q JOIN messages m ON m.id = q.message_id
	WHERE m.lead_id IN ($l1, $l2, $l3, $l4)"; }
check "the dispatcher takes the texts into the word index" wait_sql 30 "$(queued_here)" 0
check "each lead's words once: the word of three leads, three rows" \
	test "$(sql "SELECT GROUP_CONCAT(lead_id ORDER BY lead_id) FROM lead_words WHERE word = '$W'")" = "$l1,$l3,$l4"
check "in the text's case as the collation compares (\"The\" once for Bob's lead)" \
	test "$(sql "SELECT COUNT(*) FROM lead_words WHERE lead_id = $l1 AND word = 'the'")" = 1
check "words of one or two letters are not kept (\"ok\", \"so\", \"be\", \"it\")" \
	test "$(sql "SELECT COUNT(*) FROM lead_words WHERE lead_id = $l2 AND CHAR_LENGTH(word) < 3")" = 0

login "$T_TMP/al" "al.$UNIQ@search.test" "$PW"
login "$T_TMP/mg" "mg.$UNIQ@search.test" "$PW"
login "$T_TMP/zo" "zo.$UNIQ@search.test" "$PW"

# search JAR Q [PAGE]: GET /inbox?q=Q as that user ($STATUS, $T_TMP/body)
search() { req -b "$T_TMP/$1" -G --data-urlencode "q=$2" ${3:+--data "page=$3"} "$BASE/inbox"; }
rows() { grep -c 'class="search-row"' "$T_TMP/body"; }
MARK='<h1>Search</h1>'
# lacks NAME TEXT: the last page is the search page (200), and its results
# (not the header's conversations) lack TEXT
lacks() {
	awk '/<section class="search-page">/ {on=1} on {print} on && /<\/section>/ {exit}' "$T_TMP/body" > "$T_TMP/results"
	if [ "$STATUS" != 200 ]; then not_ok "$1 (got $STATUS, want 200)"
	elif ! grep -q -- "$MARK" "$T_TMP/results"; then not_ok "$1 (not the search page)"
	elif grep -q -- "$2" "$T_TMP/results"; then not_ok "$1 (the results have $2)"
	else ok "$1"; fi
}

# ---- words in the texts, both directions
search al "$W"
check "a word: 200, the search page" test "$STATUS" = 200 -a -n "$(grep -- "$MARK" "$T_TMP/body")"
check "a word finds an inbound text, the match highlighted" \
	body_has "The <mark>$W</mark> report is ready"
check "under Texts, one result for Al (the other two are not his to see)" \
	test "$(grep -c '<h2>Texts</h2>' "$T_TMP/body") $(rows)" = "1 1"
check "the result names the contact, the application and the agent" \
	body_has "search-contact\">Bob Quillfeather$U</span> <span class=\"search-lead\">Pembrook$U purchase</span> <span class=\"search-agent\">Al Searcher<"
msg_id=$(sql "SELECT id FROM messages WHERE body = 'The $W report is ready'")
check "it links to its chatbox on the lead's page, at the text (the 50 texts up to it)" \
	body_has "href=\"/leads/$l1?chat=$l1&amp;contact_$l1=$bob&amp;agent_$l1=$al&amp;before_$l1=$((msg_id + 1))#msg-$msg_id\""
get "$T_TMP/al" "/leads/$l1?chat=$l1&contact_$l1=$bob&agent_$l1=$al&before_$l1=$((msg_id + 1))"
check "and that chatbox has the text's anchor" body_has "id=\"msg-$msg_id\""
search al "$W"
lacks "Al does not find Bo's lead's text (an agent not assigned to it)" "Secret"
lacks "nor the other organization's" "Elsewhere"
search al "$W_OUT"
check "a word in a text Al sent (outbound)" body_has "You: Your <mark>$W_OUT</mark> arrived"
search al "${W_OUT^^}"
check "in any case" body_has "You: Your <mark>$W_OUT</mark> arrived"
search al "${W_OUT:0:9}"
check "a word's start finds it" body_has "You: Your <mark>${W_OUT:0:9}</mark>${W_OUT:9} arrived"

# the manager sees every lead of the organization, nothing of another
search mg "$W"
check "the manager finds Bo's lead's text and Bob's" \
	test "$(rows) $(grep -c "Secret <mark>$W</mark> for Bo only" "$T_TMP/body")" = "2 1"
lacks "but not the other organization's" "Elsewhere"
search zo "$W"
check "the other organization's agent finds only their own" \
	test "$(rows) $(grep -c "Elsewhere <mark>$W</mark> text" "$T_TMP/body")" = "1 1"

# ---- names: the contact's, the application's, a partner's
search al "Quillfeather$U"
check "a contact's name finds the conversation (under Contacts, applications and numbers)" \
	test "$(grep -c '<h2>Contacts, applications and numbers</h2>' "$T_TMP/body") $(rows)" = "1 1"
check "the name highlighted, the latest text shown" \
	body_has "search-contact\">Bob <mark>Quillfeather$U</mark></span>.*You: Your $W_OUT arrived"
search al "pembrook$U"
check "an application's name finds its three conversations" \
	test "$(rows) $(grep -c "<mark>Pembrook$U</mark> purchase" "$T_TMP/body")" = "3 3"
search al "Realtor$U"
check "a partner's name" body_has "Rita <mark>Realtor$U</mark>"
search al "will ashdown$U"
check "\"will\" (a stopword of InnoDB's list) finds Will" body_has "<mark>Will</mark> <mark>Ashdown$U</mark>"
search al "Unseen$U"
lacks "Al does not find the contact of a lead he may not view" "Sid Unseen"
check "he is told nothing matches" body_has "No conversation matches “Unseen$U”."
search al "Faraway$U"
lacks "nor the other organization's contact" "Otto"
search mg "Unseen$U"
check "the manager finds it" body_has "Sid <mark>Unseen$U</mark>"

# ---- numbers however written, and the last four digits
d=${BOB#+1}
for q in "(${d:0:3}) ${d:3:3}-${d:6}" "${d:0:3}-${d:3:3}-${d:6}" "$d" "$BOB" "1$d" "${d:6}" "${d:3}"; do
	search al "$q"
	check "the number as \"$q\" finds Bob's conversation" \
		body_has "href=\"/leads/$l1?chat=$l1&amp;contact_$l1=$bob&amp;agent_$l1=$al#msg-"
done
search al "$RITA"
check "a partner's number finds the partner's conversation" body_has "search-contact\">Rita Realtor$U<"
search al "${SIDN: -4}"
lacks "Al does not find by number the contact of a lead he may not view" "Sid Unseen"
search al "$OTHER"
lacks "nor the other organization's contact" "Otto"
search mg "${SIDN#+1}"
check "the manager does" body_has "Sid Unseen$U"

# ---- escaped highlighting
search al "$W_TAG"
check "a text holding <b> shows it as text, the match highlighted" \
	body_has "I typed &lt;b&gt;bold&lt;/b&gt; and <mark>$W_TAG</mark> here"
check "and the application's name escaped" body_has "Zed &lt;b&gt;refi&lt;/b&gt;"
lacks "no <b> tag from the text or the name" "<b>"

# ---- boolean mode's operators and other characters
for q in '+-*"()~<>@' '"' '*' '@@' "+$W_TAG -bold" "\"$W_TAG\"" "$W_TAG*" "($W_TAG)" "~$W_TAG" "<$W_TAG>" "'$W_TAG'" "%" "_" "\\"; do
	search al "$q"
	if [ "$STATUS" != 200 ] || ! grep -q -- "$MARK" "$T_TMP/body"; then
		not_ok "q=$q is answered 200 with the search page (got $STATUS)"
	elif [[ $q == *"$W_TAG"* ]]; then
		check "q=$q finds the text (operators are separators)" body_has "<mark>$W_TAG</mark> here"
	else
		check "q=$q: no result" body_has "No conversation matches"
	fi
done
search al "$W_TAG <script>alert(1)</script>"
page_lacks "what was typed is escaped in the page (title, form, results)" 200 "$MARK" "<script>alert"

# ---- words of one or two letters: the start of a longer word in names only
search al "Qu"
check "\"Qu\" finds Bob Quillfeather (a name's word starting with it)" body_has "Bob <mark>Qu</mark>illfeather$U"
search al "ok"
lacks "\"ok\" does not search the texts (Zed's \"ok so be it\")" "so be it"
check "and the page says why" body_has "Words of one or two letters are looked for only"
search al "a"
check "one letter: 200" test "$STATUS" = 200

# ---- nothing found, empty q
search al "nosuchword$U"
check "no match: said so, naming what was looked for" body_has "No conversation matches “nosuchword$U”."
check "no result rows" test "$(rows)" = 0
search al ""
check "an empty q: 200, the form and a hint" test "$STATUS $(grep -c 'name="q"' "$T_TMP/body")" = "200 1"

# ---- paging: 50 a page
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number,
	body, status)
	SELECT $(id_of d organizations o), $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB',
	CONCAT('Page text ', seq, ' $W_PAGE'), 'delivered' FROM seq_1_to_55"
# (indexed first: a text the dispatcher takes from the queue meanwhile would
# move from the queued texts' place in the results to its lead's)
check "the 55 texts are indexed" wait_sql 30 "$(queued_here)" 0
search al "$W_PAGE"
check "55 matching texts: 50 on the first page" test "$(rows)" = 50
check "with a link to the next" body_has "href=\"/inbox?q=$W_PAGE&amp;page=2\""
search al "$W_PAGE" 2
check "5 on the second" test "$(rows)" = 5
check "with a link back" body_has "href=\"/inbox?q=$W_PAGE&amp;page=1\""
check "the two pages together list 55 different texts" test "$(
	{ search al "$W_PAGE"; grep -o 'Page text [0-9]*' "$T_TMP/body"
	  search al "$W_PAGE" 2; grep -o 'Page text [0-9]*' "$T_TMP/body"; } | sort -u | wc -l)" = 55

# al_text BODY: a text Al sent Bob on l1, stored as the dispatcher leaves one
al_text() {
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number,
		body, status) VALUES ($(id_of d organizations o), $l1, $bob, $al, 'outbound', '$AL_NUM', '$BOB',
		'$1', 'delivered')"
}

# ---- a text not in the word index yet is found all the same (its queue
# row held by another transaction, as while the dispatcher has not taken it)
W_Q=echidna$U
for try in 1 2 3 4 5; do
	al_text "Queued $W_Q text $try"
	qid=$(sql "SELECT id FROM messages WHERE body = 'Queued $W_Q text $try'")
	rm -f "$T_TMP/held"
	{ echo "BEGIN; SELECT COUNT(*) FROM words_queue WHERE message_id = $qid FOR UPDATE SKIP LOCKED;
		SELECT SLEEP(20); ROLLBACK;" | stack_mysql "$STACK_DIR" -N -B -n smsdesk > "$T_TMP/held"; } &
	holder=$!
	for _ in $(seq 100); do [ -s "$T_TMP/held" ] && break; sleep 0.05; done
	[ "$(head -n1 "$T_TMP/held")" = 1 ] && break
	# the dispatcher took it first: another text
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
done
check "a text held in the queue (not indexed, its word in no lead_words row)" \
	test "$(head -n1 "$T_TMP/held") $(sql "SELECT COUNT(*) FROM lead_words WHERE word LIKE '$W_Q%'")" = "1 0"
search al "$W_Q"
check "Al finds it" body_has "You: Queued <mark>$W_Q</mark> text $try"
check "once" test "$(rows)" = 1
search mg "$W_Q"
check "so does the manager" test "$(rows) $(grep -c "Queued <mark>$W_Q</mark> text $try" "$T_TMP/body")" = "1 1"
search zo "$W_Q"
lacks "not the other organization's agent" "Queued"
search al "$W queued"
lacks "every word is required (\"$W queued\": no text holds both)" "Queued"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
check "once the queue row is free, the dispatcher indexes it" \
	wait_sql 30 "SELECT COUNT(*) FROM lead_words WHERE lead_id = $l1 AND word = '$W_Q'" 1
search al "$W_Q"
check "and it is found through the index, once" \
	test "$(rows) $(sql "SELECT COUNT(*) FROM words_queue WHERE message_id = $qid")" = "1 0"

# ---- beyond ASCII: case aside, accents not; "_" separates words
al_text "Ask ÑANDÚ$U about the x_kiwi$U form"
search al "ñandú$U"
check "a word beyond ASCII in another case finds its text" test "$(rows)" = 1
search al "nandu$U"
check "without its accents it does not" test "$(rows)" = 0
search al "kiwi$U"
check "a word after \"_\" is a word's start" test "$(rows)" = 1
al_text "Two kiwi${U}s more"
check "two words the search's prefix starts (kiwi$U, kiwi${U}s) in one lead's index" \
	wait_sql 30 "SELECT COUNT(*) FROM lead_words WHERE lead_id = $l1 AND word LIKE 'kiwi$U%'" 2
search al "kiwi$U"
check "each of its texts found once" test "$(rows)" = 2
search mg "kiwi$U"
check "by the manager too" test "$(rows)" = 2
search al "andú$U"
check "a word's middle is not" test "$(rows)" = 0

# ---- the leads an agent had: still his to search (the access rule: any
# assignment, current or past), each once however often he had it
l2id=$l2
sql "UPDATE assignments SET unassigned_at = NOW() WHERE lead_id = $l2id AND user_id = $al AND unassigned_at IS NULL"
sql "INSERT INTO assignments (lead_id, user_id, assigned_at, unassigned_at)
	VALUES ($l2id, $al, NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 1 DAY)"
search al "$W_TAG"
check "Al, unassigned from Zed's lead, finds its text once" \
	test "$(rows) $(grep -c "<mark>$W_TAG</mark> here" "$T_TMP/body")" = "1 1"
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l2id, $al)"
search al "$W_TAG"
check "assigned again: once" test "$(rows)" = 1

# ---- a text filed from Unmatched joins its lead's words
W_F=platypus$U
sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number,
	body, status) VALUES ($(id_of d organizations o), NULL, NULL, $al, 'inbound', '$AL_NUM', '$BOB',
	'Unmatched $W_F text', 'received')"
fid=$(sql "SELECT id FROM messages WHERE body = 'Unmatched $W_F text'")
check "an Unmatched text is not queued" test "$(sql "SELECT COUNT(*) FROM words_queue WHERE message_id = $fid")" = 0
search mg "$W_F"
lacks "nor found (it is on no application)" "Unmatched $W_F"
sql "UPDATE messages SET lead_id = $l1, contact_id = $bob WHERE id = $fid"
check "filed, its words are indexed for its lead" \
	wait_sql 30 "SELECT COUNT(*) FROM lead_words WHERE lead_id = $l1 AND word = '$W_F'" 1
search al "$W_F"
check "and Al finds it" body_has "Unmatched <mark>$W_F</mark> text"

# ---- bad input
long=$(head -c 201 /dev/zero | tr '\0' 'a')
search al "$long"
check "q over 200 bytes: 400" test "$STATUS" = 400
check "an error page saying so" body_has "200 characters at most"
search al "${long:1}"
check "200 bytes: 200" test "$STATUS" = 200
req -b "$T_TMP/al" "$BASE/inbox?q=%FF%FE"
check "q of invalid UTF-8: 400" test "$STATUS" = 400
req -b "$T_TMP/al" "$BASE/inbox"
check "/inbox without q: the inbox itself" test "$STATUS" = 200
check "and no search results on it" test "$(rows)" = 0
req "$BASE/inbox?q=$W"
check "signed out: the sign-in page, not results" test "$(grep -c "$W" "$T_TMP/body")" = 0
