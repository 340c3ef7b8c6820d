-- Every page's header lists the user's latest conversations. They change
-- far less often than pages are loaded, so smsdesk keeps the rows it read
-- and reads them again only when they may have changed: sms_notify.version
-- moves on with every change to one of the user's conversations (a text
-- in or out, one read, filed or renamed), in the writer's transaction, and
-- the page reads it with the session. A kept copy is used only while the
-- version it was read at is still the user's, so every host sees a change
-- on its next page load.
--
-- A user without an sms_notify row has no version: nothing is kept for
-- them until their first page load creates it. The rows are never deleted
-- (users are deactivated, not deleted), so a version never starts over.
ALTER TABLE sms_notify
  ADD COLUMN IF NOT EXISTS version BIGINT UNSIGNED NOT NULL DEFAULT 0;

DROP TRIGGER IF EXISTS conversations_version_insert;
CREATE TRIGGER conversations_version_insert AFTER INSERT ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id = NEW.user_id;

DROP TRIGGER IF EXISTS conversations_version_update;
CREATE TRIGGER conversations_version_update AFTER UPDATE ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);

DROP TRIGGER IF EXISTS conversations_version_delete;
CREATE TRIGGER conversations_version_delete AFTER DELETE ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id = OLD.user_id;
