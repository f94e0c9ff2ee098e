-- Faults the controller carries out itself (redis-memory-pressure) change a server's settings.
-- What they changed, and how to put it back, is kept with the fault until it is reverted, so a
-- controller restarted after the fault ended still undoes it.
ALTER TABLE faults ADD COLUMN executor_state jsonb;
CREATE INDEX faults_unreverted_idx ON faults (id) WHERE executor_state IS NOT NULL;

-- 'revert': the controller undid a fault's changes to a server (Redis settings, its keys).
ALTER TABLE journal DROP CONSTRAINT journal_action_check;
ALTER TABLE journal ADD CONSTRAINT journal_action_check
  CHECK (action IN ('inject', 'clear', 'expire', 'halt', 'restore', 'execute', 'revert'));
