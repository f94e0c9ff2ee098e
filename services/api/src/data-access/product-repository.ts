import type { Pool } from '@firedrill/kit';

export interface Product {
  id: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
}

interface ProductRow {
  id: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
}

const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  name: row.name,
  description: row.description,
  priceCents: row.price_cents,
  currency: row.currency,
});

export async function listProducts(pool: Pool): Promise<Product[]> {
  const { rows } = await pool.query<ProductRow>('SELECT id, name, description, price_cents, currency FROM shop.products ORDER BY name');
  return rows.map(toProduct);
}

export async function findProduct(pool: Pool, id: string): Promise<Product | undefined> {
  const { rows } = await pool.query<ProductRow>('SELECT id, name, description, price_cents, currency FROM shop.products WHERE id = $1', [id]);
  return rows[0] && toProduct(rows[0]);
}

/** The products among `ids` that exist, keyed by id. */
export async function findProducts(pool: Pool, ids: readonly string[]): Promise<Map<string, Product>> {
  const { rows } = await pool.query<ProductRow>(
    'SELECT id, name, description, price_cents, currency FROM shop.products WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, toProduct(row)]));
}
