import { Router } from 'express';
import { HttpProblem, type Pool } from '@firedrill/kit';
import { findProduct, listProducts } from '../data-access/product-repository.ts';
import { apiProblems } from './api-problems.ts';

export function productRoutes(deps: { pool: Pool }): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json(await listProducts(deps.pool));
  });

  router.get('/:id', async (req, res) => {
    const product = await findProduct(deps.pool, req.params.id);
    if (!product) throw new HttpProblem(apiProblems.not_found, `No product ${req.params.id}`);
    res.json(product);
  });

  return router;
}
