-- The triggers on contacts (a lead's borrower, co-borrower and partners), written by
-- smsdesk's lead page, the import and plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- contacts_borrower_name_insert (0031, AFTER INSERT): a borrower added: its lead's
-- borrower's name (lead_names.borrower_name, /leads) read again: the first borrower
-- by id
CREATE OR REPLACE TRIGGER contacts_borrower_name_insert AFTER INSERT ON contacts FOR EACH ROW
  IF NEW.role = 'borrower' THEN
    INSERT INTO lead_names (lead_id, borrower_name)
      VALUES (NEW.lead_id, (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
          ORDER BY c.id LIMIT 1))
      ON DUPLICATE KEY UPDATE borrower_name = VALUES(borrower_name);
  END IF;

-- contacts_borrower_name_update (0031, AFTER UPDATE): a borrower renamed or moved, or
-- a contact made or unmade borrower: the borrower's name of its lead (both leads,
-- when it moved) read again
CREATE OR REPLACE TRIGGER contacts_borrower_name_update AFTER UPDATE ON contacts FOR EACH ROW
  IF (OLD.role = 'borrower' OR NEW.role = 'borrower')
     AND NOT (NEW.lead_id <=> OLD.lead_id AND NEW.role <=> OLD.role AND NEW.name <=> OLD.name) THEN
    INSERT INTO lead_names (lead_id, borrower_name)
      VALUES (NEW.lead_id, (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
          ORDER BY c.id LIMIT 1))
      ON DUPLICATE KEY UPDATE borrower_name = VALUES(borrower_name);
    IF NEW.lead_id <> OLD.lead_id THEN
      INSERT INTO lead_names (lead_id, borrower_name)
        VALUES (OLD.lead_id, (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
            ORDER BY c.id LIMIT 1))
        ON DUPLICATE KEY UPDATE borrower_name = VALUES(borrower_name);
    END IF;
  END IF;

-- contacts_borrower_name_delete (0031, AFTER DELETE): a borrower deleted: its lead's
-- borrower's name read again
CREATE OR REPLACE TRIGGER contacts_borrower_name_delete AFTER DELETE ON contacts FOR EACH ROW
  IF OLD.role = 'borrower' THEN
    INSERT INTO lead_names (lead_id, borrower_name)
      VALUES (OLD.lead_id, (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
          ORDER BY c.id LIMIT 1))
      ON DUPLICATE KEY UPDATE borrower_name = VALUES(borrower_name);
  END IF;

-- contacts_partner_order_insert (0031, AFTER INSERT): a partner linked to a lead:
-- partner_leads gets the pair, with the lead's updated_at, the order a partner's
-- reply is routed by (inbound.c ROUTE: the partner's newest application)
CREATE OR REPLACE TRIGGER contacts_partner_order_insert AFTER INSERT ON contacts FOR EACH ROW
  IF NEW.partner_id IS NOT NULL THEN
    INSERT INTO partner_leads (partner_id, lead_id, contact_id, lead_updated_at)
      VALUES (NEW.partner_id, NEW.lead_id, NEW.id, COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id), '1970-01-01 00:00:01'))
      ON DUPLICATE KEY UPDATE contact_id = VALUES(contact_id), lead_updated_at = VALUES(lead_updated_at);
  END IF;

-- contacts_partner_order_update (0031, AFTER UPDATE): a partner's contact moved to
-- another lead or partner: its partner_leads pair follows
CREATE OR REPLACE TRIGGER contacts_partner_order_update AFTER UPDATE ON contacts FOR EACH ROW
  IF NOT (NEW.partner_id <=> OLD.partner_id AND NEW.lead_id <=> OLD.lead_id) THEN
    IF OLD.partner_id IS NOT NULL THEN
      DELETE FROM partner_leads WHERE partner_id = OLD.partner_id AND lead_id = OLD.lead_id;
    END IF;
    IF NEW.partner_id IS NOT NULL THEN
      INSERT INTO partner_leads (partner_id, lead_id, contact_id, lead_updated_at)
        VALUES (NEW.partner_id, NEW.lead_id, NEW.id, COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id), '1970-01-01 00:00:01'))
        ON DUPLICATE KEY UPDATE contact_id = VALUES(contact_id), lead_updated_at = VALUES(lead_updated_at);
    END IF;
  END IF;

-- contacts_partner_order_delete (0031, AFTER DELETE): a partner unlinked from a lead:
-- its partner_leads pair goes
CREATE OR REPLACE TRIGGER contacts_partner_order_delete AFTER DELETE ON contacts FOR EACH ROW
  IF OLD.partner_id IS NOT NULL THEN
    DELETE FROM partner_leads WHERE partner_id = OLD.partner_id AND lead_id = OLD.lead_id;
  END IF;

-- contacts_conversation_name (0026-conversation-preview.sql, AFTER UPDATE): a contact
-- renamed or linked to another partner: the header's conversations with it carry the
-- name it shows (the partner's, else its own)
CREATE OR REPLACE TRIGGER contacts_conversation_name AFTER UPDATE ON contacts FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.partner_id <=> OLD.partner_id) THEN
    UPDATE conversations
      SET contact_name = COALESCE((SELECT p.name FROM partners p WHERE p.id = NEW.partner_id), NEW.name)
      WHERE lead_id IN (OLD.lead_id, NEW.lead_id) AND contact_id = NEW.id;
  END IF;

-- contacts_people_version_insert (0029-lead-people-version.sql, AFTER INSERT): a
-- contact added: the lead page's people version moves on
CREATE OR REPLACE TRIGGER contacts_people_version_insert AFTER INSERT ON contacts FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

-- contacts_people_version_update (0029-lead-people-version.sql, AFTER UPDATE): what
-- the lead page shows of a contact changed (lead, role, name, mobile, partner): the
-- people version of its lead (both, when it moved) moves on
CREATE OR REPLACE TRIGGER contacts_people_version_update AFTER UPDATE ON contacts FOR EACH ROW
BEGIN
  IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.role <=> OLD.role AND NEW.name <=> OLD.name
          AND NEW.mobile <=> OLD.mobile AND NEW.partner_id <=> OLD.partner_id) THEN
    INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
      ON DUPLICATE KEY UPDATE people = people + 1;
    IF NEW.lead_id <> OLD.lead_id THEN
      INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
        ON DUPLICATE KEY UPDATE people = people + 1;
    END IF;
  END IF;
END;

-- contacts_people_version_delete (0029-lead-people-version.sql, AFTER DELETE): a
-- contact deleted: its lead's people version moves on
CREATE OR REPLACE TRIGGER contacts_people_version_delete AFTER DELETE ON contacts FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;
