-- /leads shows each lead's borrower and current agents. Looking them up per
-- row took two correlated subqueries for each of the page's 51 rows, most
-- of the page's database time. Each lead carries a copy of both instead,
-- kept by triggers on contacts, assignments and users, so that every writer
-- (the pages, the import, an admin renaming a user) keeps them right.
ALTER TABLE leads
  ADD COLUMN IF NOT EXISTS borrower_name VARCHAR(200) NULL,
  ADD COLUMN IF NOT EXISTS agent_names VARCHAR(2000) NULL;

-- the same expressions the triggers below use (written out in each: a
-- stored procedure would need the CREATE ROUTINE privilege, which a shared
-- host's database user may lack)
UPDATE leads l SET
  l.borrower_name = (SELECT c.name FROM contacts c WHERE c.lead_id = l.id AND c.role = 'borrower'
                     ORDER BY c.id LIMIT 1),
  l.agent_names = (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
                   FROM assignments a JOIN users u ON u.id = a.user_id
                   WHERE a.lead_id = l.id AND a.current_flag = 1);

DROP TRIGGER IF EXISTS contacts_lead_borrower_insert;
CREATE TRIGGER contacts_lead_borrower_insert AFTER INSERT ON contacts FOR EACH ROW
BEGIN
  IF NEW.role = 'borrower' THEN
    UPDATE leads SET borrower_name =
      (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
       ORDER BY c.id LIMIT 1)
    WHERE id = NEW.lead_id;
  END IF;
END;

DROP TRIGGER IF EXISTS contacts_lead_borrower_update;
CREATE TRIGGER contacts_lead_borrower_update AFTER UPDATE ON contacts FOR EACH ROW
BEGIN
  IF OLD.role = 'borrower' OR NEW.role = 'borrower' THEN
    IF NOT (NEW.lead_id <=> OLD.lead_id AND NEW.role <=> OLD.role AND NEW.name <=> OLD.name) THEN
      UPDATE leads SET borrower_name =
        (SELECT c.name FROM contacts c WHERE c.lead_id = NEW.lead_id AND c.role = 'borrower'
         ORDER BY c.id LIMIT 1)
      WHERE id = NEW.lead_id;
      IF NEW.lead_id <> OLD.lead_id THEN
        UPDATE leads SET borrower_name =
          (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
           ORDER BY c.id LIMIT 1)
        WHERE id = OLD.lead_id;
      END IF;
    END IF;
  END IF;
END;

DROP TRIGGER IF EXISTS contacts_lead_borrower_delete;
CREATE TRIGGER contacts_lead_borrower_delete AFTER DELETE ON contacts FOR EACH ROW
BEGIN
  IF OLD.role = 'borrower' THEN
    UPDATE leads SET borrower_name =
      (SELECT c.name FROM contacts c WHERE c.lead_id = OLD.lead_id AND c.role = 'borrower'
       ORDER BY c.id LIMIT 1)
    WHERE id = OLD.lead_id;
  END IF;
END;

DROP TRIGGER IF EXISTS assignments_lead_agents_insert;
CREATE TRIGGER assignments_lead_agents_insert AFTER INSERT ON assignments FOR EACH ROW
BEGIN
  IF NEW.current_flag = 1 THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1)
    WHERE id = NEW.lead_id;
  END IF;
END;

DROP TRIGGER IF EXISTS assignments_lead_agents_update;
CREATE TRIGGER assignments_lead_agents_update AFTER UPDATE ON assignments FOR EACH ROW
BEGIN
  IF NOT (NEW.current_flag <=> OLD.current_flag AND NEW.user_id <=> OLD.user_id
          AND NEW.lead_id <=> OLD.lead_id) THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = NEW.lead_id AND a.current_flag = 1)
    WHERE id = NEW.lead_id;
    IF NEW.lead_id <> OLD.lead_id THEN
      UPDATE leads SET agent_names =
        (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
         FROM assignments a JOIN users u ON u.id = a.user_id
         WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1)
      WHERE id = OLD.lead_id;
    END IF;
  END IF;
END;

DROP TRIGGER IF EXISTS assignments_lead_agents_delete;
CREATE TRIGGER assignments_lead_agents_delete AFTER DELETE ON assignments FOR EACH ROW
BEGIN
  IF OLD.current_flag = 1 THEN
    UPDATE leads SET agent_names =
      (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
       FROM assignments a JOIN users u ON u.id = a.user_id
       WHERE a.lead_id = OLD.lead_id AND a.current_flag = 1)
    WHERE id = OLD.lead_id;
  END IF;
END;

-- a rename reaches every lead the user is currently assigned to
DROP TRIGGER IF EXISTS users_lead_agents_rename;
CREATE TRIGGER users_lead_agents_rename AFTER UPDATE ON users FOR EACH ROW
BEGIN
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE leads l JOIN assignments a ON a.lead_id = l.id AND a.user_id = NEW.id AND a.current_flag = 1
      SET l.agent_names =
        (SELECT LEFT(GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', '), 2000)
         FROM assignments a2 JOIN users u ON u.id = a2.user_id
         WHERE a2.lead_id = l.id AND a2.current_flag = 1);
  END IF;
END;
