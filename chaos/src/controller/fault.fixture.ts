import { faultSpec } from '../faults/catalogue.ts';
import type { Fault } from './fault-store.ts';

/** A stored fault for unit tests: the spec parsed as the controller parses it, a minute long, from t=0. */
export const testFault = (id: string, spec: unknown, executedAt: Date | null = null): Fault => ({
  id,
  spec: faultSpec.parse(spec),
  createdBy: 'test',
  createdAt: new Date(0),
  expiresAt: new Date(60_000),
  executedAt,
});
