-- migrate: triggers first
-- 0033's columns filled, after the messages triggers that keep them are in
-- place (applied by migrate before this file because of the line above):
-- each conversation's organization (its lead's), and, for one whose
-- newest text came from the contact, when that text came. Rerunning it
-- fills them again.
START TRANSACTION;
UPDATE conversations cv JOIN leads l ON l.id = cv.lead_id
  SET cv.org_id = l.org_id
  WHERE cv.org_id = 0;
UPDATE conversations
  SET waiting_since = last_at
  WHERE waiting_since IS NULL AND last_direction = 'inbound';
COMMIT;
