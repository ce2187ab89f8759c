-- Kinds of unit are data: a deployment may add its own (e.g. commune after
-- the 2025 reorganisation). `assessed` says what an indicator set of that
-- kind of unit assesses (school or agency); NULL: not assessed.
CREATE TABLE unit_kinds (
	code     text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
	name_vi  text NOT NULL,
	name_en  text NOT NULL,
	assessed text CHECK (assessed IN ('school', 'agency')),
	sort     int  NOT NULL DEFAULT 0
);

INSERT INTO unit_kinds (code, name_vi, name_en, assessed, sort) VALUES
	('ministry', 'Bộ',                'Ministry',          NULL,     0),
	('province', 'Tỉnh/Thành phố',    'Province',          'agency', 1),
	('district', 'Quận/Huyện',        'District',          'agency', 2),
	('commune',  'Xã/Phường',         'Commune',           NULL,     3),
	('school',   'Trường',            'School',            'school', 4);

-- Units form a tree. `path` holds the ids from the root down to the unit
-- itself, so "is X inside Y's subtree" is `Y = ANY(X.path)` with an index,
-- and scope checks cost one lookup. A move rewrites the paths of the moved
-- subtree in the same transaction.
CREATE TABLE units (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
	name          text NOT NULL CHECK (length(btrim(name)) > 0),
	kind          text NOT NULL REFERENCES unit_kinds (code),
	parent_id     bigint REFERENCES units (id),
	path          bigint[] NOT NULL,
	school_levels text[] NOT NULL DEFAULT '{}',
	students      integer CHECK (students >= 0),
	teachers      integer CHECK (teachers >= 0),
	staff         integer CHECK (staff >= 0),
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT units_code_key UNIQUE (code),
	CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_parent_idx ON units (parent_id);
CREATE INDEX units_path_idx ON units USING gin (path);

-- Every move of a unit, so that history can be told ("which district was
-- this school in when…") and audited.
CREATE TABLE unit_moves (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id        bigint NOT NULL REFERENCES units (id),
	from_parent_id bigint REFERENCES units (id),
	to_parent_id   bigint REFERENCES units (id),
	moved_by       bigint,
	reason         text NOT NULL DEFAULT '',
	moved_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username            text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
	display_name        text NOT NULL DEFAULT '',
	role                text NOT NULL CHECK (role IN ('admin', 'province', 'district', 'school', 'viewer')),
	unit_id             bigint REFERENCES units (id),
	password_hash       text NOT NULL,
	lang                text NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
	locked_at           timestamptz,
	password_changed_at timestamptz NOT NULL DEFAULT now(),
	created_at          timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT users_username_key UNIQUE (username),
	-- Every role but admin acts within one unit's subtree.
	CHECK (role = 'admin' OR unit_id IS NOT NULL)
);
ALTER TABLE unit_moves ADD FOREIGN KEY (moved_by) REFERENCES users (id);

-- Sessions live in the database so that any instance behind a load
-- balancer, or a restarted one, knows them. Only a hash of the token is
-- stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
	token_hash   bytea PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind         text NOT NULL CHECK (kind IN ('web', 'api')),
	csrf_token   text NOT NULL,
	created_at   timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Sign-in attempts, for throttling: too many failures for one username or
-- from one address within a window refuse further attempts for a while.
CREATE TABLE login_attempts (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username  text NOT NULL,
	ip        text NOT NULL,
	success   boolean NOT NULL,
	at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_username_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);
