-- Messages, the outbox the dispatcher sends from, carrier events, drafts.
CREATE TABLE IF NOT EXISTS messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NULL,
  contact_id BIGINT UNSIGNED NULL,
  -- the agent whose conversation this is: the sender of an outbound text,
  -- the owner of the number an inbound text was sent to
  user_id BIGINT UNSIGNED NULL,
  direction ENUM('outbound','inbound') NOT NULL,
  kind ENUM('user','consent_request','automatic') NOT NULL DEFAULT 'user',
  agent_number VARCHAR(16) NOT NULL,
  contact_number VARCHAR(16) NOT NULL,
  body TEXT NOT NULL,
  encoding ENUM('gsm7','ucs2') NOT NULL DEFAULT 'gsm7',
  length INT UNSIGNED NOT NULL DEFAULT 0,
  billed INT UNSIGNED NOT NULL DEFAULT 0,
  status ENUM('queued','sending','sent','delivered','undelivered','failed','received') NOT NULL,
  error_code INT NULL,
  error_message VARCHAR(255) NULL,
  carrier_sid VARCHAR(64) NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY messages_carrier_sid (carrier_sid),
  KEY messages_conversation (lead_id, contact_id, user_id, id),
  KEY messages_numbers (org_id, contact_number, agent_number, id),
  CONSTRAINT messages_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id),
  CONSTRAINT messages_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT messages_contact_fk FOREIGN KEY (contact_id) REFERENCES contacts (id),
  CONSTRAINT messages_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per outbound message until the carrier has it (or refused it).
-- A claim is a lease: next_attempt_at moves past the send's timeout, so a
-- dispatcher that dies mid-send leaves the row to another one, which then
-- asks the carrier before sending again (in_doubt).
CREATE TABLE IF NOT EXISTS outbox (
  message_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  in_doubt TINYINT(1) NOT NULL DEFAULT 0,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  KEY outbox_due (next_attempt_at),
  CONSTRAINT outbox_message_fk FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The per-number send rate, shared by every process and host.
CREATE TABLE IF NOT EXISTS number_rate (
  number VARCHAR(16) NOT NULL PRIMARY KEY,
  next_send_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every status callback, kept whether or not it moved the message.
CREATE TABLE IF NOT EXISTS message_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  message_id BIGINT UNSIGNED NULL,
  carrier_sid VARCHAR(64) NOT NULL,
  status VARCHAR(32) NOT NULL,
  error_code INT NULL,
  applied TINYINT(1) NOT NULL,
  received_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY message_events_message (message_id, id),
  KEY message_events_sid (carrier_sid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every webhook request as it came, before anything else is done with it.
CREATE TABLE IF NOT EXISTS webhook_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind ENUM('inbound','status') NOT NULL,
  signature_ok TINYINT(1) NOT NULL,
  params MEDIUMTEXT NOT NULL,
  received_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY webhook_log_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A refused text, kept for the box it was typed in (nothing typed is lost),
-- shown once by the next page load.
CREATE TABLE IF NOT EXISTS sms_drafts (
  session_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  body TEXT NOT NULL,
  error VARCHAR(64) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (session_id, lead_id, contact_id),
  CONSTRAINT sms_drafts_session_fk FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
