#!/usr/bin/env bash
# Leads: who sees which, the list and the lead page, and the admin's
# changes to contacts, partners and assignments.
. "$REPO/tests/e2e/lib.sh"

PW='leads password 1'
AL_NUM="+1737$(nanp7)"
LEADS=""
for i in $(seq 1 53); do
	LEADS="$LEADS{\"key\": \"bulk$i\", \"org\": \"a\", \"name\": \"Bulk $i\", \"updated_at\": \"2026-01-01T00:00:00Z\", \"assigned\": [\"mia\"]},"
done
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "a", "name": "Alpha $UNIQ", "sms_enabled": true, "time_zone": "America/Chicago"},
                   {"key": "b", "name": "Beta $UNIQ"}],
 "users": [
  {"key": "adm", "org": "a", "email": "adm.$UNIQ@leads.test", "name": "Ada Admin", "role": "admin", "password": "$PW"},
  {"key": "mgr", "org": "a", "email": "mgr.$UNIQ@leads.test", "name": "Max Manager", "role": "manager", "password": "$PW"},
  {"key": "al", "org": "a", "email": "al.$UNIQ@leads.test", "name": "Al Agent", "role": "agent", "password": "$PW", "time_zone": "America/New_York", "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "a", "email": "bo.$UNIQ@leads.test", "name": "Bo Agent", "role": "agent", "password": "$PW"},
  {"key": "mia", "org": "a", "email": "mia.$UNIQ@leads.test", "name": "Mia Many", "role": "agent", "password": "$PW"},
  {"key": "badm", "org": "b", "email": "badm.$UNIQ@leads.test", "name": "Bea Admin", "role": "admin", "password": "$PW"},
  {"key": "su", "email": "su.$UNIQ@leads.test", "name": "Sue Super", "role": "superadmin", "password": "$PW"}],
 "partners": [{"key": "rita", "org": "a", "name": "Rita Realtor", "role": "Real Estate Agent", "mobile": "+1512$(nanp7)"}],
 "leads": [$LEADS
  {"key": "al1", "org": "a", "name": "Al's purchase", "status": "Application", "updated_at": "2026-11-20T10:00:00Z",
   "assigned": ["al"], "contacts": [
     {"key": "c1", "role": "borrower", "name": "Bob <script>alert(1)</script> Brown", "mobile": "(512) 555-0111"},
     {"key": "c2", "role": "co_borrower", "name": "Beth Brown", "mobile": "512.555.0112"},
     {"partner": "rita"}]},
  {"key": "bo1", "org": "a", "name": "<b>Bo's refi</b>", "assigned": ["bo"], "contacts": [{"partner": "rita"}]},
  {"key": "none", "org": "a", "name": "Nobody's lead"},
  {"key": "beta", "org": "b", "name": "Beta lead", "assigned": ["badm"]}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
al1=$(id_of d leads al1); bo1=$(id_of d leads bo1); none=$(id_of d leads none); beta=$(id_of d leads beta)
c1=$(id_of d contacts c1)
bo=$(id_of d users bo); al=$(id_of d users al); mia=$(id_of d users mia)

login "$T_TMP/al" "al.$UNIQ@leads.test" "$PW"
login "$T_TMP/bo" "bo.$UNIQ@leads.test" "$PW"
login "$T_TMP/mgr" "mgr.$UNIQ@leads.test" "$PW"
login "$T_TMP/adm" "adm.$UNIQ@leads.test" "$PW"
login "$T_TMP/badm" "badm.$UNIQ@leads.test" "$PW"
login "$T_TMP/su" "su.$UNIQ@leads.test" "$PW"
login "$T_TMP/mia" "mia.$UNIQ@leads.test" "$PW"

# who sees what
expect_status "anonymous /leads is sent to sign in" 303 "$BASE/leads"
get "$T_TMP/al" /leads
check "an agent's list renders" test "$STATUS" = 200
check "it shows the assigned lead" body_has "href=\"/leads/$al1\""
page_lacks "it hides a colleague's lead" 200 "<h1>Leads</h1>" "href=\"/leads/$bo1\""
page_lacks "it hides unassigned leads" 200 "<h1>Leads</h1>" "href=\"/leads/$none\""
check "each row has the SMS quick action" body_has "chat=$al1\""
check "each row shows the borrower" body_has 'Bob &lt;script&gt;'
check "each row shows the assigned agents" body_has 'Al Agent'
check "times are in the viewer's zone (New York: 5:00 AM EST for 10:00Z)" body_has '<time datetime="2026-11-20T10:00:00Z">Nov 20, \(2026, \)\?5:00 AM EST</time>'
get "$T_TMP/al" "/leads/$al1"
check "an agent opens an assigned lead" test "$STATUS" = 200
check "the lead's agents show their numbers as people write them" body_has "Al Agent</span> <span class=\"muted\">agent · <span class=\"phone\">(${AL_NUM:2:3}) ${AL_NUM:5:3}-${AL_NUM:8:4}</span></span>"
for id in "$bo1" "$none" "$beta" 999999999; do
	get "$T_TMP/al" "/leads/$id"
	sed 's/request [0-9a-f]*//' "$T_TMP/body" > "$T_TMP/404.$id"
	check "an agent gets 404 for lead $id (unassigned, other org or absent)" test "$STATUS" = 404
done
check "another organization's lead looks exactly like a missing one" cmp -s "$T_TMP/404.$beta" "$T_TMP/404.999999999"
check "a colleague's lead looks exactly like a missing one" cmp -s "$T_TMP/404.$bo1" "$T_TMP/404.999999999"
get "$T_TMP/mgr" /leads
check "a manager sees every lead of the organization" bash -c "grep -q 'href=\"/leads/$bo1\"' '$T_TMP/body' && grep -q 'href=\"/leads/$none\"' '$T_TMP/body'"
page_lacks "but not another organization's" 200 "<h1>Leads</h1>" "href=\"/leads/$beta\""
get "$T_TMP/mgr" "/leads/$none"
check "a manager opens an unassigned lead" test "$STATUS" = 200
get "$T_TMP/badm" "/leads/$al1"
check "another organization's admin gets 404" test "$STATUS" = 404
get "$T_TMP/su" /leads
check "a superadmin does not work leads (403)" test "$STATUS" = 403

# paging: Mia has 53 leads, 50 a page
get "$T_TMP/mia" /leads
check "page 1 has 50 leads" test "$(grep -c 'href="/leads/[0-9]*">Bulk' "$T_TMP/body")" = 50
check "page 1 links to page 2" body_has 'href="/leads?page=2"'
get "$T_TMP/mia" "/leads?page=2"
check "page 2 has the other 3" test "$(grep -c 'href="/leads/[0-9]*">Bulk' "$T_TMP/body")" = 3
page_lacks "page 2 has no page 3" 200 "<h1>Leads</h1>" 'page=3'

# the lead page
get "$T_TMP/al" "/leads/$al1"
check "the lead page shows the Action Tools SMS icon" body_has "href=\"/leads/$al1?chat=$al1\""
check "contacts are listed with roles" bash -c "grep -q 'Borrower' '$T_TMP/body' && grep -q 'Co-borrower' '$T_TMP/body' && grep -q 'Real Estate Agent' '$T_TMP/body'"
check "mobiles are shown as people write them" body_has '(512) 555-0112'
check "the partner appears through its link" body_has 'Rita Realtor'
check "assigned agents are listed" body_has 'Al Agent'
check "names are escaped" body_has 'Bob &lt;script&gt;alert(1)&lt;/script&gt; Brown'
page_lacks "no raw script tag from data" 200 "href=\"/leads/$al1/loanfile\"" '<script>alert'
page_lacks "an agent sees no admin forms" 200 "href=\"/leads/$al1/loanfile\"" 'action="/leads/[0-9]*/assignments"'
get "$T_TMP/mgr" "/leads/$bo1"
check "a lead's name is escaped in the title" body_has '&lt;b&gt;Bo&#39;s refi&lt;/b&gt;'

# admin changes
n() { sql "$1"; }
before=$(n "SELECT COUNT(*) FROM leads")
expect_status "creating a lead without csrf is 403" 403 -b "$T_TMP/adm" --data-urlencode "name=No token" "$BASE/leads"
check "and creates nothing" test "$(n "SELECT COUNT(*) FROM leads")" = "$before"
post "$T_TMP/mgr" /leads --data-urlencode "name=Manager made"
check "a manager may not create leads (403)" test "$STATUS" = 403
post "$T_TMP/adm" /leads --data-urlencode "name=New purchase $UNIQ" --data-urlencode "status=New"
check "an admin creates a lead (303 to it)" header_has '^Location: /leads/[0-9]*?done=created'
newid=$(grep -i '^Location:' "$T_TMP/headers" | sed 's#.*/leads/\([0-9]*\).*#\1#')
check "the lead exists in the admin's organization" test "$(n "SELECT COUNT(*) FROM leads l JOIN users u ON u.org_id = l.org_id WHERE l.id = '$newid' AND u.email = 'adm.$UNIQ@leads.test'")" = 1
get "$T_TMP/adm" "/leads/$newid?done=created"
check "the new lead page confirms" body_has 'Created.'

post "$T_TMP/adm" "/leads/$newid/contacts" --data-urlencode role=borrower --data-urlencode "name=Nina New" --data-urlencode "mobile=(512) 555-0187"
check "an admin adds a borrower" header_has 'done=contact_added'
check "the mobile is stored in E.164" test "$(n "SELECT mobile FROM contacts WHERE lead_id = $newid")" = "+15125550187"
cnt=$(n "SELECT COUNT(*) FROM contacts")
post "$T_TMP/adm" "/leads/$newid/contacts" --data-urlencode role=borrower --data-urlencode "name=Bad Phone" --data-urlencode "mobile=555-01"
check "an invalid mobile is refused with a message" header_has 'error=bad_phone'
get "$T_TMP/adm" "/leads/$newid?error=bad_phone"
check "the message says how to write it" body_has 'That mobile number is not valid'
post "$T_TMP/adm" "/leads/$newid/contacts" --data-urlencode role=owner --data-urlencode "name=X" --data-urlencode "mobile=5125550100"
check "an unknown contact role is refused" header_has 'error=bad_contact_role'
check "refused contacts are not stored" test "$(n "SELECT COUNT(*) FROM contacts")" = "$cnt"

post "$T_TMP/adm" "/leads/$al1/contacts/$c1" --data-urlencode "name=Bob Brown" --data-urlencode "mobile=+1 512 555 0199"
check "an admin edits a contact" header_has 'done=saved'
check "the edit is stored" test "$(n "SELECT CONCAT(name, ' ', mobile) FROM contacts WHERE id = $c1")" = "Bob Brown +15125550199"
post "$T_TMP/badm" "/leads/$al1/contacts/$c1" --data-urlencode "name=Hijack" --data-urlencode "mobile=5125550100"
check "another organization's admin cannot edit it (404)" test "$STATUS" = 404
check "and nothing changed" test "$(n "SELECT name FROM contacts WHERE id = $c1")" = "Bob Brown"
post "$T_TMP/adm" "/leads/$bo1/contacts/$c1" --data-urlencode "name=Wrong lead" --data-urlencode "mobile="
check "a contact id under another lead is 404" test "$STATUS" = 404

rita=$(id_of d partners rita)
post "$T_TMP/adm" "/leads/$newid/partners" --data-urlencode "partner=$rita"
check "an admin links an existing partner" header_has 'done=partner_linked'
check "the partner is now on three leads" test "$(n "SELECT COUNT(*) FROM contacts WHERE partner_id = $rita")" = 3
post "$T_TMP/adm" "/leads/$newid/partners" --data-urlencode "partner=$rita"
check "linking it twice is refused" header_has 'error=already_linked'
post "$T_TMP/adm" "/leads/$newid/partners" --data-urlencode "partner=0" --data-urlencode "name=Ray Referral" --data-urlencode "partner_role=Referral Partner" --data-urlencode "mobile=512-555-0177"
check "an admin creates and links a new partner" header_has 'done=partner_linked'
check "the new partner belongs to the organization" test "$(n "SELECT COUNT(*) FROM partners p JOIN leads l ON l.org_id = p.org_id WHERE l.id = $newid AND p.mobile = '+15125550177' AND p.role = 'Referral Partner'")" = 1
bpartner=$(n "SELECT p.id FROM partners p JOIN leads l ON l.org_id = p.org_id WHERE l.id = $beta LIMIT 1")
post "$T_TMP/badm" "/leads/$beta/partners" --data-urlencode "partner=$rita"
check "another organization's partner cannot be linked (404)" test "$STATUS" = 404
post "$T_TMP/adm" "/leads/$newid/contacts" --data-urlencode role=co_borrower --data-urlencode "name=Cora Co" --data-urlencode "mobile=(512) 555-0186"
check "an admin adds a co-borrower after the partners" header_has 'done=contact_added'
get "$T_TMP/adm" "/leads/$newid"
check "the lead lists its borrower, co-borrower, then partners in the order linked ($(grep -o '<td data-label="Role">\(Borrower\|Co-borrower\|Real Estate Agent\|Referral Partner\)</td>' "$T_TMP/body" | sed 's/ data-label="Role"//' | tr -d '\n'))" \
	test "$(grep -o '<td data-label="Role">\(Borrower\|Co-borrower\|Real Estate Agent\|Referral Partner\)</td>' "$T_TMP/body" | sed 's/ data-label="Role"//' | tr -d '\n')" = \
	"<td>Borrower</td><td>Co-borrower</td><td>Real Estate Agent</td><td>Referral Partner</td>"

# A lead's row on the admin's /leads (the lead's link, then its borrower,
# status and agents a line each): the names each lead carries (migration
# 0021's triggers) as the list shows them.
lead_row() { # LEAD_ID: found on the first three pages
	local page
	for page in 1 2 3; do
		get "$T_TMP/adm" "/leads?page=$page"
		if grep -q "href=\"/leads/$1\"" "$T_TMP/body"; then
			grep -A3 "href=\"/leads/$1\"" "$T_TMP/body" | tr '\n' ' '
			return
		fi
	done
}
row_has() { # LEAD_ID TEXT
	local row; row=$(lead_row "$1")
	grep -qF -- "$2" <<<"$row" || { echo "row of lead $1: $row" >&2; return 1; }
}
check "the list shows the borrower's name as edited" row_has "$al1" "<td data-label=\"Borrower\">Bob Brown</td>"

# assignments, with history and updated_at
sql "UPDATE leads SET updated_at = '2026-01-01 00:00:00' WHERE id = $al1"
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=assign --data-urlencode "user=$bo"
check "an admin assigns a second agent" header_has 'done=assigned'
check "the list shows both agents, by name" row_has "$al1" "<td data-label=\"Assigned\">Al Agent, Bo Agent</td>"
check "assigning bumps updated_at" test "$(n "SELECT updated_at > '2026-01-02' FROM leads WHERE id = $al1")" = 1
get "$T_TMP/bo" "/leads/$al1"
check "the newly assigned agent can open the lead" test "$STATUS" = 200
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=assign --data-urlencode "user=$bo"
check "assigning twice is refused" header_has 'error=already_assigned'
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=reassign --data-urlencode "from=$al" --data-urlencode "to=$mia"
check "an admin reassigns Al's lead to Mia" header_has 'done=reassigned'
get "$T_TMP/al" "/leads/$al1"
check "the former agent can still read the lead" test "$STATUS" = 200
get "$T_TMP/al" /leads
page_lacks "but it leaves the former agent's list" 200 "<h1>Leads</h1>" "href=\"/leads/$al1\""
get "$T_TMP/mia" "/leads/$al1"
check "the new agent can" test "$STATUS" = 200
# the agent's list walks agent_leads_order: each current assignment's copy
# of its lead's updated_at (agent_leads, kept by triggers) follows the lead
get "$T_TMP/mia" /leads
first_lead() { grep -o 'href="/leads/[0-9]*"' "$T_TMP/body" | head -n1; }
check "the lead just reassigned (updated now) heads the new agent's list of 54 ($(first_lead))" \
	test "$(first_lead)" = "href=\"/leads/$al1\""
check "every assignment's copy of updated_at equals its lead's" \
	test "$(n "SELECT COUNT(*) FROM assignments a JOIN leads l ON l.id = a.lead_id
		LEFT JOIN agent_leads x ON x.user_id = a.user_id AND x.lead_id = a.lead_id
		WHERE a.unassigned_at IS NULL AND NOT (x.lead_updated_at <=> l.updated_at)")" = 0
sql "UPDATE leads SET updated_at = '2025-06-01 00:00:00' WHERE id = $al1"
get "$T_TMP/mia" /leads
page_lacks "an older updated_at moves it off the first page" 200 "<h1>Leads</h1>" "href=\"/leads/$al1\""
get "$T_TMP/mia" '/leads?page=2'
check "to the second page, the last row" test "$(grep -o 'href="/leads/[0-9]*"' "$T_TMP/body" | tail -n1)" = "href=\"/leads/$al1\""
check "the history keeps Al's closed assignment" test "$(n "SELECT COUNT(*) FROM assignments WHERE lead_id = $al1 AND user_id = $al AND unassigned_at IS NOT NULL AND unassigned_by IS NOT NULL")" = 1
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=unassign --data-urlencode "user=$bo"
check "an admin unassigns" header_has 'done=unassigned'
check "the list shows the agent who remains" row_has "$al1" "<td data-label=\"Assigned\">Mia Many</td>"
sql "UPDATE users SET name = 'Mia Renamed' WHERE id = $mia"
check "a renamed agent is renamed on the list" row_has "$al1" "<td data-label=\"Assigned\">Mia Renamed</td>"
sql "UPDATE users SET name = 'Mia Many' WHERE id = $mia"
check "every lead's names equal what its contacts, assignments and users say" \
	test "$(n "SELECT COUNT(*) FROM leads l LEFT JOIN lead_names x ON x.lead_id = l.id
		WHERE NOT (x.borrower_name <=> (SELECT c.name FROM contacts c
		WHERE c.lead_id = l.id AND c.role = 'borrower' ORDER BY c.id LIMIT 1)) OR NOT (x.agent_names <=>
		(SELECT GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', ') FROM assignments a JOIN users u
		ON u.id = a.user_id WHERE a.lead_id = l.id AND a.unassigned_at IS NULL))")" = 0
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=unassign --data-urlencode "user=$bo"
check "unassigning someone not assigned is refused" header_has 'error=not_assigned'
badm=$(id_of d users badm)
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=assign --data-urlencode "user=$badm"
check "another organization's user cannot be assigned (404)" test "$STATUS" = 404
post "$T_TMP/adm" "/leads/$al1/assignments" --data-urlencode action=explode --data-urlencode "user=$bo"
check "an unknown action is 400" test "$STATUS" = 400
post "$T_TMP/badm" "/leads/$al1/assignments" --data-urlencode action=assign --data-urlencode "user=$badm"
check "another organization's admin cannot assign on this lead (404)" test "$STATUS" = 404
check "no assignment of theirs was made" test "$(n "SELECT COUNT(*) FROM assignments WHERE lead_id = $al1 AND user_id = $badm")" = 0
