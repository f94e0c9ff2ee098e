-- Post-incident reviews as submitted: the Markdown the team wrote, what the checker found in it
-- and the score it gave (training/src/pir). A team may submit again; each submission is a row and
-- a pir.submitted event, and grading reads the latest.
CREATE TABLE pirs (
  id            text PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs (id),
  -- The run's team when runs carry one (identities); null before that.
  team          text,
  markdown      text NOT NULL,
  findings      jsonb NOT NULL,
  score         integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  submitted_by  text NOT NULL,
  submitted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pirs_run_idx ON pirs (run_id, submitted_at DESC);
