-- The shop's own tables (schema `shop`, set as search_path by the migration runner).
CREATE TABLE products (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  description  text NOT NULL,
  price_cents  integer NOT NULL CHECK (price_cents > 0),
  currency     text NOT NULL DEFAULT 'EUR'
);

CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  -- Hash of the normalised request, to refuse a key reused for a different order.
  request_hash     text NOT NULL,
  customer_email   text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'paid', 'payment_failed', 'fulfilled')),
  total_cents      integer NOT NULL,
  currency         text NOT NULL,
  payment_reason   text,
  charge_id        uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  paid_at          timestamptz,
  fulfilled_at     timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_status_idx ON orders (status) WHERE status IN ('pending', 'paid');

CREATE TABLE order_items (
  order_id          uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id        text NOT NULL REFERENCES products (id),
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_cents  integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

-- Transactional outbox: written in the same transaction that marks an order paid, so a paid
-- order always has a fulfilment request even if Redis is down at that moment.
CREATE TABLE outbox (
  id             bigserial PRIMARY KEY,
  order_id       uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  kind           text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

INSERT INTO products (id, name, description, price_cents) VALUES
  ('espresso-beans-1kg', 'Espresso beans, 1 kg', 'Dark roast for espresso machines.', 2490),
  ('filter-beans-500g', 'Filter beans, 500 g', 'Light roast for pour-over and batch brew.', 1390),
  ('grinder-burr', 'Burr grinder', 'Conical burr grinder with 40 settings.', 12900),
  ('kettle-gooseneck', 'Gooseneck kettle', 'Temperature-controlled pouring kettle.', 8900),
  ('dripper-ceramic', 'Ceramic dripper', 'Cone dripper for single cups.', 2900),
  ('paper-filters-100', 'Paper filters, 100', 'Unbleached filters for the ceramic dripper.', 590),
  ('scale-timer', 'Brew scale', 'Scale with timer, 0.1 g resolution.', 4900),
  ('mug-stoneware', 'Stoneware mug', 'Hand-glazed 300 ml mug.', 1800);
