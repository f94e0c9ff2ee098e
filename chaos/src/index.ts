export { startController } from './controller/start.ts';
export { controllerConfigSchema, loadControllerConfig, type ControllerConfig } from './controller/config.ts';
export { ensureTokenFile, readToken } from './shared/token-file.ts';
export { catalogue, faultSpec, type FaultSpec, type FaultFamily } from './faults/catalogue.ts';
export { parseDuration, formatDuration } from './faults/duration.ts';
export { createToxiproxyClient, type ToxiproxyClient, type ProxyConfig } from './toxiproxy/toxiproxy-client.ts';
export { runChaosCli, chaosCommands, chaosCliOptions } from './cli/chaos-cli.ts';
export type { AlertRecord } from './controller/alert-store.ts';
