-- migrate: triggers first
-- Every text already on a lead goes into words_queue (0044), after the
-- messages triggers that queue new ones are in place (migrate applies them
-- before this file because of the line above), so that none written
-- meanwhile is missed. The dispatcher then indexes them in the background;
-- until it has, the word search reads the queued texts themselves (slower,
-- never wrong). Rerunning it queues them again, which only indexes them
-- again.
INSERT IGNORE INTO words_queue (message_id)
  SELECT id FROM messages WHERE lead_id IS NOT NULL AND body <> '';
