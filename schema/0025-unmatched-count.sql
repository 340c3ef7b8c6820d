-- The header of every page shows how many texts wait in Unmatched (inbound,
-- on no application): the user's own, or the organization's for admins and
-- managers. Counting them was the largest part of the header's statement.
-- The counts are kept here instead, one row per organization and user
-- (user 0: the organization's), by triggers on messages, so that every
-- writer (inbound, filing from Unmatched, the import) keeps them right, and
-- the header reads one row by its key.
CREATE TABLE IF NOT EXISTS unmatched_counts (
  org_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS messages_unmatched_insert;
CREATE TRIGGER messages_unmatched_insert AFTER INSERT ON messages FOR EACH ROW
  IF NEW.direction = 'inbound' AND NEW.lead_id IS NULL THEN
    INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, 0, 1)
      ON DUPLICATE KEY UPDATE n = n + 1;
    IF NEW.user_id IS NOT NULL THEN
      INSERT INTO unmatched_counts (org_id, user_id, n) VALUES (NEW.org_id, NEW.user_id, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;
    END IF;
  END IF;

-- most updates (status steps) touch none of the columns that count: one
-- test of them, before any work
DROP TRIGGER IF EXISTS messages_unmatched_update;
CREATE TRIGGER messages_unmatched_update AFTER UPDATE ON messages FOR EACH ROW
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

DROP TRIGGER IF EXISTS messages_unmatched_delete;
CREATE TRIGGER messages_unmatched_delete AFTER DELETE ON messages FOR EACH ROW
  IF OLD.direction = 'inbound' AND OLD.lead_id IS NULL THEN
    UPDATE unmatched_counts SET n = n - 1
      WHERE org_id = OLD.org_id AND user_id IN (0, COALESCE(OLD.user_id, 0));
  END IF;

-- the backfill, after the triggers and in one transaction (see 0023);
-- rerunning it rebuilds the counts
START TRANSACTION;
DELETE FROM unmatched_counts;
INSERT INTO unmatched_counts (org_id, user_id, n)
  SELECT org_id, 0, COUNT(*) FROM messages
  WHERE lead_id IS NULL AND direction = 'inbound' GROUP BY org_id
  UNION ALL
  SELECT org_id, user_id, COUNT(*) FROM messages
  WHERE lead_id IS NULL AND direction = 'inbound' AND user_id IS NOT NULL GROUP BY org_id, user_id;
COMMIT;
