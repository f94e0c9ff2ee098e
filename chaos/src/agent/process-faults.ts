import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@firedrill/kit';
import type { FaultAgent } from './fault-agent.ts';

/** The job fields the wrapper needs; BullMQ's Job satisfies it. */
export interface JobLike {
  id?: string | undefined;
  data: unknown;
}

/** Marks the poison job a crash-loop fault plants: a payload from an "old producer". */
export function poisonJobId(faultId: string): string {
  return `legacy-${faultId}`;
}

export function isPoisonJob(job: JobLike): boolean {
  return typeof job.data === 'object' && job.data !== null && 'legacyOrderRef' in job.data;
}

export interface ProcessFaultOptions {
  logger: Logger;
  /** How the process dies: the supervisor restarts a crash (exit 1); exit 0 stays down. */
  exit?: (code: number) => void;
}

/**
 * The one job wrapper through which process faults reach the worker:
 * - hang: jobs are taken but never finish while the fault lasts (the heartbeat goes on, locks are
 *   renewed, so BullMQ sees a live worker that processes nothing);
 * - slow: every job takes `factor` times as long;
 * - crash-loop: the poison job crashes the process every time it is picked up; once the fault
 *   is over it reaches the processor, whose payload validation refuses it for good (dead letter);
 * - exit: handled by `watchForExit`, since it does not wait for a job.
 */
export function withProcessFaults<J extends JobLike, R>(
  agent: FaultAgent,
  processor: (job: J) => Promise<R>,
  options: ProcessFaultOptions,
): (job: J) => Promise<R> {
  if (!agent.enabled) return processor;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return async (job) => {
    if (isPoisonJob(job) && agent.active('worker-death').some((f) => f.mode === 'crash-loop')) {
      options.logger.fatal({ jobId: job.id }, "TypeError: Cannot read properties of undefined (reading 'id') while decoding job payload");
      exit(1);
      await sleep(60_000); // where exit() does not end the process at once (tests), never go on
    }
    while (agent.active('worker-death').some((f) => f.mode === 'hang')) {
      await sleep(200);
    }
    const started = performance.now();
    const result = await processor(job);
    const slow = agent.active('worker-death').find((f) => f.mode === 'slow');
    if (slow) await sleep((performance.now() - started) * (slow.factor - 1));
    return result;
  };
}

/**
 * Carries out worker exits: when the controller orders one, the agent reports it done (so a
 * restarted worker is not told again) and the process exits with code 0 — which the lab's
 * supervisor treats as "stay down until someone restarts it", as a real dead worker would.
 */
export function watchForExit(agent: FaultAgent, options: ProcessFaultOptions & { beforeExit?: () => Promise<void> }): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return agent.onChange(() => {
    const fault = agent.active('worker-death').find((f) => f.mode === 'exit');
    if (!fault) return;
    void (async () => {
      await agent.reportExecuted(fault.id).catch((err) => options.logger.warn({ err }, 'could not report the exit to the controller'));
      options.logger.warn('worker shutting down');
      await options.beforeExit?.().catch(() => {});
      exit(0);
    })();
  });
}

/** Plants the poison job when a crash-loop fault starts. `enqueue` adds a job with that id. */
export function watchForCrashLoop(agent: FaultAgent, enqueue: (jobId: string, data: Record<string, unknown>) => Promise<void>, logger: Logger): () => void {
  const planted = new Set<string>();
  return agent.onChange(() => {
    for (const fault of agent.active('worker-death')) {
      if (fault.mode !== 'crash-loop' || planted.has(fault.id)) continue;
      planted.add(fault.id);
      enqueue(poisonJobId(fault.id), { legacyOrderRef: `ORD-${fault.id.slice(-6).toUpperCase()}`, schema: 1 }).catch((err) =>
        logger.warn({ err }, 'could not enqueue a job'),
      );
    }
  });
}
