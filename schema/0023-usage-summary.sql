-- The usage report (/reports/usage) summed every text of the month it
-- shows, and of the twelve before it for its chart: its cost grew with the
-- organization's traffic. It reads this summary instead: one row per
-- organization, month (UTC, as the report's) and user (0: a text with
-- none), with the figures the report shows, kept by triggers on messages so
-- that every writer (the outbox, the dispatcher, inbound, status callbacks,
-- filing from Unmatched, the import) keeps it right. A row counts
--   sent      outbound texts the carrier accepted (a carrier_sid),
--   received  inbound texts,
--   billed    the billed messages of the sent ones,
--   failed    outbound texts failed or undelivered.
-- A text that counts for nothing (queued, not yet accepted) writes
-- nothing: POST /sms/send does not wait on its sender's row. An update
-- takes the old row's figures off and adds the new row's, only when they
-- differ (a delivery receipt that changes nothing here writes nothing).
-- The expressions are written out in each trigger: a stored
-- function would need the CREATE ROUTINE privilege, which a shared host's
-- database user may lack.
CREATE TABLE IF NOT EXISTS usage_monthly (
  org_id BIGINT UNSIGNED NOT NULL,
  month DATE NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  sent BIGINT NOT NULL DEFAULT 0,
  received BIGINT NOT NULL DEFAULT 0,
  billed BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month, user_id),
  KEY usage_monthly_month (month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS messages_usage_insert;
DROP TRIGGER IF EXISTS messages_usage_update;
DROP TRIGGER IF EXISTS messages_usage_delete;

CREATE TRIGGER messages_usage_insert AFTER INSERT ON messages FOR EACH ROW
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

-- most updates (the dispatcher's and the carrier's status steps) change
-- nothing counted: one test of the columns that count, before any work
CREATE TRIGGER messages_usage_update AFTER UPDATE ON messages FOR EACH ROW
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

CREATE TRIGGER messages_usage_delete AFTER DELETE ON messages FOR EACH ROW
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

-- the backfill, after the triggers (a text written meanwhile is counted by
-- its trigger once this commits, or makes one of the two wait or retry),
-- in one transaction; rerunning it rebuilds the summary
START TRANSACTION;
DELETE FROM usage_monthly;
INSERT INTO usage_monthly (org_id, month, user_id, sent, received, billed, failed)
  SELECT org_id, DATE_FORMAT(created_at, '%Y-%m-01'), COALESCE(user_id, 0),
         SUM(direction = 'outbound' AND carrier_sid IS NOT NULL) AS s,
         SUM(direction = 'inbound') AS r,
         SUM(IF(direction = 'outbound' AND carrier_sid IS NOT NULL, billed, 0)) AS b,
         SUM(direction = 'outbound' AND status IN ('failed', 'undelivered')) AS f
  FROM messages GROUP BY 1, 2, 3 HAVING s OR r OR b OR f;
COMMIT;
