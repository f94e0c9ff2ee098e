export { consoleConfigSchema, loadConsoleConfig, type ConsoleConfig } from './config.ts';
export { startConsole, type RunningConsole } from './start.ts';
export { defaultWebDir, ensurePageBuilt, pageState, type PageBuildResult, type PageState } from './page/page-build.ts';
export { buildConsoleApp, type ConsoleAppDeps } from './app.ts';
