-- A campaign ("Năm học 2024-2025") assesses a subtree of units against one
-- indicator-set version, with its dates. Using a set version locks it
-- (indicator_sets.locked_at), so a campaign's yardstick never changes.
CREATE TABLE campaigns (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name               text NOT NULL CHECK (length(btrim(name)) > 0),
	set_code           text NOT NULL,
	set_version        text NOT NULL,
	root_unit_id       bigint NOT NULL REFERENCES units (id),
	opens_on           date NOT NULL,
	self_due           date NOT NULL,
	review_due         date NOT NULL,
	status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	published_revision integer NOT NULL DEFAULT 0,
	created_by         bigint REFERENCES users (id),
	created_at         timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (set_code, set_version) REFERENCES indicator_sets (code, version),
	CHECK (opens_on <= self_due AND self_due <= review_due)
);
CREATE INDEX campaigns_root_idx ON campaigns (root_unit_id);

-- The place every unit of the subtree had when the campaign opened: later
-- moves (the 2025 reorganisation abolished districts) do not rewrite where
-- a school stood in a past campaign.
CREATE TABLE campaign_units (
	campaign_id bigint NOT NULL REFERENCES campaigns (id),
	unit_id     bigint NOT NULL REFERENCES units (id),
	parent_id   bigint REFERENCES units (id),
	path        bigint[] NOT NULL,
	PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX campaign_units_path_idx ON campaign_units USING gin (path);

-- One assessment per assessed unit of a campaign.
CREATE TABLE assessments (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id  bigint NOT NULL REFERENCES campaigns (id),
	unit_id      bigint NOT NULL REFERENCES units (id),
	school_level text NOT NULL DEFAULT '',
	status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT assessments_campaign_unit_key UNIQUE (campaign_id, unit_id)
);
CREATE INDEX assessments_unit_idx ON assessments (unit_id);
