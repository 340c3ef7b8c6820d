-- A consent's status read from the index: the inbox (fifty conversations a
-- page), the chatbox's contacts and the send read a contact's consent by
-- (org_id, contact_number) and the scope's columns, then only its status.
-- With the status in the index that is one index lookup a row instead of
-- two (the unique key's entry, then the row for the status): on the inbox's
-- page about a quarter of its consents' cost. consents_scope stays the
-- rule of one row per scope.
CREATE INDEX IF NOT EXISTS consents_status ON consents (org_id, contact_number, scope, agent_number, status);
