export { loadConfig, ConfigError, env } from './load-config.ts';
export { databaseSettings, defaultServiceVersion, flagSettings, listenSettings, serviceSettings } from './settings.ts';
