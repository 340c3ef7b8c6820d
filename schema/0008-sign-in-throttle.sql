-- Sign-in: the server's secrets, and one lock row per throttle key.

-- Keys smsdesk makes for itself on first use (the sign-in form's MAC key),
-- here so that every host against this database shares them. Never shown.
CREATE TABLE IF NOT EXISTS server_secrets (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  secret VARBINARY(64) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A sign-in locks its account's row and its address's row ('e:EMAIL',
-- 'a:ADDRESS') while it counts the recent failures and records itself, so
-- that parallel guesses are counted one after the other, on every host.
CREATE TABLE IF NOT EXISTS login_throttle_locks (
  lock_key VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY
) ENGINE=InnoDB;

-- the failures of one account from one address, and its known addresses
ALTER TABLE login_attempts ADD INDEX IF NOT EXISTS login_attempts_pair (email, remote_addr, succeeded, attempted_at);
