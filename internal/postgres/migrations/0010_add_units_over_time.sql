-- Units over time (issue 12). Since 1 July 2025 Vietnam has no district
-- level: provinces hold communes, communes hold schools. Units are never
-- deleted when the tree changes: a retired unit keeps its row, marked with
-- the day it ended, so past campaigns (campaign_units, published_results)
-- still point at it and a school can be followed across the change.
ALTER TABLE units
	ADD COLUMN valid_from date,
	ADD COLUMN valid_to   date,
	-- The district a school belonged to before the reorganisation: districts
	-- are gone from the live tree but people still compare by them.
	ADD COLUMN legacy_district_id bigint REFERENCES units (id),
	-- The pre-2025 commune of a school's address (GSO code), when the school
	-- stood directly under its district: the reorganisation matches schools
	-- to their new commune by this code, never by name.
	ADD COLUMN commune_code text CHECK (commune_code ~ '^[A-Za-z0-9._-]{1,40}$'),
	ADD CONSTRAINT units_validity_check CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to);
CREATE INDEX units_legacy_district_idx ON units (legacy_district_id) WHERE legacy_district_id IS NOT NULL;
CREATE INDEX units_current_kind_idx ON units (kind) WHERE valid_to IS NULL;

-- Which kind of unit may stand under which: a move or a new unit that
-- breaks these (a province under a school) is refused. A kind without any
-- row here is unconstrained (kinds are data; a deployment may add its own).
CREATE TABLE unit_kind_parents (
	kind        text NOT NULL REFERENCES unit_kinds (code),
	parent_kind text NOT NULL REFERENCES unit_kinds (code),
	PRIMARY KEY (kind, parent_kind)
);
INSERT INTO unit_kind_parents (kind, parent_kind) VALUES
	('province', 'ministry'),
	('district', 'province'),
	('commune',  'district'),
	('commune',  'province'),
	('school',   'district'),
	('school',   'commune'),
	('school',   'province');

-- The move log: every move has a reason (earlier rows may have none, hence
-- NOT VALID) and, for a reorganisation, the day it took effect.
ALTER TABLE unit_moves
	ADD COLUMN effective date,
	ADD CONSTRAINT unit_moves_reason_check CHECK (length(btrim(reason)) > 0) NOT VALID;
CREATE INDEX unit_moves_unit_idx ON unit_moves (unit_id, id);

-- The commune reviewer (UBND xã, its Phòng Văn hóa – Xã hội): the tools of
-- the former district evaluator, scoped to its commune.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
	CHECK (role IN ('admin', 'province', 'district', 'commune', 'school', 'viewer'));

-- Who reviews, per campaign and school level: the office kind (the
-- commune, the Sở, or before 2025 the district). A level without a row is
-- reviewed by any evaluator whose scope holds the school (the pre-2025
-- rule). The Sở may always take over a review in its province.
CREATE TABLE campaign_reviewers (
	campaign_id  bigint NOT NULL REFERENCES campaigns (id),
	school_level text NOT NULL,
	office_kind  text NOT NULL CHECK (office_kind IN ('district', 'commune', 'province')),
	PRIMARY KEY (campaign_id, school_level)
);
