-- An assessment's two results (self_result, validated_result) are 2–5 KB
-- of JSON each, written again at every save, and PostgreSQL compresses a
-- value that size before storing it. Under the autosave load its default
-- compressor, pglz, was the database's busiest function (a tenth of its
-- CPU, docs/performance.md); lz4 does the same job several times faster.
-- Only a server built with lz4 offers it (Debian's and most packages
-- are); elsewhere the columns keep pglz. Stored values stay as they are
-- and are read either way: the method only applies to new writes.
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
		ALTER TABLE assessments
			ALTER COLUMN self_result SET COMPRESSION lz4,
			ALTER COLUMN validated_result SET COMPRESSION lz4;
	END IF;
END $$;
