-- A status callback replayed (by the carrier or anyone holding a validly
-- signed request) is kept once: one event per sid, status and error code.
ALTER TABLE message_events
  ADD COLUMN IF NOT EXISTS error_key INT AS (COALESCE(error_code, 0)) PERSISTENT;
DELETE e1 FROM message_events e1 JOIN message_events e2
  ON e1.carrier_sid = e2.carrier_sid AND e1.status = e2.status
  AND e1.error_key = e2.error_key AND e1.id > e2.id;
CREATE UNIQUE INDEX IF NOT EXISTS message_events_once ON message_events (carrier_sid, status, error_key);
