-- Texting in: inbound messages (carrier_sid holds the carrier's MessageSid,
-- UNIQUE, so a webhook delivered twice stores one message), the agent's
-- Unmatched list (inbound rows with no lead yet), and inbound images.

-- An inbound text with no lead is on the receiving agent's Unmatched list
-- until someone files it; filed_by and filed_at say who and when.
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS filed_by BIGINT UNSIGNED NULL,
  ADD COLUMN IF NOT EXISTS filed_at DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS num_media INT UNSIGNED NOT NULL DEFAULT 0,
  MODIFY COLUMN kind ENUM('user','consent_request','automatic','image_notice') NOT NULL DEFAULT 'user';
CREATE INDEX IF NOT EXISTS messages_unmatched ON messages (user_id, lead_id, direction, id);
CREATE INDEX IF NOT EXISTS messages_org_unmatched ON messages (org_id, lead_id, direction, id);

-- The webhook log names the message a request carried (several deliveries
-- of one MessageSid are each logged; the message is stored once).
ALTER TABLE webhook_log
  ADD COLUMN IF NOT EXISTS message_sid VARCHAR(64) NULL,
  ADD KEY IF NOT EXISTS webhook_log_sid (message_sid);

-- One row per image of an inbound message, created with the message;
-- the media worker fetches it (pending -> fetched, or failed after its
-- attempts, or refused: too large or not an image).
CREATE TABLE IF NOT EXISTS message_media (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  message_id BIGINT UNSIGNED NOT NULL,
  idx INT UNSIGNED NOT NULL,
  url VARCHAR(2048) NOT NULL,
  declared_type VARCHAR(128) NOT NULL DEFAULT '',
  status ENUM('pending','fetched','failed','refused') NOT NULL DEFAULT 'pending',
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  claim_token BIGINT UNSIGNED NOT NULL DEFAULT 0,
  error VARCHAR(255) NOT NULL DEFAULT '',
  content_type VARCHAR(128) NULL,
  size BIGINT UNSIGNED NULL,
  sha256 CHAR(64) NULL,
  bytes LONGBLOB NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  fetched_at DATETIME(6) NULL,
  UNIQUE KEY message_media_message (message_id, idx),
  KEY message_media_due (status, next_attempt_at),
  CONSTRAINT message_media_message_fk FOREIGN KEY (message_id) REFERENCES messages (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
