import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrainingEvent } from '../events/event-store.ts';

/**
 * `<RUNS_DIR>/<runId>/events.jsonl`: every event of a run, one JSON object a line. Written as events
 * happen, then rewritten from the database (the source of truth) when the run ends, so a change
 * whose transaction was rolled back does not stay in the file.
 */
export function createRunJournal(runsDir: string) {
  const file = (runId: string) => path.join(runsDir, runId, 'events.jsonl');
  const lines = (events: readonly TrainingEvent[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');
  return {
    dirOf: (runId: string) => path.join(runsDir, runId),
    file,
    append(runId: string, events: readonly TrainingEvent[]): void {
      if (events.length === 0) return;
      mkdirSync(path.dirname(file(runId)), { recursive: true });
      appendFileSync(file(runId), lines(events));
    },
    rewrite(runId: string, events: readonly TrainingEvent[]): void {
      mkdirSync(path.dirname(file(runId)), { recursive: true });
      const temporary = `${file(runId)}.tmp`;
      writeFileSync(temporary, lines(events));
      renameSync(temporary, file(runId));
    },
  };
}

export type RunJournal = ReturnType<typeof createRunJournal>;
