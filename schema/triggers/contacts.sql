-- The triggers on contacts (a lead's borrower, co-borrower and partners), written by
-- smsdesk's lead page, the import and plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- contacts_lead_borrower_insert (0021-lead-list-names.sql, AFTER INSERT): a borrower
-- added: its lead's borrower_name (/leads) read again
CREATE OR REPLACE TRIGGER contacts_lead_borrower_insert AFTER INSERT ON contacts FOR EACH ROW
BEGIN
  IF NEW.role = 'borrower' THEN
    UPDATE leads SET borrower_name =
      (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
       ORDER BY c.id LIMIT 1)
    WHERE id = NEW.lead_id;
  END IF;
END;

-- contacts_lead_borrower_update (0021-lead-list-names.sql, AFTER UPDATE): a borrower
-- renamed, moved, or a contact made or unmade borrower: borrower_name of its lead
-- (both leads when it moved) read again
CREATE OR REPLACE TRIGGER contacts_lead_borrower_update AFTER UPDATE ON contacts FOR EACH ROW
BEGIN
  IF OLD.role = 'borrower' OR NEW.role = 'borrower' THEN
    IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.role <=> OLD.role AND NEW.name <=> OLD.name) THEN
      UPDATE leads SET borrower_name =
        (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
         ORDER BY c.id LIMIT 1)
      WHERE id = NEW.lead_id;
      IF NEW.lead_id <> OLD.lead_id THEN
        UPDATE leads SET borrower_name =
          (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
           ORDER BY c.id LIMIT 1)
        WHERE id = OLD.lead_id;
      END IF;
    END IF;
  END IF;
END;

-- contacts_lead_borrower_delete (0021-lead-list-names.sql, AFTER DELETE): a borrower
-- deleted: its lead's borrower_name read again
CREATE OR REPLACE TRIGGER contacts_lead_borrower_delete AFTER DELETE ON contacts FOR EACH ROW
BEGIN
  IF OLD.role = 'borrower' THEN
    UPDATE leads SET borrower_name =
      (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
       ORDER BY c.id LIMIT 1)
    WHERE id = OLD.lead_id;
  END IF;
END;

-- contacts_lead_order_insert (0024-partner-route-order.sql, BEFORE INSERT): gives a
-- new contact its lead's updated_at (contacts.lead_updated_at, the partner route's
-- order); reads leads, writes nothing
CREATE OR REPLACE TRIGGER contacts_lead_order_insert BEFORE INSERT ON contacts FOR EACH ROW
  SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                     NEW.lead_updated_at);

-- contacts_lead_order_update (0024-partner-route-order.sql, BEFORE UPDATE): a contact
-- moved to another lead takes that lead's updated_at; reads leads, writes nothing
CREATE OR REPLACE TRIGGER contacts_lead_order_update BEFORE UPDATE ON contacts FOR EACH ROW
BEGIN
  IF NEW.lead_id <> OLD.lead_id THEN
    SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                       NEW.lead_updated_at);
  END IF;
END;

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
