/** The api's readiness as a trainee's curl sees it: the status code and the checks it names as failing. */
export interface Readiness {
  status: number;
  failing: string[];
}

export async function apiReadiness(apiUrl: string): Promise<Readiness> {
  // Readiness waits for its checks' own timeouts while a dependency is black-holed.
  const response = await fetch(`${apiUrl}/api/health/ready`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, { ok?: boolean }> };
  const failing = Object.entries(body.checks ?? {})
    .filter(([, check]) => check.ok === false)
    .map(([name]) => name);
  return { status: response.status, failing };
}
