-- Alerts as Alertmanager reported them: when each fired and resolved. Grading measures time to
-- detect and to acknowledge from these rows, so they live with the lab, not the shop.
CREATE TABLE alerts (
  fingerprint       text NOT NULL,
  starts_at         timestamptz NOT NULL,
  alertname         text NOT NULL,
  severity          text,
  status            text NOT NULL CHECK (status IN ('firing', 'resolved')),
  ends_at           timestamptz,
  labels            jsonb NOT NULL,
  annotations       jsonb NOT NULL,
  first_received_at timestamptz NOT NULL DEFAULT now(),
  resolved_received_at timestamptz,
  PRIMARY KEY (fingerprint, starts_at)
);
CREATE INDEX alerts_starts_at_idx ON alerts (starts_at DESC);
