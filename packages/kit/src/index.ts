export * from './config/index.ts';
export * from './logger/index.ts';
export * from './metrics/index.ts';
export * from './errors/index.ts';
export * from './http/index.ts';
export * from './retry/index.ts';
export * from './db/index.ts';
export * from './telemetry/index.ts';
