// Real servers for the lab, its tests and its benches: Postgres, Redis and Toxiproxy as local
// processes, ports, waiting, and a whole native lab driven through the `lab` CLI as a child
// process. No dependency on the CLI's code. Test-runner helpers are under `./testing`.
export { startPostgres, preparePostgres, initPostgresCluster, type PostgresServer } from './postgres-server.ts';
export { passwordHba, requirePasswordAuth, scramVerifier } from './postgres-auth.ts';
export { startRedis, prepareRedis, type RedisServer } from './redis-server.ts';
export { startToxiproxy, type ToxiproxyServer } from './toxiproxy-server.ts';
export { startManagedProcess, type ManagedProcess } from './managed-process.ts';
export { freePort, freePortBlock, isPortOpen } from './free-port.ts';
export { waitFor } from './wait-for.ts';
export { which, postgresBinDir, toolsBinDir } from './binaries.ts';
export {
  defaultPortBase,
  highestPort,
  maxTeams,
  maxWorkers,
  portOffsets,
  portsFor,
  teamBlockSize,
  teamColours,
  teamPortNames,
  teamPortsFor,
  workerReplicaPort,
  type PortName,
  type TeamPortName,
} from './port-layout.ts';
export type { StatusEntry } from './lab-status.ts';
export { shopOrderAccount, orderAccountOnceFulfilled, type OrderAccount } from './shop-orders.ts';
export { startNativeLab, type NativeLab, type NativeLabOptions, type CliRun, type ServiceStatus } from './native-lab.ts';
export { createOtherUser, otherUserUnavailable, type OtherUser } from './other-user.ts';
export { runSchemathesis, fuzzChecks, fuzzSeed, type FuzzOptions } from './run-schemathesis.ts';
export { syncGeneratedFiles, type GeneratedFile } from './generated-files.ts';
export { FlagsServer, type FlagValue } from './flags-server.ts';
