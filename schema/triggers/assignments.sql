-- The triggers on assignments (an agent's assignment to a lead), written by smsdesk's
-- lead page, the import and plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- assignments_lead_order (0017-assignment-order.sql, BEFORE INSERT): gives a new
-- assignment its lead's updated_at (assignments.lead_updated_at), the order of an
-- agent's lead list (/leads walks assignments_user_order); reads leads, writes
-- nothing
CREATE OR REPLACE TRIGGER assignments_lead_order BEFORE INSERT ON assignments FOR EACH ROW
  SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                     NEW.lead_updated_at);

-- assignments_lead_agents_insert (0021-lead-list-names.sql, AFTER INSERT): a current
-- assignment made: its lead's agent_names (/leads) read again
CREATE OR REPLACE TRIGGER assignments_lead_agents_insert AFTER INSERT ON assignments FOR EACH ROW
BEGIN
  IF NEW.current_flag = 1 THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1)
    WHERE id = NEW.lead_id;
  END IF;
END;

-- assignments_lead_agents_update (0021-lead-list-names.sql, AFTER UPDATE): an
-- assignment ended, moved or given to another user: agent_names of its lead (both
-- leads when it moved) read again; other updates (lead_updated_at) do nothing
CREATE OR REPLACE TRIGGER assignments_lead_agents_update AFTER UPDATE ON assignments FOR EACH ROW
BEGIN
  IF NOT (NEW.current_flag <=> OLD.current_flag AND NEW.user_id <=> OLD.user_id
          AND NEW.lead_id <=> OLD.lead_id) THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1)
    WHERE id = NEW.lead_id;
    IF NEW.lead_id <> OLD.lead_id THEN
      UPDATE leads SET agent_names =
        (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
         FROM assignments a JOIN users u ON u.id = a.user_id
         WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1)
      WHERE id = OLD.lead_id;
    END IF;
  END IF;
END;

-- assignments_lead_agents_delete (0021-lead-list-names.sql, AFTER DELETE): a current
-- assignment deleted: its lead's agent_names read again
CREATE OR REPLACE TRIGGER assignments_lead_agents_delete AFTER DELETE ON assignments FOR EACH ROW
BEGIN
  IF OLD.current_flag = 1 THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1)
    WHERE id = OLD.lead_id;
  END IF;
END;

-- assignments_list_version_insert (0028-lead-list-version.sql, AFTER INSERT): the
-- agent's /leads list changed: sms_notify.list_version moves on (page_leads.c keeps
-- the list under it)
CREATE OR REPLACE TRIGGER assignments_list_version_insert AFTER INSERT ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id = NEW.user_id;

-- assignments_list_version_update (0028-lead-list-version.sql, AFTER UPDATE): any
-- change to an assignment (ended, moved in the order by lead_updated_at, given to
-- another user): both users' list_version move on
CREATE OR REPLACE TRIGGER assignments_list_version_update AFTER UPDATE ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);

-- assignments_list_version_delete (0028-lead-list-version.sql, AFTER DELETE): an
-- assignment deleted: its user's list_version moves on
CREATE OR REPLACE TRIGGER assignments_list_version_delete AFTER DELETE ON assignments FOR EACH ROW
  UPDATE sms_notify SET list_version = list_version + 1 WHERE user_id = OLD.user_id;

-- assignments_people_version_insert (0029-lead-people-version.sql, AFTER INSERT): an
-- agent assigned: the lead page's people (lead_versions.people) move on
CREATE OR REPLACE TRIGGER assignments_people_version_insert AFTER INSERT ON assignments FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

-- assignments_people_version_update (0029-lead-people-version.sql, AFTER UPDATE): an
-- agent unassigned, moved or given to another user (what the lead page shows of
-- agents): the people version of the lead (both, when it moved) moves on
CREATE OR REPLACE TRIGGER assignments_people_version_update AFTER UPDATE ON assignments FOR EACH ROW
BEGIN
  IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.user_id <=> OLD.user_id
          AND NEW.unassigned_at <=> OLD.unassigned_at AND NEW.assigned_at <=> OLD.assigned_at) THEN
    INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
      ON DUPLICATE KEY UPDATE people = people + 1;
    IF NEW.lead_id <> OLD.lead_id THEN
      INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
        ON DUPLICATE KEY UPDATE people = people + 1;
    END IF;
  END IF;
END;

-- assignments_people_version_delete (0029-lead-people-version.sql, AFTER DELETE): an
-- assignment deleted: its lead's people version moves on
CREATE OR REPLACE TRIGGER assignments_people_version_delete AFTER DELETE ON assignments FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;
