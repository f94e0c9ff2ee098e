/**
 * A small reader for the project's Dockerfile and .dockerignore, enough to check statically what
 * `docker build` would do with them: base images, stages, the user, the command and what each
 * stage copies. It handles the syntax the project uses (line continuations, comments, exec-form
 * JSON), not every corner of the Dockerfile grammar.
 */
import { existsSync, globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './compose-file.ts';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name?: string;
  /** The image or earlier stage named by FROM, after global ARG defaults are substituted. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  stages: Stage[];
}

export function readDockerfileText(): string {
  return readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
}

export function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((pending + line).trim());
    pending = '';
  }
  if (pending) logical.push(pending.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    if (line === '') continue;
    const match = /^(\w+)\s*(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const [image = '', as, name] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const from = substitute(image, globalArgs);
      stages.push({ from, instructions: [], ...(as?.toUpperCase() === 'AS' && name && { name }) });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [key, value = ''] = args.split('=', 2);
        globalArgs[key!] = value;
      }
    } else {
      stages.at(-1)!.instructions.push({ keyword, args });
    }
  }
  return { stages };
}

function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => values[(a ?? b)!] ?? whole);
}

/** The image a stage ultimately starts from, following FROM <earlier stage> links. */
export function baseImageOf(dockerfile: Dockerfile, stage: Stage): string {
  let current = stage;
  for (let hops = 0; hops < dockerfile.stages.length; hops++) {
    const parent = dockerfile.stages.find((candidate) => candidate.name === current.from);
    if (!parent) return current.from;
    current = parent;
  }
  return current.from;
}

export function finalStage(dockerfile: Dockerfile): Stage {
  const stage = dockerfile.stages.at(-1);
  if (!stage) throw new Error('the Dockerfile has no FROM');
  return stage;
}

/** Instructions a stage runs, including those it inherits from the earlier stages it builds on. */
export function effectiveInstructions(dockerfile: Dockerfile, stage: Stage): Instruction[] {
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
  return [...(parent ? effectiveInstructions(dockerfile, parent) : []), ...stage.instructions];
}

export interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => {
      const words = instruction.args.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      return { sources: paths.slice(0, -1), destination: paths.at(-1) ?? '', ...(from && { from }) };
    });
}

/** Where a COPY puts a source, relative to WORKDIR (the repo root's image of /app). */
export function copyTarget(copy: Copy, source: string): string {
  const destination = copy.destination.replace(/^\.\/?/, '');
  if (copy.destination.endsWith('/') || copy.destination === '.' || copy.destination === './') {
    return path.posix.join(destination, path.posix.basename(source));
  }
  return destination;
}

/** Working directory at the end of a stage (WORKDIR is inherited from the stages it builds on). */
export function workdirOf(dockerfile: Dockerfile, stage: Stage): string {
  const workdirs = effectiveInstructions(dockerfile, stage).filter((instruction) => instruction.keyword === 'WORKDIR');
  return workdirs.reduce((dir, instruction) => path.posix.resolve(dir, instruction.args), '/');
}

/** ENV pairs a stage sets (KEY=value form, several per line). */
export function envOf(dockerfile: Dockerfile, stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of effectiveInstructions(dockerfile, stage)) {
    if (instruction.keyword !== 'ENV') continue;
    for (const match of instruction.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/**
 * The variables the final stage's CMD sees for one build: each ARG's default (which may use the
 * ARGs before it) unless the build passes a value, then the ENV the stage sets from them.
 */
export function buildVariables(dockerfile: Dockerfile, buildArgs: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const instruction of effectiveInstructions(dockerfile, finalStage(dockerfile))) {
    if (instruction.keyword === 'ARG') {
      const [key = '', fallback] = instruction.args.split('=', 2);
      const value = buildArgs[key] ?? (fallback === undefined ? undefined : substitute(fallback, values));
      if (value !== undefined) values[key] = value;
    } else if (instruction.keyword === 'ENV') {
      for (const match of instruction.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) values[match[1]!] = substitute(match[2]!.replace(/^"|"$/g, ''), values);
    }
  }
  return values;
}

/**
 * The script path the container's command runs for one build (its --build-arg values), relative
 * to the image's WORKDIR, plus the whole command line (for the --import check).
 */
export function commandFor(dockerfile: Dockerfile, buildArgs: Record<string, string>): { commandLine: string; scriptPath?: string } {
  const stage = finalStage(dockerfile);
  const cmd = stage.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1);
  if (!cmd) return { commandLine: '' };
  let words: string[];
  try {
    words = JSON.parse(cmd.args) as string[];
  } catch {
    words = ['sh', '-c', cmd.args];
  }
  const line = words[0] === 'sh' && words[1] === '-c' ? words.slice(2).join(' ') : words.join(' ');
  const commandLine = substitute(line, buildVariables(dockerfile, buildArgs));
  const script = commandLine
    .split(/\s+/)
    .map((word) => word.replace(/^["']|["']$/g, ''))
    .find((word) => word.endsWith('.ts') && !word.startsWith('@'));
  return { commandLine, ...(script && { scriptPath: script }) };
}

/** The workspace folder a file belongs to (the deepest one holding it). */
export function workspaceOf(file: string): string | undefined {
  return workspaceFolders()
    .filter((folder) => file.startsWith(`${folder}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** Root package.json's workspaces, expanded to the folders that hold a package.json. */
export function workspaceFolders(): string[] {
  const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces?: string[] };
  return (root.workspaces ?? [])
    .flatMap((pattern) => globSync(`${pattern}/package.json`, { cwd: repoRoot }))
    .map((file) => path.posix.dirname(file.split(path.sep).join('/')))
    .sort();
}

/** The workspace folders a service needs at run time: itself and its @firedrill/* dependencies, transitively. */
export function runtimeWorkspacesOf(serviceFolder: string): string[] {
  const byName = new Map<string, string>();
  for (const folder of workspaceFolders()) {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8')) as { name: string };
    byName.set(manifest.name, folder);
  }
  const needed = new Set<string>();
  const visit = (folder: string) => {
    if (needed.has(folder)) return;
    needed.add(folder);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const dependencyFolder = byName.get(dependency);
      if (dependencyFolder) visit(dependencyFolder);
    }
  };
  visit(serviceFolder);
  return [...needed].sort();
}

export function readDockerignorePatterns(): string[] {
  const file = path.join(repoRoot, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/**
 * Whether the build context leaves a path out, by .dockerignore's rules: a pattern that matches
 * the path or any folder above it excludes it; a later `!pattern` brings it back.
 */
export function isIgnored(patterns: readonly string[], file: string): boolean {
  const segments = file.replace(/^\.\//, '').split('/');
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/|\/$/g, '');
    if (candidates.some((candidate) => path.posix.matchesGlob(candidate, pattern))) ignored = !negated;
  }
  return ignored;
}
