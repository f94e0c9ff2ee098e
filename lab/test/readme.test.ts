import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ZodObject } from 'zod';
import { describe, expect, it } from 'vitest';
import { apiConfigSchema } from '@firedrill/api';
import { chaosCommands, controllerConfigSchema } from '@firedrill/chaos';
import { consoleConfigSchema } from '@firedrill/console';
import { defaultPortBase, portOffsets, type PortName } from '@firedrill/lab-infra';
import { paymentsConfigSchema } from '@firedrill/payments';
import { trainingConfigSchema } from '@firedrill/training';
import { workerConfigSchema } from '@firedrill/worker';
import { labCommands } from '../src/commands/command-table.ts';
import { labEnvSchema } from '../src/config/lab-config.ts';

/**
 * The README is the front door: what it shows must be true of the code. Each check reads what
 * a newcomer would copy (commands, URLs, variables) and compares it with what the code defines.
 */
const repo = path.join(import.meta.dirname, '..', '..');
const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
const packageScripts = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The text of the section under `## <title…>`, up to the next `## `. */
function section(title: string): string {
  const text = readme.split(`\n## ${title}`)[1]?.split('\n## ')[0];
  if (text === undefined) throw new Error(`README has no "## ${title}" section`);
  return text;
}

/** The cells of each row of the markdown tables in `text`, header and separator rows left out. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
    .slice(1);
}

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Every `npx lab …` the README shows: the words after it, up to a pipe, comment or end of line. */
function labInvocations(): string[][] {
  return [...readme.matchAll(/npx lab ([^`\n]*)/g)].map((m) =>
    m[1]!
      .split(/\s(?:\\?\||#|&&)/)[0]!
      .trim()
      .split(/\s+/),
  );
}

/** `--name` and `-n` tokens (also inside `[…]`), without the dashes. */
const flagsIn = (words: string[]) => words.flatMap((w) => /^\[?--?([a-z][\w-]*)/.exec(w)?.[1] ?? []);

function acceptsFlag(command: (typeof labCommands)[number], flag: string): boolean {
  if (flag === 'help' || flag === 'h') return true;
  return Object.entries(command.options ?? {}).some(([name, option]) => name === flag || option.short === flag);
}

describe('README: commands', () => {
  it('when it shows `npx lab <command>`, then the lab CLI has that command and each flag shown', () => {
    const invocations = labInvocations();
    expect(invocations.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const [name, ...rest] of invocations) {
      const command = labCommands.find((c) => c.name === name);
      if (!command) {
        problems.push(`npx lab ${name}: no such command (the CLI has ${labCommands.map((c) => c.name).join(', ')})`);
        continue;
      }
      for (const flag of flagsIn(rest)) if (!acceptsFlag(command, flag)) problems.push(`npx lab ${name}: no option --${flag}`);
    }
    expect(problems).toEqual([]);
  });

  it('when it shows `npx lab chaos <command>`, then the chaos CLI lists that command', () => {
    const knownChaosCommands = new Set<string>(chaosCommands);
    const shown = labInvocations().flatMap(([name, sub]) => (name === 'chaos' && sub && /^[a-z]/.test(sub) ? [sub] : []));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((sub) => !knownChaosCommands.has(sub))).toEqual([]);
  });

  it('when it shows the two commands, then `npm start` and `npm test` are in package.json and `npm start -- <flags>` are flags of `lab up`', () => {
    const twoCommands = section('Two commands');
    expect(twoCommands).toMatch(/^npm start\s/m);
    expect(twoCommands).toMatch(/^npm test\s/m);
    expect(packageScripts.start).toContain('lab/src/main.ts up');
    expect(packageScripts.test).toBeDefined();

    const up = labCommands.find((c) => c.name === 'up')!;
    const startFlags = [...readme.matchAll(/npm start -- ([^`\n#]*)/g)].flatMap((m) => flagsIn(m[1]!.trim().split(/\s+/)));
    expect(startFlags.length).toBeGreaterThan(0);
    expect(startFlags.filter((flag) => !acceptsFlag(up, flag))).toEqual([]);
  });

  it('when it shows `npm run <script>`, then package.json has that script', () => {
    const shown = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((script) => !(script in packageScripts))).toEqual([]);
  });
});

describe('README: URLs of the native lab', () => {
  /**
   * Which lab port each row of the URL table names, in the order its ports appear (the row's
   * label may name one too: "the shop goes through Toxiproxy on 7411"). A new row must be added
   * here, so that no port in the table goes unchecked.
   */
  const expectedPorts: Record<string, PortName[]> = {
    'Shop API': ['api'],
    'Shop API description': ['api'],
    'API readiness': ['api'],
    Payments: ['payments'],
    'Payments description': ['payments'],
    'Worker health and metrics': ['worker', 'worker'],
    'Chaos controller': ['chaos'],
    'Toxiproxy API': ['toxiproxy'],
    Prometheus: ['prometheus'],
    Alertmanager: ['alertmanager'],
    'Prometheus for trainees': ['teamPrometheus'],
    'Alerts as the lab recorded them': ['chaos'],
    'Training ops API': ['training'],
    Console: ['console'],
    "The lab box's sshd": ['ssh'],
    'Postgres and Redis exporters': ['postgresExporter', 'redisExporter'],
    'Postgres (direct': ['postgresProxy', 'postgres'],
    'Redis (direct': ['redisProxy', 'redis'],
    Logs: [],
  };

  it('when the URL table gives its port base, then it is the lab default', () => {
    expect(readme).toContain(`## URLs (native lab, default port base ${defaultPortBase})`);
  });

  it("when a URL table row names a port, then it is the default base plus that process's offset in the lab port layout (lab-infra)", () => {
    const rows = tableRows(section('URLs'));
    expect(rows.length).toBe(Object.keys(expectedPorts).length);
    const problems: string[] = [];
    for (const [label = '', url = ''] of rows) {
      // The longest matching label wins: "Prometheus" must not claim "Postgres and Redis exporters".
      const key = Object.keys(expectedPorts)
        .filter((k) => label.startsWith(k))
        .sort((a, b) => b.length - a.length)[0];
      if (!key) {
        problems.push(`row "${label}" is not in this test's expectedPorts`);
        continue;
      }
      const ports = [...`${label} ${url}`.matchAll(/(?<![\d.])(\d{4,5})(?!\d)/g)].map((m) => Number(m[1]));
      const expected = expectedPorts[key]!.map((name) => defaultPortBase + portOffsets[name]);
      if (JSON.stringify(ports) !== JSON.stringify(expected))
        problems.push(`${label}: ports ${ports.join(', ')}, expected ${expected.join(', ')} (${expectedPorts[key]!.join(', ')})`);
    }
    expect(problems).toEqual([]);
  });
});

describe('README: configuration table', () => {
  const schemas: Record<string, ZodObject> = {
    api: apiConfigSchema,
    payments: paymentsConfigSchema,
    worker: workerConfigSchema,
    chaos: controllerConfigSchema,
    training: trainingConfigSchema,
    console: consoleConfigSchema,
    lab: labEnvSchema,
  };
  /** Variables read by a library rather than by our schemas, and why the table may list them. */
  const readByLibraries: Record<string, string> = {
    'OTEL_*': 'the OpenTelemetry SDK reads the standard variables itself',
  };

  /** variable → the services its row names. */
  function documentedVariables(): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    for (const [names = '', services = ''] of tableRows(section('Configuration'))) {
      // A name may have a row per service that reads it with another meaning (RECONCILE_INTERVAL_MS).
      for (const name of codeSpans(names)) rows.set(name, [...(rows.get(name) ?? []), ...services.split(',').map((s) => s.trim())]);
    }
    return rows;
  }

  it("when the table names a variable for a service, then that service's config schema reads it", () => {
    const documented = documentedVariables();
    expect(documented.size).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [name, services] of documented) {
      if (name in readByLibraries) continue;
      for (const service of services) {
        const schema = schemas[service];
        if (!schema) problems.push(`${name}: unknown service "${service}" (known: ${Object.keys(schemas).join(', ')})`);
        else if (!(name in schema.shape)) problems.push(`${name}: the ${service} schema does not read it`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('when a service reads a variable, then the table documents it for that service', () => {
    const documented = documentedVariables();
    const missing: string[] = [];
    for (const [service, schema] of Object.entries(schemas)) {
      for (const name of Object.keys(schema.shape)) {
        if (!documented.get(name)?.includes(service)) missing.push(`${service}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
