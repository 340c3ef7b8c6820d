-- The texts' FULLTEXT index (0036, messages_body_words) is no longer read:
-- the word search reads lead_words (0044). InnoDB cut every text written
-- into it at commit and merged its cache into the index tables, on the
-- send's and the webhook's path; the names' index (conversations) stays.
-- Dropping it is a change of the table's definition only (the hidden
-- FTS_DOC_ID column InnoDB added for it stays, unused).
DROP INDEX IF EXISTS messages_body_words ON messages;
