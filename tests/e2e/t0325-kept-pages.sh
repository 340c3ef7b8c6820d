#!/usr/bin/env bash
# What smsdesk keeps between requests (cgi-bin/kept.h): an agent's lead
# list and a lead page's people are read again after every change to what
# they show, whoever made it; the header's conversations (read on every
# page, no longer kept) show every change too. Each change below is made in MariaDB
# directly, as another host (or the import, or a DBA) would make it, after
# the page was loaded twice (so that it is kept); the next load shows it.
. "$REPO/tests/e2e/lib.sh"

PW='kept pages password 1'
AL_NUM=$(mobile)
cat > "$T_TMP/data.json" <<JSON
{"organizations": [{"key": "o", "name": "Kept $UNIQ", "sms_enabled": true}],
 "users": [
  {"key": "al", "org": "o", "email": "al.$UNIQ@kept.test", "name": "Al Kept", "role": "agent", "password": "$PW",
   "sms_permission": true, "sms_number": "$AL_NUM"},
  {"key": "bo", "org": "o", "email": "bo.$UNIQ@kept.test", "name": "Bo Kept", "role": "agent", "password": "$PW"}],
 "partners": [{"key": "rita", "org": "o", "name": "Rita Realty", "role": "Real Estate Agent", "mobile": "$(mobile)"}],
 "leads": [
  {"key": "l1", "org": "o", "name": "First lead", "status": "New", "updated_at": "2026-11-20T10:00:00Z",
   "assigned": ["al"], "contacts": [{"key": "c1", "role": "borrower", "name": "Cora Borrow", "mobile": "$(mobile)"}]},
  {"key": "l2", "org": "o", "name": "Second lead", "updated_at": "2026-11-19T10:00:00Z", "assigned": ["al"]},
  {"key": "l4", "org": "o", "name": "People lead", "assigned": ["al"],
   "contacts": [{"key": "c4", "role": "borrower", "name": "Pia People", "mobile": "$(mobile)"}, {"partner": "rita"}]},
  {"key": "l3", "org": "o", "name": "Third lead", "updated_at": "2026-11-18T10:00:00Z"}]}
JSON
check "the test data imports" import_file d "$T_TMP/data.json"
l1=$(id_of d leads l1) l2=$(id_of d leads l2) l3=$(id_of d leads l3)
al=$(id_of d users al) bo=$(id_of d users bo) c1=$(id_of d contacts c1)
l4=$(id_of d leads l4) c4=$(id_of d contacts c4) rita=$(id_of d partners rita)
login "$T_TMP/al" "al.$UNIQ@kept.test" "$PW"

# list: Al's /leads, loaded twice (kept), into $T_TMP/body
list() { get "$T_TMP/al" /leads; get "$T_TMP/al" /leads; }
# leads_in_order: the list's lead ids, top to bottom
leads_in_order() { grep -o 'href="/leads/[0-9]*"' "$T_TMP/body" | grep -o '[0-9]*' | tr '\n' ' '; }

list
check "the agent's list shows the assigned leads, newest first" \
	test "$(leads_in_order)" = "$l4 $l1 $l2 "
sql "UPDATE assignments SET unassigned_at = NOW() WHERE lead_id = $l4"
list
check "the list without the people's lead" test "$(leads_in_order)" = "$l1 $l2 "
sql "UPDATE leads SET name = 'Renamed lead' WHERE id = $l1"
list
check "a lead renamed shows renamed" body_has 'Renamed lead'
sql "UPDATE leads SET status = 'Underwriting' WHERE id = $l1"
list
check "a new status shows" body_has 'Underwriting'
sql "UPDATE contacts SET name = 'Cora Renamed' WHERE id = $c1"
list
check "a borrower renamed shows renamed" body_has 'Cora Renamed'
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l1, $bo)"
list
check "another agent assigned shows" body_has 'Bo Kept'
sql "UPDATE users SET name = 'Bo Renamed' WHERE id = $bo"
list
check "that agent renamed shows renamed" body_has 'Bo Renamed'
sql "UPDATE assignments SET unassigned_at = NOW() WHERE lead_id = $l2 AND user_id = $al"
list
check "a lead unassigned leaves the list" test "$(leads_in_order)" = "$l1 "
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l3, $al)"
list
check "a lead assigned joins it" test "$(leads_in_order)" = "$l1 $l3 "
sql "UPDATE leads SET updated_at = '2026-11-21 10:00:00' WHERE id = $l3"
list
check "a lead touched moves to the top" test "$(leads_in_order)" = "$l3 $l1 "
sql "DELETE FROM leads WHERE id = $l3"
list
check "a lead deleted leaves the list" test "$(leads_in_order)" = "$l1 "

# the header's conversations (the dropdown on every page)
header() { get "$T_TMP/al" /profile; get "$T_TMP/al" /profile; }
header
page_lacks "the header has no conversation yet" 200 '<h1>Your profile</h1>' 'Cora Renamed'
# text DIRECTION STATUS BODY: a text of Al's with Cora on the first lead
text() {
	sql "INSERT INTO messages (org_id, lead_id, contact_id, user_id, direction, agent_number,
	     contact_number, body, status) SELECT org_id, $l1, $c1, $al, '$1', '$AL_NUM',
	     (SELECT mobile FROM contacts WHERE id = $c1), '$3', '$2' FROM leads WHERE id = $l1"
}
text outbound delivered 'Kept text one'
header
check "a text shows in the header" body_has 'Kept text one'
text inbound received 'Kept reply two'
get "$T_TMP/al" /profile
check "a reply shows, unread" bash -c "grep -q 'Kept reply two' '$T_TMP/body' && grep -q 'notif-row unread' '$T_TMP/body'"
get "$T_TMP/al" /profile
check "and read on the next load" bash -c "grep -q 'Kept reply two' '$T_TMP/body' && ! grep -q 'notif-row unread' '$T_TMP/body'"
sql "UPDATE contacts SET name = 'Cora Again' WHERE id = $c1"
header
check "a contact renamed shows renamed in the header" body_has 'Cora Again'
sql "UPDATE leads SET name = 'Renamed again' WHERE id = $l1"
header
check "a lead renamed shows renamed in the header" body_has 'Renamed again'

# the lead page's contacts and agents
people() { get "$T_TMP/al" "/leads/$l4"; get "$T_TMP/al" "/leads/$l4"; }
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l4, $al)"
people
check "the lead page lists its borrower and partner" \
	bash -c "grep -q 'Pia People' '$T_TMP/body' && grep -q 'Rita Realty' '$T_TMP/body'"
sql "UPDATE contacts SET name = 'Pia Renamed' WHERE id = $c4"
people
check "a contact renamed shows renamed" body_has 'Pia Renamed'
# shown +15125550123: (512) 555-0123, as the lead page writes it
shown() { echo "(${1:2:3}) ${1:5:3}-${1:8:4}"; }
M1=$(mobile) M2=$(mobile) M3=$(mobile)
sql "UPDATE contacts SET mobile = '$M1' WHERE id = $c4"
people
check "a new mobile shows" body_has "$(shown "$M1")"
# as scripts write it, reading leads (the versions' triggers write no table
# such a statement reads)
sql "INSERT INTO contacts (org_id, lead_id, role, name, mobile)
     SELECT org_id, $l4, 'co_borrower', 'Cole Added', '$M2' FROM leads WHERE id = $l4"
people
check "a contact added shows" body_has 'Cole Added'
sql "DELETE FROM contacts WHERE lead_id = $l4 AND name = 'Cole Added'"
people
page_lacks "a contact deleted goes" 200 "href=\"/leads/$l4/loanfile\"" 'Cole Added'
sql "UPDATE partners SET name = 'Rita Renamed' WHERE id = $rita"
people
check "a partner renamed shows renamed" body_has 'Rita Renamed'
sql "UPDATE partners SET role = 'Title Officer' WHERE id = $rita"
people
check "a partner's new role shows" body_has 'Title Officer'
sql "INSERT INTO assignments (lead_id, user_id) VALUES ($l4, $bo)"
people
check "an agent assigned shows" body_has 'Bo Renamed'
sql "UPDATE users SET name = 'Bo Again', sms_number = '$M3' WHERE id = $bo"
people
check "that agent renamed shows renamed, with the new number" \
	bash -c "grep -q 'Bo Again' '$T_TMP/body' && grep -qF '$(shown "$M3")' '$T_TMP/body'"
sql "UPDATE assignments SET unassigned_at = NOW() WHERE lead_id = $l4 AND user_id = $bo"
people
page_lacks "an agent unassigned goes" 200 "href=\"/leads/$l4/loanfile\"" 'Bo Again'
