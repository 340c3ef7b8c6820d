-- The header's rows are read on every page: nothing moves sms_notify.version
-- any more (schema/triggers/conversations.sql says why). The triggers 0027
-- made are dropped here: migrate drops a trigger its file no longer makes
-- only when it recorded the file making it, which a database being made
-- from the numbered migrations has not.
-- The column stays, no longer moved, so that a host still running the code
-- before keeps working while the hosts are upgraded one by one (its header
-- shows the rows it kept until then); a later migration drops it.
DROP TRIGGER IF EXISTS conversations_version_insert;
DROP TRIGGER IF EXISTS conversations_version_update;
DROP TRIGGER IF EXISTS conversations_version_delete;
