-- The fault plane's own store, in the lab's database (never the shop's: a database-loss fault
-- must not blind the lab).
CREATE TABLE faults (
  id          text PRIMARY KEY,
  family      text NOT NULL,
  target      text NOT NULL,
  mode        text,
  spec        jsonb NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  -- Set when the fault stops acting: cleared by someone, expired, or halted.
  ended_at    timestamptz,
  ended_by    text,
  end_reason  text CHECK (end_reason IN ('cleared', 'expired', 'halted')),
  -- One-shot faults (worker exit) record when the agent carried them out.
  executed_at timestamptz
);
CREATE INDEX faults_active_idx ON faults (expires_at) WHERE ended_at IS NULL;

-- Append-only: who did what, when, with which parameters.
CREATE TABLE journal (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  action    text NOT NULL CHECK (action IN ('inject', 'clear', 'expire', 'halt', 'restore', 'execute')),
  fault_id  text,
  details   jsonb NOT NULL DEFAULT '{}'
);
