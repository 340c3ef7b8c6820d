#!/usr/bin/env bash
# smsdesk is one module of a CRM whose other programs write leads,
# contacts, partners, assignments and users with plain SQL that reads the
# other tables: INSERT ... SELECT ... FROM leads, UPDATE ... JOIN leads,
# DELETE ... WHERE ... IN (SELECT ... FROM leads). MariaDB refuses such a
# statement when a trigger it fires writes a table the statement reads
# (error 1442), so smsdesk's triggers on those tables write only its own
# tables (schema/triggers/, docs/triggers.md). Each statement below runs in
# another program (the mariadb client, as another host or a script would),
# must succeed, and smsdesk's pages (an agent's lead list, a lead page, the
# header) show what it did on their next load, though they were kept
# (cgi-bin/kept.h). At the end every kept copy equals its source.
. "$REPO/tests/e2e/lib.sh"

PW='plain sql password 1'
AL_NUM=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Plain $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@plain.test", "name": "Al Plain", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@plain.test", "name": "Bo Plain", "role": "agent", "password": "$PW"},
  {"key": "cy", "org": "o", "email": "cy.$UNIQ@plain.test", "name": "Cy Spare", "role": "agent", "password": "$PW"}],
 "partners": [{"key": "pat", "org": "o", "name": "Pat Partner", "role": "Real Estate Agent", "mobile": "$(mobile)"},
  {"key": "una", "org": "o", "name": "Una Unlinked", "role": "Title Officer", "mobile": "$(mobile)"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "Plain one", "status": "New", "updated_at": "2026-11-20T10:00:00Z",
   "assigned": ["al"], "contacts": [{"key": "c1", "role": "borrower", "name": "Cora Plain", "mobile": "$(mobile)"},
   {"partner": "pat"}]},
  {"key": "l2", "org": "o", "name": "Plain two", "updated_at": "2026-11-19T10:00:00Z", "assigned": ["al"]},
  {"key": "l3", "org": "o", "name": "Plain three", "updated_at": "2026-11-18T10:00:00Z"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1) l2=$(id_of d leads l2) l3=$(id_of d leads l3)
al=$(id_of d users al) bo=$(id_of d users bo) cy=$(id_of d users cy)
c1=$(id_of d contacts c1) pat=$(id_of d partners pat) una=$(id_of d partners una)
login "$T_TMP/al" "al.$UNIQ@plain.test" "$PW"

# run NAME STATEMENT: the statement, by the mariadb client, succeeds (its
# error, 1442 say, is printed)
run() {
	local out
	if out=$(sql "$2" 2>&1); then ok "$1"; else not_ok "$1: $(tail -n1 <<<"$out")"; fi
}
# list: Al's /leads, loaded twice (kept); lead ID: the lead page, twice
list() { get "$T_TMP/al" /leads; get "$T_TMP/al" /leads; }
lead() { get "$T_TMP/al" "/leads/$1"; get "$T_TMP/al" "/leads/$1"; }
leads_in_order() { grep -o 'href="/leads/[0-9]*"' "$T_TMP/body" | grep -o '[0-9]*' | tr '\n' ' '; }
# row_has LEAD TEXT: the lead's row of the last list has TEXT
row_has() { grep -A3 "href=\"/leads/$1\"" "$T_TMP/body" | tr '\n' ' ' | grep -qF -- "$2"; }
row_lacks() { ! row_has "$@"; }
# header: the dropdown of the last page
header_menu() { awk '/<details class="notif/ {on=1} on {print} on && /<\/details>/ {exit}' "$T_TMP/body" | tr '\n' ' '; }
menu_has() { header_menu | grep -qF -- "$1"; }

list
check "the list: the two assigned leads, newest first" test "$(leads_in_order)" = "$l1 $l2 "
lead "$l2"
lead "$l1"
# a conversation of Al's on the first lead, for the header
run "INSERT INTO messages ... SELECT ... FROM leads" \
	"INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number, contact_number, body, status)
	 SELECT org_id, id, $c1, $al, 'outbound', '$AL_NUM', '+15125550100', 'Plain text one', 'delivered'
	 FROM leads WHERE id = $l1"
get "$T_TMP/al" /profile; get "$T_TMP/al" /profile
check "the header lists the conversation" menu_has 'Plain text one'

# ---- INSERT ... SELECT ... FROM leads
run "INSERT INTO contacts (a borrower) ... SELECT ... FROM leads" \
	"INSERT INTO contacts (org_id, lead_id, role, name, mobile)
	 SELECT org_id, id, 'borrower', 'Bea Inserted', '$(mobile)' FROM leads WHERE id = $l2"
run "INSERT INTO contacts (a co-borrower) ... SELECT ... FROM leads" \
	"INSERT INTO contacts (org_id, lead_id, role, name, mobile)
	 SELECT org_id, id, 'co_borrower', 'Cole Inserted', '$(mobile)' FROM leads WHERE id = $l2"
run "INSERT INTO assignments ... SELECT ... FROM leads" \
	"INSERT INTO assignments (lead_id, user_id) SELECT id, $bo FROM leads WHERE id = $l2"
run "INSERT INTO assignments ... SELECT ... FROM leads JOIN users" \
	"INSERT INTO assignments (lead_id, user_id) SELECT l.id, u.id FROM leads l JOIN users u
	 ON u.org_id = l.org_id WHERE l.id = $l3 AND u.id = $al"
list
check "the list shows the inserted borrower" row_has "$l2" '<td data-label="Borrower">Bea Inserted</td>'
check "and the inserted agent" row_has "$l2" 'Bo Plain'
check "a lead assigned by INSERT ... SELECT joins the list" test "$(leads_in_order)" = "$l1 $l2 $l3 "
lead "$l2"
check "the lead page shows the inserted borrower" body_has 'Bea Inserted'
check "and co-borrower" body_has 'Cole Inserted'
check "and agent" body_has 'Bo Plain'

# ---- UPDATE, also joining leads
run "UPDATE leads ... WHERE id IN (SELECT ... FROM assignments) touching updated_at" \
	"UPDATE leads SET updated_at = '2026-11-25 10:00:00', status = 'Touched'
	 WHERE id IN (SELECT lead_id FROM assignments WHERE user_id = $al AND unassigned_at IS NULL AND lead_id = $l3)"
list
check "the touched lead heads the list" test "$(leads_in_order)" = "$l3 $l1 $l2 "
check "with its new status" row_has "$l3" 'Touched'
run "UPDATE leads JOIN contacts (renamed, touched)" \
	"UPDATE leads l JOIN contacts c ON c.lead_id = l.id SET l.name = 'Plain one renamed',
	 l.updated_at = '2026-11-26 10:00:00' WHERE c.partner_id = $pat"
list
check "the lead renamed through a join shows renamed, at the top" \
	bash -c "grep -q 'Plain one renamed' '$T_TMP/body' && test \"\$(grep -o 'href=\"/leads/[0-9]*\"' '$T_TMP/body' | head -n1)\" = 'href=\"/leads/$l1\"'"
get "$T_TMP/al" /profile; get "$T_TMP/al" /profile
check "the header shows the lead renamed" menu_has 'Plain one renamed'
run "UPDATE contacts JOIN leads" \
	"UPDATE contacts c JOIN leads l ON l.id = c.lead_id SET c.name = CONCAT('Cora ', l.status)
	 WHERE l.id = $l1 AND c.role = 'borrower'"
list
check "the borrower renamed through a join shows on the list" row_has "$l1" '<td data-label="Borrower">Cora New</td>'
get "$T_TMP/al" /profile; get "$T_TMP/al" /profile
check "and in the header" menu_has 'Cora New'
run "UPDATE partners JOIN contacts JOIN leads" \
	"UPDATE partners p JOIN contacts c ON c.partner_id = p.id JOIN leads l ON l.id = c.lead_id
	 SET p.name = 'Pat Joined' WHERE l.id = $l1"
lead "$l1"
check "the partner renamed through a join shows on the lead page" body_has 'Pat Joined'
run "UPDATE users JOIN assignments JOIN leads" \
	"UPDATE users u JOIN assignments a ON a.user_id = u.id JOIN leads l ON l.id = a.lead_id
	 SET u.name = 'Bo Joined' WHERE l.id = $l2 AND u.id = $bo"
list
check "the agent renamed through a join shows on the list" row_has "$l2" 'Bo Joined'
lead "$l2"
check "and on the lead page" body_has 'Bo Joined'
run "UPDATE users ... WHERE id IN (SELECT ... FROM assignments JOIN leads)" \
	"UPDATE users SET name = 'Al Renamed' WHERE id IN (SELECT a.user_id FROM assignments a
	 JOIN leads l ON l.id = a.lead_id WHERE l.id = $l1 AND a.unassigned_at IS NULL)"
list
check "an agent renamed by a subquery over leads shows on the list" row_has "$l1" 'Al Renamed'
run "UPDATE assignments JOIN leads (unassigned)" \
	"UPDATE assignments a JOIN leads l ON l.id = a.lead_id SET a.unassigned_at = NOW()
	 WHERE l.id = $l2 AND a.user_id = $bo AND a.unassigned_at IS NULL"
list
check "the agent unassigned through a join leaves the list's row" row_lacks "$l2" 'Bo Joined'
lead "$l2"
page_lacks "and the lead page" 200 "/leads/$l2/loanfile" 'Bo Joined'

# ---- DELETE
run "DELETE FROM contacts ... WHERE lead_id IN (SELECT ... FROM leads) (the co-borrower)" \
	"DELETE FROM contacts WHERE role = 'co_borrower' AND lead_id IN (SELECT id FROM leads WHERE id = $l2)"
run "DELETE contacts JOIN leads (the borrower)" \
	"DELETE c FROM contacts c JOIN leads l ON l.id = c.lead_id WHERE l.id = $l2 AND c.role = 'borrower'"
lead "$l2"
page_lacks "the lead page lacks the deleted co-borrower" 200 "/leads/$l2/loanfile" 'Cole Inserted'
page_lacks "and the deleted borrower" 200 "/leads/$l2/loanfile" 'Bea Inserted'
list
check "the list lacks the deleted borrower" row_lacks "$l2" 'Bea Inserted'
run "DELETE FROM assignments ... WHERE lead_id IN (SELECT ... FROM leads)" \
	"DELETE FROM assignments WHERE user_id = $al AND lead_id IN (SELECT id FROM leads WHERE id = $l2)"
list
check "a lead whose assignment was deleted leaves the list" test "$(leads_in_order)" = "$l1 $l3 "
run "DELETE FROM partners ... WHERE org_id IN (SELECT ... FROM leads)" \
	"DELETE FROM partners WHERE id = $una AND org_id IN (SELECT org_id FROM leads WHERE id = $l1)"
run "DELETE FROM users ... WHERE org_id IN (SELECT ... FROM leads)" \
	"DELETE FROM users WHERE id = $cy AND org_id IN (SELECT org_id FROM leads WHERE id = $l1)"
run "DELETE FROM leads ... WHERE id IN (SELECT ... FROM assignments)" \
	"DELETE FROM leads WHERE id IN (SELECT lead_id FROM assignments WHERE lead_id = $l3)"
list
check "a deleted lead leaves the list" test "$(leads_in_order)" = "$l1 "

# every kept copy equals its source (the whole database)
kept_wrong() {
	sql "SELECT
	  (SELECT COUNT(*) FROM leads l LEFT JOIN lead_names n ON n.lead_id = l.id
	   WHERE NOT (n.borrower_name <=> (SELECT c.name FROM contacts c WHERE c.lead_id = l.id
	                                   AND c.role = 'borrower' ORDER BY c.id LIMIT 1))
	      OR NOT (n.agent_names <=> (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
	                                 FROM assignments a JOIN users u ON u.id = a.user_id
	                                 WHERE a.lead_id = l.id AND a.unassigned_at IS NULL)))
	+ (SELECT COUNT(*) FROM assignments a JOIN leads l ON l.id = a.lead_id
	   LEFT JOIN agent_leads x ON x.user_id = a.user_id AND x.lead_id = a.lead_id
	   WHERE a.unassigned_at IS NULL AND NOT (x.lead_updated_at <=> l.updated_at))
	+ (SELECT COUNT(*) FROM agent_leads x LEFT JOIN assignments a ON a.user_id = x.user_id
	   AND a.lead_id = x.lead_id AND a.unassigned_at IS NULL WHERE a.id IS NULL)
	+ (SELECT COUNT(*) FROM contacts c JOIN leads l ON l.id = c.lead_id
	   LEFT JOIN partner_leads x ON x.partner_id = c.partner_id AND x.lead_id = c.lead_id
	   WHERE c.partner_id IS NOT NULL AND NOT (x.contact_id <=> c.id AND x.lead_updated_at <=> l.updated_at))
	+ (SELECT COUNT(*) FROM partner_leads x LEFT JOIN contacts c ON c.id = x.contact_id
	   AND c.partner_id = x.partner_id AND c.lead_id = x.lead_id WHERE c.id IS NULL)"
}
check "every kept copy (lead_names, agent_leads, partner_leads) equals its source ($(kept_wrong 2>&1) differ)" \
	test "$(kept_wrong)" = 0
check "and the header's (conversations)" test "$(conversations_carried_wrong)" = 0
