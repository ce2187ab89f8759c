-- Instance-wide settings that belong to the database rather than to one
-- process: every dxindex instance behind a load balancer reads the same ones.
CREATE TABLE app_settings (
	key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.]*$'),
	value      jsonb NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- When this database was first set up: shown by `dxindex version` and kept
-- in backups so an operator can tell two databases apart.
INSERT INTO app_settings (key, value) VALUES ('instance.created_at', to_jsonb(now()));
