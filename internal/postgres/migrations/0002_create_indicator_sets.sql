-- Indicator sets, one row per (code, version). `content` is the set's
-- canonical JSON (package indicators) and `sha256` the digest of those
-- bytes, so re-saving the same file is recognised as a no-op. A version
-- becomes immutable once a campaign uses it (`locked_at`): a revision is a
-- new version. The names, source and kind are copied out of the content so
-- that lists need not read it.
CREATE TABLE indicator_sets (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL CHECK (code ~ '^[a-z0-9-]+$'),
	version     text NOT NULL CHECK (length(btrim(version)) > 0),
	name_vi     text NOT NULL,
	name_en     text NOT NULL DEFAULT '',
	source      text NOT NULL DEFAULT '',
	assessed    text NOT NULL CHECK (assessed IN ('school', 'agency')),
	provisional boolean NOT NULL DEFAULT false,
	content     jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
	sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	loaded_at   timestamptz NOT NULL DEFAULT now(),
	locked_at   timestamptz,
	CONSTRAINT indicator_sets_code_version_key UNIQUE (code, version)
);

-- Latest(code): the most recently loaded version.
CREATE INDEX indicator_sets_code_loaded_idx ON indicator_sets (code, loaded_at DESC, id DESC);

-- The store refuses to change a locked version; this trigger refuses it
-- for any other writer too, and refuses to unlock or delete it.
CREATE FUNCTION indicator_sets_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.locked_at IS NOT NULL THEN
			RAISE EXCEPTION 'indicator set % % is used by a campaign and cannot be deleted', OLD.code, OLD.version
				USING ERRCODE = 'integrity_constraint_violation';
		END IF;
		RETURN OLD;
	END IF;
	IF OLD.locked_at IS NOT NULL AND (
		NEW.content IS DISTINCT FROM OLD.content OR NEW.sha256 IS DISTINCT FROM OLD.sha256
		OR NEW.code IS DISTINCT FROM OLD.code OR NEW.version IS DISTINCT FROM OLD.version
		OR NEW.locked_at IS NULL) THEN
		RAISE EXCEPTION 'indicator set % % is used by a campaign and cannot change', OLD.code, OLD.version
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER indicator_sets_guard BEFORE UPDATE OR DELETE ON indicator_sets
	FOR EACH ROW EXECUTE FUNCTION indicator_sets_guard();
