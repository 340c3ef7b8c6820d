-- The triggers on conversations (the header's rows), written only by the triggers on
-- messages, leads, contacts and partners, and by the page load that marks them read.
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- conversations_version_insert (0027-header-version.sql, AFTER INSERT): a
-- conversation made: the user's header version (sms_notify.version) moves on (page.c
-- keeps the header's rows under it)
CREATE OR REPLACE TRIGGER conversations_version_insert AFTER INSERT ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id = NEW.user_id;

-- conversations_version_update (0027-header-version.sql, AFTER UPDATE): a
-- conversation changed (a text, read, renamed): the header version moves on
CREATE OR REPLACE TRIGGER conversations_version_update AFTER UPDATE ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id IN (OLD.user_id, NEW.user_id);

-- conversations_version_delete (0027-header-version.sql, AFTER DELETE): a
-- conversation deleted: the header version moves on
CREATE OR REPLACE TRIGGER conversations_version_delete AFTER DELETE ON conversations FOR EACH ROW
  UPDATE sms_notify SET version = version + 1 WHERE user_id = OLD.user_id;
