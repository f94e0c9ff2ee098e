import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { toolsBinDir, which } from '@firedrill/lab-infra';
import { aptInstall, canUseApt } from './apt.ts';
import { pythonTools, type PythonTool } from './requirements.ts';

type Progress = (line: string) => void;

// Debian's own Python first: a pyenv or conda shim on PATH may lack venv or change under us.
const pythonDirs = ['/usr/bin', '/usr/local/bin'];

/** Where a Python tool's virtualenv lives: beside toolsBinDir(), one per pinned version. */
export function pythonToolVenv(tool: PythonTool): string {
  return path.join(path.dirname(toolsBinDir()), 'venvs', `${tool.pypiPackage}-${tool.version}`);
}

/**
 * Installs every Python tool at its pinned version into its own virtualenv and links its command
 * into toolsBinDir(), where tests and the lab find it as they find k6. Returns what is still
 * missing, each with how to get it.
 */
export function ensurePythonTools(progress: Progress): string[] {
  const missing: string[] = [];
  const pending = pythonTools.filter((tool) => {
    if (!isInstalled(tool)) return true;
    progress(`ok       ${tool.name}: ${path.join(toolsBinDir(), tool.name)} (${tool.version})`);
    return false;
  });
  if (pending.length === 0) return missing;

  const python = pythonWithVenv();
  if (!python) {
    return pending.map((tool) => `${tool.name}: needs python3 with venv (as root: apt-get install python3-venv), then rerun \`npx lab setup\``);
  }
  for (const tool of pending) {
    progress(`install  ${tool.pypiPackage}==${tool.version} (pip, into ${pythonToolVenv(tool)}; once)`);
    const error = install(python, tool);
    if (error) missing.push(`${tool.name}: pip could not install ${tool.pypiPackage}==${tool.version} (${error})`);
    else progress(`ok       ${tool.name}: ${path.join(toolsBinDir(), tool.name)} (${tool.version})`);
  }
  return missing;
}

/** The link is made last, so a link to the pinned virtualenv means a finished install. */
function isInstalled(tool: PythonTool): boolean {
  const command = path.join(pythonToolVenv(tool), 'bin', tool.name);
  try {
    return readlinkSync(path.join(toolsBinDir(), tool.name)) === command && existsSync(command);
  } catch {
    return false;
  }
}

/** A python3 that can make virtualenvs; Debian splits venv (and ensurepip) into python3-venv. */
function pythonWithVenv(): string | undefined {
  const usable = () => {
    const python = which('python3', pythonDirs);
    return python && spawnSync(python, ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status === 0 ? python : undefined;
  };
  const found = usable();
  if (found || !canUseApt()) return found;
  aptInstall(['python3-venv']);
  return usable();
}

/** Returns undefined on success, or what went wrong. */
function install(python: string, tool: PythonTool): string | undefined {
  const venv = pythonToolVenv(tool);
  // Scripts in a virtualenv name its path in their shebang, so it is built in place, never moved.
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(path.dirname(venv), { recursive: true });
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { stdio, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${path.basename(command)} ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
    return result.stdout;
  };
  try {
    run(python, ['-m', 'venv', venv]);
    run(path.join(venv, 'bin', 'python'), [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      `${tool.pypiPackage}==${tool.version}`,
    ]);
    const command = path.join(venv, 'bin', tool.name);
    const version = run(command, ['--version']);
    if (!version.includes(tool.version)) throw new Error(`${command} --version says ${version.trim()}`);
    const bin = toolsBinDir();
    mkdirSync(bin, { recursive: true });
    // Link under a temporary name, then rename: the link never points at a half-made install.
    const partial = path.join(bin, `${tool.name}.partial-${process.pid}`);
    rmSync(partial, { force: true });
    symlinkSync(command, partial);
    renameSync(partial, path.join(bin, tool.name));
    return undefined;
  } catch (err) {
    rmSync(venv, { recursive: true, force: true });
    return (err as Error).message;
  }
}
