-- What-if (issue 13): a campaign still open may move to another version of
-- its indicator set, answers carried over by indicator code. Each move is
-- recorded here (the audit entry): who, when, why, from and to which
-- version, how many assessments changed level, and the answers and
-- evaluators' values the new version has no place for (kept, not lost).
-- Published revisions are snapshots and never change.
CREATE TABLE campaign_set_moves (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id    bigint NOT NULL REFERENCES campaigns (id),
	set_code       text NOT NULL,
	from_version   text NOT NULL,
	to_version     text NOT NULL,
	reason         text NOT NULL,
	assessments    int NOT NULL,
	level_changes  int NOT NULL,
	dropped        jsonb NOT NULL DEFAULT '{}',
	actor_id       bigint REFERENCES users (id),
	at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_set_moves_campaign_idx ON campaign_set_moves (campaign_id, id);
