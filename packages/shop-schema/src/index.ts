import path from 'node:path';

/**
 * The `shop` schema has one owner: this package. Its migrations are the only place the tables
 * are defined. The api applies them at start-up (it is the schema's writer of record: catalogue,
 * orders, outbox); the worker depends on the columns it updates (`orders.status`,
 * `fulfilled_at`, `updated_at`, `paid_at`) and never migrates. A migration that changes those
 * columns changes the worker in the same commit.
 */
export const shopSchema = {
  schema: 'shop',
  dir: path.join(import.meta.dirname, '..', 'migrations'),
} as const;
