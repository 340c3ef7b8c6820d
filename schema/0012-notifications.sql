-- Notifications (the header's SMS icon): each user's conversations, most
-- recent first, with their unread counts, read with one indexed, LIMITed
-- query whatever the history's size. Kept by triggers on messages, so that
-- every writer of messages (inbound, the outbox, filing) keeps them right.
--
-- Unread means inbound texts since the user's previous page load: every
-- page load acknowledges what it showed by moving sms_notify.epoch on, so
-- a count is only current while its unread_epoch equals the user's epoch.
-- A new session acknowledges everything (signing in again shows none).
CREATE TABLE IF NOT EXISTS conversations (
  user_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  last_message_id BIGINT UNSIGNED NOT NULL,
  last_at DATETIME(6) NOT NULL,
  unread INT UNSIGNED NOT NULL DEFAULT 0,
  unread_epoch BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, lead_id, contact_id),
  KEY conversations_recent (user_id, last_at, last_message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sms_notify (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  epoch BIGINT UNSIGNED NOT NULL DEFAULT 1,
  session_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  unread INT UNSIGNED NOT NULL DEFAULT 0,
  unread_epoch BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at)
  SELECT user_id, lead_id, contact_id, MAX(id), MAX(created_at) FROM messages
  WHERE user_id IS NOT NULL AND lead_id IS NOT NULL AND contact_id IS NOT NULL
  GROUP BY user_id, lead_id, contact_id;

DROP TRIGGER IF EXISTS messages_conversation_insert;
CREATE TRIGGER messages_conversation_insert AFTER INSERT ON messages FOR EACH ROW
BEGIN
  DECLARE e BIGINT UNSIGNED DEFAULT 1;
  IF NEW.user_id IS NOT NULL AND NEW.lead_id IS NOT NULL AND NEW.contact_id IS NOT NULL THEN
    IF NEW.direction = 'inbound' THEN
      INSERT INTO sms_notify (user_id, unread, unread_epoch) VALUES (NEW.user_id, 1, 1)
        ON DUPLICATE KEY UPDATE unread = IF(unread_epoch = epoch, unread + 1, 1), unread_epoch = epoch;
      SELECT epoch INTO e FROM sms_notify WHERE user_id = NEW.user_id;
    END IF;
    INSERT INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at, unread, unread_epoch)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at,
              NEW.direction = 'inbound', IF(NEW.direction = 'inbound', e, 0))
      ON DUPLICATE KEY UPDATE
        unread = IF(NEW.direction = 'inbound', IF(unread_epoch = e, unread + 1, 1), unread),
        unread_epoch = IF(NEW.direction = 'inbound', e, unread_epoch),
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;

-- a text filed from the Unmatched list joins that conversation (read)
DROP TRIGGER IF EXISTS messages_conversation_filed;
CREATE TRIGGER messages_conversation_filed AFTER UPDATE ON messages FOR EACH ROW
BEGIN
  IF OLD.lead_id IS NULL AND NEW.lead_id IS NOT NULL AND NEW.user_id IS NOT NULL
     AND NEW.contact_id IS NOT NULL THEN
    INSERT INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at)
      ON DUPLICATE KEY UPDATE
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;
