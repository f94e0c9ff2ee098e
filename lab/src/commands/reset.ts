import { Redis } from 'ioredis';
import pg from 'pg';
import { exitCodes, type Command } from '../cli/command.ts';
import { result } from '../cli/output.ts';
import { fulfilmentQueueName } from '@firedrill/queue-contract';
import { runningLab } from '../cli/running-lab.ts';
import { postgresUrl } from '../topology/lab-addresses.ts';
import { labRedisServers } from '../topology/redis-servers.ts';
import { redisAdminUrl } from '../topology/redis-users.ts';

/** Order data of the shop; the catalogue (shop.products) stays. */
const orderTables = ['shop.orders', 'shop.order_items', 'shop.outbox', 'payments.charges'];

export const resetCommand: Command = {
  name: 'reset',
  summary: 'empty orders, charges and the fulfilment queue (between exercises); the catalogue stays',
  usage: 'lab reset',
  async run({ config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    // The running lab's ports and teams, the superuser and the lab's Redis user (their passwords in the lab's secrets).
    const running = { ...config, ports: lab.ports, portBase: lab.state.portBase, teams: lab.state.teams ?? [] };
    // Every shop: the single lab's, or each team's (its database, its queue on its own Redis).
    for (const server of labRedisServers(running)) {
      const emptied = await truncateOrderTables(postgresUrl(running, server.shop.database));
      await obliterateQueue(redisAdminUrl(running, server.port), server.shop.queuePrefix);
      const tables = emptied.length > 0 ? emptied.join(', ') : 'no tables (schemas not created yet)';
      result(`emptied ${tables}${server.team ? ` of team ${server.team}` : ''} and the ${fulfilmentQueueName} queue`);
    }
    return exitCodes.ok;
  },
};

async function truncateOrderTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT t AS name FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL', [orderTables]);
    const existing = rows.map((r) => r.name);
    // One statement: foreign keys between these tables are satisfied together.
    if (existing.length > 0) await client.query(`TRUNCATE ${existing.join(', ')}`);
    return existing;
  } finally {
    await client.end();
  }
}

async function obliterateQueue(url: string, prefix: string): Promise<void> {
  // Loaded here, not at the top: every other command starts faster without BullMQ.
  const { Queue } = await import('bullmq');
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(fulfilmentQueueName, { prefix, connection });
  try {
    // force: also drop jobs a worker holds right now; the worker simply finds them gone.
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
