import type { Logger } from '@firedrill/kit';

/** What a page says: the alert that paged the team on call, during which run. */
export interface Page {
  runId: string;
  team: string | null;
  alertname: string;
  summary: string | null;
}

/**
 * Whether an alert that fired during a live run pages the team: only the scenario's expected
 * alerts page (the others are context on the dashboards), and each one once per run, however
 * often it flaps.
 */
export function pages(alertname: string, expectedAlerts: readonly string[], pagedAlready: ReadonlySet<string>): boolean {
  return expectedAlerts.includes(alertname) && !pagedAlready.has(alertname);
}

/** Sends a page on to a pager outside the lab; never throws, never waits for the pager. */
export type PageSender = (page: Page) => void;

/**
 * A PageSender that POSTs the page as JSON to `url` (PAGER_WEBHOOK_URL: a chat webhook, a phone
 * bridge). Fire and forget with a timeout: a pager away must not slow the run or fail it, so a
 * failure is only logged.
 */
export function webhookPager(url: string, logger: Logger, timeoutMs = 5_000): PageSender {
  return (page) => {
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'firedrill', ...page, text: `Firedrill page: ${page.alertname}${page.summary ? ` — ${page.summary}` : ''}` }),
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then((response) => {
        if (!response.ok) logger.warn({ status: response.status, alertname: page.alertname, runId: page.runId }, 'the pager webhook refused the page');
        return response.body?.cancel();
      })
      .catch((err: unknown) => logger.warn({ err, alertname: page.alertname, runId: page.runId }, 'the pager webhook could not be reached'));
  };
}
