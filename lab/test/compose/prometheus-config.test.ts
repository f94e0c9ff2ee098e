import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderComposeConfigs } from '../../src/compose/compose-configs.ts';
import { loadLabConfig } from '../../src/config/lab-config.ts';
import { labProcesses } from '../../src/topology/lab-processes.ts';
import { listeningPortsOf, loadCompose, repoRoot } from './compose-file.ts';
import { mountsOf } from './compose-resources.ts';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-prometheus-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const secretsDir = '/run/secrets/firedrill/';
const readRepo = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

/** promtool's or amtool's verdict on a file: exit status and everything it printed. */
function check(tool: string, args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      throw new Error(`${tool} is not installed: \`npx lab setup\` installs it (Debian packages prometheus, prometheus-alertmanager)`);
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/**
 * A config file as its container sees it, laid out in a temp dir: the rules beside it (as compose
 * mounts them), and the token files it names, which the tools insist exist, under the temp dir.
 */
function containerLayout(text: string, name: string): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'secrets'));
  for (const token of ['instructor-token', 'alerts-token']) writeFileSync(path.join(dir, 'secrets', token), 'x'.repeat(43), { mode: 0o600 });
  cpSync(path.join(repoRoot, 'prometheus/rules'), path.join(dir, 'rules'), { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text.replaceAll(secretsDir, `${dir}/secrets/`));
  return file;
}

/** The native lab's configs, as `lab up` writes them (launching a process prepares its files; nothing starts). */
function nativeConfig(processName: 'prometheus' | 'alertmanager') {
  const config = loadLabConfig({ LAB_STATE_DIR: tempDir() }, repoRoot);
  const launch = labProcesses(config)
    .find((process) => process.name === processName)!
    .launch();
  const file = launch.args.find((arg) => arg.startsWith('--config.file='))!.slice('--config.file='.length);
  return parse(readFileSync(file, 'utf8'));
}

interface ScrapeJob {
  job_name: string;
  authorization?: { credentials_file: string };
  static_configs: Array<{ targets: string[] }>;
}

describe("compose/*: generated from the native lab's code", () => {
  it('when the generator renders the files now, then the committed files are the same (else run npm run compose:generate)', () => {
    for (const { file, content } of renderComposeConfigs()) {
      expect(readRepo(file), `${file} is out of date: run npm run compose:generate`).toBe(content);
    }
  });
});

describe('compose/prometheus.yml', () => {
  const compose = loadCompose();
  const text = readRepo('compose/prometheus.yml');
  const config = parse(text);
  const jobs = config.scrape_configs as ScrapeJob[];
  const prometheus = compose.services.prometheus!;
  const configPath = (prometheus.command as string[]).find((arg) => arg.startsWith('--config.file='))!.slice('--config.file='.length);

  it('when promtool checks it as the container sees it, then the config and every rule file are valid', () => {
    const result = check('promtool', ['check', 'config', containerLayout(text, 'prometheus.yml')]);
    expect(result.output).toMatch(/SUCCESS: \d+ rule files found/);
    expect(result.ok, result.output).toBe(true);
  });

  it('when compose starts Prometheus, then it mounts this file where --config.file points', () => {
    expect(mountsOf(prometheus)).toContainEqual({ type: 'bind', source: './compose/prometheus.yml', target: configPath, readOnly: true });
  });

  it("when rules are loaded, then they are the native lab's rule files: the same folder of the repository", () => {
    const [pattern] = config.rule_files as string[];
    const inContainer = path.posix.resolve(path.posix.dirname(configPath), pattern!);
    const mount = mountsOf(prometheus).find((m) => inContainer.startsWith(`${m.target}/`))!;
    expect(mount, `no mount holds ${inContainer}`).toBeDefined();
    const onHost = path.join(path.resolve(repoRoot, mount.source), path.posix.relative(mount.target, inContainer));
    expect(nativeConfig('prometheus').rule_files).toEqual([onHost]);
  });

  it('when it scrapes, then it has every job the native lab has, with the same authorization', () => {
    const shape = (list: ScrapeJob[]) =>
      list.map((job) => ({ job: job.job_name, authorized: job.authorization !== undefined })).sort((a, b) => a.job.localeCompare(b.job));
    const native = nativeConfig('prometheus').scrape_configs as ScrapeJob[];
    expect(native.length).toBeGreaterThan(5);
    expect(shape(jobs)).toEqual(shape(native));
  });

  it('when it scrapes or alerts, then every address is a compose service on a port it listens on', () => {
    const addresses = [
      ...jobs.flatMap((job) => job.static_configs.flatMap((group) => group.targets)),
      ...(config.alerting.alertmanagers as Array<{ static_configs: Array<{ targets: string[] }> }>).flatMap((am) =>
        am.static_configs.flatMap((g) => g.targets),
      ),
    ];
    const problems = addresses.filter((address) => {
      const [host = '', port] = address.split(':');
      return !(host in compose.services) || !listeningPortsOf(compose, host).includes(Number(port));
    });
    expect(addresses).toContain('alertmanager:9093');
    expect(problems).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('when the config has a malformed interval, then promtool rejects it', () => {
      const result = check('promtool', [
        'check',
        'config',
        containerLayout(text.replace('scrape_interval: 5s', 'scrape_interval: 5 seconds'), 'prometheus.yml'),
      ]);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('FAILED');
    });
  });
});

describe('compose/alertmanager.yml', () => {
  const compose = loadCompose();
  const text = readRepo('compose/alertmanager.yml');
  const config = parse(text);

  it('when amtool checks it as the container sees it, then it is valid', () => {
    const result = check('amtool', ['check-config', containerLayout(text, 'alertmanager.yml')]);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('SUCCESS');
  });

  it("when alerts are routed, then the routes, grouping and inhibitions are the native lab's", () => {
    const native = nativeConfig('alertmanager');
    expect(config.route).toEqual(native.route);
    expect(config.inhibit_rules).toEqual(native.inhibit_rules);
    expect(config.receivers.map((r: { name: string }) => r.name)).toEqual(native.receivers.map((r: { name: string }) => r.name));
  });

  it("when an alert fires, then every receiver reports it to the chaos controller's webhook on the port it listens on", () => {
    const nativePath = new URL(nativeConfig('alertmanager').receivers[0].webhook_configs[0].url).pathname;
    for (const receiver of config.receivers as Array<{ webhook_configs: Array<{ url: string; send_resolved: boolean }> }>) {
      const url = new URL(receiver.webhook_configs[0]!.url);
      expect({ host: url.hostname, path: url.pathname, resolved: receiver.webhook_configs[0]!.send_resolved }).toEqual({
        host: 'chaos',
        path: nativePath,
        resolved: true,
      });
      expect(listeningPortsOf(compose, 'chaos')).toContain(Number(url.port));
    }
  });

  it('when compose starts Alertmanager, then it mounts this file where --config.file points', () => {
    const alertmanager = compose.services.alertmanager!;
    const configPath = (alertmanager.command as string[]).find((arg) => arg.startsWith('--config.file='))!.slice('--config.file='.length);
    expect(mountsOf(alertmanager)).toContainEqual({ type: 'bind', source: './compose/alertmanager.yml', target: configPath, readOnly: true });
  });

  describe('the checks themselves', () => {
    it('when a route names a receiver that does not exist, then amtool rejects it', () => {
      const result = check('amtool', ['check-config', containerLayout(text.replace('- receiver: lab-page', '- receiver: lab-pager'), 'alertmanager.yml')]);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('lab-pager');
    });
  });
});
