/**
 * One entry of `lab status --json`: a stable shape that scripts, tests and benches rely on. It
 * lives here, not in the CLI, because the CLI writes it and its readers must not import the CLI.
 */
export interface StatusEntry {
  name: string;
  /** In a class (`lab up --teams`), the team whose shop the process belongs to; absent otherwise. */
  team?: string;
  url: string;
  pid: number | null;
  port: number;
  healthy: boolean;
  uptimeSeconds: number | null;
  restarts: number;
  /** The release a shop service runs (SERVICE_VERSION); null for the lab's own processes. */
  version: string | null;
}
