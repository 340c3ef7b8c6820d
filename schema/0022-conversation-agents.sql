-- The chatbox lists a lead's former agents: those with a conversation on
-- the lead who are no longer assigned. Found by this index, a few rows a
-- lead, instead of a pass over the lead's texts and a scan of the users.
CREATE INDEX IF NOT EXISTS conversations_lead ON conversations (lead_id, user_id);
