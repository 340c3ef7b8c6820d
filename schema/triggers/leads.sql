-- The triggers on leads (applications), written by smsdesk's pages, the import and
-- plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- leads_order_copies (0031, AFTER UPDATE): the lead touched (updated_at): the copies
-- of it follow: agent_leads (the order of an agent's /leads) and partner_leads (the
-- order a partner's reply is routed by)
CREATE OR REPLACE TRIGGER leads_order_copies AFTER UPDATE ON leads FOR EACH ROW
  IF NEW.updated_at <> OLD.updated_at THEN
    UPDATE agent_leads SET lead_updated_at = NEW.updated_at WHERE lead_id = NEW.id;
    UPDATE partner_leads SET lead_updated_at = NEW.updated_at WHERE lead_id = NEW.id;
  END IF;

-- leads_conversation_name (0026-conversation-preview.sql, AFTER UPDATE): the lead
-- renamed: the header's conversations carry its new name (conversations.lead_name)
CREATE OR REPLACE TRIGGER leads_conversation_name AFTER UPDATE ON leads FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE conversations SET lead_name = NEW.name WHERE lead_id = NEW.id;
  END IF;

-- leads_list_version (0028-lead-list-version.sql, 0031, AFTER UPDATE): what /leads
-- shows of the lead changed (name, status, updated_at, organization; its borrower's
-- and agents' names are lead_names', whose triggers move it): the list_version of
-- every agent assigned to it moves on. A join from the lead's assignments, not
-- sms_notify's user_id IN (a subquery): MariaDB runs that UPDATE as a pass over
-- sms_notify, one row per user of every organization (20-30 ms a lead with 5,000)
CREATE OR REPLACE TRIGGER leads_list_version AFTER UPDATE ON leads FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.status <=> OLD.status AND NEW.updated_at <=> OLD.updated_at
          AND NEW.org_id <=> OLD.org_id) THEN
    UPDATE assignments a JOIN sms_notify n ON n.user_id = a.user_id
      SET n.list_version = n.list_version + 1
      WHERE a.lead_id = NEW.id AND a.unassigned_at IS NULL;
  END IF;

-- leads_list_version_delete (0028-lead-list-version.sql, BEFORE DELETE): a lead
-- deleted (its assignments go by the cascade, which fires no trigger): the
-- list_version of everyone it was assigned to moves on, before they go
CREATE OR REPLACE TRIGGER leads_list_version_delete BEFORE DELETE ON leads FOR EACH ROW
  UPDATE assignments a JOIN sms_notify n ON n.user_id = a.user_id
    SET n.list_version = n.list_version + 1
    WHERE a.lead_id = OLD.id;

-- leads_kept_delete (0031, BEFORE DELETE): a lead deleted (its contacts and
-- assignments go by the cascade, which fires no trigger): its rows of lead_names,
-- agent_leads and partner_leads go with it
CREATE OR REPLACE TRIGGER leads_kept_delete BEFORE DELETE ON leads FOR EACH ROW
BEGIN
  DELETE FROM agent_leads WHERE lead_id = OLD.id;
  DELETE FROM partner_leads WHERE lead_id = OLD.id;
  DELETE FROM lead_names WHERE lead_id = OLD.id;
END;
