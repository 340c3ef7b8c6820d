-- Leads (applications), their contacts, partners, assignments, consent.
CREATE TABLE IF NOT EXISTS leads (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NOT NULL,
  status VARCHAR(50) NOT NULL DEFAULT 'New',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY leads_org_updated (org_id, updated_at, id),
  CONSTRAINT leads_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- External contacts kept once per organization, linked to many leads.
CREATE TABLE IF NOT EXISTS partners (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NOT NULL,
  role VARCHAR(100) NOT NULL DEFAULT 'Real Estate Agent',
  mobile VARCHAR(16) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY partners_org_mobile (org_id, mobile),
  KEY partners_org_name (org_id, name),
  CONSTRAINT partners_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A borrower or co-borrower carries its own name and mobile; an external
-- contact points at its partner, whose name and mobile are the truth.
CREATE TABLE IF NOT EXISTS contacts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  lead_id BIGINT UNSIGNED NOT NULL,
  role ENUM('borrower','co_borrower','external') NOT NULL,
  partner_id BIGINT UNSIGNED NULL,
  name VARCHAR(200) NULL,
  mobile VARCHAR(16) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY contacts_lead (lead_id),
  KEY contacts_org_mobile (org_id, mobile),
  UNIQUE KEY contacts_lead_partner (lead_id, partner_id),
  CONSTRAINT contacts_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
  CONSTRAINT contacts_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id),
  CONSTRAINT contacts_partner_fk FOREIGN KEY (partner_id) REFERENCES partners (id),
  CONSTRAINT contacts_shape CHECK ((role = 'external') = (partner_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Assignment history: a row per assignment, closed when unassigned.
CREATE TABLE IF NOT EXISTS assignments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  assigned_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  assigned_by BIGINT UNSIGNED NULL,
  unassigned_at DATETIME NULL,
  unassigned_by BIGINT UNSIGNED NULL,
  -- 1 while current, NULL afterwards: one current row per lead and user
  current_flag TINYINT AS (IF(unassigned_at IS NULL, 1, NULL)) PERSISTENT,
  UNIQUE KEY assignments_current (lead_id, user_id, current_flag),
  KEY assignments_user (user_id, unassigned_at, lead_id),
  CONSTRAINT assignments_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE,
  CONSTRAINT assignments_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT assignments_by_fk FOREIGN KEY (assigned_by) REFERENCES users (id),
  CONSTRAINT assignments_unby_fk FOREIGN KEY (unassigned_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Consent per scope: 'pair' = an agent's SMS number and a borrower's or
-- co-borrower's number; 'organization' = a partner's number, for every
-- agent (agent_number is '' then).
CREATE TABLE IF NOT EXISTS consents (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  scope ENUM('pair','organization') NOT NULL,
  agent_number VARCHAR(16) NOT NULL DEFAULT '',
  contact_number VARCHAR(16) NOT NULL,
  status ENUM('none','pending','granted') NOT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY consents_scope (org_id, contact_number, scope, agent_number),
  CONSTRAINT consents_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every consent change, kept as evidence for the loan file.
CREATE TABLE IF NOT EXISTS consent_ledger (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  scope ENUM('pair','organization') NOT NULL,
  agent_number VARCHAR(16) NOT NULL DEFAULT '',
  contact_number VARCHAR(16) NOT NULL,
  old_status ENUM('none','pending','granted') NOT NULL,
  new_status ENUM('none','pending','granted') NOT NULL,
  source ENUM('import','request','reply','carrier','admin') NOT NULL,
  changed_by BIGINT UNSIGNED NULL,
  message_id BIGINT UNSIGNED NULL,
  note VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY consent_ledger_number (org_id, contact_number, created_at),
  CONSTRAINT consent_ledger_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
