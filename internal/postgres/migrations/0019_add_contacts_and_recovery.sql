-- Contacts and account recovery (issue 16).

-- How to reach a person: both optional. The e-mail address is where
-- notifications and password-reset links go; the notifications work may
-- have added the column already.
ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;
ALTER TABLE users ADD CONSTRAINT users_email_shape CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$');
ALTER TABLE users ADD CONSTRAINT users_phone_shape CHECK (phone IS NULL OR phone ~ '^\+?[0-9]{8,15}$');
CREATE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;

-- A one-time password (imported accounts, an admin's reset) must be
-- changed before its holder does anything else.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- "Forgot password": a one-use link valid for an hour. Only the token's
-- SHA-256 is kept, as for sessions.
CREATE TABLE password_resets (
	token_hash bytea PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);
