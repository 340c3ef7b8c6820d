-- The triggers on users, written by smsdesk's admin pages, the profile page,
-- smsdeskctl, the import and plain SQL from the rest of the CRM.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- users_agent_names (0031, AFTER UPDATE): a user renamed: the agents' names
-- (lead_names.agent_names, /leads) of every lead the user is currently assigned to
-- read again
CREATE OR REPLACE TRIGGER users_agent_names AFTER UPDATE ON users FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name) THEN
    INSERT INTO lead_names (lead_id, agent_names)
      SELECT x.lead_id,
             (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
              FROM assignments a JOIN users u ON u.id = a.user_id
              WHERE a.lead_id = x.lead_id AND a.current_flag = 1)
      FROM assignments x WHERE x.user_id = NEW.id AND x.unassigned_at IS NULL
      ON DUPLICATE KEY UPDATE agent_names = VALUES(agent_names);
  END IF;

-- users_people_version (0029-lead-people-version.sql, AFTER UPDATE): what the lead
-- page shows of an agent changed (name, role, SMS number): the people version of
-- every lead the user is currently assigned to moves on
CREATE OR REPLACE TRIGGER users_people_version AFTER UPDATE ON users FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.sms_number <=> OLD.sms_number) THEN
    INSERT INTO lead_versions (lead_id, people)
      SELECT lead_id, 1 FROM assignments WHERE user_id = NEW.id AND unassigned_at IS NULL
      ON DUPLICATE KEY UPDATE people = people + 1;
  END IF;
