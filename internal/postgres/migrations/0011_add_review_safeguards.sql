-- Review you can trust (issue 17).

-- Four eyes: who changed values in an external evaluation does not also
-- approve it. Campaigns that exist keep their behaviour (off); a campaign
-- created from now on has it unless its creator turns it off.
ALTER TABLE campaigns ADD COLUMN four_eyes boolean NOT NULL DEFAULT false;
ALTER TABLE campaigns ALTER COLUMN four_eyes SET DEFAULT true;

-- The school's right of reply: days it has to answer the evaluator's
-- changes once they are sent to it.
ALTER TABLE campaigns ADD COLUMN reply_days integer NOT NULL DEFAULT 5 CHECK (reply_days BETWEEN 1 AND 60);

-- When the evaluator's changes were sent to the school, and until when it
-- may reply.
ALTER TABLE assessments
	ADD COLUMN reply_sent_at timestamptz,
	ADD COLUMN reply_due     timestamptz;

-- The school's reply to one changed value (accept or contest, with a
-- comment and optionally a link to evidence), and the ruling on a contest
-- by a reviewer who did not make the change: uphold (the change stands) or
-- reverse (the school's value is restored), with a reason.
CREATE TABLE review_replies (
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	verdict       text NOT NULL CHECK (verdict IN ('accept', 'contest')),
	comment       text NOT NULL DEFAULT '',
	evidence_url  text,
	replied_by    bigint REFERENCES users (id),
	replied_at    timestamptz NOT NULL DEFAULT now(),
	ruling        text CHECK (ruling IN ('uphold', 'reverse')),
	ruling_reason text,
	ruled_by      bigint REFERENCES users (id),
	ruled_at      timestamptz,
	PRIMARY KEY (assessment_id, indicator),
	CHECK (ruling IS NULL OR (verdict = 'contest' AND length(btrim(ruling_reason)) > 0))
);

-- What a publication says about how each result was reviewed: who changed
-- values, who approved, and how many changes were made, contested and
-- upheld.
CREATE TABLE published_reviews (
	publication_id bigint NOT NULL REFERENCES publications (id),
	assessment_id  bigint NOT NULL REFERENCES assessments (id),
	changed_by     text NOT NULL DEFAULT '',
	approved_by    text NOT NULL DEFAULT '',
	changes        integer NOT NULL DEFAULT 0,
	contested      integer NOT NULL DEFAULT 0,
	upheld         integer NOT NULL DEFAULT 0,
	PRIMARY KEY (publication_id, assessment_id)
);

-- A change that carries out a ruling (a reversal restores the school's
-- value) is marked: it is not one of the evaluator's changes.
ALTER TABLE review_changes ADD COLUMN ruling boolean NOT NULL DEFAULT false;
