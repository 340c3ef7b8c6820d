-- The chatbox reads one agent's conversation on a lead in id order (its
-- contacts sharing a number are several contact_ids, so the conversation
-- index, whose second column is contact_id, cannot give that order): this
-- one gives it without a sort, however long the conversation.
CREATE INDEX IF NOT EXISTS messages_lead_agent_id ON messages (lead_id, user_id, id);
