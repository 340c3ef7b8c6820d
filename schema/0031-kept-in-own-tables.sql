-- What the triggers kept in columns of leads, contacts and assignments
-- moves to tables of smsdesk's own. A trigger may not write a table its
-- statement reads (MariaDB error 1442), and the rest of the CRM writes
-- those tables with plain SQL that reads the others: INSERT INTO contacts
-- ... SELECT ... FROM leads failed for a borrower (0021's trigger wrote
-- leads.borrower_name), INSERT INTO assignments ... SELECT ... FROM leads
-- (leads.agent_names), UPDATE leads ... WHERE id IN (SELECT lead_id FROM
-- assignments ...) when it touched updated_at (0017's copy in
-- assignments.lead_updated_at), and the same through contacts (0024's
-- copy in contacts.lead_updated_at). The triggers now write only these
-- tables, which no other program reads (schema/triggers/, docs/triggers.md):
--
--   lead_names     each lead's borrower's and current agents' names (/leads);
--   agent_leads    each agent's current assignments with a copy of their
--                  lead's updated_at: an agent's /leads as one index walk;
--   partner_leads  each partner's contact on each lead with a copy of the
--                  lead's updated_at: a partner's reply routed to its newest
--                  application by one index entry.
--
-- Filled by 0032, after the triggers that keep them. The old columns stay
-- (a host still running the code before this reads them until it is
-- upgraded) but are no longer kept.
CREATE TABLE IF NOT EXISTS lead_names (
  lead_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  borrower_name VARCHAR(200) NULL,
  agent_names VARCHAR(2000) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS agent_leads (
  user_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NOT NULL,
  lead_updated_at DATETIME NOT NULL,
  PRIMARY KEY (user_id, lead_id),
  KEY agent_leads_order (user_id, lead_updated_at, lead_id),
  KEY agent_leads_lead (lead_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS partner_leads (
  partner_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  lead_updated_at DATETIME NOT NULL,
  PRIMARY KEY (partner_id, lead_id),
  KEY partner_leads_order (partner_id, lead_updated_at, lead_id),
  KEY partner_leads_lead (lead_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
