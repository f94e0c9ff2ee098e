import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listeningPortOf, loadCompose, nodeServiceNames, repoRoot } from './compose-file.ts';

const configFile = path.join(repoRoot, 'prometheus/prometheus.yml');
const composeTargetsDir = path.join(repoRoot, 'prometheus/targets-compose');

interface TargetGroup {
  targets: string[];
  labels?: Record<string, string>;
}

/** `promtool check config`: Prometheus' own validation of the file, its rule files and its file-SD files. */
function promtoolCheckConfig(file: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('promtool', ['check', 'config', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error('promtool is not installed: `apt-get install prometheus` (Debian) provides it; `npm test` runs `lab setup`, which installs it');
    }
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/**
 * The file as the compose Prometheus container sees it: prometheus.yml with rules/ and the
 * compose target files mounted beside it as targets/.
 */
function composeLayout(dir: string, config = readFileSync(configFile, 'utf8')): string {
  writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const rules = path.join(repoRoot, 'prometheus/rules');
  if (existsSync(rules)) cpSync(rules, path.join(dir, 'rules'), { recursive: true });
  else mkdirSync(path.join(dir, 'rules'));
  cpSync(composeTargetsDir, path.join(dir, 'targets'), { recursive: true });
  return path.join(dir, 'prometheus.yml');
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-prometheus-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('prometheus/prometheus.yml, shared by the native lab and compose', () => {
  const config = parse(readFileSync(configFile, 'utf8'));

  it('when promtool checks the file in the repo, then it is valid', () => {
    const result = promtoolCheckConfig(configFile);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('when promtool checks it as the compose container mounts it, then the config, rules and target files are valid', () => {
    const result = promtoolCheckConfig(composeLayout(tempDir()));
    expect(result.ok, result.output).toBe(true);
    expect(result.output).not.toMatch(/targets\/(\*|self\/\*)\.json.*does not exist/);
  });

  it('when read, then it scrapes and evaluates every 5 seconds and loads every rule file', () => {
    expect(config.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
    expect(config.rule_files).toEqual(['rules/*.yml']);
  });

  it('when read, then the shop is discovered from targets/*.json and Prometheus scrapes itself', () => {
    const jobs = Object.fromEntries((config.scrape_configs as Array<{ job_name: string }>).map((job) => [job.job_name, job]));
    expect(jobs.shop).toMatchObject({ file_sd_configs: [{ files: ['targets/*.json'] }] });
    expect(Object.keys(jobs)).toContain('prometheus');
  });

  it('when compose runs, then its target files name every Node service on the port it listens on, labelled by job and service', () => {
    const compose = loadCompose();
    const groups = JSON.parse(readFileSync(path.join(composeTargetsDir, 'shop.json'), 'utf8')) as TargetGroup[];
    const scraped = groups.flatMap((group) => group.targets.map((target) => ({ target, labels: group.labels })));
    expect(scraped).toEqual(
      nodeServiceNames.map((name) => ({
        target: `${name}:${listeningPortOf(compose, name)}`,
        labels: { job: name, service: name },
      })),
    );
    const self = JSON.parse(readFileSync(path.join(composeTargetsDir, 'self/prometheus.json'), 'utf8')) as TargetGroup[];
    expect(self.flatMap((group) => group.targets)).toEqual(['localhost:9090']);
  });

  it('when compose starts Prometheus, then it mounts this same file, the rules and the compose targets where the file expects them', () => {
    const prometheus = loadCompose().services.prometheus!;
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining([
        './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './prometheus/rules:/etc/prometheus/rules:ro',
        './prometheus/targets-compose:/etc/prometheus/targets:ro',
      ]),
    );
    expect(prometheus.command).toEqual(
      expect.arrayContaining([
        '--config.file=/etc/prometheus/prometheus.yml',
        '--web.enable-remote-write-receiver',
        '--enable-feature=exemplar-storage',
      ]),
    );
  });

  describe('the checks themselves', () => {
    it('when the config has a malformed interval, then promtool rejects it', () => {
      const broken = readFileSync(configFile, 'utf8').replace('scrape_interval: 5s', 'scrape_interval: 5 seconds');
      const result = promtoolCheckConfig(composeLayout(tempDir(), broken));
      expect(result.ok).toBe(false);
      expect(result.output).toContain('FAILED');
    });

    it('when a target file carries an invalid label name, then promtool rejects the compose layout', () => {
      const dir = tempDir();
      const file = composeLayout(dir);
      writeFileSync(path.join(dir, 'targets/broken.json'), JSON.stringify([{ targets: ['api:7400'], labels: { 'not-a-label': 'x' } }]));
      const result = promtoolCheckConfig(file);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('is not a valid label name');
    });
  });
});
