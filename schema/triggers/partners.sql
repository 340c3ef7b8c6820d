-- The triggers on partners (real estate agents, title officers: one per organization,
-- linked to leads through contacts), written by the import and plain SQL from the
-- rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- partners_conversation_name (0026-conversation-preview.sql, AFTER UPDATE): a partner
-- renamed: the header's conversations with its contacts carry the new name
CREATE OR REPLACE TRIGGER partners_conversation_name AFTER UPDATE ON partners FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE conversations cv JOIN contacts c ON c.lead_id = cv.lead_id AND c.id = cv.contact_id
      SET cv.contact_name = NEW.name
      WHERE c.partner_id = NEW.id;
  END IF;

-- partners_people_version (0029-lead-people-version.sql, AFTER UPDATE): what the lead
-- page shows of a partner changed (name, role, mobile): the people version of every
-- lead it is on moves on
CREATE OR REPLACE TRIGGER partners_people_version AFTER UPDATE ON partners FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.mobile <=> OLD.mobile) THEN
    INSERT INTO lead_versions (lead_id, people)
      SELECT lead_id, 1 FROM contacts WHERE partner_id = NEW.id
      ON DUPLICATE KEY UPDATE people = people + 1;
  END IF;
