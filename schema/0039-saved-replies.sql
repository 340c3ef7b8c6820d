-- Saved replies: a user's own (user_id set) and their organization's
-- (user_id NULL, written by its admins, offered to everyone in it). The
-- body may name merge fields ({first_name}, ...: cgi-bin/merge.h), checked
-- before it is saved.
CREATE TABLE IF NOT EXISTS saved_replies (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  name VARCHAR(100) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY saved_replies_owner (org_id, user_id, name),
  CONSTRAINT saved_replies_org_fk FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
  CONSTRAINT saved_replies_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
