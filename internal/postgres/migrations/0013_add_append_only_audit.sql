-- An audit the database keeps (issue 17): the history of assessments and
-- units, the review trail, the school's replies, the rulings on them and
-- the publications are append-only. Triggers refuse UPDATE, DELETE and
-- TRUNCATE on them for every role, the application's own included.

-- A ruling on a contested change becomes a row of its own instead of an
-- update of the reply it settles.
CREATE TABLE review_rulings (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reply_id      bigint NOT NULL UNIQUE,
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	ruling        text NOT NULL CHECK (ruling IN ('uphold', 'reverse')),
	reason        text NOT NULL CHECK (length(btrim(reason)) > 0),
	ruled_by      bigint REFERENCES users (id),
	ruled_at      timestamptz NOT NULL DEFAULT now()
);

-- Each sending of the changes to the school opens a new round: replies of
-- an earlier round (before a return, say) no longer count.
ALTER TABLE assessments ADD COLUMN reply_round integer NOT NULL DEFAULT 0;
UPDATE assessments SET reply_round = 1 WHERE reply_sent_at IS NOT NULL;

-- A reply is a row per answer of the school: a changed reply is a new row.
-- It names the round and the change (review_changes.id) it answers, so a
-- value changed again after sending needs a new reply.
ALTER TABLE review_replies DROP CONSTRAINT review_replies_pkey;
ALTER TABLE review_replies
	ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ADD COLUMN round integer NOT NULL DEFAULT 1,
	ADD COLUMN change_id bigint REFERENCES review_changes (id);
UPDATE review_replies p SET change_id = (SELECT max(c.id) FROM review_changes c
	WHERE c.assessment_id = p.assessment_id AND c.indicator = p.indicator AND NOT c.ruling);
INSERT INTO review_rulings (reply_id, assessment_id, indicator, ruling, reason, ruled_by, ruled_at)
	SELECT id, assessment_id, indicator, ruling, ruling_reason, ruled_by, coalesce(ruled_at, replied_at)
	FROM review_replies WHERE ruling IS NOT NULL;
ALTER TABLE review_replies
	DROP COLUMN ruling, DROP COLUMN ruling_reason, DROP COLUMN ruled_by, DROP COLUMN ruled_at;
ALTER TABLE review_replies ALTER COLUMN round DROP DEFAULT;
ALTER TABLE review_rulings ADD FOREIGN KEY (reply_id) REFERENCES review_replies (id);
CREATE INDEX review_replies_assessment_idx ON review_replies (assessment_id, indicator, id);

-- The reply that counts for each changed indicator: the school's latest in
-- the current round that answers the latest change of the indicator, with
-- its ruling if any.
CREATE VIEW current_replies AS
	SELECT DISTINCT ON (p.assessment_id, p.indicator)
		p.id, p.assessment_id, p.indicator, p.verdict, p.comment, p.evidence_url, p.replied_by, p.replied_at,
		r.ruling, r.reason AS ruling_reason, r.ruled_by, r.ruled_at
	FROM review_replies p
	JOIN assessments x ON x.id = p.assessment_id AND x.reply_round = p.round AND x.reply_sent_at IS NOT NULL
	LEFT JOIN review_rulings r ON r.reply_id = p.id
	WHERE p.change_id IS NOT DISTINCT FROM (SELECT max(c.id) FROM review_changes c
		WHERE c.assessment_id = p.assessment_id AND c.indicator = p.indicator AND NOT c.ruling)
	ORDER BY p.assessment_id, p.indicator, p.id DESC;

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'append-only: % on % is refused (issue 17: the audit is kept)', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END;
$$;

DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['assessment_events', 'unit_moves', 'review_changes', 'review_replies', 'review_rulings',
		'publications', 'published_results', 'published_reviews']
	LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()', t || '_append_only', t);
		EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()', t || '_no_truncate', t);
	END LOOP;
END;
$$;
