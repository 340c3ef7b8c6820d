-- /leads for an agent: the agent's current assignments in the leads' order
-- (most recently updated first), read as an index walk that stops at the
-- page's LIMIT, whatever the number of leads, instead of a sort of every
-- assignment the agent has. Each assignment carries a copy of its lead's
-- updated_at, kept by triggers so that every writer of leads and
-- assignments (the pages, the import) keeps it right.
ALTER TABLE assignments
  ADD COLUMN IF NOT EXISTS lead_updated_at DATETIME NOT NULL DEFAULT '1970-01-01 00:00:01',
  ADD KEY IF NOT EXISTS assignments_user_order (user_id, unassigned_at, lead_updated_at, lead_id);

UPDATE assignments a JOIN leads l ON l.id = a.lead_id
  SET a.lead_updated_at = l.updated_at
  WHERE a.lead_updated_at <> l.updated_at;

DROP TRIGGER IF EXISTS assignments_lead_order;
CREATE TRIGGER assignments_lead_order BEFORE INSERT ON assignments FOR EACH ROW
  SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                     NEW.lead_updated_at);

DROP TRIGGER IF EXISTS leads_assignment_order;
CREATE TRIGGER leads_assignment_order AFTER UPDATE ON leads FOR EACH ROW
BEGIN
  IF NEW.updated_at <> OLD.updated_at THEN
    UPDATE assignments SET lead_updated_at = NEW.updated_at WHERE lead_id = NEW.id;
  END IF;
END;
