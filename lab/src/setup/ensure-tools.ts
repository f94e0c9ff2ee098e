import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolsBinDir, which } from '@firedrill/lab-infra';
import { aptInstall, canUseApt } from './apt.ts';
import { ensurePythonTools } from './python-tools.ts';
import { goTools, systemRequirements, type GoBuild, type GoTool } from './requirements.ts';

export interface SetupResult {
  /** What is still missing, each with how to get it. Empty when the machine is ready. */
  missing: string[];
}

type Progress = (line: string) => void;

/**
 * Makes sure the machine has everything the lab runs: Debian packages via apt (when root on
 * Debian), k6, Toxiproxy, helm and the chart's validator built with Go into toolsBinDir(), schemathesis pip-installed into a
 * virtualenv beside it. Only checks when all is there.
 */
export function ensureTools(progress: Progress): SetupResult {
  const missing: string[] = [];

  const absent = systemRequirements.filter((req) => !req.find());
  for (const req of systemRequirements) if (!absent.includes(req)) progress(`ok       ${req.name}: ${req.find()}`);
  if (absent.length > 0) {
    const packages = [...new Set(absent.map((req) => req.aptPackage))];
    if (canUseApt()) {
      progress(`install  ${packages.join(' ')} (apt-get)`);
      aptInstall(packages);
    }
    for (const req of absent) {
      const found = req.find();
      if (found) progress(`ok       ${req.name}: ${found}`);
      else missing.push(`${req.name}: install the Debian package ${req.aptPackage} (as root: apt-get update && apt-get install ${req.aptPackage})`);
    }
  }

  const bin = toolsBinDir();
  for (const tool of goTools) {
    const target = path.join(bin, tool.name);
    if (existsSync(target)) {
      progress(`ok       ${tool.name}: ${target}`);
      continue;
    }
    const elsewhere = findBuiltTool(tool.name);
    if (elsewhere) {
      mkdirSync(bin, { recursive: true });
      copyExecutable(elsewhere, target);
      progress(`ok       ${tool.name}: copied ${elsewhere} to ${target}`);
      continue;
    }
    const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
    if (!go) {
      missing.push(`${tool.name}: needs Go to build it (https://go.dev/dl/, or apt-get install golang-go), then rerun \`npx lab setup\``);
      continue;
    }
    progress(`build    ${tool.name} with ${go} (once; takes a minute or two)`);
    const error = buildGoTool(go, tool, bin, progress);
    if (error) missing.push(`${tool.name}: the Go build failed (${error}); build it yourself into ${target}`);
    else progress(`ok       ${tool.name}: ${target}`);
  }

  missing.push(...ensurePythonTools(progress));
  return { missing };
}

/** A copy built earlier on this machine: on PATH, or in Go's own bin directory. */
function findBuiltTool(name: string): string | undefined {
  const onPath = which(name);
  if (onPath) return onPath;
  const goBinDirs = [...(process.env.GOPATH?.split(path.delimiter) ?? []), path.join(os.homedir(), 'go')].map((dir) => path.join(dir, 'bin'));
  const inGoBin = goBinDirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  if (inGoBin) return inGoBin;
  const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
  if (!go) return undefined;
  try {
    const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8' }).trim().split(path.delimiter)[0];
    const candidate = gopath ? path.join(gopath, 'bin', name) : undefined;
    return candidate && existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function copyExecutable(from: string, to: string): void {
  // Copy under a temporary name, then rename: a half-copied binary never sits at `to`.
  const partial = `${to}.partial-${process.pid}`;
  copyFileSync(from, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, to);
}

/** Returns undefined on success, or the last error. */
function buildGoTool(go: string, tool: GoTool, bin: string, progress: Progress): string | undefined {
  mkdirSync(bin, { recursive: true });
  let lastError = 'no build tried';
  for (const build of tool.builds) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), `firedrill-${tool.name}-`));
    try {
      runBuild(go, build, tool.name, bin, scratch);
      return undefined;
    } catch (err) {
      lastError = (err as Error).message;
      progress(`failed   ${describe(build)}: ${lastError.split('\n').slice(-3).join(' ')}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return lastError;
}

function runBuild(go: string, build: GoBuild, name: string, bin: string, scratch: string): void {
  const env = { ...process.env, GOPROXY: process.env.GOPROXY ?? 'https://proxy.golang.org', GOFLAGS: '-mod=mod', GOBIN: bin };
  const run = (args: string[]) => {
    const result = spawnSync(go, args, { cwd: scratch, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (result.status !== 0) throw new Error(`go ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim()}`);
  };
  if (build.kind === 'install') {
    run(['install', `${build.pkg}@${build.version}`]);
    return;
  }
  if (build.kind === 'repo') {
    // The module's own go.sum decides its dependencies (no -mod=mod rewriting it); no VCS stamp,
    // which needs git's consent to read a clone another user owns.
    const output = path.join(scratch, name);
    const result = spawnSync(go, ['build', '-o', output, '.'], {
      cwd: build.dir,
      env: { ...env, GOFLAGS: '-buildvcs=false' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.status !== 0) throw new Error(`go build in ${build.dir}: ${(result.stderr || result.error?.message || '').trim()}`);
    copyExecutable(output, path.join(bin, name));
    return;
  }
  run(['mod', 'init', `${name.replace(/[^a-z0-9]/g, '')}build`]);
  run(['get', `${build.module}@${build.version}`]);
  const output = path.join(scratch, name);
  run(['build', '-o', output, build.pkg]);
  copyExecutable(output, path.join(bin, name));
}

function describe(build: GoBuild): string {
  if (build.kind === 'repo') return build.dir;
  return build.kind === 'build' ? `${build.module}@${build.version}` : `${build.pkg}@${build.version}`;
}
