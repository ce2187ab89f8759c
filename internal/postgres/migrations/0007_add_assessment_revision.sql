-- revision counts the writes that change an assessment's stored score.
-- The autosaving form sends several saves at once and their answers can
-- arrive out of order; each answer carries the revision it produced, so
-- the page shows the newest score, not the one that happened to arrive last.
ALTER TABLE assessments ADD COLUMN revision bigint NOT NULL DEFAULT 0;
