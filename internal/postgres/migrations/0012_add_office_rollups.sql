-- Office campaigns (issue 13). An agency campaign names the school
-- campaign whose published results its roll-up indicators read.
ALTER TABLE campaigns ADD COLUMN school_campaign_id bigint REFERENCES campaigns (id);

-- A roll-up indicator's computed value on an office's assessment, with its
-- provenance (the school campaign, its revision, n of N schools). Until
-- the office submits, it follows the school campaign's publications; on
-- the first submission it is frozen (frozen_at) and never moves again:
-- the value the office was judged on.
CREATE TABLE rollup_values (
	assessment_id      bigint NOT NULL REFERENCES assessments (id),
	indicator          text NOT NULL,
	value              double precision NOT NULL,
	counted            integer NOT NULL CHECK (counted >= 0),
	schools            integer NOT NULL CHECK (schools >= counted),
	school_campaign_id bigint NOT NULL REFERENCES campaigns (id),
	revision           integer NOT NULL CHECK (revision >= 0),
	computed_at        timestamptz NOT NULL DEFAULT now(),
	frozen_at          timestamptz,
	PRIMARY KEY (assessment_id, indicator)
);

-- An office's own staff fill its assessment; the Ministry reviews the Sở.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
	CHECK (role IN ('admin', 'ministry', 'province', 'district', 'commune', 'office', 'school', 'viewer'));
