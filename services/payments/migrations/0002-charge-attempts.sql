-- A charge that failed at the gateway is tried again when the client retries with the same
-- Idempotency-Key; these columns record how often, and when the current attempt began (so a
-- charge left `processing` by a crashed process can be told apart from one in flight).
ALTER TABLE charges
  ADD COLUMN attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  ADD COLUMN attempted_at timestamptz NOT NULL DEFAULT now();
