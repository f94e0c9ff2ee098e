import { EventEmitter } from 'node:events';
import type pg from 'pg';

export type Visibility = 'everyone' | 'instructor';

/** Kinds used now (the issue 9 design); a run adds its own as the runner comes. */
export type EventKind =
  | 'run.state'
  | 'fault.injected'
  | 'fault.cleared'
  | 'deploy'
  | 'rollback'
  | 'flag.changed'
  | 'lever.applied'
  | 'alert.fired'
  | 'alert.resolved'
  | 'probe.passing'
  | 'probe.failing'
  | 'hint.taken'
  | 'page'
  /** A run's cause began (its step was carried out) or ended (a lever, or its duration): instructor-only, they name the fault. */
  | 'cause.started'
  | 'cause.ended'
  /** The instructor paused or resumed a run's timeline, or gave it more time (data: runs-contract.ts). */
  | 'run.paused'
  | 'run.resumed'
  | 'run.extended'
  /** The instructor held a finished run's debrief: its trainees now see all of it (their pages re-read the report). */
  | 'run.debriefed'
  /** A team's incident (shapes in incidents/incident-events.ts). */
  | 'incident.acknowledged'
  | 'incident.declared'
  | 'incident.severity'
  | 'incident.role'
  | 'incident.update'
  | 'incident.note'
  | 'incident.mitigated'
  | 'incident.resolved'
  /** A PIR was submitted and graded. */
  | 'pir.submitted'
  /** One step of an executable runbook ran (started, passed, failed, rolled back). */
  | 'runbook.step'
  /** A trainee answered the assessment quiz. */
  | 'quiz.answered'
  /** A command line a trainee ran in the lab box's shell (shell/shell-routes.ts): for the debrief. */
  | 'shell.command'
  /** Someone tried what their identity may not do (a trainee at a fault route): instructor-only. */
  | 'access.refused'
  /** Identities: a team or trainee added or removed (instructor-only; never the token). */
  | 'identity.changed';

export interface NewEvent {
  actor: string;
  kind: EventKind;
  data: Record<string, unknown>;
  visibility?: Visibility;
  runId?: string | null;
  team?: string | null;
}

export interface TrainingEvent {
  id: number;
  at: string;
  runId: string | null;
  team: string | null;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
  visibility: Visibility;
}

interface EventRow {
  id: string;
  at: Date;
  run_id: string | null;
  team: string | null;
  actor: string;
  kind: string;
  data: Record<string, unknown>;
  visibility: Visibility;
}

const toEvent = (row: EventRow): TrainingEvent => ({
  id: Number(row.id),
  at: row.at.toISOString(),
  runId: row.run_id,
  team: row.team,
  actor: row.actor,
  kind: row.kind,
  data: row.data,
  visibility: row.visibility,
});

export interface EventQuery {
  /** Only events after this id (a reader that keeps up passes the last id it saw). */
  after?: number | undefined;
  limit: number;
  kind?: string | undefined;
  /** Only this run's events. */
  runId?: string | undefined;
  /** What the reader may see: trainees and operators never see instructor-only events. */
  visibility: Visibility[];
  /**
   * A trainee's team: only its team's events and the lab's (no team) outside runs or during runs it
   * may read (its own team's or for no team, runs/run-access.ts). Undefined: every team's.
   */
  readerTeam?: string | undefined;
}

interface CurrentRun {
  runId: string;
  team: string | null;
}

/**
 * The unfinished run an event belongs to, if any: an event naming its run, that run (for its
 * team); any other, the run going on on the shop of the event's team (a single lab's one shop
 * for every event; in a class, an event of no team is no shop's).
 */
export function currentRunOf(
  event: Pick<NewEvent, 'runId' | 'team'>,
  currentRuns: ReadonlyMap<string, CurrentRun>,
  shopOfTeam: (team: string | null) => string | undefined,
): CurrentRun | undefined {
  if (typeof event.runId === 'string') return [...currentRuns.values()].find((run) => run.runId === event.runId);
  const shop = shopOfTeam(event.team ?? null);
  return shop === undefined ? undefined : currentRuns.get(shop);
}

/** The append-only event journal (training.events). */
export function createEventStore(
  pool: pg.Pool,
  options: {
    /**
     * The shop (team-shops.ts `key`) an event of this team happens on, undefined: none. A single
     * lab has one shop (''), whatever the team; a class has one per team (the default is the single lab).
     */
    shopOfTeam?: (team: string | null) => string | undefined;
  } = {},
) {
  const shopOfTeam = options.shopOfTeam ?? (() => '');
  // This process is the journal's only writer, so an in-process signal is enough to wake long polls.
  const appended = new EventEmitter().setMaxListeners(0);
  // Each shop plays one run at a time: whatever happens on a shop while its run is unfinished (a
  // trainee's lever, a flag change, a deploy) is part of that run's journal, and of that run's team
  // unless the event names its own (a trainee's refused attempt names the trainee's).
  const currentRuns = new Map<string, CurrentRun>();
  const runOf = (event: NewEvent) => currentRunOf(event, currentRuns, shopOfTeam);
  return {
    /** Events appended from now on without a run id (team) of their own, on this shop, belong to this run and its team (runId null: to none). */
    setCurrentRun(shop: string, runId: string | null, team: string | null = null): void {
      if (runId === null) currentRuns.delete(shop);
      else currentRuns.set(shop, { runId, team });
    },

    /** Called with every batch of events appended (the run's events.jsonl is written from these). */
    onAppend(listener: (events: TrainingEvent[]) => void): () => void {
      appended.on('appended', listener);
      return () => appended.off('appended', listener);
    },

    /** Appends events in one statement, so a lever's events are all recorded or none are. */
    async append(events: readonly NewEvent[], client: Pick<pg.Pool, 'query'> = pool): Promise<TrainingEvent[]> {
      if (events.length === 0) return [];
      const values: unknown[] = [];
      const rows = events.map((event, i) => {
        const current = event.runId === undefined || event.team === undefined ? runOf(event) : undefined;
        values.push(
          event.actor,
          event.kind,
          JSON.stringify(event.data),
          event.visibility ?? 'everyone',
          event.runId === undefined ? (current?.runId ?? null) : event.runId,
          event.team === undefined ? (current?.team ?? null) : event.team,
        );
        const n = i * 6;
        return `($${n + 1}, $${n + 2}, $${n + 3}::jsonb, $${n + 4}, $${n + 5}, $${n + 6})`;
      });
      const { rows: inserted } = await client.query<EventRow>(
        `INSERT INTO training.events (actor, kind, data, visibility, run_id, team) VALUES ${rows.join(', ')} RETURNING *`,
        values,
      );
      const saved = inserted.map(toEvent);
      // Inside a transaction the rows are not visible until it commits: a reader woken now may find
      // nothing, so long polls also re-read every second (see waitForAppend's callers).
      appended.emit('appended', saved);
      return saved;
    },

    /**
     * Resolves when events are appended (true) or after `waitMs` (false), whichever is first; an
     * aborted signal resolves it at once. Long polls wait here between two reads.
     */
    waitForAppend(waitMs: number, signal?: AbortSignal): Promise<boolean> {
      return new Promise((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          appended.off('appended', onAppend);
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        };
        const onAppend = () => done(true);
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(false), waitMs);
        appended.on('appended', onAppend);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },

    /**
     * One team's events of one run, oldest first: what the team did (its `team`) and, with
     * `withLab`, what the lab recorded for the whole run (no team: alerts, probes, levers). A run
     * without a team of its own records its team's events with team null. `client`: a
     * transaction's, so a decision reads what its lock protects.
     */
    async listOfTeam(
      query: { runId: string; team: string | null; kinds?: readonly string[]; withLab?: boolean; visibility: Visibility[] },
      client: Pick<pg.Pool, 'query'> = pool,
    ): Promise<TrainingEvent[]> {
      const { rows } = await client.query<EventRow>(
        `SELECT * FROM training.events
          WHERE run_id = $1 AND visibility = ANY($2) AND ($3::text[] IS NULL OR kind = ANY($3))
            AND (team IS NOT DISTINCT FROM $4 OR ($5 AND team IS NULL))
          ORDER BY id`,
        [query.runId, query.visibility, query.kinds ?? null, query.team, query.withLab ?? false],
      );
      return rows.map(toEvent);
    },

    /** Oldest first, so a reader can page forward with `after`. */
    async list(query: EventQuery): Promise<TrainingEvent[]> {
      const { rows } = await pool.query<EventRow>(
        `SELECT * FROM training.events
          WHERE id > $1 AND visibility = ANY($2) AND ($3::text IS NULL OR kind = $3) AND ($5::text IS NULL OR run_id = $5)
            AND ($6::text IS NULL OR team = $6 OR (team IS NULL AND (run_id IS NULL OR EXISTS (
                  SELECT 1 FROM training.runs r WHERE r.id = run_id AND (r.team IS NULL OR r.team = $6)))))
          ORDER BY id LIMIT $4`,
        [query.after ?? 0, query.visibility, query.kind ?? null, query.limit, query.runId ?? null, query.readerTeam ?? null],
      );
      return rows.map(toEvent);
    },
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
