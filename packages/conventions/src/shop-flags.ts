/**
 * The shop's feature flags, written once: the services evaluate them (with these defaults when
 * the lab says nothing), and the lab's flags store offers exactly these. A flag name says which
 * service reads it.
 */
export interface FlagDefinition {
  readonly type: 'boolean' | 'number';
  readonly default: boolean | number;
  readonly description: string;
  /** For numbers: the values a change may set (a timeout of -1 ms is a typo, not a lever). */
  readonly min?: number;
  readonly max?: number;
}

const flag = <const T extends FlagDefinition>(definition: T): T => Object.freeze(definition);

export const shopFlags = Object.freeze({
  'payments.fraud-check': flag({
    type: 'boolean',
    default: false,
    description: 'payments scores every charge for fraud, synchronously, before the card gateway (FRAUD_CHECK_MS per charge)',
  }),
  'payments.secondary-gateway': flag({
    type: 'boolean',
    default: false,
    description: 'payments sends charges to the secondary card gateway instead of the primary',
  }),
  'api.payment-timeout-ms': flag({
    type: 'number',
    default: 2000,
    min: 50,
    max: 60_000,
    description: "the api's per-attempt timeout of a charge call (overrides PAYMENTS_TIMEOUT_MS)",
  }),
  'api.payment-retries': flag({ type: 'number', default: 3, min: 1, max: 10, description: 'attempts per charge call (overrides PAYMENTS_ATTEMPTS)' }),
  'api.payments-circuit-breaker': flag({
    type: 'boolean',
    default: false,
    description: 'a circuit breaker around payments: open after consecutive failures, fail fast, probe again after a pause',
  }),
  'api.degraded-mode': flag({
    type: 'boolean',
    default: false,
    description: 'checkout paused: the catalogue is served, POST /api/orders answers 503 with Retry-After and stores nothing',
  }),
});

export type ShopFlagName = keyof typeof shopFlags;
