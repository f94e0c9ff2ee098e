-- The debrief: once the instructor has held it, trainees see the whole run in its report
-- (instructor-only events, the answer key, the grade). Null until then.
ALTER TABLE runs ADD COLUMN debriefed_at timestamptz;
