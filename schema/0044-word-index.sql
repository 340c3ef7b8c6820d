-- The words of the texts, by lead, for the inbox's word search (/inbox?q=,
-- cgi-bin/search.c, cgi-bin/words.c).
--
-- InnoDB's FULLTEXT index on messages.body (0036) builds the whole set of
-- texts holding a word before the first row comes back, however few of them
-- the searcher may see: a word in a tenth of a million texts took seconds.
-- lead_words holds each word (three characters or more, as
-- cgi-bin/words.c cuts a text) once per lead that has a text holding it. An
-- agent's search walks the agent's leads and looks each one's word up by
-- key; a manager's walks the organization's leads that have the word. Both
-- read the texts of those leads only, and stop at the page's rows.
--
-- It is filled outside the request: a text written (or moved to another
-- lead, or filed from Unmatched) is put in words_queue by the messages
-- triggers (schema/triggers/messages.sql), in the writer's transaction; the
-- dispatcher's idle rounds take the queue in batches, cut the texts into
-- words and add them here. Until then the search reads the queued texts
-- themselves, so that a text is found the moment it is written.
--
-- A word is never taken off: a lead whose text left it (merged away) keeps a
-- word it may no longer have. The search reads the texts for every word
-- anyway, so such a word costs a look at the lead's texts and finds nothing.
-- The collation is the texts' (case and accents aside), so that "Closing"
-- and "closing" are one row and a word typed either way finds both.
CREATE TABLE IF NOT EXISTS lead_words (
  lead_id BIGINT UNSIGNED NOT NULL,
  word VARCHAR(32) NOT NULL,
  org_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (lead_id, word),
  KEY lead_words_org (org_id, word, lead_id),
  CONSTRAINT lead_words_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The texts whose words are not in lead_words yet: their ids.
CREATE TABLE IF NOT EXISTS words_queue (
  message_id BIGINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
