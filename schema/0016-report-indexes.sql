-- The usage report reads an organization's texts of one month, and the
-- opt-outs of that month: one index range each, not a scan.
CREATE INDEX IF NOT EXISTS messages_org_created ON messages (org_id, created_at);
CREATE INDEX IF NOT EXISTS consent_ledger_org_created ON consent_ledger (org_id, created_at);
