-- Needs reply: a conversation whose newest text came from the contact and
-- that nobody answered (a text to the contact from that conversation) or
-- marked Done since; or one marked unread, until it is answered or Done.
-- The state lives on the conversation's own row, which every text in or
-- out already moves on (schema/triggers/messages.sql), so a send or a
-- webhook writes nothing more than it did:
--   done_message_id   the last text of the conversation when it was marked
--                     Done (0: never); a newer text from the contact is
--                     above it again
--   reopened_message_id, reopened_at
--                     the last text when it was marked unread, and when;
--                     any newer text moves last_message_id past it
--   waiting_since     when the contact's first unanswered text came (the
--                     age shown), set by the messages trigger
--   org_id            the conversation's organization (its messages'),
--                     so that a manager's inbox and everyone's count read
--                     one index range
-- needs_reply is computed by MariaDB from those columns on every write,
-- whoever writes them (a plain UPDATE included), and indexed.
ALTER TABLE conversations
  ADD COLUMN IF NOT EXISTS org_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS done_message_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS reopened_message_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS reopened_at DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS waiting_since DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS needs_reply TINYINT(1) AS
    ((last_direction = 'inbound' AND last_message_id > done_message_id)
     OR (reopened_message_id = last_message_id AND reopened_message_id > done_message_id)) PERSISTENT;

-- /inbox's lists and the header's count: an organization's conversations
-- that need a reply, or all of them, newest activity first
CREATE INDEX IF NOT EXISTS conversations_org_needs
  ON conversations (org_id, needs_reply, last_at, last_message_id);
CREATE INDEX IF NOT EXISTS conversations_org_recent
  ON conversations (org_id, last_at, last_message_id);
