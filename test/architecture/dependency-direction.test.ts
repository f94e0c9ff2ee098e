/**
 * The workspace's dependency direction, checked from the files themselves: the package manifests
 * and every import statement. Services never import each other (they share contracts through
 * packages/), nothing imports the lab CLI, lower layers know nothing of higher ones, and no file
 * reaches into another workspace by a relative path. (That the chaos agent, which runs inside the
 * services, never reaches the controller is checked by chaos/src/agent/agent-imports.test.ts.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

interface Workspace {
  name: string;
  dir: string;
  declared: Set<string>;
}

function workspaces(): Workspace[] {
  const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = root.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(path.join(repoRoot, pattern.slice(0, -2))).map((d) => path.join(pattern.slice(0, -2), d)) : [pattern],
  );
  return dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((n) => n.startsWith('@firedrill/')));
    return { name: manifest.name, dir, declared };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'dist') return [];
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(entry) ? [full] : [];
  });
}

/** Module specifiers of every static and dynamic import in a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1]!);
}

const all = workspaces();
const byName = new Map(all.map((w) => [w.name, w]));

function cycles(): string[][] {
  const found: string[][] = [];
  const visit = (name: string, trail: string[]) => {
    if (trail.includes(name)) {
      found.push([...trail.slice(trail.indexOf(name)), name]);
      return;
    }
    for (const dep of byName.get(name)?.declared ?? []) visit(dep, [...trail, name]);
  };
  for (const w of all) visit(w.name, []);
  return found;
}

describe('dependency direction', () => {
  it('when the manifests are read, then no workspace depends on itself through others (no cycle)', () => {
    expect(all.length).toBeGreaterThan(5);
    expect(cycles()).toEqual([]);
  });

  it('when a service is read, then it neither declares nor imports another service', () => {
    const services = all.filter((w) => w.dir.startsWith('services/'));
    expect(services.map((s) => s.name).sort()).toEqual(['@firedrill/api', '@firedrill/payments', '@firedrill/worker']);
    for (const service of services) {
      const others = services.filter((s) => s !== service).map((s) => s.name);
      expect(
        [...service.declared].filter((d) => others.includes(d)),
        `${service.name} declares`,
      ).toEqual([]);
      for (const file of sourceFiles(path.join(repoRoot, service.dir))) {
        const bad = importsOf(file).filter((spec) => others.some((o) => spec === o || spec.startsWith(`${o}/`)));
        expect(bad, path.relative(repoRoot, file)).toEqual([]);
      }
    }
  });

  it('when any workspace is read, then it imports only the @firedrill packages it declares, and nobody imports the lab CLI', () => {
    for (const w of all) {
      for (const file of sourceFiles(path.join(repoRoot, w.dir))) {
        for (const spec of importsOf(file).filter((s) => s.startsWith('@firedrill/'))) {
          const pkg = spec.split('/').slice(0, 2).join('/');
          if (pkg === w.name) continue;
          expect(w.declared.has(pkg), `${path.relative(repoRoot, file)} imports ${spec} without declaring ${pkg}`).toBe(true);
        }
      }
    }
    expect(all.filter((w) => w.declared.has('@firedrill/lab')).map((w) => w.name)).toEqual([]);
  });

  it('when the shared packages are read, then they know nothing of the services, the fault plane or the lab', () => {
    // The kit may lean only on leaf packages (the metric-name registry), never on another layer.
    const kit = byName.get('@firedrill/kit')!;
    for (const dep of kit.declared) expect([...byName.get(dep)!.declared], `${dep}, which the kit depends on, depends on`).toEqual([]);
    for (const w of all.filter((x) => x.dir.startsWith('packages/'))) {
      const higher = [...w.declared].filter((d) => !byName.get(d)?.dir.startsWith('packages/'));
      expect(higher, `${w.name} depends on`).toEqual([]);
    }
  });

  it('when any file is read, then no relative import leaves its workspace', () => {
    const roots = all.map((w) => path.join(repoRoot, w.dir));
    const owner = (file: string) => roots.find((r) => file.startsWith(`${r}${path.sep}`)) ?? repoRoot;
    const files = [
      ...all.flatMap((w) => sourceFiles(path.join(repoRoot, w.dir))),
      ...['test', 'bench', 'scripts', 'grafana'].flatMap((d) => sourceFiles(path.join(repoRoot, d))),
    ];
    const escapes: string[] = [];
    for (const file of files) {
      const home = owner(file);
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = path.resolve(path.dirname(file), spec);
        const targetHome = owner(target);
        if (targetHome !== home) escapes.push(`${path.relative(repoRoot, file)} → ${spec}`);
      }
    }
    expect(escapes).toEqual([]);
  });
});
