-- The send form carries a one-time token: a form sent twice (a double
-- click, a retry after a lost answer) queues its text once.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS submit_token CHAR(64) NULL;
CREATE UNIQUE INDEX IF NOT EXISTS messages_submit ON messages (user_id, submit_token);
