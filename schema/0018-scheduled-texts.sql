-- Quiet hours and send later: a text may wait in the outbox until a time.
-- organizations.quiet_hours is the window texts may go in, in the
-- recipient's local time ("HH:MM-HH:MM"; a state's law may narrow it).
-- outbox.hold says why a row waits: 'quiet_hours' (held until the
-- recipient's window opens) or 'send_later' (the agent chose the time);
-- 'none' for a text due now or being retried. messages.send_at keeps the
-- time the agent chose; a text cancelled while it waited is 'cancelled'
-- (never sent), with who cancelled it.
ALTER TABLE organizations
  ADD COLUMN IF NOT EXISTS quiet_hours VARCHAR(11) NOT NULL DEFAULT '08:00-21:00';
ALTER TABLE outbox
  ADD COLUMN IF NOT EXISTS hold ENUM('none','quiet_hours','send_later') NOT NULL DEFAULT 'none';
ALTER TABLE messages
  MODIFY COLUMN status ENUM('queued','sending','sent','delivered','undelivered','failed','received','cancelled') NOT NULL,
  ADD COLUMN IF NOT EXISTS send_at DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS cancelled_by BIGINT UNSIGNED NULL;
-- a refused text that was to be sent later keeps the time the agent chose
-- (the form's value, in the agent's zone), so Send anyway keeps it too
ALTER TABLE sms_drafts
  ADD COLUMN IF NOT EXISTS send_at VARCHAR(19) NULL;
