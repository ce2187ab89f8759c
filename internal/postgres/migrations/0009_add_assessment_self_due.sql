-- A school's own self-assessment deadline, when the office extended it for
-- that school (or reopened its assessment); NULL: the campaign's. Every
-- reader of an assessment's deadline uses coalesce(x.self_due, c.self_due),
-- so the lock, the overdue marks and the countdown agree.
ALTER TABLE assessments ADD COLUMN self_due date;
