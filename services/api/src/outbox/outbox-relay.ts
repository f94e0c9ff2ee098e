import { inTransaction, OutageLog, outsideTrace, type Logger, type Pool } from '@firedrill/kit';
import { claimUndispatched, outboxBacklog, recordDispatchFailure, type OutboxMessage } from '../data-access/outbox-repository.ts';
import type { ApiMetrics } from '../metrics.ts';

/**
 * How long a kick waits for company. A pass costs three round trips to Postgres through
 * Toxiproxy whatever its size, so the longer the wait, the more orders share one: at 60 orders/s,
 * 10 ms gave ~1.3 orders a pass, 50 ms gives ~3 (docs/decisions/0003). The wait delays only the
 * fulfilment, never the checkout's answer, and stays short against the seconds the outbox alerts
 * and the fulfilment graphs look at.
 */
const kickDelayMs = 50;

export interface OutboxRelayOptions {
  pool: Pool;
  /**
   * Hands a batch to its destination (the fulfilment queue) in one go: resolves when it took every
   * message, throws when it refused any — and then none counts as taken.
   */
  dispatch: (messages: OutboxMessage[]) => Promise<void>;
  pollMs: number;
  batchSize?: number;
  logger: Logger;
  metrics: ApiMetrics;
}

/**
 * Moves outbox rows into the fulfilment queue: at once when kicked after an order is paid, and
 * on every poll tick for anything left behind (Redis down, api restarted mid-dispatch).
 * A row is marked dispatched only after the queue accepted it; a dispatch repeated after a crash
 * is harmless because the job id is the order id. Nothing here may crash the process: a failed
 * run is logged and the next tick tries again.
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #rerun = false;
  #stopped = false;
  /** The first failure and the recovery are logged, not every tick. */
  readonly #outage: OutageLog;
  #lastRefusal = '';

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
    this.#outage = new OutageLog(options.logger, 'outbox relay recovered; dispatching again');
  }

  /** The first pass waits one poll interval, giving the Redis connection time to come up. */
  start(): void {
    this.#stopped = false;
    this.#kickPending = false;
    this.#schedule(this.#options.pollMs);
  }

  #backlogMeasuredAt = -Infinity;
  #kickPending = false;

  /** Dispatch soon (within kickDelayMs). Kicks during a run coalesce into one more run right after it. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#rerun = true;
      return;
    }
    // Kicks within kickDelayMs share one pass: under load that is one transaction for several
    // orders instead of three round trips to Postgres per order.
    if (this.#kickPending) return;
    this.#kickPending = true;
    this.#schedule(kickDelayMs);
  }

  /** Runs one pass over the outbox now and resolves when it is done (tests and shutdown use it). */
  async runOnce(): Promise<void> {
    while (this.#running) await this.#running;
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    // A pass serves every order waiting, not the request that kicked it: keep it out of that
    // request's trace (each message's send is traced under its own order's checkout instead).
    this.#timer = outsideTrace(() => setTimeout(() => void this.#tick(), delayMs));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    this.#kickPending = false;
    if (this.#stopped) return;
    await this.runOnce();
    if (this.#stopped) return;
    const again = this.#rerun;
    this.#rerun = false;
    this.#schedule(again ? 0 : this.#options.pollMs);
  }

  async #pass(): Promise<void> {
    let healthy = false;
    try {
      // Batch after batch until the outbox is empty or the destination refuses.
      let result: 'more' | 'done' | 'refused' = 'more';
      while (!this.#stopped && result === 'more') result = await this.#dispatchBatch();
      healthy = result !== 'refused';
      if (result === 'refused')
        this.#outage.failed({ reason: this.#lastRefusal }, 'outbox dispatch failed; rows stay in the outbox and are retried every tick');
      else this.#outage.recovered();
    } catch (err) {
      this.#outage.failed(
        { err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'outbox relay pass failed (database unreachable?); retrying every tick',
      );
    }
    await this.#updateBacklogMetrics(!healthy);
  }

  /**
   * One batch in one transaction: BEGIN, claim (marked dispatched, locked), hand them to the queue
   * in one round trip, COMMIT — three round trips to Postgres and one to Redis however many
   * messages. A process that dies before the COMMIT leaves every message undispatched for the next
   * pass (0002). When the queue refuses the batch, the claim is rolled back and the oldest message
   * records why; the next pass sends the whole batch again, and any the queue did take are no-ops
   * then (job id = order id).
   */
  async #dispatchBatch(): Promise<'more' | 'done' | 'refused'> {
    const { pool, dispatch, metrics } = this.#options;
    const batchSize = this.#options.batchSize ?? 50;
    let refused: { message: OutboxMessage; reason: string } | undefined;
    let claimed = 0;
    try {
      await inTransaction(pool, async (client) => {
        const messages = await claimUndispatched(client, batchSize);
        claimed = messages.length;
        if (claimed === 0) return;
        try {
          await dispatch(messages);
        } catch (err) {
          refused = { message: messages[0]!, reason: (err as Error).message };
          throw err;
        }
      });
    } catch (err) {
      if (!refused) throw err;
      await recordDispatchFailure(pool, refused.message.id, refused.reason);
      metrics.outboxDispatchFailures.inc();
      this.#lastRefusal = `order ${refused.message.orderId}: ${refused.reason}`;
      return 'refused';
    }
    metrics.outboxDispatched.inc(claimed);
    return claimed === batchSize ? 'more' : 'done';
  }

  async #updateBacklogMetrics(growing: boolean): Promise<void> {
    // While dispatch works, a pass runs per few orders and the backlog is near zero: measuring it
    // once a second is plenty and saves a query per pass. While it fails, measure every pass.
    if (!growing && performance.now() - this.#backlogMeasuredAt < 1_000) return;
    this.#backlogMeasuredAt = performance.now();
    try {
      const backlog = await outboxBacklog(this.#options.pool);
      this.#options.metrics.outboxBacklog.set(backlog.count);
      this.#options.metrics.outboxOldestAge.set(backlog.oldestAgeSeconds);
    } catch {
      // Postgres unreachable: the pass has already logged it; keep the last known values.
    }
  }
}
