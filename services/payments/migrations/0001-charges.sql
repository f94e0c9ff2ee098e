-- The payment service's own table (schema `payments`): the shop never writes here.
CREATE TABLE charges (
  id               uuid PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  request_hash     text NOT NULL,
  order_id         text NOT NULL,
  amount_cents     integer NOT NULL CHECK (amount_cents > 0),
  currency         text NOT NULL,
  customer_email   text NOT NULL,
  -- processing: the gateway call is in flight; a retry with the same key waits or gets 409.
  status           text NOT NULL CHECK (status IN ('processing', 'approved', 'declined', 'failed')),
  reason           text,
  gateway_ms       integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);
CREATE INDEX charges_order_idx ON charges (order_id);
