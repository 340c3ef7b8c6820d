-- The bulk of `make bench`'s data set, run as root on the smsdesk database
-- after tools/bench.sh has imported the organization, its users and partners
-- with smsdeskctl import. tools/bench.sh sets before this file:
--   @org    the organization's id
--   @agent  the benched agent's id
--   @admin  the admin's id (assigned_by)
--   @leads  how many leads @org has afterwards (100000; 1000000 for the
--           ten-times run, which grows the same database: the leads
--           already there are kept, leads @have + 1 to @leads are added)
-- Lead number n (1 to @leads, counted in @org) decides everything below, so
-- a grown database is the one seeded at its size in one go, but for the
-- row order. It creates the leads with updated_at spread over a year (in an
-- order unrelated to the ids), a borrower and a co-borrower on every lead
-- (mobiles +1512xxxxxxx), one of the organization's partners on every third
-- lead and the other one too on every ninth (four contacts), and one current
-- assignment per lead: every 100th lead to @agent (so 1,000 leads out of
-- 100,000), the others round-robin over the other agents. Consent: granted
-- for the organization's partners, and for the pair (assigned agent's SMS
-- number, contact's mobile) on every lead whose agent may text, pending on
-- one in ten of the other agents' contacts. The messages come afterwards
-- (tools/bench-messages.sql).
-- Set-based (the sequence engine's seq_1_to_N), in one transaction without
-- unique and foreign key checks: about 5 s for 100,000 leads into empty
-- tables (InnoDB then builds the indexes by sorting), about a minute to grow
-- them to 1,000,000. InnoDB has no DISABLE KEYS; the statistics are taken
-- afresh at the end (ANALYZE), as a long-lived database has them.

SET SESSION foreign_key_checks = 0, unique_checks = 0;
SET SESSION max_heap_table_size = 256 * 1024 * 1024; -- bench_n: up to a million rows
SET @have = (SELECT COUNT(*) FROM leads WHERE org_id = @org);
-- lead n gets id @base + n: after every id taken so far
SET @base = (SELECT COALESCE(MAX(id), 0) FROM leads) - @have;
SET @now = UTC_TIMESTAMP();
SET @seq = CONCAT('seq_1_to_', @leads);

CREATE TEMPORARY TABLE bench_n (n INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MEMORY;
PREPARE s FROM CONCAT('INSERT INTO bench_n SELECT seq FROM ', @seq, ' WHERE seq > ?');
EXECUTE s USING @have;
DEALLOCATE PREPARE s;

CREATE TEMPORARY TABLE bench_agents (k INT NOT NULL PRIMARY KEY, id BIGINT UNSIGNED NOT NULL)
	SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM users
	WHERE org_id = @org AND role = 'agent' AND active = 1 AND id <> @agent;
SET @nagents = (SELECT COUNT(*) FROM bench_agents);

CREATE TEMPORARY TABLE bench_partners (k INT NOT NULL PRIMARY KEY, id BIGINT UNSIGNED NOT NULL)
	SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id FROM partners WHERE org_id = @org;
SET @npartners = (SELECT COUNT(*) FROM bench_partners);

START TRANSACTION;

-- 7919 is prime to 525600 (the minutes of a year): every lead its own minute
INSERT INTO leads (id, org_id, name, status, created_at, updated_at)
SELECT @base + n, @org,
	CONCAT(ELT(1 + n % 10, 'Brown', 'Garcia', 'Nguyen', 'Smith', 'Patel', 'Johnson',
		   'Lopez', 'Kim', 'Miller', 'Davis'), ' ',
	       ELT(1 + n % 3, 'purchase', 'refinance', 'HELOC'), ' #', n),
	ELT(1 + n % 6, 'New', 'Application', 'Processing', 'Underwriting', 'Approved', 'Closed'),
	@now - INTERVAL ((n * 7919) % 525600) MINUTE - INTERVAL 30 DAY,
	@now - INTERVAL ((n * 7919) % 525600) MINUTE
FROM bench_n;

INSERT INTO contacts (org_id, lead_id, role, name, mobile, created_at)
SELECT @org, @base + n, 'borrower',
	CONCAT(ELT(1 + n % 8, 'Bob', 'Maria', 'Tuan', 'Sarah', 'Raj', 'Emily', 'Diego', 'Grace'), ' ',
	       ELT(1 + n % 10, 'Brown', 'Garcia', 'Nguyen', 'Smith', 'Patel', 'Johnson',
		   'Lopez', 'Kim', 'Miller', 'Davis')),
	CONCAT('+1512', LPAD(2 * n, 7, '0')), @now
FROM bench_n;

INSERT INTO contacts (org_id, lead_id, role, name, mobile, created_at)
SELECT @org, @base + n, 'co_borrower',
	CONCAT(ELT(1 + n % 7, 'Beth', 'Luis', 'Linh', 'Tom', 'Priya', 'Mark', 'Ana'), ' ',
	       ELT(1 + n % 10, 'Brown', 'Garcia', 'Nguyen', 'Smith', 'Patel', 'Johnson',
		   'Lopez', 'Kim', 'Miller', 'Davis')),
	CONCAT('+1512', LPAD(2 * n + 1, 7, '0')), @now
FROM bench_n;

INSERT INTO contacts (org_id, lead_id, role, partner_id, created_at)
SELECT @org, @base + n, 'external', p.id, @now
FROM bench_n JOIN bench_partners p ON p.k = (n DIV 3) % @npartners
WHERE n % 3 = 0;

-- the second partner: a lead with four contacts (the chatbox's figure)
INSERT INTO contacts (org_id, lead_id, role, partner_id, created_at)
SELECT @org, @base + n, 'external', p.id, @now
FROM bench_n JOIN bench_partners p ON p.k = (n DIV 3 + 1) % @npartners
WHERE n % 9 = 0 AND @npartners > 1;

INSERT INTO assignments (lead_id, user_id, assigned_at, assigned_by)
SELECT @base + n, @agent, @now - INTERVAL 30 DAY, @admin FROM bench_n WHERE n % 100 = 0;

INSERT INTO assignments (lead_id, user_id, assigned_at, assigned_by)
SELECT @base + n, a.id, @now - INTERVAL 30 DAY, @admin
FROM bench_n JOIN bench_agents a ON a.k = n % @nagents
WHERE n % 100 <> 0;

INSERT INTO consents (org_id, scope, agent_number, contact_number, status, updated_at)
SELECT @org, 'organization', '', p.mobile, 'granted', @now - INTERVAL 60 DAY
FROM partners p WHERE p.org_id = @org AND p.mobile IS NOT NULL AND @have = 0;

-- every mobile is on one lead, every lead has one current agent: no pair
-- twice. The mobiles and agents are worked out from n as above: a join
-- through contacts and assignments runs for minutes before their ANALYZE.
INSERT INTO consents (org_id, scope, agent_number, contact_number, status, updated_at)
SELECT STRAIGHT_JOIN @org, 'pair', u.sms_number, CONCAT('+1512', LPAD(2 * n + r.r, 7, '0')),
	IF(u.id <> @agent AND (2 * n + r.r) % 10 = 0, 'pending', 'granted'), @now - INTERVAL 20 DAY
FROM bench_n
JOIN (SELECT 0 AS r UNION ALL SELECT 1) r
LEFT JOIN bench_agents a ON a.k = n % @nagents AND n % 100 <> 0
JOIN users u ON u.id = IF(n % 100 = 0, @agent, a.id)
WHERE u.sms_permission = 1 AND u.sms_number IS NOT NULL;

COMMIT;

SET SESSION foreign_key_checks = 1, unique_checks = 1;
-- the statistics a long-lived database would have
ANALYZE TABLE leads, contacts, assignments, partners, users, consents;
