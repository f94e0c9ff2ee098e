import { shopFlags } from '@firedrill/conventions';
import type { FlagClient } from '@firedrill/kit';
import type { GatewayName } from './domain/payment-gateways.ts';

/**
 * The payments service's feature flags, read by its routes (never inside the domain): the charge
 * route picks the gateway and whether to score for fraud, the status route reports the gateway in use.
 */
export interface PaymentsFlags {
  /** payments.fraud-check */
  fraudCheck(): Promise<boolean>;
  /** payments.secondary-gateway: which gateway charges go to. */
  activeGateway(): Promise<GatewayName>;
}

export function paymentsFlags(client: FlagClient): PaymentsFlags {
  return {
    fraudCheck: () => client.getBooleanValue('payments.fraud-check', shopFlags['payments.fraud-check'].default),
    activeGateway: async () =>
      (await client.getBooleanValue('payments.secondary-gateway', shopFlags['payments.secondary-gateway'].default)) ? 'secondary' : 'primary',
  };
}
