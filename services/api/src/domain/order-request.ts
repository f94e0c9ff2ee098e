import { z } from 'zod';
import { idempotencyKeySchema, requestFingerprint, storable, storableText } from '@firedrill/kit';

/**
 * What a client may send to place an order. Objects are strict: a misspelt field is an error,
 * not silently ignored (`quantiy: 3` must not become an order for one).
 */
export const orderRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: storableText()
          .min(1)
          .max(100)
          .meta({ examples: ['espresso-beans-1kg'] }),
        quantity: z.number().int().min(1).max(100),
      }),
    )
    .min(1)
    .max(50)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.productId)) {
          ctx.addIssue({ code: 'custom', path: [index, 'productId'], message: `Duplicate productId ${item.productId}; use quantity instead` });
        }
        seen.add(item.productId);
      });
    }),
  customer: z.strictObject({
    email: storable(z.email().max(254)).meta({ examples: ['ada@example.com'] }),
  }),
});

export type OrderRequest = z.output<typeof orderRequestSchema>;

/** The headers of POST /api/orders, for the OpenAPI document (the route parses them with requireIdempotencyKey). */
export const orderRequestHeaders = z.object({
  'Idempotency-Key': idempotencyKeySchema.describe('Any unique string per order; send the same one on every retry so the order is placed (and charged) once'),
});

/**
 * A fingerprint of what the order asks for, independent of item order and email case, to tell a
 * genuine retry (same key, same order) from a key reused for a different order.
 */
export function hashOrderRequest(request: OrderRequest): string {
  const normalised = {
    items: [...request.items].sort((a, b) => a.productId.localeCompare(b.productId)).map((i) => [i.productId, i.quantity]),
    email: request.customer.email.trim().toLowerCase(),
  };
  return requestFingerprint(normalised);
}
