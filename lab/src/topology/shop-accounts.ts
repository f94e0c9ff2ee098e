import path from 'node:path';
import { ensureTokenFile } from '@firedrill/kit';
import type { LabConfig } from '../config/lab-config.ts';

/**
 * A shop's accounts on the shared stores (docs/decisions/0016). Each shop (the single lab's, or
 * each team's in a class) has two, with the same names on Postgres (LOGIN roles) and on Redis
 * (ACL users):
 * - its services' own, named as its database (`shop`, `shop_blue`): owns that database, and on
 *   Redis reads and writes its queue's keys (`<prefix>:*`) and nothing administrative;
 * - its trainees' read-only one (`shop_readonly`, `shop_blue_readonly`): reads that database and
 *   those keys, writes nothing.
 * Passwords are generated on first use, one per store and account, 0600 in secrets/.
 */
export interface ShopAccounts {
  /** The team, in a class; absent for the single lab's shop. */
  team?: string;
  /** The shop's database on the shared Postgres; also its services' account name. */
  database: string;
  /** Its BullMQ key prefix: its Redis users reach `<prefix>:*` only. */
  queuePrefix: string;
  owner: string;
  readonly: string;
}

/** The team's shop database on the shared Postgres. */
export function teamDatabase(team: string): string {
  return `shop_${team}`;
}

/** The accounts of the single lab's shop (no team) or of a team's shop in a class. */
export function shopAccounts(config: Pick<LabConfig, 'queuePrefix'>, team?: string): ShopAccounts {
  const database = team === undefined ? 'shop' : teamDatabase(team);
  const queuePrefix = team === undefined ? config.queuePrefix : `${config.queuePrefix}-${team}`;
  return { ...(team !== undefined && { team }), database, queuePrefix, owner: database, readonly: `${database}_readonly` };
}

/** Every shop of the lab: the one, or one per team. */
export function allShopAccounts(config: Pick<LabConfig, 'queuePrefix' | 'teams'>): ShopAccounts[] {
  return config.teams.length === 0 ? [shopAccounts(config)] : config.teams.map((team) => shopAccounts(config, team));
}

/**
 * The shop a trainee of `team` debugs: in a class its team's, in the single lab the one shop
 * (whatever the team: there is one shop). A team that has no shop in this class is refused.
 */
export function traineeShopAccounts(config: Pick<LabConfig, 'queuePrefix' | 'teams'>, team: string): ShopAccounts {
  if (config.teams.length === 0) return shopAccounts(config);
  if (!config.teams.includes(team)) throw new Error(`team "${team}" has no shop in this class (teams: ${config.teams.join(', ')})`);
  return shopAccounts(config, team);
}

/** `secrets/<store>-<account>-password`: an account's password on one store (generated on first use, 0600). */
export function storePasswordFile(config: Pick<LabConfig, 'stateDir'>, store: 'postgres' | 'redis', account: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(account)) throw new Error(`invalid account name ${account}`);
  return path.join(config.stateDir, 'secrets', `${store}-${account}-password`);
}

export function storePassword(config: Pick<LabConfig, 'stateDir'>, store: 'postgres' | 'redis', account: string): string {
  return ensureTokenFile(storePasswordFile(config, store, account));
}
