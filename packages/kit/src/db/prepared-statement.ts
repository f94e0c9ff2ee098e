import type pg from 'pg';

/**
 * A statement sent as a named prepared statement: each connection parses it once and Postgres can
 * reuse its plan, instead of parsing and planning it on every call. On the checkout path that
 * work was over half of Postgres' time per statement. Names must be unique per database
 * connection, so they are prefixed by the module that owns the statement.
 * Postgres refuses a prepared statement whose result columns a later migration changed ("cached
 * plan must not change result type"). A service migrates its own schema when it starts, before
 * its first statement; statements on a table another service migrates name their columns.
 */
export function preparedStatement(name: string, text: string): (values?: unknown[]) => pg.QueryConfig {
  return (values = []) => ({ name, text, values });
}
