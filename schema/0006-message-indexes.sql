-- The chatbox asks for the newest incoming text of an agent's conversations
-- on a lead (Maximize, the flashing header): one index read, not a sort of
-- the lead's whole history.
CREATE INDEX IF NOT EXISTS messages_lead_agent_in ON messages (lead_id, user_id, direction, created_at, id);
