import type pg from 'pg';
import { z } from 'zod';
import { storableText } from '@firedrill/kit';

/** One alert of an Alertmanager webhook notification (payload version 4). */
export const webhookAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(storableText(), storableText()).refine((l) => typeof l.alertname === 'string', 'labels.alertname is required'),
  annotations: z.record(storableText(), storableText()).default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: storableText().optional(),
  fingerprint: storableText().min(1),
});

export const webhookNotification = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(webhookAlert).max(1_000),
});

export type WebhookAlert = z.output<typeof webhookAlert>;

export interface AlertRecord {
  alertname: string;
  severity: string | null;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  summary: string | null;
  firedAt: string;
  resolvedAt: string | null;
  receivedAt: string;
}

/** Alerts in the lab's database: one row per firing (fingerprint + start), updated on resolve. */
export function createAlertStore(pool: pg.Pool) {
  return {
    async record(alerts: readonly WebhookAlert[]): Promise<void> {
      for (const alert of alerts) {
        const resolved = alert.status === 'resolved';
        await pool.query(
          `INSERT INTO chaos.alerts (fingerprint, starts_at, alertname, severity, status, ends_at, labels, annotations, resolved_received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $5 = 'resolved' THEN now() END)
           ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
             status = EXCLUDED.status,
             ends_at = COALESCE(EXCLUDED.ends_at, chaos.alerts.ends_at),
             annotations = EXCLUDED.annotations,
             resolved_received_at = COALESCE(chaos.alerts.resolved_received_at, EXCLUDED.resolved_received_at)`,
          [
            alert.fingerprint,
            alert.startsAt,
            alert.labels.alertname,
            alert.labels.severity ?? null,
            alert.status,
            resolved ? (alert.endsAt ?? null) : null,
            alert.labels,
            alert.annotations,
          ],
        );
      }
    },

    async list(limit = 200): Promise<AlertRecord[]> {
      const { rows } = await pool.query<{
        alertname: string;
        severity: string | null;
        status: 'firing' | 'resolved';
        labels: Record<string, string>;
        annotations: Record<string, string>;
        starts_at: Date;
        ends_at: Date | null;
        first_received_at: Date;
      }>(
        `SELECT alertname, severity, status, labels, annotations, starts_at, ends_at, first_received_at
          FROM chaos.alerts ORDER BY starts_at DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({
        alertname: r.alertname,
        severity: r.severity,
        status: r.status,
        labels: r.labels,
        summary: r.annotations.summary ?? null,
        firedAt: r.starts_at.toISOString(),
        resolvedAt: r.status === 'resolved' && r.ends_at ? r.ends_at.toISOString() : null,
        receivedAt: r.first_received_at.toISOString(),
      }));
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
