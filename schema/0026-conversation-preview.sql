-- Every page's header lists the user's latest conversations: the
-- application's and the contact's names, and the last text (who wrote it,
-- its first 120 characters, whether it has images). Joining each
-- conversation with its lead, contact, partner and last message cost five
-- tables' opening and planning for eight rows: most of a page's database
-- time. Each conversation carries what the header shows instead, kept by
-- triggers on messages, leads, contacts and partners, so that every writer
-- (inbound, the send, filing, the import, a rename) keeps it right, and the
-- header reads one index range. A text's status is not shown there, so it
-- is not carried (the carrier's callbacks cost nothing more).
ALTER TABLE conversations
  ADD COLUMN IF NOT EXISTS lead_name VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS contact_name VARCHAR(200) NULL,
  ADD COLUMN IF NOT EXISTS last_direction ENUM('outbound','inbound') NOT NULL DEFAULT 'outbound',
  ADD COLUMN IF NOT EXISTS last_body VARCHAR(120) NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS last_media TINYINT(1) NOT NULL DEFAULT 0;

-- 0012's trigger, which also carries the last text (the columns it moves
-- with last_message_id, assigned before last_at, which they compare with);
-- a conversation it creates gets its names, looked up only then (two texts
-- starting one at once both look them up, and agree). ROW_COUNT() cannot
-- tell an insert from an update here: in a trigger it is not reliable.
DROP TRIGGER IF EXISTS messages_conversation_insert;
CREATE TRIGGER messages_conversation_insert AFTER INSERT ON messages FOR EACH ROW
BEGIN
  DECLARE e BIGINT UNSIGNED DEFAULT 1;
  DECLARE ln VARCHAR(200) DEFAULT '';
  DECLARE cn VARCHAR(200) DEFAULT NULL;
  IF NEW.user_id IS NOT NULL AND NEW.lead_id IS NOT NULL AND NEW.contact_id IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM conversations WHERE user_id = NEW.user_id AND lead_id = NEW.lead_id
                   AND contact_id = NEW.contact_id) THEN
      SELECT l.name, COALESCE(p.name, c.name) INTO ln, cn
        FROM leads l JOIN contacts c ON c.id = NEW.contact_id LEFT JOIN partners p ON p.id = c.partner_id
        WHERE l.id = NEW.lead_id;
    END IF;
    IF NEW.direction = 'inbound' THEN
      INSERT INTO sms_notify (user_id, unread, unread_epoch) VALUES (NEW.user_id, 1, 1)
        ON DUPLICATE KEY UPDATE unread = IF(unread_epoch = epoch, unread + 1, 1), unread_epoch = epoch;
      SELECT epoch INTO e FROM sms_notify WHERE user_id = NEW.user_id;
    END IF;
    INSERT INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at, unread, unread_epoch,
                               lead_name, contact_name, last_direction, last_body, last_media)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at,
              NEW.direction = 'inbound', IF(NEW.direction = 'inbound', e, 0),
              ln, cn, NEW.direction, LEFT(NEW.body, 120), NEW.num_media > 0)
      ON DUPLICATE KEY UPDATE
        unread = IF(NEW.direction = 'inbound', IF(unread_epoch = e, unread + 1, 1), unread),
        unread_epoch = IF(NEW.direction = 'inbound', e, unread_epoch),
        last_direction = IF(NEW.created_at >= last_at, NEW.direction, last_direction),
        last_body = IF(NEW.created_at >= last_at, LEFT(NEW.body, 120), last_body),
        last_media = IF(NEW.created_at >= last_at, NEW.num_media > 0, last_media),
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;

-- 0012's trigger for a text filed from the Unmatched list, the same way
DROP TRIGGER IF EXISTS messages_conversation_filed;
CREATE TRIGGER messages_conversation_filed AFTER UPDATE ON messages FOR EACH ROW
BEGIN
  DECLARE ln VARCHAR(200) DEFAULT '';
  DECLARE cn VARCHAR(200) DEFAULT NULL;
  IF OLD.lead_id IS NULL AND NEW.lead_id IS NOT NULL AND NEW.user_id IS NOT NULL
     AND NEW.contact_id IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM conversations WHERE user_id = NEW.user_id AND lead_id = NEW.lead_id
                   AND contact_id = NEW.contact_id) THEN
      SELECT l.name, COALESCE(p.name, c.name) INTO ln, cn
        FROM leads l JOIN contacts c ON c.id = NEW.contact_id LEFT JOIN partners p ON p.id = c.partner_id
        WHERE l.id = NEW.lead_id;
    END IF;
    INSERT INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at,
                               lead_name, contact_name, last_direction, last_body, last_media)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at,
              ln, cn, NEW.direction, LEFT(NEW.body, 120), NEW.num_media > 0)
      ON DUPLICATE KEY UPDATE
        last_direction = IF(NEW.created_at >= last_at, NEW.direction, last_direction),
        last_body = IF(NEW.created_at >= last_at, LEFT(NEW.body, 120), last_body),
        last_media = IF(NEW.created_at >= last_at, NEW.num_media > 0, last_media),
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;

DROP TRIGGER IF EXISTS leads_conversation_name;
CREATE TRIGGER leads_conversation_name AFTER UPDATE ON leads FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE conversations SET lead_name = NEW.name WHERE lead_id = NEW.id;
  END IF;

-- a contact's name shows unless it is a partner's (the partner's is the truth)
DROP TRIGGER IF EXISTS contacts_conversation_name;
CREATE TRIGGER contacts_conversation_name AFTER UPDATE ON contacts FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name AND NEW.partner_id <=> OLD.partner_id) THEN
    UPDATE conversations
      SET contact_name = COALESCE((SELECT p.name FROM partners p WHERE p.id = NEW.partner_id), NEW.name)
      WHERE lead_id IN (OLD.lead_id, NEW.lead_id) AND contact_id = NEW.id;
  END IF;

DROP TRIGGER IF EXISTS partners_conversation_name;
CREATE TRIGGER partners_conversation_name AFTER UPDATE ON partners FOR EACH ROW
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE conversations cv JOIN contacts c ON c.lead_id = cv.lead_id AND c.id = cv.contact_id
      SET cv.contact_name = NEW.name
      WHERE c.partner_id = NEW.id;
  END IF;

-- the backfill, after the triggers and in one transaction (see 0023);
-- rerunning it rebuilds the columns
START TRANSACTION;
UPDATE conversations cv
  JOIN leads l ON l.id = cv.lead_id
  JOIN contacts c ON c.id = cv.contact_id
  LEFT JOIN partners p ON p.id = c.partner_id
  JOIN messages m ON m.id = cv.last_message_id
  SET cv.lead_name = l.name, cv.contact_name = COALESCE(p.name, c.name),
      cv.last_direction = m.direction, cv.last_body = LEFT(m.body, 120),
      cv.last_media = m.num_media > 0;
COMMIT;
