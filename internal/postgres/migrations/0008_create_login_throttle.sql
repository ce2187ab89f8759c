-- Sign-in throttle, one row per key (issue 18, items 2 and 9). A key is
-- an account from one source (username, source), an account from any
-- source it never signed in from (username, ''), or one source across
-- accounts ('', source). A sign-in reserves an attempt on its account keys
-- in one transaction (the row lock serialises racing attempts) before the
-- password is checked, so parallel guesses cannot all pass a check made
-- before any of them is recorded. Past a few free failures a key backs off
-- exponentially (next_at), up to minutes: an attacker is slowed, the owner
-- is never locked out. login_attempts stays the log of attempts.
CREATE TABLE login_throttle (
	username text NOT NULL,
	source   text NOT NULL,
	failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
	next_at  timestamptz,
	last_at  timestamptz NOT NULL,
	PRIMARY KEY (username, source)
);
CREATE INDEX login_throttle_last_idx ON login_throttle (last_at);
