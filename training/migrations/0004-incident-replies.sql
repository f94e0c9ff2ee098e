-- The answers to incident and hint commands, by Idempotency-Key: a command sent again (a retry, a
-- replayed request) gets the first answer back and appends nothing. Written in the same
-- transaction as the events the command appended, under the team's incident lock.
CREATE TABLE command_replies (
  idempotency_key text PRIMARY KEY,
  -- What was asked (route, caller, body): the same key with a different request is refused.
  fingerprint     text NOT NULL,
  status          integer NOT NULL,
  body            jsonb NOT NULL,
  at              timestamptz NOT NULL DEFAULT now()
);
