-- Sensitive data in texts: what was found in a message (an outbound one
-- sent anyway, or an inbound one for the agent to move to a secure
-- channel), who chose "Send anyway", and whether the organization warns
-- (the agent may send anyway) or blocks.
ALTER TABLE organizations
  ADD COLUMN IF NOT EXISTS sensitive_policy ENUM('warn','block') NOT NULL DEFAULT 'warn';
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS sensitive_kind ENUM('ssn','card','bank_account') NULL,
  ADD COLUMN IF NOT EXISTS sent_anyway_by BIGINT UNSIGNED NULL;
