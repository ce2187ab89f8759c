-- The evaluator's changes are told to the school once per review session
-- (issue 16): a review of ten indicators is one notice listing the ten
-- reasons, not ten e-mails. review_changes is append-only (0013), so what
-- was told is kept here: per assessment, the last change told and whether
-- a gathering job is queued (one at most while it waits, however many
-- changes arrive; the row lock orders a change against the gathering).
CREATE TABLE review_change_notices (
	assessment_id    bigint PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
	notified_through bigint NOT NULL DEFAULT 0, -- review_changes.id
	flush_queued     boolean NOT NULL DEFAULT false
);

-- A password-reset link no longer sits in notifications (survey.MailJob):
-- a mail still queued gets its link into its job's args (river's tables
-- exist on a database migrated before; on a new one there is nothing to
-- move), and every row keeps the redacted form only.
DO $$
BEGIN
	IF to_regclass('river_job') IS NOT NULL THEN
		UPDATE river_job j SET args = j.args || jsonb_build_object('secret_link', n.link)
		FROM notifications n
		WHERE j.kind = 'notice_mail' AND j.finalized_at IS NULL
			AND j.args @> jsonb_build_object('notification_id', n.id)
			AND n.kind = 'password_reset' AND n.link LIKE '/password/reset/%' AND n.link <> '/password/reset/…';
	END IF;
END;
$$;
UPDATE notifications SET link = '/password/reset/…' WHERE kind = 'password_reset' AND link <> '';
