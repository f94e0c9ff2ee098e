export { consoleConfigSchema, loadConsoleConfig, type ConsoleConfig } from './config.ts';
export { startConsole, defaultWebDir, type RunningConsole } from './start.ts';
export { buildConsoleApp, type ConsoleAppDeps } from './app.ts';
