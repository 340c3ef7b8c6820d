-- A failed text is sent again at most once: a row links the failed text
-- to its resend. The primary key refuses a second resend whoever asks,
-- with whatever form tokens, also while the first one is still queued or
-- sending; the chatbox shows "Resent" with a link to the new text.
-- A table of its own, so that messages (large, and written by other
-- programs too) is not altered.
CREATE TABLE IF NOT EXISTS message_resends (
  message_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  resent_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY message_resends_resent (resent_id),
  CONSTRAINT message_resends_message_fk FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE,
  CONSTRAINT message_resends_resent_fk FOREIGN KEY (resent_id) REFERENCES messages (id) ON DELETE CASCADE,
  CONSTRAINT message_resends_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
