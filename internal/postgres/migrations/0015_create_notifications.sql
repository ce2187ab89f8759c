-- Notifications (issue 16). The lead's 0019 adds the same column with IF
-- NOT EXISTS too: whichever runs first creates it.
ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;
-- The people of a unit (a notice's recipients) are looked up by unit.
CREATE INDEX IF NOT EXISTS users_unit_idx ON users (unit_id);

-- One notice to one person: the outbox. A row is written in the
-- transaction of the event that causes it, together with the river jobs
-- that deliver it by e-mail and webhook, so a notice exists exactly when
-- its event does and none is lost when a mail server is down.
CREATE TABLE notifications (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind           text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
	assessment_id  bigint REFERENCES assessments (id),
	link           text NOT NULL DEFAULT '',
	params         jsonb NOT NULL DEFAULT '{}',
	in_app         boolean NOT NULL DEFAULT true,
	-- Scheduled reminders carry a key (kind, assessment, days, due date):
	-- a second scheduler run finds it taken and sends nothing.
	dedupe_key     text,
	created_at     timestamptz NOT NULL DEFAULT now(),
	read_at        timestamptz,
	-- E-mail: NULL status when the person has no address or turned the
	-- kind off; queued until the worker hands it to the SMTP server.
	email_to       text,
	email_status   text CHECK (email_status IN ('queued', 'sent', 'failed')),
	email_attempts integer NOT NULL DEFAULT 0,
	email_error    text NOT NULL DEFAULT '',
	email_sent_at  timestamptz,
	webhook_status text CHECK (webhook_status IN ('queued', 'sent', 'failed')),
	webhook_error  text NOT NULL DEFAULT '',
	CONSTRAINT notifications_dedupe_key UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL AND in_app;
CREATE INDEX notifications_email_idx ON notifications (email_status, id DESC) WHERE email_status IS NOT NULL;
CREATE INDEX notifications_assessment_idx ON notifications (assessment_id) WHERE assessment_id IS NOT NULL;

-- A person's e-mail switch per kind; no row: on.
CREATE TABLE notice_prefs (
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
	email   boolean NOT NULL,
	PRIMARY KEY (user_id, kind)
);
