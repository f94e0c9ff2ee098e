import type { CardGateway } from './card-gateway.ts';
import type { GatewayWindow } from './gateway-window.ts';

/**
 * Payments has two card gateways (acquirers): the primary, which takes every charge normally, and
 * a secondary to fail over to when the primary is in trouble. Each keeps its own health window and
 * its own series in the payment metrics, so a failover shows as traffic moving from one to the other.
 */
export const gatewayNames = ['primary', 'secondary'] as const;
export type GatewayName = (typeof gatewayNames)[number];

/** A card gateway with its health window: where a charge goes and where its outcome is recorded. */
export interface RoutedGateway {
  name: GatewayName;
  network: CardGateway;
  window: GatewayWindow;
}

export type PaymentGateways = Readonly<Record<GatewayName, RoutedGateway>>;
