// What other workspaces (test harnesses, benchmarks) reuse from the lab runner.
export { startPostgres, initPostgresCluster, type PostgresServer } from './infra/postgres-server.ts';
export { startRedis, type RedisServer } from './infra/redis-server.ts';
export { startManagedProcess, type ManagedProcess } from './infra/managed-process.ts';
export { freePort, isPortOpen } from './infra/free-port.ts';
export { waitFor } from './infra/wait-for.ts';
export { which, postgresBinDir, toolsBinDir } from './infra/binaries.ts';
export { startToxiproxy, type ToxiproxyServer } from './infra/toxiproxy-server.ts';
