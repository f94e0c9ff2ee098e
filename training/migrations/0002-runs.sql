-- Runs of scenarios. What happened during a run is in events (run_id); this row holds its state
-- and what cleanup must undo, written before each action so a crash mid-action still leaves the
-- next start of the training process enough to undo it.
CREATE TABLE runs (
  id            text PRIMARY KEY,
  -- The scenario asked for (an on-call run asks for "oncall") and the one played.
  requested     text NOT NULL,
  scenario      text NOT NULL,
  title         text NOT NULL,
  seed          integer NOT NULL,
  speed         double precision NOT NULL,
  blind         boolean NOT NULL,
  state         text NOT NULL CHECK (state IN ('warming', 'live', 'resolved', 'timed_out', 'stopped', 'refused', 'failed')),
  reason        text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  live_at       timestamptz,
  ended_at      timestamptz,
  -- Cleanup's to-do list: fault ids injected, whether an injection's outcome is unknown (then
  -- cleanup halts), services deployed, flags changed.
  faults        text[] NOT NULL DEFAULT '{}',
  faults_unsure boolean NOT NULL DEFAULT false,
  deployed      text[] NOT NULL DEFAULT '{}',
  flags         text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_created_idx ON runs (created_at DESC);
-- One unfinished run at a time: the shop is one shared system under test.
CREATE UNIQUE INDEX runs_one_unfinished ON runs ((true)) WHERE ended_at IS NULL;
