import { inTransaction, OutageLog, outsideTrace, type Logger, type Pool } from '@firedrill/kit';
import { PaymentsUnavailableError, type ChargeRecord, type PaymentsClient } from '../clients/payments-client.ts';
import { lockOverduePendingOrder, markOrderPaid, markPaymentFailed } from '../data-access/order-repository.ts';
import type { ApiMetrics } from '../metrics.ts';
import { decideFromCharge } from './reconcile-decision.ts';

export type ReconcileOutcome = 'paid' | 'payment_failed' | 'charge_processing' | 'payments_unavailable';
const outcomes: readonly ReconcileOutcome[] = ['paid', 'payment_failed', 'charge_processing', 'payments_unavailable'];

export interface OrderReconcilerOptions {
  pool: Pool;
  payments: Pick<PaymentsClient, 'findCharge'>;
  /** An order is looked at once it has been pending this long since its last charge attempt. */
  graceMs: number;
  intervalMs: number;
  logger: Logger;
  metrics: ApiMetrics;
  /** Asks the outbox relay to dispatch now: a reconciled paid order is fulfilled like any other. */
  onOrderPaid: () => void;
}

/** How many orders of each outcome one pass saw. */
export type ReconcilePassSummary = Record<ReconcileOutcome, number>;

/**
 * Settles orders left `pending` when their client gave up (payments was down or slow, and the
 * client never retried): after a grace period, each is decided from what payments says of its
 * charge — approved ones are paid and fulfilled through the outbox, the others fail — so no order
 * stays in limbo and nobody is charged for an order the shop does not deliver.
 * Each order is decided inside a transaction that holds its row (FOR UPDATE SKIP LOCKED): several
 * api instances share the work without deciding one order twice, and a client retrying that very
 * order waits for the decision instead of charging behind its back. Payments unreachable ends the
 * pass; the next one asks again. Nothing here may crash the process.
 */
export class OrderReconciler {
  readonly #options: OrderReconcilerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReconcilePassSummary> | undefined;
  #stopped = false;
  /** The first failure and the recovery are logged, not every pass. */
  readonly #outage: OutageLog;

  constructor(options: OrderReconcilerOptions) {
    this.#options = options;
    this.#outage = new OutageLog(options.logger, 'order reconciliation recovered');
    // Every outcome exists from start-up at 0, so a rate() over it works before the first incident.
    for (const outcome of outcomes) options.metrics.ordersReconciled.inc({ outcome }, 0);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Runs one pass now and resolves with what it decided (tests use it instead of waiting a tick). */
  async runOnce(): Promise<ReconcilePassSummary> {
    while (this.#running) await this.#running.catch(() => {});
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the timer and waits for a pass in progress (its lookup is bounded by the payments timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = outsideTrace(() => setTimeout(() => void this.#tick(), this.#options.intervalMs));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    await this.runOnce().catch(() => {});
    if (!this.#stopped) this.#schedule();
  }

  async #pass(): Promise<ReconcilePassSummary> {
    const summary: ReconcilePassSummary = { paid: 0, payment_failed: 0, charge_processing: 0, payments_unavailable: 0 };
    const seen: string[] = [];
    try {
      // One order at a time, each in its own short transaction; a stop() lets the order in hand finish.
      while (!this.#stopped) {
        const decided = await this.#reconcileNext(seen);
        if (!decided) break;
        summary[decided.outcome]++;
        this.#options.metrics.ordersReconciled.inc({ outcome: decided.outcome });
        // The relay must find the committed outbox row: kick it once the transaction is over.
        if (decided.paid) this.#options.onOrderPaid();
        if (decided.outcome === 'payments_unavailable') break;
      }
      if (summary.payments_unavailable === 0) this.#outage.recovered();
    } catch (err) {
      this.#outage.failed(
        { err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'order reconciliation pass failed (database unreachable?); retrying next pass',
      );
    }
    return summary;
  }

  /** Decides the next overdue order, if any; undefined when none is left for this pass. */
  async #reconcileNext(seen: string[]): Promise<{ outcome: ReconcileOutcome; paid: boolean } | undefined> {
    const { pool, graceMs, logger } = this.#options;
    return inTransaction(pool, async (client) => {
      const order = await lockOverduePendingOrder(client, graceMs, seen);
      if (!order) return undefined;
      seen.push(order.id);

      let charge: ChargeRecord | undefined;
      try {
        charge = await this.#options.payments.findCharge(`order-${order.id}`);
      } catch (err) {
        if (!(err instanceof PaymentsUnavailableError)) throw err;
        this.#outage.failed({ orderId: order.id, reason: err.message }, 'payments unreachable; pending orders are reconciled on a later pass');
        return { outcome: 'payments_unavailable', paid: false };
      }

      const decision = decideFromCharge(charge);
      const fields = { orderId: order.id, chargeId: decision.chargeId, pendingSince: order.chargeStartedAt.toISOString() };
      switch (decision.outcome) {
        case 'paid': {
          // No trace context: the fulfilment of a reconciled order starts a trace of its own.
          const paid = (await markOrderPaid(client, order.id, decision.chargeId, {})) !== undefined;
          if (paid) {
            this.#options.metrics.orderValueCents.inc({ currency: order.currency }, order.totalCents);
            logger.info(fields, 'reconciled a pending order: its charge was approved; order paid and sent to fulfilment');
          }
          return { outcome: 'paid', paid };
        }
        case 'payment_failed':
          await markPaymentFailed(client, order.id, decision.reason, decision.chargeId);
          logger.info({ ...fields, reason: decision.reason }, 'reconciled a pending order: it was never paid; order failed');
          return { outcome: 'payment_failed', paid: false };
        case 'charge_processing':
          logger.info(fields, 'pending order left for the next pass: its charge is still at the card network');
          return { outcome: 'charge_processing', paid: false };
      }
    });
  }
}
