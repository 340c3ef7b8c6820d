-- Each claim of an outbox row carries a token, so that a dispatcher whose
-- lease ran out cannot record over another dispatcher's claim.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claim_token BIGINT UNSIGNED NOT NULL DEFAULT 0;
