-- A partner's reply goes to the application updated last among those the
-- partner is on. Finding it joined every lead the partner is on and sorted
-- them: a title officer on thousands of applications cost thousands of
-- rows per text. Each contact now carries a copy of its lead's updated_at
-- (as assignments do since 0017), so that a partner's newest application
-- is the first entry of an index walk. Kept by triggers, so that every
-- writer of leads and contacts (the pages, the import) keeps it right.
ALTER TABLE contacts
  ADD COLUMN IF NOT EXISTS lead_updated_at DATETIME NOT NULL DEFAULT '1970-01-01 00:00:01',
  ADD KEY IF NOT EXISTS contacts_partner_order (partner_id, lead_updated_at, lead_id);

DROP TRIGGER IF EXISTS contacts_lead_order_insert;
CREATE TRIGGER contacts_lead_order_insert BEFORE INSERT ON contacts FOR EACH ROW
  SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                     NEW.lead_updated_at);

DROP TRIGGER IF EXISTS contacts_lead_order_update;
CREATE TRIGGER contacts_lead_order_update BEFORE UPDATE ON contacts FOR EACH ROW
BEGIN
  IF NEW.lead_id <> OLD.lead_id THEN
    SET NEW.lead_updated_at = COALESCE((SELECT updated_at FROM leads WHERE id = NEW.lead_id),
                                       NEW.lead_updated_at);
  END IF;
END;

DROP TRIGGER IF EXISTS leads_contact_order;
CREATE TRIGGER leads_contact_order AFTER UPDATE ON leads FOR EACH ROW
BEGIN
  IF NEW.updated_at <> OLD.updated_at THEN
    UPDATE contacts SET lead_updated_at = NEW.updated_at WHERE lead_id = NEW.id;
  END IF;
END;

-- after the triggers: a lead updated meanwhile is copied by its trigger
UPDATE contacts c JOIN leads l ON l.id = c.lead_id
  SET c.lead_updated_at = l.updated_at
  WHERE c.lead_updated_at <> l.updated_at;
