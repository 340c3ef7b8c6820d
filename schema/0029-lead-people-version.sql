-- The lead page lists the application's people: its contacts (a
-- partner's name, role and mobile through the partner) and its current
-- agents (name, role, SMS number). They change far less often than the
-- page is loaded, so smsdesk keeps the rows it read (cgi-bin/kept.h), as
-- it keeps the header's (0027) and an agent's list (0028):
-- leads.people_version moves on, in the writer's transaction, with every
-- change to one of them, and the page reads it with the lead (in the
-- round trip that checks the viewer's access), then reads the people again
-- only when it differs.
--
-- Each trigger moves the version only when something the page shows
-- changed: the copies of the lead's updated_at on contacts and assignments
-- (0017, 0024) are written by triggers on leads, which may not update
-- leads again.
ALTER TABLE leads
  ADD COLUMN IF NOT EXISTS people_version BIGINT UNSIGNED NOT NULL DEFAULT 0;

DROP TRIGGER IF EXISTS contacts_people_version_insert;
CREATE TRIGGER contacts_people_version_insert AFTER INSERT ON contacts FOR EACH ROW
  UPDATE leads SET people_version = people_version + 1 WHERE id = NEW.lead_id;

DROP TRIGGER IF EXISTS contacts_people_version_update;
CREATE TRIGGER contacts_people_version_update AFTER UPDATE ON contacts FOR EACH ROW
  IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.role <=> OLD.role AND NEW.name <=> OLD.name
          AND NEW.mobile <=> OLD.mobile AND NEW.partner_id <=> OLD.partner_id) THEN
    UPDATE leads SET people_version = people_version + 1 WHERE id IN (OLD.lead_id, NEW.lead_id);
  END IF;

DROP TRIGGER IF EXISTS contacts_people_version_delete;
CREATE TRIGGER contacts_people_version_delete AFTER DELETE ON contacts FOR EACH ROW
  UPDATE leads SET people_version = people_version + 1 WHERE id = OLD.lead_id;

DROP TRIGGER IF EXISTS partners_people_version;
CREATE TRIGGER partners_people_version AFTER UPDATE ON partners FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.mobile <=> OLD.mobile) THEN
    UPDATE leads SET people_version = people_version + 1
      WHERE id IN (SELECT lead_id FROM contacts WHERE partner_id = NEW.id);
  END IF;

DROP TRIGGER IF EXISTS assignments_people_version_insert;
CREATE TRIGGER assignments_people_version_insert AFTER INSERT ON assignments FOR EACH ROW
  UPDATE leads SET people_version = people_version + 1 WHERE id = NEW.lead_id;

DROP TRIGGER IF EXISTS assignments_people_version_update;
CREATE TRIGGER assignments_people_version_update AFTER UPDATE ON assignments FOR EACH ROW
  IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.user_id <=> OLD.user_id
          AND NEW.unassigned_at <=> OLD.unassigned_at AND NEW.assigned_at <=> OLD.assigned_at) THEN
    UPDATE leads SET people_version = people_version + 1 WHERE id IN (OLD.lead_id, NEW.lead_id);
  END IF;

DROP TRIGGER IF EXISTS assignments_people_version_delete;
CREATE TRIGGER assignments_people_version_delete AFTER DELETE ON assignments FOR EACH ROW
  UPDATE leads SET people_version = people_version + 1 WHERE id = OLD.lead_id;

DROP TRIGGER IF EXISTS users_people_version;
CREATE TRIGGER users_people_version AFTER UPDATE ON users FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.role <=> OLD.role AND NEW.sms_number <=> OLD.sms_number) THEN
    UPDATE leads SET people_version = people_version + 1
      WHERE id IN (SELECT lead_id FROM assignments WHERE user_id = NEW.id AND unassigned_at IS NULL);
  END IF;
