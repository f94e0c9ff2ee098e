import { parseArgs } from 'node:util';
import { executors, type FaultFamily } from '../faults/catalogue.ts';
import { formatDuration } from '../faults/duration.ts';

export interface ChaosCliContext {
  controllerUrl: string;
  token: string;
  actor: string;
  out: (line: string) => void;
}

/** The commands runChaosCli knows; how to present them to users is the caller's business (`lab chaos`). */
export const chaosCommands = ['catalogue', 'inject', 'list', 'clear', 'clear-release', 'halt', 'journal'] as const;

/**
 * The commands and options, for whichever front end runs this CLI to put under its own usage
 * line (\`lab chaos <command>\` natively, the controller container's own entry point in Compose).
 */
export const chaosCommandHelp = `  catalogue                         fault families, modes, settings and what trainees will see
  inject <family> [options]         start a fault; prints its id once the services carry it
      --team T                      the team whose shop it breaks (a class, \`lab up --teams\`: required)
      --target api|payments         (latency, errors)
      --mode M                      (payment-failures, database-loss, redis-loss, worker-death, redis-memory-pressure)
      --ms N  --jitter N            latency in ms (latency; slow modes)
      --rate R                      share of requests, 0-1 (pool-leak: of checkouts)
      --route "POST /api/orders"    only this route (latency, errors)
      --status N                    5xx status (errors)
      --factor N                    slowdown (worker-death slow)
      --mb-per-minute N             heap retained per minute (memory-leak)
      --kb-per-request N            heap retained per request (memory-leak)
      --maxmemory-mb N              Redis maxmemory (redis-memory-pressure fill)
      --attempts N  --backoff-ms N  payments retries (retry-amplification)
      --release api@2.4.0           bind to a release: redeploying that service clears it
      --for 10m                     duration (default 10m, max 2h)
  list                              active faults
  clear <id>                        end one fault now
  clear-release <service>           end every fault bound to a release of a redeployed service
  halt                              end every fault now
  journal [--limit N]               who did what, when
Add --json to print the controller's JSON.`;

/** The options every `lab chaos` command accepts (node:util parseArgs form). */
export const chaosCliOptions = {
  team: { type: 'string' },
  target: { type: 'string' },
  mode: { type: 'string' },
  ms: { type: 'string' },
  jitter: { type: 'string' },
  rate: { type: 'string' },
  route: { type: 'string' },
  status: { type: 'string' },
  factor: { type: 'string' },
  'mb-per-minute': { type: 'string' },
  'kb-per-request': { type: 'string' },
  'maxmemory-mb': { type: 'string' },
  attempts: { type: 'string' },
  'backoff-ms': { type: 'string' },
  release: { type: 'string' },
  for: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Runs one `lab chaos …` command against the controller; returns the exit code. */
export async function runChaosCli(argv: string[], ctx: ChaosCliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: chaosCliOptions });
  const [command, arg] = positionals;
  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ctx.controllerUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ctx.token}`,
        'x-firedrill-actor': ctx.actor,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { ok: res.ok, status: res.status, json };
  };
  const fail = (json: Record<string, unknown>) => {
    const errors = (json.errors as { field: string; message: string }[] | undefined)?.map((e) => `  ${e.field}: ${e.message}`) ?? [];
    ctx.out([`error: ${String(json.detail ?? json.title ?? 'request failed')}`, ...errors].join('\n'));
    return 1;
  };

  switch (command) {
    case 'catalogue': {
      const { ok, json } = await request('GET', '/api/catalogue');
      if (!ok) return fail(json);
      if (values.json) {
        ctx.out(JSON.stringify(json, null, 2));
        return 0;
      }
      for (const family of json.families as { family: string; summary: string; modes?: string[]; symptoms: string }[]) {
        ctx.out(`${family.family}${family.modes ? ` (${family.modes.join(' | ')})` : ''}\n  ${family.summary}\n  trainees see: ${family.symptoms}`);
      }
      return 0;
    }
    case 'inject': {
      if (!arg) {
        ctx.out('error: name a fault family (lab chaos catalogue lists them)');
        return 2;
      }
      const number = (v: string | undefined) => (v === undefined ? undefined : Number.isNaN(Number(v)) ? v : Number(v));
      const body = Object.fromEntries(
        Object.entries({
          family: arg,
          team: values.team,
          target: values.target,
          mode: values.mode,
          ms: number(values.ms),
          jitterMs: number(values.jitter),
          rate: number(values.rate),
          route: values.route,
          status: number(values.status),
          factor: number(values.factor),
          mbPerMinute: number(values['mb-per-minute']),
          kbPerRequest: number(values['kb-per-request']),
          maxmemoryMb: number(values['maxmemory-mb']),
          attempts: number(values.attempts),
          backoffMs: number(values['backoff-ms']),
          release: releaseOption(values.release),
          for: values.for,
        }).filter(([, v]) => v !== undefined),
      );
      const { ok, json } = await request('POST', '/api/faults', body);
      if (!ok) return fail(json);
      if (values.json) {
        ctx.out(JSON.stringify(json, null, 2));
        return 0;
      }
      ctx.out(`${json.id}  ${describe(json)}  for ${formatDuration(Number(json.remainingSeconds) * 1000)} (until ${json.expiresAt})`);
      const carriedByAgents = executors[json.family as FaultFamily] === 'agent';
      if (carriedByAgents && (json.agents as unknown[] | undefined)?.length === 0) {
        ctx.out(`warning: no ${String(json.target)} agent is connected; the fault acts once one is (is ${String(json.target)} running?)`);
      }
      reportUnapplied(json, ctx.out);
      return 0;
    }
    case 'list': {
      const { ok, json } = await request('GET', '/api/faults');
      if (!ok) return fail(json);
      const faults = json.faults as Record<string, unknown>[];
      if (values.json) {
        ctx.out(JSON.stringify(json, null, 2));
        return 0;
      }
      if (faults.length === 0) {
        ctx.out('no active faults');
        return 0;
      }
      for (const f of faults) ctx.out(`${f.id}  ${describe(f)}  ${formatDuration(Number(f.remainingSeconds) * 1000)} left, by ${f.createdBy}`);
      return 0;
    }
    case 'clear': {
      if (!arg) {
        ctx.out('error: name the fault id to clear (lab chaos list shows them)');
        return 2;
      }
      const { ok, json } = await request('DELETE', `/api/faults/${encodeURIComponent(arg)}`);
      if (!ok) return fail(json);
      ctx.out(`cleared ${arg}`);
      reportUnapplied(json, ctx.out);
      return 0;
    }
    case 'clear-release': {
      if (!arg) {
        ctx.out('error: name the service that was redeployed (api, payments or worker)');
        return 2;
      }
      const { ok, json } = await request('POST', '/api/faults/clear-release', { service: arg });
      if (!ok) return fail(json);
      if (values.json) {
        ctx.out(JSON.stringify(json, null, 2));
        return 0;
      }
      const cleared = json.cleared as Record<string, unknown>[];
      ctx.out(cleared.length === 0 ? `no fault bound to a release of ${arg}` : cleared.map((f) => `cleared ${f.id}  ${describe(f)}`).join('\n'));
      reportUnapplied(json, ctx.out);
      return 0;
    }
    case 'halt': {
      const { ok, json } = await request('POST', '/api/halt');
      if (!ok) return fail(json);
      ctx.out(`halted: ${json.cleared} fault(s) cleared`);
      reportUnapplied(json, ctx.out);
      return 0;
    }
    case 'journal': {
      const { ok, json } = await request('GET', `/api/journal?limit=${values.limit ?? 50}`);
      if (!ok) return fail(json);
      if (values.json) {
        ctx.out(JSON.stringify(json, null, 2));
        return 0;
      }
      for (const e of (json.entries as Record<string, unknown>[]).reverse()) {
        ctx.out(
          `${String(e.at)}  ${String(e.actor).padEnd(12)} ${String(e.action).padEnd(8)} ${e.faultId ?? ''} ${Object.keys(e.details as object).length ? JSON.stringify(e.details) : ''}`,
        );
      }
      return 0;
    }
    default:
      ctx.out(
        command ? `error: unknown command "${command}"; the commands are ${chaosCommands.join(', ')}` : `error: name a command: ${chaosCommands.join(', ')}`,
      );
      return 2;
  }
}

/**
 * The controller answers a change once the agents carrying it have applied it, or after a bounded
 * wait: name those that had not, since until they do the shop does not show the change.
 */
function reportUnapplied(json: Record<string, unknown>, out: (line: string) => void): void {
  const pending = ((json.agents as { agent: string; applied: boolean }[] | undefined) ?? []).filter((a) => !a.applied);
  if (pending.length === 0) return;
  out(`warning: not applied yet by ${pending.map((a) => a.agent).join(', ')} (the service may be busy or hung; it applies the change on its next poll)`);
}

/** `--release api@2.4.0` as the controller takes it; anything else goes as given, for the controller to refuse clearly. */
function releaseOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const at = value.indexOf('@');
  return at > 0 ? { service: value.slice(0, at), version: value.slice(at + 1) } : value;
}

/** "latency api 300ms ±50 on 50% of POST /api/orders" (a class: "latency blue's api …") — one readable line per fault. */
function describe(f: Record<string, unknown>): string {
  const parts = [String(f.family), f.team ? `${f.team}'s ${f.target}` : String(f.target)];
  if (f.mode) parts.push(String(f.mode));
  if (f.family === 'latency') parts.push(`${f.ms}ms${f.jitterMs ? ` ±${f.jitterMs}` : ''}`);
  if (f.family === 'errors') parts.push(`HTTP ${f.status}`);
  if ((f.family === 'database-loss' || f.family === 'redis-loss') && f.mode === 'slow') parts.push(`+${f.ms}ms`);
  if (f.family === 'worker-death' && f.mode === 'slow') parts.push(`${f.factor}x`);
  if (f.family === 'memory-leak') parts.push(`${f.mbPerMinute} MB/min${f.kbPerRequest ? ` + ${f.kbPerRequest} kB/request` : ''}`);
  if (f.family === 'redis-memory-pressure' && f.mode === 'fill') parts.push(`maxmemory ${f.maxmemoryMb} MB`);
  if (f.family === 'retry-amplification') parts.push(`${f.attempts} attempts, ${f.backoffMs} ms backoff`);
  if (typeof f.rate === 'number' && f.rate < 1) parts.push(`on ${Math.round(f.rate * 100)}%`);
  if (f.route) parts.push(`of ${f.route}`);
  const release = f.release as { service: string; version: string } | undefined;
  if (release) parts.push(`(release ${release.service}@${release.version})`);
  return parts.join(' ');
}
