import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { toolsBinDir, which } from '@firedrill/lab-infra';
import { parseAllDocuments } from 'yaml';

export const repo = path.resolve(import.meta.dirname, '..', '..');
export const chartDir = path.join(repo, 'deploy', 'helm', 'firedrill');

/** Both are built by `npx lab setup` (lab/src/setup/requirements.ts) into ~/.cache/firedrill/bin. */
export const helm = which('helm', [toolsBinDir()]);
export const validator = which('firedrill-k8s-validate', [toolsBinDir()]);

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** As rendered: the tests read it field by field. */
  spec?: any;
  data?: Record<string, string>;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(binary: string, args: string[], input?: string): RunResult {
  const result = spawnSync(binary, args, { cwd: repo, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `helm template` of the chart as release `release` in namespace `namespace`; throws with helm's own message on failure. */
export function renderChart(release: string, namespace: string, setArgs: string[] = []): { yaml: string; objects: K8sObject[] } {
  if (!helm) throw new Error('helm is not installed (npx lab setup builds it)');
  const result = run(helm, ['template', release, chartDir, '--namespace', namespace, ...setArgs.flatMap((s) => ['--set', s])]);
  if (result.status !== 0) throw new Error(`helm template failed: ${withoutSymlinkNotes(result.stderr)}`);
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((obj): obj is K8sObject => obj !== null);
  return { yaml: result.stdout, objects };
}

/** helm notes each symlink it follows (files/ links to prometheus/rules, grafana/, compose/): not errors. */
export function withoutSymlinkNotes(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('found symbolic link in path'))
    .join('\n');
}

export interface Verdict {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  error?: string;
}

/** Runs the strict validator on a multi-document YAML stream: one verdict per document. */
export function validate(yaml: string): { status: number | null; verdicts: Verdict[]; stderr: string } {
  if (!validator) throw new Error('firedrill-k8s-validate is not installed (npx lab setup builds it)');
  const result = run(validator, [], yaml);
  const verdicts = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Verdict);
  return { status: result.status, verdicts, stderr: result.stderr };
}
