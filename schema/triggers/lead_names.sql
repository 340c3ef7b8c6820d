-- The triggers on lead_names (each lead's borrower's and current agents' names, shown
-- by /leads), written only by the triggers on contacts, assignments and users
-- (0031).
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. See docs/triggers.md.

-- lead_names_list_version_insert (0031, AFTER INSERT): a lead's names first kept:
-- the list_version (sms_notify, /leads) of every agent assigned to it moves on
CREATE OR REPLACE TRIGGER lead_names_list_version_insert AFTER INSERT ON lead_names FOR EACH ROW
  UPDATE assignments a JOIN sms_notify n ON n.user_id = a.user_id
    SET n.list_version = n.list_version + 1
    WHERE a.lead_id = NEW.lead_id AND a.unassigned_at IS NULL;

-- lead_names_list_version_update (0031, AFTER UPDATE): a lead's borrower's or agents'
-- names changed: the list_version of every agent assigned to it moves on
CREATE OR REPLACE TRIGGER lead_names_list_version_update AFTER UPDATE ON lead_names FOR EACH ROW
  IF NOT (NEW.borrower_name <=> OLD.borrower_name AND NEW.agent_names <=> OLD.agent_names) THEN
    UPDATE assignments a JOIN sms_notify n ON n.user_id = a.user_id
      SET n.list_version = n.list_version + 1
      WHERE a.lead_id = NEW.lead_id AND a.unassigned_at IS NULL;
  END IF;
