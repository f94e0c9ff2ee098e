import { z } from 'zod';
import { defaultServiceVersion } from '@firedrill/kit';

/** The shop's services, the only ones a release, a restart or a rollback applies to. */
export const shopServices = ['api', 'payments', 'worker'] as const;
export type ShopService = (typeof shopServices)[number];

/** What every service runs until a scenario deploys something else (SERVICE_VERSION's default). */
export const baselineVersion = defaultServiceVersion;

/** A semantic version, optionally with a pre-release tag (2.4.0, 2.4.0-rc.1). */
export const versionSchema = z
  .string()
  .max(64)
  .regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,40})?$/, 'must be a semantic version such as 2.4.0');

export interface ReleaseRecord {
  id: number;
  at: string;
  service: ShopService;
  action: 'deploy' | 'rollback';
  version: string;
  previousVersion: string;
  actor: string;
  /** The shop released to (team-shops.ts `key`): a class's team, '' for the single lab's shop. */
  shop: string;
}

/**
 * The versions a service has been through that a rollback can return to, oldest first, from its
 * history (oldest first): a deploy puts a version on top, a rollback takes the top one off. So
 * deploying 2.4.0 then 2.5.0 and rolling back twice returns to the baseline, and a rollback never
 * lands on the release it just undid.
 */
export function versionStack(history: readonly Pick<ReleaseRecord, 'action' | 'version'>[]): string[] {
  const stack = [baselineVersion];
  for (const record of history) {
    if (record.action === 'deploy') stack.push(record.version);
    else if (stack.length > 1) stack.pop();
  }
  return stack;
}

export function currentVersion(history: readonly Pick<ReleaseRecord, 'action' | 'version'>[]): string {
  return versionStack(history).at(-1)!;
}

/** The version a rollback would run, or undefined when nothing was deployed over the baseline. */
export function rollbackTarget(history: readonly Pick<ReleaseRecord, 'action' | 'version'>[]): string | undefined {
  const stack = versionStack(history);
  return stack.length > 1 ? stack.at(-2) : undefined;
}
