/** One instant value of a PromQL expression (the first series), or undefined when it has none. */
export async function promValue(prometheusUrl: string, expr: string): Promise<number | undefined> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { data?: { result: Array<{ value: [number, string] }> } };
  const value = body.data?.result[0]?.value[1];
  return value === undefined || Number.isNaN(Number(value)) ? undefined : Number(value);
}

/** Every series of a PromQL expression, by one of its labels. */
export async function promByLabel(prometheusUrl: string, expr: string, label: string): Promise<Record<string, number>> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return Object.fromEntries((body.data?.result ?? []).map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
