import path from 'node:path';
import { inject } from 'vitest';
import { freePort, startPostgres, startRedis, type PostgresServer, type RedisServer } from '@firedrill/lab-infra';
import { uniqueName } from '@firedrill/lab-infra/testing';

/**
 * A Postgres of the test's own, which it may stop and start again on the same port and data
 * directory (the shared test Postgres must never be stopped).
 */
export class OwnPostgres {
  server!: PostgresServer;
  readonly dataDir = path.join(inject('testStateDir'), uniqueName('pg'));
  port!: number;

  static async start(): Promise<OwnPostgres> {
    const own = new OwnPostgres();
    own.port = await freePort();
    await own.restart();
    await own.server.createDatabase('shop');
    return own;
  }

  get shopUrl(): string {
    return this.server.url('shop');
  }

  async restart(): Promise<void> {
    this.server = await startPostgres({ dataDir: this.dataDir, port: this.port, logFile: `${this.dataDir}.log`, ephemeral: true });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

/** A Redis of the test's own, stoppable and restartable on the same port. */
export class OwnRedis {
  server!: RedisServer;
  readonly dataDir = path.join(inject('testStateDir'), uniqueName('redis'));
  port!: number;

  static async start(): Promise<OwnRedis> {
    const own = new OwnRedis();
    own.port = await freePort();
    await own.restart();
    return own;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.server = await startRedis({ dataDir: this.dataDir, port: this.port, logFile: `${this.dataDir}.log` });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
