export { loadConfig, ConfigError, env } from './load-config.ts';
export { databaseSettings, listenSettings, serviceSettings } from './settings.ts';
