-- The dashboard's read model of the published results. Published rows are
-- frozen per revision, so dashboard builds this once per (campaign,
-- revision), the first time a page asks after a publication, and every
-- page then reads small, indexed rows: no jsonb parsing, no DISTINCT ON
-- over the campaign per request.

-- One row per published assessment (its latest revision): the public
-- result with the group scores and each criterion's achievement (% of the
-- applicable maximum; NULL where no indicator of the criterion applies)
-- as arrays in the indicator set's order.
CREATE TABLE dash_results (
	campaign_id   bigint NOT NULL REFERENCES campaigns (id),
	assessment_id bigint NOT NULL REFERENCES assessments (id),
	revision      integer NOT NULL,
	published_at  timestamptz NOT NULL,
	unit_id       bigint NOT NULL REFERENCES units (id),
	unit_code     text NOT NULL,
	unit_name     text NOT NULL,
	path          bigint[] NOT NULL,   -- the unit's place when the campaign opened
	parent_id     bigint NOT NULL,     -- path's second last
	school_level  text NOT NULL,
	index         double precision NOT NULL,
	level         integer NOT NULL,
	groups        double precision[] NOT NULL,
	criteria      double precision[] NOT NULL,
	result        jsonb NOT NULL,
	PRIMARY KEY (campaign_id, assessment_id)
);
CREATE INDEX dash_results_parent_idx ON dash_results (campaign_id, parent_id, index DESC);
CREATE INDEX dash_results_unit_idx ON dash_results (unit_id, campaign_id);
CREATE INDEX dash_results_path_idx ON dash_results USING gin (path);

-- Per campaign and unit above the assessed units: the aggregate of the
-- published results in its subtree, computed in SQL from dash_results.
CREATE TABLE dash_aggregates (
	campaign_id  bigint NOT NULL REFERENCES campaigns (id),
	unit_id      bigint NOT NULL REFERENCES units (id),
	parent_id    bigint,               -- NULL above the campaign's root
	schools      integer NOT NULL,
	mean_index   double precision NOT NULL,
	median_index double precision NOT NULL,
	levels       integer[] NOT NULL,   -- schools per level, in the order of dash_state.levels
	groups       double precision[] NOT NULL,
	criteria     double precision[] NOT NULL,
	PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX dash_aggregates_parent_idx ON dash_aggregates (campaign_id, parent_id);

-- Which revision the read model of a campaign holds.
CREATE TABLE dash_state (
	campaign_id bigint PRIMARY KEY REFERENCES campaigns (id),
	revision    integer NOT NULL,
	levels      integer[] NOT NULL,
	built_at    timestamptz NOT NULL DEFAULT now(),
	build_ms    integer NOT NULL DEFAULT 0
);

-- A school's results across campaigns (trend) and the published rows of
-- a campaign by revision, for the build.
CREATE INDEX published_results_unit_idx ON published_results (unit_id);
