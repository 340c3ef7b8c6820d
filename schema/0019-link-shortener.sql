-- A text sent anyway with a link through a public link shortener (which
-- carriers often block): the shortener's domain, kept beside what
-- sensitive data it held and who chose to send it (0015).
ALTER TABLE messages
  ADD COLUMN IF NOT EXISTS link_shortener VARCHAR(64) NULL;
