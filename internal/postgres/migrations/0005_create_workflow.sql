-- The self-assessment → review → approval → publication workflow.

-- Scores are stored on the assessment and recomputed in the same
-- transaction as the answers or review values that change them: the
-- dashboard reads them, never recomputes them per request.
ALTER TABLE assessments
	ADD COLUMN self_index       double precision,
	ADD COLUMN self_level       integer,
	ADD COLUMN self_result      jsonb,   -- indicators.Result: groups, indicators' points, mandatory failed, …
	ADD COLUMN validated_index  double precision,
	ADD COLUMN validated_level  integer,
	ADD COLUMN validated_result jsonb,
	ADD COLUMN answered         integer NOT NULL DEFAULT 0,
	ADD COLUMN applicable       integer NOT NULL DEFAULT 0,
	ADD COLUMN submitted_at     timestamptz,
	ADD COLUMN approved_at      timestamptz,
	ADD COLUMN approved_by      bigint REFERENCES users (id),
	ADD COLUMN review_comment   text NOT NULL DEFAULT '';
CREATE INDEX assessments_campaign_status_idx ON assessments (campaign_id, status);

-- A school's answer to one indicator. `version` counts the writes: a write
-- must name the version it replaces, so two people editing one assessment
-- never silently overwrite each other.
CREATE TABLE answers (
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	value         jsonb NOT NULL,
	version       integer NOT NULL CHECK (version > 0),
	updated_by    bigint REFERENCES users (id),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (assessment_id, indicator)
);

-- The evaluator's value for an indicator (external evaluation, đánh giá
-- ngoài), with the required reason. The validated score uses these values
-- where present and the school's answers elsewhere.
CREATE TABLE reviews (
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	value         jsonb NOT NULL,
	reason        text NOT NULL CHECK (length(btrim(reason)) > 0),
	reviewed_by   bigint REFERENCES users (id),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (assessment_id, indicator)
);

-- Who changed which value, from what to what, and why: never updated,
-- never deleted.
CREATE TABLE review_changes (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	old_value     jsonb,
	new_value     jsonb,
	reason        text NOT NULL,
	changed_by    bigint REFERENCES users (id),
	changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_changes_assessment_idx ON review_changes (assessment_id, id);

-- Evidence (minh chứng): a link, or a file kept in the database so it is
-- durable, backed up with everything else and served by any instance.
CREATE TABLE evidence (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text NOT NULL,
	kind          text NOT NULL CHECK (kind IN ('link', 'file')),
	url           text,
	filename      text,
	content_type  text,
	size          bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
	sha256        text,
	data          bytea,
	uploaded_by   bigint REFERENCES users (id),
	uploaded_at   timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'link' AND url IS NOT NULL) OR (kind = 'file' AND data IS NOT NULL AND filename IS NOT NULL))
);
CREATE INDEX evidence_assessment_idx ON evidence (assessment_id, indicator);

-- Comments of evaluators (and replies of schools), per indicator or
-- overall (indicator NULL).
CREATE TABLE comments (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	indicator     text,
	body          text NOT NULL CHECK (length(btrim(body)) > 0),
	author_id     bigint REFERENCES users (id),
	created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_assessment_idx ON comments (assessment_id, id);

-- The history of an assessment: every transition, by whom, when, why.
CREATE TABLE assessment_events (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	action        text NOT NULL,
	from_status   text,
	to_status     text,
	comment       text NOT NULL DEFAULT '',
	actor_id      bigint REFERENCES users (id),
	at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_events_assessment_idx ON assessment_events (assessment_id, id);

-- A publication freezes the validated results of the approved assessments
-- in one evaluator's scope. A later correction is a new revision; the
-- public sees, for each assessment, the latest revision that holds it.
CREATE TABLE publications (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id   bigint NOT NULL REFERENCES campaigns (id),
	revision      integer NOT NULL CHECK (revision > 0),
	scope_unit_id bigint REFERENCES units (id),
	note          text NOT NULL DEFAULT '',
	published_by  bigint REFERENCES users (id),
	published_at  timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT publications_campaign_revision_key UNIQUE (campaign_id, revision)
);

-- The frozen rows of a publication: what the public sees. Names and the
-- place in the tree are copied so a later rename or move does not change
-- a published ranking.
CREATE TABLE published_results (
	publication_id bigint NOT NULL REFERENCES publications (id),
	assessment_id  bigint NOT NULL REFERENCES assessments (id),
	campaign_id    bigint NOT NULL REFERENCES campaigns (id),
	unit_id        bigint NOT NULL REFERENCES units (id),
	unit_code      text NOT NULL,
	unit_name      text NOT NULL,
	path           bigint[] NOT NULL,     -- the unit's place when the campaign opened (campaign_units)
	school_level   text NOT NULL,
	index          double precision NOT NULL,
	level          integer NOT NULL,
	result         jsonb NOT NULL,        -- the validated indicators.Result
	PRIMARY KEY (publication_id, assessment_id)
);
CREATE INDEX published_results_campaign_idx ON published_results (campaign_id, assessment_id, publication_id DESC);
CREATE INDEX published_results_path_idx ON published_results USING gin (path);

-- The public view: per assessment, its row in the latest publication.
CREATE VIEW public_results AS
	SELECT DISTINCT ON (r.campaign_id, r.assessment_id)
		r.*, p.revision, p.published_at
	FROM published_results r JOIN publications p ON p.id = r.publication_id
	ORDER BY r.campaign_id, r.assessment_id, p.revision DESC;
