import type pg from 'pg';
import { createChangeWaiters } from '@firedrill/kit';
import type { EventStore } from '../events/event-store.ts';
import type { ShopDirectory } from '../runs/team-shops.ts';
import { flagCatalogue, flagNames, type FlagName, type FlagValue } from './flag-catalogue.ts';

/** What the services' flag providers poll (the issue 9 protocol). */
export interface FlagSnapshot {
  /** Grows with every change; a provider that saw this version already has nothing new to apply. */
  version: number;
  flags: Record<FlagName, FlagValue>;
}

export interface FlagChange {
  at: string;
  actor: string;
  previous: FlagValue;
  value: FlagValue;
}

export interface FlagView {
  name: FlagName;
  type: 'boolean' | 'number';
  description: string;
  default: FlagValue;
  value: FlagValue;
  changedAt: string | null;
  changedBy: string | null;
}

const defaults = (): Record<FlagName, FlagValue> =>
  Object.fromEntries(flagNames.map((name) => [name, flagCatalogue[name].default])) as Record<FlagName, FlagValue>;

/**
 * Flag values and their history in training.flags / training.flag_changes, per shop: the single
 * lab's one shop, or in a class each team's (`team` below; a single lab's flags are its one shop's
 * whatever team is named). The current sets are also held in memory: the providers of every shop
 * instance poll them (a long poll), and they must keep answering while the lab's database is busy
 * or briefly away. This process is the only writer. One version for all shops: it only grows.
 */
export async function createFlagStore(pool: pg.Pool, events: EventStore, shops: ShopDirectory) {
  const sets = new Map(shops.all().map((shop) => [shop.key, { current: defaults(), meta: new Map<FlagName, { changedAt: string; changedBy: string }>() }]));
  const setOf = (team: string | null) => {
    const shop = shops.shopFor(team);
    return { shop, ...sets.get(shop.key)! };
  };
  let version = 0;
  /** Providers' held polls (?since=), answered at the next change or when their wait runs out. */
  const changeWaiters = createChangeWaiters();
  // Changes one at a time: each reads the value it replaces from memory.
  let writing: Promise<unknown> = Promise.resolve();

  const { rows } = await pool.query<{ shop: string; name: string; value: FlagValue; changed_at: Date; changed_by: string }>('SELECT * FROM training.flags');
  for (const row of rows) {
    // A row for a flag that left the catalogue, or of a shop this lab no longer has, is history, not a value anyone evaluates.
    const set = sets.get(row.shop);
    if (!set || !Object.hasOwn(set.current, row.name)) continue;
    set.current[row.name as FlagName] = row.value;
    set.meta.set(row.name as FlagName, { changedAt: row.changed_at.toISOString(), changedBy: row.changed_by });
  }
  version = Number((await pool.query<{ v: string | null }>('SELECT max(id) AS v FROM training.flag_changes')).rows[0]?.v ?? 0);

  const view = (name: FlagName, team: string | null = null): FlagView => {
    const { current, meta } = setOf(team);
    const definition = flagCatalogue[name];
    return {
      name,
      type: definition.type,
      description: definition.description,
      default: definition.default,
      value: current[name],
      changedAt: meta.get(name)?.changedAt ?? null,
      changedBy: meta.get(name)?.changedBy ?? null,
    };
  };

  const write = async (name: FlagName, value: FlagValue, actor: string, team: string | null) => {
    const { shop, current, meta } = setOf(team);
    const previous = current[name];
    if (previous === value) return { changed: false, flag: view(name, team) };
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: change } = await client.query<{ id: string; at: Date }>(
        'INSERT INTO training.flag_changes (name, previous, value, actor, shop) VALUES ($1, $2::jsonb, $3::jsonb, $4, $5) RETURNING id, at',
        [name, JSON.stringify(previous), JSON.stringify(value), actor, shop.key],
      );
      const at = change[0]!.at;
      await client.query(
        `INSERT INTO training.flags (shop, name, value, changed_at, changed_by) VALUES ($5, $1, $2::jsonb, $3, $4)
           ON CONFLICT (shop, name) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
        [name, JSON.stringify(value), at, actor, shop.key],
      );
      // A class's team's flag change is that team's (and its run's).
      await events.append([{ actor, kind: 'flag.changed', data: { flag: name, previous, value }, ...(shop.team !== null && { team: shop.team }) }], client);
      await client.query('COMMIT');
      current[name] = value;
      meta.set(name, { changedAt: at.toISOString(), changedBy: actor });
      version = Math.max(version, Number(change[0]!.id));
      changeWaiters.wakeAll();
      return { changed: true, flag: view(name, team) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };

  return {
    snapshot(team: string | null = null): FlagSnapshot {
      return { version, flags: { ...setOf(team).current } };
    },

    view,

    /**
     * Resolves when the version moves past `seen`, after `timeoutMs`, when `signal` aborts, or at
     * answerHeldPolls(), whichever comes first: a provider's poll is held here (a long poll)
     * instead of every shop instance asking twice a second all day long.
     */
    changedSince(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
      return changeWaiters.wait(version, seen, timeoutMs, signal);
    },

    /** Answers every held poll now: at shutdown, so that the HTTP server's close does not wait them out. */
    answerHeldPolls(): void {
      changeWaiters.wakeAll();
    },

    list(team: string | null = null): FlagView[] {
      return flagNames.map((name) => view(name, team));
    },

    /**
     * Sets a flag (the value already checked against its type), recording the change and a
     * flag.changed event in one transaction. Setting the value it already has changes nothing
     * and records nothing.
     */
    set(name: FlagName, value: FlagValue, actor: string, team: string | null = null): Promise<{ changed: boolean; flag: FlagView }> {
      const next = writing.then(() => write(name, value, actor, team));
      writing = next.catch(() => {});
      return next;
    },

    async history(name: FlagName, limit = 50, team: string | null = null): Promise<FlagChange[]> {
      const { rows: changes } = await pool.query<{ at: Date; actor: string; previous: FlagValue; value: FlagValue }>(
        'SELECT at, actor, previous, value FROM training.flag_changes WHERE name = $1 AND shop = $3 ORDER BY id DESC LIMIT $2',
        [name, limit, shops.shopFor(team).key],
      );
      return changes.map((c) => ({ at: c.at.toISOString(), actor: c.actor, previous: c.previous, value: c.value }));
    },
  };
}

export type FlagStore = Awaited<ReturnType<typeof createFlagStore>>;
