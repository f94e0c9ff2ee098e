export { loadConfig, ConfigError, env } from './load-config.ts';
export { databaseSettings, serviceSettings } from './settings.ts';
