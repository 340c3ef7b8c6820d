-- `make bench`'s texts, run as root on the smsdesk database after
-- tools/bench-seed.sql. tools/bench.sh sets before this file:
--   @org            the organization's id
--   @agent          the benched agent's id
--   @chat_lead      the agent's lead whose chatbox is measured
--   @chat_contact   that lead's contact whose conversation is shown
--   @messages       how many messages to add (1000000; 9000000 more for the
--                   ten-times run, which grows the same database)
--   @chat_messages  how many of them in the shown conversation (50)
--   @from_lead      only leads with a higher id get texts (0; the ten-times
--                   run gives them to its new leads only, so that every
--                   conversation is seeded once, in time order)
-- A conversation is a lead's contact and the lead's current agent, when that
-- agent may text (eve, without an SMS number, has none). The shown one gets
-- the first @chat_messages messages, over the last two days; the others
-- share the rest in exchanges of six consecutive texts, the texts spread
-- evenly over the year before (31 s apart for 1,000,000 messages, 3.5 s for
-- 9,000,000 more): with 1,000,000 messages on 100,000 leads, 60% of the
-- conversations get six or twelve texts, the others none, and the same
-- holds for 10,000,000 on 1,000,000. Outbound texts are delivered, inbound
-- ones received; every one has its carrier sid. Message ids follow time
-- within every conversation.
--
-- Set-based: one INSERT ... SELECT over the sequence engine's seq_1_to_N,
-- without unique and foreign key checks, in one statement. tools/bench.sh
-- drops the messages_conversation_insert, messages_usage_insert and
-- messages_unmatched_insert triggers (schema/0012, 0023, 0025) around this
-- file and puts them back exactly as they were: a trigger run per row takes
-- three times as long as the insert itself. What they keep is filled here
-- instead, one statement each (the seeded texts all read: signing in
-- acknowledges every earlier text anyway); the summary and the counts only
-- when their trigger is off (tests/e2e/t0700 seeds with the triggers on).
SET SESSION foreign_key_checks = 0, unique_checks = 0;
SET SESSION max_heap_table_size = 1024 * 1024 * 1024; -- bench_conv: up to 2,000,000 rows
SET @now = UTC_TIMESTAMP(6);
SET @seq = CONCAT('seq_1_to_', @messages);
SET @idbase = (SELECT COALESCE(MAX(id), 0) FROM messages);
-- the year before the last three days, in steps of @step_us microseconds
SET @step_us = GREATEST(1, FLOOR(365 * 86400 * 1000000 / @messages));

CREATE TEMPORARY TABLE bench_conv (
	k INT UNSIGNED NOT NULL PRIMARY KEY,
	lead_id BIGINT UNSIGNED NOT NULL,
	contact_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	agent_number VARCHAR(16) CHARACTER SET ascii NOT NULL,
	contact_number VARCHAR(16) CHARACTER SET ascii NOT NULL
) ENGINE=MEMORY
	SELECT ROW_NUMBER() OVER (ORDER BY c.id) - 1 AS k, c.lead_id, c.id AS contact_id,
		u.id AS user_id, u.sms_number AS agent_number,
		COALESCE(p.mobile, c.mobile) AS contact_number
	FROM contacts c
	JOIN assignments a ON a.lead_id = c.lead_id AND a.unassigned_at IS NULL
	JOIN users u ON u.id = a.user_id AND u.sms_permission = 1 AND u.sms_number IS NOT NULL
	LEFT JOIN partners p ON p.id = c.partner_id
	WHERE c.org_id = @org AND COALESCE(p.mobile, c.mobile) IS NOT NULL
	AND c.id <> @chat_contact AND c.lead_id > @from_lead;
SET @nconv = (SELECT COUNT(*) FROM bench_conv);
-- exchange b goes to conversation (b % @busy) * 7919 % @nconv (7919 is prime):
-- @busy conversations get one or two exchanges, the others none
SET @busy = GREATEST(1, LEAST(@nconv, FLOOR(@nconv * 0.6)));

-- the shown conversation is the last one, k = @nconv
INSERT INTO bench_conv (k, lead_id, contact_id, user_id, agent_number, contact_number)
SELECT @nconv, c.lead_id, c.id, u.id, u.sms_number, COALESCE(p.mobile, c.mobile)
FROM contacts c JOIN users u ON u.id = @agent
LEFT JOIN partners p ON p.id = c.partner_id
WHERE c.id = @chat_contact AND c.lead_id = @chat_lead;

-- n: the message's number; e: its place in its exchange of six
PREPARE s FROM CONCAT('
INSERT INTO messages (id, org_id, lead_id, contact_id, user_id, direction, kind, agent_number,
	contact_number, body, encoding, length, billed, status, carrier_sid, created_at, updated_at)
SELECT STRAIGHT_JOIN @idbase + t.n, @org, c.lead_id, c.contact_id, c.user_id, t.direction, ''user'', c.agent_number,
	c.contact_number, t.body, ''gsm7'', CHAR_LENGTH(t.body), 1 + (CHAR_LENGTH(t.body) > 160),
	IF(t.direction = ''outbound'', ''delivered'', ''received''),
	CONCAT(''SM'', LPAD(HEX(@idbase + t.n), 32, ''0'')), t.at, t.at
FROM (
	SELECT seq AS n,
		IF(seq <= @chat_messages, @nconv,
		   ((seq - @chat_messages - 1) DIV 6 % @busy * 7919) % @nconv) AS k,
		IF((seq - 1) % 6 IN (0, 2, 3), ''outbound'', ''inbound'') AS direction,
		IF(seq <= @chat_messages,
		   @now - INTERVAL (@chat_messages - seq) * 53 MINUTE,
		   @now - INTERVAL 3 DAY - INTERVAL (@messages - seq) * @step_us MICROSECOND) AS at,
		IF((seq - 1) % 6 IN (0, 2, 3),
		   ELT(1 + seq % 10,
			''Hi, this is your loan officer. Do you have a minute to go over the rate lock?'',
			''Your appraisal is scheduled for Thursday at 10am.'',
			''We received your pay stubs, thank you! Still need the last two bank statements.'',
			''Reminder: please sign the disclosures in the portal today.'',
			''Good news: underwriting approved the loan with two conditions.'',
			''Can you send a copy of the homeowners insurance declaration page?'',
			''The title company will reach out to schedule closing.'',
			''Rates moved a bit today; call me when you can.'',
			''Closing is confirmed for Friday at 2pm. Bring a photo ID.'',
			''Thanks, got it. I will update the file and let you know.''),
		   ELT(1 + seq % 10,
			''Yes, call me after 5 please.'',
			''Sounds good, thanks!'',
			''I just uploaded them to the portal.'',
			''Ok will do tonight'',
			''Great news!! What are the conditions?'',
			''Sent it by email a minute ago.'',
			''What time works for them?'',
			''Can we lock today?'',
			''Perfect, see you then.'',
			''Thank you so much''))
		AS body
	FROM ', @seq, '
) t
JOIN bench_conv c ON c.k = t.k');
EXECUTE s;
DEALLOCATE PREPARE s;

-- what the trigger would have kept: each conversation's newest text (ids
-- follow time within a conversation, see above), made with its names as the
-- trigger makes it (written afterwards, the names' full-text index would
-- keep every row's first entry as deleted until an OPTIMIZE TABLE, and
-- every names search would read them all)
INSERT INTO conversations (user_id, lead_id, contact_id, last_message_id, last_at, lead_name, contact_name)
SELECT x.user_id, x.lead_id, x.contact_id, x.newest_id, x.newest_at, l.name, COALESCE(p.name, c.name)
FROM (SELECT user_id, lead_id, contact_id, MAX(id) AS newest_id, MAX(created_at) AS newest_at
	FROM messages WHERE id > @idbase
	GROUP BY lead_id, contact_id, user_id) x
JOIN leads l ON l.id = x.lead_id JOIN contacts c ON c.id = x.contact_id
LEFT JOIN partners p ON p.id = c.partner_id
ON DUPLICATE KEY UPDATE
	last_message_id = IF(VALUES(last_at) >= conversations.last_at, VALUES(last_message_id),
		conversations.last_message_id),
	last_at = GREATEST(conversations.last_at, VALUES(last_at));
-- and what it carries for the header (schema/0026) and the inbox (0033:
-- its organization, and the wait of one whose newest text is the
-- contact's, from that text), the same expressions
UPDATE conversations cv JOIN messages m ON m.id = cv.last_message_id
	JOIN leads l ON l.id = cv.lead_id
SET cv.last_direction = m.direction, cv.last_body = LEFT(m.body, 120), cv.last_media = m.num_media > 0,
	cv.org_id = l.org_id,
	cv.waiting_since = IF(m.direction = 'inbound', COALESCE(cv.waiting_since, m.created_at), cv.waiting_since)
WHERE cv.last_message_id > @idbase;

-- what the usage trigger would have added, the same expressions
INSERT INTO usage_monthly (org_id, month, user_id, sent, received, billed, failed)
SELECT org_id, DATE_FORMAT(created_at, '%Y-%m-01'), COALESCE(user_id, 0),
	SUM(direction = 'outbound' AND carrier_sid IS NOT NULL) AS s,
	SUM(direction = 'inbound') AS r,
	SUM(IF(direction = 'outbound' AND carrier_sid IS NOT NULL, billed, 0)) AS b,
	SUM(direction = 'outbound' AND status IN ('failed', 'undelivered')) AS f
FROM messages
WHERE id > @idbase AND NOT EXISTS (SELECT 1 FROM information_schema.TRIGGERS
	WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'messages_usage_insert')
GROUP BY 1, 2, 3 HAVING s OR r OR b OR f
ON DUPLICATE KEY UPDATE sent = sent + VALUES(sent), received = received + VALUES(received),
	billed = billed + VALUES(billed), failed = failed + VALUES(failed);

-- what the Unmatched trigger would have added (texts on no application;
-- the seed writes none today)
SET @unmatched_off = NOT EXISTS (SELECT 1 FROM information_schema.TRIGGERS
	WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'messages_unmatched_insert');
INSERT INTO unmatched_counts (org_id, user_id, n)
SELECT * FROM (
	SELECT org_id, 0, COUNT(*) FROM messages
	WHERE id > @idbase AND lead_id IS NULL AND direction = 'inbound' AND @unmatched_off
	GROUP BY org_id
	UNION ALL
	SELECT org_id, user_id, COUNT(*) FROM messages
	WHERE id > @idbase AND lead_id IS NULL AND direction = 'inbound' AND user_id IS NOT NULL
	AND @unmatched_off GROUP BY org_id, user_id) x
ON DUPLICATE KEY UPDATE n = n + VALUES(n);

-- The word index (schema/0044): what the dispatcher would have added for
-- the texts words_queue holds (cgi-bin/words.c), the same words: runs of
-- ASCII letters and digits and of characters beyond ASCII, three
-- characters or more, each cut to 32. The seed's bodies are a few
-- sentences, so each is cut once and joined by its hash. With the queue's
-- trigger on (t0700), the texts it queued are taken off the queue: their
-- words are here.
CREATE TEMPORARY TABLE bench_words (
	h BINARY(16) NOT NULL,
	word VARCHAR(32) NOT NULL,
	PRIMARY KEY (h, word)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
	SELECT DISTINCT UNHEX(MD5(b.body)) AS h, LEFT(j.word, 32) AS word
	FROM (SELECT DISTINCT body FROM messages WHERE id > @idbase AND lead_id IS NOT NULL) b,
	JSON_TABLE(CONCAT('["', REGEXP_REPLACE(b.body, '[^0-9A-Za-z\\x{80}-\\x{10FFFF}]+', '","'), '"]'),
		'$[*]' COLUMNS (word VARCHAR(1600) CHARACTER SET utf8mb4 PATH '$')) j
	WHERE CHAR_LENGTH(j.word) >= 3;
-- unique_checks on: without them, InnoDB's bulk load of an empty table
-- (MariaDB 10.11) drops every row of a statement that meets a duplicate,
-- IGNORE or not
SET SESSION unique_checks = 1;
INSERT IGNORE INTO lead_words (lead_id, word, org_id)
SELECT m.lead_id, w.word, m.org_id
FROM messages m JOIN bench_words w ON w.h = UNHEX(MD5(m.body))
WHERE m.id > @idbase AND m.lead_id IS NOT NULL;
DELETE FROM words_queue WHERE message_id > @idbase;
SET SESSION unique_checks = 0;

SET SESSION foreign_key_checks = 1, unique_checks = 1;
ANALYZE TABLE messages, conversations, lead_words;
