-- The triggers on messages, written only by smsdesk (the send, the outbox and
-- dispatcher, inbound, status callbacks, filing from Unmatched, the import).
--
-- Every trigger on this table as it stands, each with what it keeps. `smsdeskctl
-- migrate` applies this file again whenever it changes (cgi-bin/migrate.c): each
-- CREATE OR REPLACE swaps one trigger in one step, and a trigger this file no longer
-- makes is dropped. The numbered migrations that first made them (named with each)
-- are history. See docs/triggers.md.

-- messages_usage_insert (0023-usage-summary.sql, AFTER INSERT): a text that counts
-- for the usage report (inbound, accepted by the carrier, or failed): added to its
-- organization's, month's and user's row of usage_monthly
CREATE OR REPLACE TRIGGER messages_usage_insert AFTER INSERT ON messages FOR EACH ROW
  IF NEW.direction = 'inbound' OR NEW.carrier_sid IS NOT NULL
     OR NEW.status IN ('failed', 'undelivered') THEN
    INSERT INTO usage_monthly (org_id, month, user_id, sent, received, billed, failed)
      VALUES (NEW.org_id, DATE_FORMAT(NEW.created_at, '%Y-%m-01'), COALESCE(NEW.user_id, 0),
              NEW.direction = 'outbound' AND NEW.carrier_sid IS NOT NULL,
              NEW.direction = 'inbound',
              IF(NEW.direction = 'outbound' AND NEW.carrier_sid IS NOT NULL, NEW.billed, 0),
              NEW.direction = 'outbound' AND NEW.status IN ('failed', 'undelivered'))
      ON DUPLICATE KEY UPDATE sent = sent + VALUES(sent), received = received + VALUES(received),
        billed = billed + VALUES(billed), failed = failed + VALUES(failed);
  END IF;

-- messages_usage_update (0023-usage-summary.sql, AFTER UPDATE): a text's counted
-- figures changed (accepted, billed, failed, moved): its old figures taken off
-- usage_monthly, the new ones added; status steps that change nothing counted write
-- nothing
CREATE OR REPLACE TRIGGER messages_usage_update AFTER UPDATE ON messages FOR EACH ROW
  IF NOT (NEW.carrier_sid <=> OLD.carrier_sid AND NEW.billed <=> OLD.billed
          AND (NEW.status IN ('failed', 'undelivered')) <=> (OLD.status IN ('failed', 'undelivered'))
          AND NEW.direction <=> OLD.direction AND NEW.org_id <=> OLD.org_id
          AND NEW.user_id <=> OLD.user_id AND NEW.created_at <=> OLD.created_at) THEN
    BEGIN
      DECLARE os, orc, ob, ofl, ns, nrc, nb, nfl BIGINT;
      SET os = OLD.direction = 'outbound' AND OLD.carrier_sid IS NOT NULL,
          orc = OLD.direction = 'inbound',
          ob = IF(OLD.direction = 'outbound' AND OLD.carrier_sid IS NOT NULL, OLD.billed, 0),
          ofl = OLD.direction = 'outbound' AND OLD.status IN ('failed', 'undelivered'),
          ns = NEW.direction = 'outbound' AND NEW.carrier_sid IS NOT NULL,
          nrc = NEW.direction = 'inbound',
          nb = IF(NEW.direction = 'outbound' AND NEW.carrier_sid IS NOT NULL, NEW.billed, 0),
          nfl = NEW.direction = 'outbound' AND NEW.status IN ('failed', 'undelivered');
      IF NOT (NEW.org_id <=> OLD.org_id AND NEW.user_id <=> OLD.user_id
              AND DATE_FORMAT(NEW.created_at, '%Y-%m') <=> DATE_FORMAT(OLD.created_at, '%Y-%m')
              AND ns = os AND nrc = orc AND nb = ob AND nfl = ofl) THEN
        IF os OR orc OR ob OR ofl THEN
          INSERT INTO usage_monthly (org_id, month, user_id, sent, received, billed, failed)
            VALUES (OLD.org_id, DATE_FORMAT(OLD.created_at, '%Y-%m-01'), COALESCE(OLD.user_id, 0),
                    -os, -orc, -ob, -ofl)
            ON DUPLICATE KEY UPDATE sent = sent + VALUES(sent), received = received + VALUES(received),
              billed = billed + VALUES(billed), failed = failed + VALUES(failed);
        END IF;
        IF ns OR nrc OR nb OR nfl THEN
          INSERT INTO usage_monthly (org_id, month, user_id, sent, received, billed, failed)
            VALUES (NEW.org_id, DATE_FORMAT(NEW.created_at, '%Y-%m-01'), COALESCE(NEW.user_id, 0),
                    ns, nrc, nb, nfl)
            ON DUPLICATE KEY UPDATE sent = sent + VALUES(sent), received = received + VALUES(received),
              billed = billed + VALUES(billed), failed = failed + VALUES(failed);
        END IF;
      END IF;
    END;
  END IF;

-- messages_usage_delete (0023-usage-summary.sql, AFTER DELETE): a counted text
-- deleted: its figures taken off usage_monthly
CREATE OR REPLACE TRIGGER messages_usage_delete AFTER DELETE ON messages FOR EACH ROW
  IF OLD.direction = 'inbound' OR OLD.carrier_sid IS NOT NULL
     OR OLD.status IN ('failed', 'undelivered') THEN
    UPDATE usage_monthly SET
      sent = sent - (OLD.direction = 'outbound' AND OLD.carrier_sid IS NOT NULL),
      received = received - (OLD.direction = 'inbound'),
      billed = billed - IF(OLD.direction = 'outbound' AND OLD.carrier_sid IS NOT NULL, OLD.billed, 0),
      failed = failed - (OLD.direction = 'outbound' AND OLD.status IN ('failed', 'undelivered'))
    WHERE org_id = OLD.org_id AND month = DATE_FORMAT(OLD.created_at, '%Y-%m-01')
      AND user_id = COALESCE(OLD.user_id, 0);
  END IF;

-- messages_unmatched_insert (0025-unmatched-count.sql, AFTER INSERT): an inbound text
-- on no application: the Unmatched counts (unmatched_counts, the organization's and
-- the agent's) go up
CREATE OR REPLACE TRIGGER messages_unmatched_insert AFTER INSERT ON messages FOR EACH ROW
  IF NEW.direction = 'inbound' AND NEW.lead_id IS NULL THEN
    INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, 0, 1)
      ON DUPLICATE KEY UPDATE n = n + 1;
    IF NEW.user_id IS NOT NULL THEN
      INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, NEW.user_id, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
  END IF;

-- messages_unmatched_update (0025-unmatched-count.sql, AFTER UPDATE): a text filed
-- from Unmatched (or moved): the counts follow
CREATE OR REPLACE TRIGGER messages_unmatched_update AFTER UPDATE ON messages FOR EACH ROW
  IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.direction <=> OLD.direction
          AND NEW.org_id <=> OLD.org_id AND NEW.user_id <=> OLD.user_id) THEN
    IF OLD.direction = 'inbound' AND OLD.lead_id IS NULL THEN
      UPDATE unmatched_counts SET n = n - 1
        WHERE org_id = OLD.org_id AND user_id IN (0, COALESCE(OLD.user_id, 0));
    END IF;
    IF NEW.direction = 'inbound' AND NEW.lead_id IS NULL THEN
      INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, 0, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;
      IF NEW.user_id IS NOT NULL THEN
        INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, NEW.user_id, 1)
          ON DUPLICATE KEY UPDATE n = n + 1;
      END IF;
    END IF;
  END IF;

-- messages_unmatched_delete (0025-unmatched-count.sql, AFTER DELETE): an Unmatched
-- text deleted: the counts go down
CREATE OR REPLACE TRIGGER messages_unmatched_delete AFTER DELETE ON messages FOR EACH ROW
  IF OLD.direction = 'inbound' AND OLD.lead_id IS NULL THEN
    UPDATE unmatched_counts SET n = n - 1
      WHERE org_id = OLD.org_id AND user_id IN (0, COALESCE(OLD.user_id, 0));
  END IF;

-- messages_conversation_insert (0026-conversation-preview.sql, AFTER INSERT): a text
-- in or out: its conversation (the header's row, conversations) made or moved on,
-- with its names (looked up only when it is made), its last text, its organization,
-- for an inbound text the unread counts (sms_notify, conversations) and, when it
-- starts a wait for a reply, waiting_since (see 0033-needs-reply.sql)
CREATE OR REPLACE TRIGGER messages_conversation_insert AFTER INSERT ON messages FOR EACH ROW
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
                               lead_name, contact_name, last_direction, last_body, last_media,
                               org_id, waiting_since)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at,
              NEW.direction = 'inbound', IF(NEW.direction = 'inbound', e, 0),
              ln, cn, NEW.direction, LEFT(NEW.body, 120), NEW.num_media > 0,
              NEW.org_id, IF(NEW.direction = 'inbound', NEW.created_at, NULL))
      ON DUPLICATE KEY UPDATE
        waiting_since = IF(NEW.direction = 'inbound' AND NEW.created_at >= last_at
                           AND NOT ((last_direction = 'inbound' AND last_message_id > done_message_id)
                         OR (reopened_message_id = last_message_id AND reopened_message_id > done_message_id)),
                           NEW.created_at, waiting_since),
        unread = IF(NEW.direction = 'inbound', IF(unread_epoch = e, unread + 1, 1), unread),
        unread_epoch = IF(NEW.direction = 'inbound', e, unread_epoch),
        last_direction = IF(NEW.created_at >= last_at, NEW.direction, last_direction),
        last_body = IF(NEW.created_at >= last_at, LEFT(NEW.body, 120), last_body),
        last_media = IF(NEW.created_at >= last_at, NEW.num_media > 0, last_media),
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;

-- messages_conversation_filed (0026-conversation-preview.sql, AFTER UPDATE): a text
-- filed from the Unmatched list joins its conversation (read), made if needed, its
-- organization and waiting_since kept as on insert
CREATE OR REPLACE TRIGGER messages_conversation_filed AFTER UPDATE ON messages FOR EACH ROW
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
                               lead_name, contact_name, last_direction, last_body, last_media,
                               org_id, waiting_since)
      VALUES (NEW.user_id, NEW.lead_id, NEW.contact_id, NEW.id, NEW.created_at,
              ln, cn, NEW.direction, LEFT(NEW.body, 120), NEW.num_media > 0,
              NEW.org_id, IF(NEW.direction = 'inbound', NEW.created_at, NULL))
      ON DUPLICATE KEY UPDATE
        waiting_since = IF(NEW.direction = 'inbound' AND NEW.created_at >= last_at
                           AND NOT ((last_direction = 'inbound' AND last_message_id > done_message_id)
                         OR (reopened_message_id = last_message_id AND reopened_message_id > done_message_id)),
                           NEW.created_at, waiting_since),
        last_direction = IF(NEW.created_at >= last_at, NEW.direction, last_direction),
        last_body = IF(NEW.created_at >= last_at, LEFT(NEW.body, 120), last_body),
        last_media = IF(NEW.created_at >= last_at, NEW.num_media > 0, last_media),
        last_message_id = IF(NEW.created_at >= last_at, NEW.id, last_message_id),
        last_at = GREATEST(last_at, NEW.created_at);
  END IF;
END;

-- messages_words_insert (0044-word-index.sql, AFTER INSERT): a text on a lead, with
-- words, queued for the word index (words_queue; the dispatcher cuts it into
-- lead_words)
CREATE OR REPLACE TRIGGER messages_words_insert AFTER INSERT ON messages FOR EACH ROW
  IF NEW.lead_id IS NOT NULL AND NEW.body <> '' THEN
    INSERT IGNORE INTO words_queue (message_id) VALUES (NEW.id);
  END IF;

-- messages_words_update (0044-word-index.sql, AFTER UPDATE): a text filed from
-- Unmatched, moved to another lead (a merge) or whose words changed: queued again,
-- so that its new lead has its words
CREATE OR REPLACE TRIGGER messages_words_update AFTER UPDATE ON messages FOR EACH ROW
  IF NEW.lead_id IS NOT NULL AND NEW.body <> ''
     AND NOT (NEW.lead_id <=> OLD.lead_id AND NEW.body <=> OLD.body) THEN
    INSERT IGNORE INTO words_queue (message_id) VALUES (NEW.id);
  END IF;
