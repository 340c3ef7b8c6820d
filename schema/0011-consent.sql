-- Consent by text: the organization's wording and cooling-off, the help
-- text's contact line, an agent's NMLS ID, opt-outs recorded by hand, and
-- texts that may be an opt-out for the agent to look at.
ALTER TABLE organizations
  ADD COLUMN IF NOT EXISTS consent_request_text VARCHAR(640) NULL,
  ADD COLUMN IF NOT EXISTS consent_cooloff_hours INT UNSIGNED NOT NULL DEFAULT 24,
  ADD COLUMN IF NOT EXISTS help_contact VARCHAR(160) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN IF NOT EXISTS nmls_id VARCHAR(20) NULL;
ALTER TABLE consent_ledger
  MODIFY COLUMN source ENUM('import','request','reply','carrier','admin','manual') NOT NULL;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS possible_opt_out TINYINT(1) NOT NULL DEFAULT 0;
