import type { NativeLab } from '@firedrill/lab-infra';

/** One instant value of a PromQL expression (the first series) at the lab's Prometheus, or undefined when it has none. */
export async function promValue(lab: Pick<NativeLab, 'prometheus'>, expr: string): Promise<number | undefined> {
  const response = await lab.prometheus(`/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await response.json()) as { data?: { result: Array<{ value: [number, string] }> } };
  const value = body.data?.result[0]?.value[1];
  return value === undefined || Number.isNaN(Number(value)) ? undefined : Number(value);
}

/** Every series of a PromQL expression, by one of its labels. */
export async function promByLabel(lab: Pick<NativeLab, 'prometheus'>, expr: string, label: string): Promise<Record<string, number>> {
  const response = await lab.prometheus(`/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await response.json()) as { data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return Object.fromEntries((body.data?.result ?? []).map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
