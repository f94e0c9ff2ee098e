import pg from 'pg';

/**
 * Postgres refused a value itself (SQLSTATE class 22, "data exception": 22021 a NUL or invalid
 * byte in text, 22P05 an escape jsonb cannot hold, 22003 a number out of range, ...), as opposed
 * to failing as a system (connection, timeout, constraint, bug in a query).
 */
export function isDataException(err: unknown): err is pg.DatabaseError & { code: string } {
  return err instanceof pg.DatabaseError && typeof err.code === 'string' && err.code.startsWith('22');
}
