-- The triggers on assignments (an agent's assignment to a lead), written by smsdesk's
-- lead page, the import and plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- assignments_agent_names_insert (0031, AFTER INSERT): a current assignment made: its
-- lead's agents' names (lead_names.agent_names, /leads) read again
CREATE OR REPLACE TRIGGER assignments_agent_names_insert AFTER INSERT ON assignments FOR EACH ROW
  IF NEW.current_flag = 1 THEN
    INSERT INTO lead_names (lead_id, agent_names)
      VALUES (NEW.lead_id, (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
          FROM assignments a JOIN users u ON u.id = a.user_id
          WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1))
      ON DUPLICATE KEY UPDATE agent_names = VALUES(agent_names);
  END IF;

-- assignments_agent_names_update (0031, AFTER UPDATE): an assignment ended, moved or
-- given to another user: the agents' names of its lead (both leads, when it moved)
-- read again
CREATE OR REPLACE TRIGGER assignments_agent_names_update AFTER UPDATE ON assignments FOR EACH ROW
  IF NOT (NEW.current_flag <=> OLD.current_flag AND NEW.user_id <=> OLD.user_id
          AND NEW.lead_id <=> OLD.lead_id) THEN
    INSERT INTO lead_names (lead_id, agent_names)
      VALUES (NEW.lead_id, (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
          FROM assignments a JOIN users u ON u.id = a.user_id
          WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1))
      ON DUPLICATE KEY UPDATE agent_names = VALUES(agent_names);
    IF NEW.lead_id <> OLD.lead_id THEN
      INSERT INTO lead_names (lead_id, agent_names)
        VALUES (OLD.lead_id, (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
            FROM assignments a JOIN users u ON u.id = a.user_id
            WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1))
        ON DUPLICATE KEY UPDATE agent_names = VALUES(agent_names);
    END IF;
  END IF;

-- assignments_agent_names_delete (0031, AFTER DELETE): a current assignment deleted:
-- its lead's agents' names read again
CREATE OR REPLACE TRIGGER assignments_agent_names_delete AFTER DELETE ON assignments FOR EACH ROW
  IF OLD.current_flag = 1 THEN
    INSERT INTO lead_names (lead_id, agent_names)
      VALUES (OLD.lead_id, (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
          FROM assignments a JOIN users u ON u.id = a.user_id
          WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1))
      ON DUPLICATE KEY UPDATE agent_names = VALUES(agent_names);
  END IF;

-- assignments_agent_order_insert (0031, AFTER INSERT): a current assignment made:
-- agent_leads gets it, with its lead's updated_at, the order of the agent's /leads
-- (one index walk, agent_leads_order)
CREATE OR REPLACE TRIGGER assignments_agent_order_insert AFTER INSERT ON assignments FOR EACH ROW
  IF NEW.unassigned_at IS NULL THEN
    INSERT INTO agent_leads (user_id, lead_id, lead_updated_at)
      VALUES (NEW.user_id, NEW.lead_id, COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id), '1970-01-01 00:00:01'))
      ON DUPLICATE KEY UPDATE lead_updated_at = VALUES(lead_updated_at);
  END IF;

-- assignments_agent_order_update (0031, AFTER UPDATE): an assignment ended, moved or
-- given to another user: agent_leads follows
CREATE OR REPLACE TRIGGER assignments_agent_order_update AFTER UPDATE ON assignments FOR EACH ROW
  IF NOT (NEW.unassigned_at <=> OLD.unassigned_at AND NEW.user_id <=> OLD.user_id
          AND NEW.lead_id <=> OLD.lead_id) THEN
    IF OLD.unassigned_at IS NULL THEN
      DELETE FROM agent_leads WHERE user_id = OLD.user_id AND lead_id = OLD.lead_id;
    END IF;
    IF NEW.unassigned_at IS NULL THEN
      INSERT INTO agent_leads (user_id, lead_id, lead_updated_at)
        VALUES (NEW.user_id, NEW.lead_id, COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id), '1970-01-01 00:00:01'))
        ON DUPLICATE KEY UPDATE lead_updated_at = VALUES(lead_updated_at);
    END IF;
  END IF;

-- assignments_agent_order_delete (0031, AFTER DELETE): a current assignment deleted:
-- it leaves agent_leads
CREATE OR REPLACE TRIGGER assignments_agent_order_delete AFTER DELETE ON assignments FOR EACH ROW
  IF OLD.unassigned_at IS NULL THEN
    DELETE FROM agent_leads WHERE user_id = OLD.user_id AND lead_id = OLD.lead_id;
  END IF;

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
