-- Sampled verification and fresh evidence (issue 17).

-- A draw of the schools an office verifies (internal/sampling documents
-- the algorithm): the seed, the parameters, who drew and when. The first
-- draw of a campaign in an office's scope has enlarges NULL (one per
-- campaign and scope); an enlargement, triggered by a sampled school whose
-- level changed on verification, points at that first draw and names the
-- assessment that triggered it. Never updated, never deleted.
CREATE TABLE sample_draws (
	id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id           bigint NOT NULL REFERENCES campaigns (id),
	scope_unit_id         bigint NOT NULL REFERENCES units (id),
	seed                  text NOT NULL CHECK (length(seed) BETWEEN 1 AND 100),
	size                  integer NOT NULL DEFAULT 0 CHECK (size >= 0),
	share_bp              integer NOT NULL DEFAULT 0 CHECK (share_bp BETWEEN 0 AND 10000),
	indicators_per_unit   integer NOT NULL DEFAULT 0 CHECK (indicators_per_unit >= 0),
	by_level              boolean NOT NULL DEFAULT false,
	by_area               boolean NOT NULL DEFAULT false,
	enlarge_by            integer NOT NULL DEFAULT 0 CHECK (enlarge_by BETWEEN 0 AND 1000),
	enlarges              bigint REFERENCES sample_draws (id),
	trigger_assessment_id bigint REFERENCES assessments (id),
	drawn_by              bigint REFERENCES users (id),
	drawn_at              timestamptz NOT NULL DEFAULT now(),
	CHECK ((size > 0) <> (share_bp > 0) OR enlarges IS NOT NULL),
	CHECK ((enlarges IS NULL) = (trigger_assessment_id IS NULL))
);
CREATE UNIQUE INDEX sample_draws_first_key ON sample_draws (campaign_id, scope_unit_id) WHERE enlarges IS NULL;
CREATE UNIQUE INDEX sample_draws_trigger_key ON sample_draws (enlarges, trigger_assessment_id) WHERE enlarges IS NOT NULL;

-- The list a draw was made from (a first draw lists every eligible
-- assessment, drawn or not, so anyone can redo it from the seed) and the
-- units an enlargement added (all drawn). indicators: the K indicators
-- drawn for the school, empty when every indicator is verified.
CREATE TABLE sample_units (
	draw_id       bigint NOT NULL REFERENCES sample_draws (id),
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	unit_code     text NOT NULL,
	stratum       text NOT NULL DEFAULT '',
	key           text NOT NULL,
	rank          integer NOT NULL CHECK (rank >= 0),
	drawn         boolean NOT NULL,
	indicators    text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (draw_id, assessment_id)
);
CREATE INDEX sample_units_assessment_idx ON sample_units (assessment_id);

-- Append-only like the rest of the audit (refuse_audit_change, 0013).
CREATE TRIGGER sample_draws_append_only BEFORE UPDATE OR DELETE ON sample_draws
	FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER sample_draws_no_truncate BEFORE TRUNCATE ON sample_draws
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER sample_units_append_only BEFORE UPDATE OR DELETE ON sample_units
	FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER sample_units_no_truncate BEFORE TRUNCATE ON sample_units
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Approved on its self-assessment because it was not in the sample: set by
-- the approval of the rest, cleared by any other approval.
ALTER TABLE assessments ADD COLUMN approved_unsampled boolean NOT NULL DEFAULT false;

-- A publication says so too, frozen like the rest of published_reviews.
ALTER TABLE published_reviews ADD COLUMN not_sampled boolean NOT NULL DEFAULT false;
CREATE FUNCTION published_reviews_not_sampled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.not_sampled := coalesce((SELECT approved_unsampled FROM assessments WHERE id = NEW.assessment_id), false);
	RETURN NEW;
END $$;
CREATE TRIGGER published_reviews_not_sampled BEFORE INSERT ON published_reviews
	FOR EACH ROW EXECUTE FUNCTION published_reviews_not_sampled();

-- Fresh evidence: the day a document was issued, the day a link was
-- checked. NULL: unknown (evidence added before these dates were asked).
ALTER TABLE evidence
	ADD COLUMN issued_on  date,
	ADD COLUMN checked_on date,
	ADD CONSTRAINT evidence_date_kind CHECK ((issued_on IS NULL OR kind = 'file') AND (checked_on IS NULL OR kind = 'link'));
