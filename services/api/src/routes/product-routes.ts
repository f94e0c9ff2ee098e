import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, parseOrThrow, storableText, type OperationSpec, type Pool } from '@firedrill/kit';
import { findProduct, listProducts } from '../data-access/product-repository.ts';
import { apiProblems } from './api-problems.ts';

const productIdParams = z.object({
  id: storableText()
    .min(1)
    .max(100)
    .meta({ examples: ['espresso-beans-1kg'] }),
});

export const productSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
});

export function productRoutes(deps: { pool: Pool }): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json((await listProducts(deps.pool)) satisfies z.output<typeof productSchema>[]);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOrThrow(productIdParams, req.params);
    const product = await findProduct(deps.pool, id);
    if (!product) throw new HttpProblem(apiProblems.not_found, `No product ${id}`);
    res.json(product satisfies z.output<typeof productSchema>);
  });

  return router;
}

/** The routes above, for the OpenAPI document. */
export const productOperations = (prefix: string): OperationSpec[] => [
  {
    method: 'get',
    path: prefix,
    summary: 'The catalogue',
    responses: { 200: { description: 'Every product, by name', schema: z.array(productSchema) } },
    problems: [apiProblems.dependency_unavailable],
  },
  {
    method: 'get',
    path: `${prefix}/{id}`,
    summary: 'One product',
    params: productIdParams,
    responses: { 200: { description: 'The product', schema: productSchema } },
    problems: [apiProblems.validation_failed, apiProblems.not_found, apiProblems.dependency_unavailable],
  },
];
