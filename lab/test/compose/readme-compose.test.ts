import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chaosCliOptions } from '@firedrill/chaos';
import { catalogue } from '@firedrill/chaos';
import { loadCompose, portsOf, readComposeText, repoRoot, type ComposeFile } from './compose-file.ts';
import { mountsOf } from './compose-resources.ts';
import { tokenVolumePlans } from './compose-tokens.ts';

/** README's "Docker Compose" section, up to the next heading of its level. */
function composeSection(readme: string): string {
  return readme.split('\n## Docker Compose\n')[1]?.split('\n## ')[0] ?? '';
}

/**
 * What the section promises that the compose file must keep true: each URL is a published port
 * (loopback-only ones stay loopback-only), each published port is listed, each `exec` names a
 * service, a file in the image and a fault the controller knows, each token it reads is there.
 */
function sectionProblems(section: string, compose: ComposeFile): string[] {
  const problems: string[] = [];
  const published = Object.entries(compose.services).flatMap(([name, service]) => portsOf(service).map((port) => ({ name, ...port })));
  const urls = [...section.matchAll(/http:\/\/(localhost|127\.0\.0\.1):(\d+)/g)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
  for (const { host, port } of urls) {
    const mapping = published.find((p) => p.published === port);
    if (!mapping) problems.push(`the README sends readers to ${host}:${port}, which no service publishes`);
    else if (host === '127.0.0.1' && mapping.hostIp !== '127.0.0.1')
      problems.push(`the README says ${port} is this machine only, but ${mapping.name} publishes it on every address`);
  }
  for (const mapping of published) {
    if (!urls.some((url) => url.port === mapping.published)) problems.push(`${mapping.name} publishes ${mapping.published}, which the README does not list`);
  }
  const plans = tokenVolumePlans(compose).plans;
  for (const match of section.matchAll(/^docker compose -p (\S+) exec (\S+) (.*?)(?:\s+#.*)?$/gm)) {
    const [, project, name = '', command = ''] = match;
    const service = compose.services[name];
    if (!readComposeText().includes(`docker compose -p ${project} up`))
      problems.push(`the README uses project ${project}, the compose file's own instructions do not`);
    if (!service) {
      problems.push(`the README execs into ${name}, which is no service`);
      continue;
    }
    const words = command.split(/\s+/);
    if (words[0] === 'node') {
      const script = words[1]!;
      if (!existsSync(path.join(repoRoot, script))) problems.push(`the README runs ${script}, which does not exist`);
      const { positionals } = parseArgs({ args: words.slice(2), allowPositionals: true, options: chaosCliOptions });
      if (positionals[0] === 'inject' && !catalogue.some((entry) => entry.family === positionals[1]))
        problems.push(`the README injects ${positionals[1]}, which is no fault family`);
    } else if (words[0] === 'cat') {
      const file = words[1]!;
      const mount = mountsOf(service).find((m) => m.target === path.posix.dirname(file));
      const plan = plans.find((p) => p.volume === mount?.source);
      if (!plan?.tokens.includes(path.posix.basename(file))) problems.push(`the README reads ${file} in ${name}, which has no such token`);
    }
  }
  for (const script of section.matchAll(/npm run ([\w:]+)/g)) {
    const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    if (!(script[1]! in scripts)) problems.push(`the README runs npm run ${script[1]}, which package.json does not define`);
  }
  return problems;
}

describe("README's Docker Compose section", () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = composeSection(readme);
  const compose = loadCompose();

  it('when an instructor follows it, then every address, command and token it names is what compose provides', () => {
    expect(section).toContain('docker compose -p firedrill up --build');
    expect(section).toMatch(/exec chaos node chaos\/src\/cli\/main\.ts inject/);
    expect(sectionProblems(section, compose)).toEqual([]);
  });

  describe('the checks themselves', () => {
    it('when the README names a wrong port, an unknown fault or a missing token, then the check reports each', () => {
      const broken = section
        .replace('http://localhost:9093', 'http://localhost:9094')
        .replace('inject database-loss', 'inject disk-full')
        .replace('instructor-token', 'root-token');
      expect(sectionProblems(broken, compose)).toEqual([
        'the README sends readers to localhost:9094, which no service publishes',
        'alertmanager publishes 9093, which the README does not list',
        'the README injects disk-full, which is no fault family',
        'the README reads /run/secrets/firedrill/root-token in chaos, which has no such token',
      ]);
    });

    it('when the controller is published on every address but the README says loopback, then the check reports it', () => {
      const broken = structuredClone(compose);
      broken.services.chaos!.ports = ['7403:7403'];
      expect(sectionProblems(section, broken)).toEqual(['the README says 7403 is this machine only, but chaos publishes it on every address']);
    });
  });
});
