-- When the latest charge attempt of an order began (its placement, or a client's retry that
-- resumed the charge). The order reconciler only looks at orders pending for longer than its
-- grace period since then, so it never judges a charge that is still being made.
ALTER TABLE orders ADD COLUMN charge_started_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX orders_pending_charge_idx ON orders (charge_started_at) WHERE status = 'pending';
