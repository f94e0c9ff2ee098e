export { createPool, inTransaction, isConnectionError, type Pool, type PoolClient, type PoolOptions } from './create-pool.ts';
export { runMigrations, migrateAtStartup } from './run-migrations.ts';
export { preparedStatement } from './prepared-statement.ts';
export { isDataException } from './data-exception.ts';
