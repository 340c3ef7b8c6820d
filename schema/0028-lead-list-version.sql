-- An agent's lead list (/leads) changes far less often than it is loaded,
-- so smsdesk keeps the rows it read, as it keeps the header's (0027):
-- sms_notify.list_version moves on, in the writer's transaction, with
-- every change to what the agent's list shows: one of the agent's
-- assignments made, ended or moved in the order (0017 keeps each one's
-- lead_updated_at), or a lead the agent is assigned to renamed, given
-- another status, borrower or agents (0021's names), touched or deleted.
-- The page reads the version with the session and reads its rows again
-- when it differs. A manager's or an admin's list (the organization's
-- leads) is not kept: a version of the whole organization would be one
-- row every writer waits for.
ALTER TABLE sms_notify
  ADD COLUMN IF NOT EXISTS list_version BIGINT UNSIGNED NOT NULL DEFAULT 0;

DROP TRIGGER IF EXISTS assignments_list_version_insert;
CREATE TRIGGER assignments_list_version_insert AFTER INSERT ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id = NEW.user_id;

DROP TRIGGER IF EXISTS assignments_list_version_update;
CREATE TRIGGER assignments_list_version_update AFTER UPDATE ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);

DROP TRIGGER IF EXISTS assignments_list_version_delete;
CREATE TRIGGER assignments_list_version_delete AFTER DELETE ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id = OLD.user_id;

-- what the list shows of a lead, for everyone assigned to it
DROP TRIGGER IF EXISTS leads_list_version;
CREATE TRIGGER leads_list_version AFTER UPDATE ON leads FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.status <=> OLD.status AND NEW.updated_at <=> OLD.updated_at
          AND NEW.borrower_name <=> OLD.borrower_name AND NEW.agent_names <=> OLD.agent_names
          AND NEW.org_id <=> OLD.org_id) THEN
    UPDATE sms_notify SET list_version = list_version + 1
      WHERE user_id IN (SELECT user_id FROM assignments WHERE lead_id = NEW.id AND unassigned_at IS NULL);
  END IF;

-- a deleted lead's assignments go by the foreign key's cascade, which
-- fires no trigger: its agents are told before
DROP TRIGGER IF EXISTS leads_list_version_delete;
CREATE TRIGGER leads_list_version_delete BEFORE DELETE ON leads FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1
    WHERE user_id IN (SELECT user_id FROM assignments WHERE lead_id = OLD.id);
