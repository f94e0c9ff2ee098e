import { buildMetrics } from '@firedrill/conventions/generic';
import type { Registry } from './create-metrics.ts';
import { registerGauge } from './registered-metrics.ts';

/** shop_build_info{service,version} 1: which release this process runs, for dashboards and deploy annotations. */
export function registerBuildInfo(registry: Registry, identity: { service: string; version: string }): void {
  registerGauge(registry, buildMetrics.buildInfo).set({ service: identity.service, version: identity.version }, 1);
}
