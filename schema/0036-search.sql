-- Search in the inbox (/inbox?q=, cgi-bin/search.c): words in the texts,
-- the names of a conversation's contact and application, and phone numbers
-- however written, each found through an index, never by a scan.
--
-- Words: InnoDB FULLTEXT indexes, searched in BOOLEAN MODE, on the texts'
-- bodies and on the names each conversation carries (kept by the triggers
-- on messages, leads, contacts and partners, schema/triggers/). They are
-- made without InnoDB's stopword list, so that "will", "who" or "about"
-- (a name, or a word someone texted) can be found; the index holds words of
-- innodb_ft_min_token_size (3) letters or more.
SET SESSION innodb_ft_enable_stopword = 0;
CREATE FULLTEXT INDEX IF NOT EXISTS messages_body_words ON messages (body);
CREATE FULLTEXT INDEX IF NOT EXISTS conversations_name_words ON conversations (lead_name, contact_name);
SET SESSION innodb_ft_enable_stopword = DEFAULT;

-- Numbers: a contact's or a partner's mobile (E.164) reversed, so that the
-- last digits someone types ("0111", "2025550111", "12025550111") are a
-- prefix an index range finds. Generated STORED columns: the rest of the
-- CRM writes contacts and partners with plain SQL, and MariaDB keeps them.
ALTER TABLE contacts
  ADD COLUMN IF NOT EXISTS mobile_reversed VARCHAR(16) AS (REVERSE(mobile)) STORED,
  ADD INDEX IF NOT EXISTS contacts_mobile_reversed (org_id, mobile_reversed);
ALTER TABLE partners
  ADD COLUMN IF NOT EXISTS mobile_reversed VARCHAR(16) AS (REVERSE(mobile)) STORED,
  ADD INDEX IF NOT EXISTS partners_mobile_reversed (org_id, mobile_reversed);

-- On a large database this file takes a while and holds writes back: the
-- first FULLTEXT index of a table rebuilds it (InnoDB adds its document id)
-- and MariaDB builds one with the table's writes blocked (LOCK=SHARED), and
-- adding a STORED column copies contacts and partners, their writes
-- blocked too. Run it at a quiet hour.
