-- The lead page lists the application's people: its contacts (a
-- partner's name, role and mobile through the partner) and its current
-- agents (name, role, SMS number). They change far less often than the
-- page is loaded, so smsdesk keeps the rows it read (cgi-bin/kept.h), as
-- it keeps the header's (0027) and an agent's list (0028):
-- lead_versions.people moves on, in the writer's transaction, with every
-- change to one of them, and the page reads it with the lead (in the
-- round trip that checks the viewer's access), then reads the people again
-- only when it differs. A lead without a row has version 0: the first
-- change makes the row, at 1.
--
-- The versions are a table of their own, not a column of leads: a trigger
-- may not write a table its statement reads, and statements that write
-- contacts or assignments while reading leads (INSERT ... SELECT ... FROM
-- leads) are common in scripts. Each trigger moves a version only when
-- something the page shows changed (the copies of the lead's updated_at on
-- contacts and assignments, 0017 and 0024, change often).
CREATE TABLE IF NOT EXISTS lead_versions (
  lead_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  people BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS contacts_people_version_insert;
CREATE TRIGGER contacts_people_version_insert AFTER INSERT ON contacts FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

DROP TRIGGER IF EXISTS contacts_people_version_update;
CREATE TRIGGER contacts_people_version_update AFTER UPDATE ON contacts FOR EACH ROW
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

DROP TRIGGER IF EXISTS contacts_people_version_delete;
CREATE TRIGGER contacts_people_version_delete AFTER DELETE ON contacts FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

DROP TRIGGER IF EXISTS partners_people_version;
CREATE TRIGGER partners_people_version AFTER UPDATE ON partners FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.mobile <=> OLD.mobile) THEN
    INSERT INTO lead_versions (lead_id, people)
      SELECT lead_id, 1 FROM contacts WHERE partner_id = NEW.id
      ON DUPLICATE KEY UPDATE people = people + 1;
  END IF;

DROP TRIGGER IF EXISTS assignments_people_version_insert;
CREATE TRIGGER assignments_people_version_insert AFTER INSERT ON assignments FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (NEW.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

DROP TRIGGER IF EXISTS assignments_people_version_update;
CREATE TRIGGER assignments_people_version_update AFTER UPDATE ON assignments FOR EACH ROW
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

DROP TRIGGER IF EXISTS assignments_people_version_delete;
CREATE TRIGGER assignments_people_version_delete AFTER DELETE ON assignments FOR EACH ROW
  INSERT INTO lead_versions (lead_id, people) VALUES (OLD.lead_id, 1)
    ON DUPLICATE KEY UPDATE people = people + 1;

DROP TRIGGER IF EXISTS users_people_version;
CREATE TRIGGER users_people_version AFTER UPDATE ON users FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.sms_number <=> OLD.sms_number) THEN
    INSERT INTO lead_versions (lead_id, people)
      SELECT lead_id, 1 FROM assignments WHERE user_id = NEW.id AND unassigned_at IS NULL
      ON DUPLICATE KEY UPDATE people = people + 1;
  END IF;
