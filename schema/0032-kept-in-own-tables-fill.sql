-- migrate: triggers first
-- 0031's tables filled, after the triggers that keep them are in place
-- (schema/triggers/, applied by migrate before this file because of the
-- line above), in one transaction: a row written meanwhile is kept by its
-- trigger once this commits, or makes one of the two wait or retry.
-- Rerunning it rebuilds them. Then the triggers that wrote leads, contacts
-- and assignments go (a database whose trigger files were applied before
-- this has had them dropped already by migrate).
START TRANSACTION;
DELETE FROM lead_names;
INSERT INTO lead_names (lead_id, borrower_name, agent_names)
  SELECT l.id,
    (SELECT c.name FROM contacts c WHERE c.lead_id = l.id AND c.role = 'borrower'
     ORDER BY c.id LIMIT 1),
    (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
     FROM assignments a JOIN users u ON u.id = a.user_id
     WHERE a.lead_id = l.id AND a.current_flag = 1)
  FROM leads l;
DELETE FROM agent_leads;
INSERT INTO agent_leads (user_id, lead_id, lead_updated_at)
  SELECT a.user_id, a.lead_id, l.updated_at
  FROM assignments a JOIN leads l ON l.id = a.lead_id WHERE a.unassigned_at IS NULL;
DELETE FROM partner_leads;
INSERT INTO partner_leads (partner_id, lead_id, contact_id, lead_updated_at)
  SELECT c.partner_id, c.lead_id, c.id, l.updated_at
  FROM contacts c JOIN leads l ON l.id = c.lead_id WHERE c.partner_id IS NOT NULL;
COMMIT;

DROP TRIGGER IF EXISTS contacts_lead_borrower_insert;
DROP TRIGGER IF EXISTS contacts_lead_borrower_update;
DROP TRIGGER IF EXISTS contacts_lead_borrower_delete;
DROP TRIGGER IF EXISTS contacts_lead_order_insert;
DROP TRIGGER IF EXISTS contacts_lead_order_update;
DROP TRIGGER IF EXISTS assignments_lead_order;
DROP TRIGGER IF EXISTS assignments_lead_agents_insert;
DROP TRIGGER IF EXISTS assignments_lead_agents_update;
DROP TRIGGER IF EXISTS assignments_lead_agents_delete;
DROP TRIGGER IF EXISTS users_lead_agents_rename;
DROP TRIGGER IF EXISTS leads_assignment_order;
DROP TRIGGER IF EXISTS leads_contact_order;
