-- The lead an opt-out was recorded on by hand. The withdrawal covers the
-- number in the whole organization; its note (how it was received) is
-- shown only on that lead: other leads sharing the number read who
-- recorded it and when. Rows from before have no lead: their notes are
-- shown nowhere.
ALTER TABLE consent_ledger ADD COLUMN IF NOT EXISTS lead_id BIGINT UNSIGNED NULL;
