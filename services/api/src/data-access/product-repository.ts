import { preparedStatement, type Pool } from '@firedrill/kit';

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

const selectAllProducts = preparedStatement('products.all', 'SELECT id, name, description, price_cents, currency FROM shop.products ORDER BY name');
const selectProduct = preparedStatement('products.by-id', 'SELECT id, name, description, price_cents, currency FROM shop.products WHERE id = $1');

export async function listProducts(pool: Pool): Promise<Product[]> {
  const { rows } = await pool.query<ProductRow>(selectAllProducts());
  return rows.map(toProduct);
}

export async function findProduct(pool: Pool, id: string): Promise<Product | undefined> {
  const { rows } = await pool.query<ProductRow>(selectProduct([id]));
  return rows[0] && toProduct(rows[0]);
}

/**
 * Prices for checkout, from a copy of the catalogue kept for `ttlMs`. The catalogue changes
 * rarely and is read on every order; caching it saves a database round trip per checkout. The
 * product pages still read the database, so they show its state as it is.
 */
export function cachedCatalogue(pool: Pool, ttlMs = 5_000) {
  let cached: { at: number; products: Map<string, Product> } | undefined;
  let loading: Promise<Map<string, Product>> | undefined;
  return async (): Promise<Map<string, Product>> => {
    if (cached && performance.now() - cached.at < ttlMs) return cached.products;
    loading ??= listProducts(pool)
      .then((list) => {
        cached = { at: performance.now(), products: new Map(list.map((p) => [p.id, p])) };
        return cached.products;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
}

export type Catalogue = ReturnType<typeof cachedCatalogue>;
