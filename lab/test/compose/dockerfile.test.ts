import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArgsOf, loadCompose, nodeServiceNames, repoRoot, shopServiceNames } from './compose-file.ts';
import {
  baseImageOf,
  commandFor,
  copiesOf,
  copyTarget,
  effectiveInstructions,
  envOf,
  finalStage,
  isIgnored,
  parseDockerfile,
  readDockerfileText,
  readDockerignorePatterns,
  runtimeWorkspacesOf,
  workdirOf,
  workspaceFolders,
  workspaceOf,
  type Dockerfile,
  type Stage,
} from './dockerfile.ts';

/** The image's WORKDIR holds the repo's layout: a path in the image maps to the same path in the repo. */
function repoPathOf(dockerfile: Dockerfile, imagePath: string): string {
  const workdir = workdirOf(dockerfile, finalStage(dockerfile));
  return path.posix.relative(workdir, path.posix.resolve(workdir, imagePath));
}

function baseImageProblems(dockerfile: Dockerfile): string[] {
  return dockerfile.stages
    .map((stage) => baseImageOf(dockerfile, stage))
    .filter((image) => !/^node:24(?:[.-]|$)/.test(image))
    .map((image) => `stage starts from ${image}, not the official Node 24 image`);
}

function userProblems(dockerfile: Dockerfile): string[] {
  const users = finalStage(dockerfile).instructions.filter((instruction) => instruction.keyword === 'USER');
  const user = users.at(-1)?.args.split(':')[0];
  if (!user) return ['the runtime stage sets no USER, so the service would run as root'];
  return ['root', '0'].includes(user) ? [`the runtime stage runs as ${user}`] : [];
}

/** One image compose builds: its SERVICE and the rest of its build arguments. */
type Build = Record<string, string> & { SERVICE: string };
const build = (SERVICE: string, args: Record<string, string> = {}): Build => ({ ...args, SERVICE });

function commandProblems(dockerfile: Dockerfile, builds: readonly Build[]): string[] {
  const problems: string[] = [];
  for (const args of builds) {
    const service = args.SERVICE;
    const { commandLine, scriptPath } = commandFor(dockerfile, args);
    if (!scriptPath) {
      problems.push(`CMD runs no .ts file for SERVICE=${service}: ${commandLine}`);
      continue;
    }
    const file = repoPathOf(dockerfile, scriptPath);
    if (!existsSync(path.join(repoRoot, file))) problems.push(`CMD for SERVICE=${service} runs ${file}, which does not exist`);
    if (!/--import[ =]@firedrill\/kit\/telemetry\b/.test(commandLine)) problems.push(`CMD for SERVICE=${service} does not load telemetry first`);
  }
  return problems;
}

const runsNpmCi = (stage: Stage) => stage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));

/** A stage with the instructions of the stages it builds on (FROM <earlier stage>) folded in. */
const withAncestors = (dockerfile: Dockerfile, stage: Stage): Stage => ({ ...stage, instructions: effectiveInstructions(dockerfile, stage) });

/** The stage the runtime stage takes its installed dependencies from: `COPY --from=<stage> /app ./`. */
function dependencyStageOf(dockerfile: Dockerfile): Stage | undefined {
  const workdir = workdirOf(dockerfile, finalStage(dockerfile));
  const copy = copiesOf(finalStage(dockerfile)).find((c) => c.from !== undefined && c.sources.includes(workdir));
  return dockerfile.stages.find((stage) => stage.name === copy?.from);
}

/** Every stage that runs npm ci must have the lockfile and every workspace's manifest at the same path (its own COPYs or inherited). */
function installStageProblems(dockerfile: Dockerfile): string[] {
  const stages = dockerfile.stages.filter(runsNpmCi);
  if (stages.length === 0) return ['no stage runs npm ci'];
  const needed = ['package.json', 'package-lock.json', ...workspaceFolders().map((folder) => `${folder}/package.json`)];
  return stages.flatMap((stage) => {
    const copied = new Set(
      copiesOf(withAncestors(dockerfile, stage)).flatMap((copy) =>
        copy.sources.map((source) => (copyTarget(copy, source) === source ? source : `${source} -> ${copyTarget(copy, source)}`)),
      ),
    );
    return needed
      .filter((file) => !copied.has(file))
      .map((file) => `the ${stage.name ?? 'dependency'} stage does not copy ${file} to the same path, so npm ci cannot match the lockfile`);
  });
}

/** The dependencies the runtime stage takes are the production ones only. */
function depsStageProblems(dockerfile: Dockerfile): string[] {
  const deps = dependencyStageOf(dockerfile);
  if (!deps) return ['the runtime stage copies no installed dependencies (COPY --from=<stage> /app ./)'];
  const install = effectiveInstructions(dockerfile, deps).find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  if (!install) return [`the ${deps.name} stage runs no npm ci`];
  return /--omit=dev\b/.test(install.args) ? [] : ['npm ci installs devDependencies (no --omit=dev)'];
}

/**
 * The console's page is built in a stage of its own with the dev dependencies (Vite), from the
 * console's sources, and only its output reaches the runtime stage.
 */
function pageStageProblems(dockerfile: Dockerfile): string[] {
  const page = dockerfile.stages.find((stage) => stage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build:console\b/.test(i.args)));
  if (!page) return ['no stage builds the console page (npm run build:console)'];
  const problems: string[] = [];
  const chain = withAncestors(dockerfile, page);
  const install = chain.instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  if (!install) problems.push(`the ${page.name} stage runs no npm ci before the build`);
  else if (/--omit=dev\b/.test(install.args)) problems.push(`the ${page.name} stage leaves out devDependencies (--omit=dev), and Vite is one`);
  if (page === dependencyStageOf(dockerfile)) problems.push(`the runtime stage takes its dependencies from the ${page.name} stage, devDependencies included`);
  const copied = copiesOf(chain)
    .filter((copy) => !copy.from)
    .flatMap((copy) => copy.sources);
  // The npm script itself runs through scripts/with-runtime.sh.
  const script = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build:console'] ?? '';
  const runner = /^sh (\S+)/.exec(script)?.[1];
  for (const needed of ['console', ...(runner ? [runner] : [])]) {
    if (!copied.includes(needed)) problems.push(`the ${page.name} stage does not copy ${needed}, which the page build needs`);
  }
  const workdir = workdirOf(dockerfile, page);
  const built = copiesOf(finalStage(dockerfile)).find((copy) => copy.from === page.name && copy.sources.includes(`${workdir}/console/dist/web`));
  if (!built) problems.push(`the runtime stage does not copy the built page (${workdir}/console/dist/web) from the ${page.name} stage`);
  else if (repoPathOf(dockerfile, built.destination) !== 'console/dist/web')
    problems.push(`the built page lands at ${built.destination}, not console/dist/web`);
  return problems;
}

function runtimeStageProblems(dockerfile: Dockerfile, builds: readonly Build[]): string[] {
  const stage = finalStage(dockerfile);
  const problems: string[] = [];
  if (envOf(dockerfile, stage).NODE_ENV !== 'production') problems.push('the runtime stage does not set NODE_ENV=production');
  if (!stage.instructions.some((i) => i.keyword === 'ARG' && /^SERVICE\b/.test(i.args))) problems.push('the runtime stage declares no ARG SERVICE');
  const copies = copiesOf(stage);
  const depsName = dependencyStageOf(dockerfile)?.name;
  if (!copies.some((copy) => copy.from !== undefined && copy.from === depsName)) problems.push('the runtime stage copies nothing from the dependency stage');
  const sourceTargets = copies.filter((copy) => !copy.from).flatMap((copy) => copy.sources.map((source) => copyTarget(copy, source)));
  for (const args of builds) {
    const service = args.SERVICE;
    const script = commandFor(dockerfile, args).scriptPath;
    const own = script && workspaceOf(repoPathOf(dockerfile, script));
    if (!own) {
      problems.push(`${service}: the command runs no file of a workspace`);
      continue;
    }
    for (const folder of runtimeWorkspacesOf(own)) {
      const covered = sourceTargets.some((target) => folder === target || folder.startsWith(`${target}/`));
      if (!covered) problems.push(`${service} needs ${folder} at run time, but the runtime stage does not copy it`);
    }
  }
  return problems;
}

function dockerignoreProblems(patterns: readonly string[], dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  for (const unwanted of ['node_modules', 'services/api/node_modules', '.git', '.lab', 'coverage']) {
    if (!isIgnored(patterns, unwanted)) problems.push(`.dockerignore lets ${unwanted} into the build context`);
  }
  const sources = dockerfile.stages.flatMap((stage) =>
    copiesOf(stage)
      .filter((copy) => !copy.from)
      .flatMap((copy) => copy.sources),
  );
  for (const source of sources) {
    if (isIgnored(patterns, source)) problems.push(`.dockerignore excludes ${source}, which the Dockerfile copies`);
  }
  return problems;
}

/** The images compose builds from this Dockerfile, one per distinct set of build arguments. */
function composeBuilds(): Build[] {
  const builds = Object.values(loadCompose().services)
    .filter((service) => service.build)
    .map((service) => buildArgsOf(service) as Build);
  return [...new Map(builds.map((args) => [JSON.stringify(args), args])).values()];
}

/** The compose services built from the Dockerfile that run the image's own command (not a one-shot's). */
function composeBuiltServices(): string[] {
  return Object.entries(loadCompose().services)
    .filter(([, service]) => service.build && service.command === undefined)
    .map(([name]) => name);
}

describe('Dockerfile', () => {
  const dockerfile = parseDockerfile(readDockerfileText());
  const patterns = readDockerignorePatterns();
  const edited = (from: string | RegExp, to: string) => {
    const text = readDockerfileText();
    const changed = text.replace(from, to);
    expect(changed, `the edit ${String(from)} must change the Dockerfile`).not.toBe(text);
    return parseDockerfile(changed);
  };

  it('when an image is built, then every stage starts from the official Node 24 image', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(baseImageProblems(dockerfile)).toEqual([]);
  });

  it('when a container runs, then the service runs as a non-root user', () => {
    expect(userProblems(dockerfile)).toEqual([]);
  });

  it('when compose builds each Node process, then it passes a SERVICE naming it', () => {
    expect(composeBuiltServices().sort()).toEqual([...nodeServiceNames].sort());
    for (const name of composeBuiltServices()) expect(buildArgsOf(loadCompose().services[name]!).SERVICE).toBe(name);
    for (const name of nodeServiceNames) {
      const build = loadCompose().services[name]!.build;
      const context = typeof build === 'string' ? build : (build?.context ?? '.');
      expect(path.resolve(repoRoot, context), `${name} builds from the repo root`).toBe(repoRoot);
    }
  });

  it('when the container starts, then CMD runs an existing main.ts for every build, with telemetry loaded first', () => {
    expect(
      composeBuilds()
        .map((args) => commandFor(dockerfile, args).scriptPath)
        .sort(),
    ).toEqual([
      'chaos/src/main.ts',
      'console/src/main.ts',
      'services/api/src/main.ts',
      'services/payments/src/main.ts',
      'services/worker/src/main.ts',
      'training/src/main.ts',
    ]);
    expect(commandProblems(dockerfile, composeBuilds())).toEqual([]);
  });

  it('when dependencies are installed, then every workspace manifest and the lockfile are in place and dev tools are left out', () => {
    expect(workspaceFolders()).toEqual(expect.arrayContaining(['packages/kit', 'services/api', 'services/payments', 'services/worker']));
    expect(installStageProblems(dockerfile)).toEqual([]);
    expect(depsStageProblems(dockerfile)).toEqual([]);
  });

  it('when the image is built, then the console page is built with the dev dependencies in a stage of its own and only its output is copied in', () => {
    expect(pageStageProblems(dockerfile)).toEqual([]);
  });

  it('when the runtime image is assembled, then it is production mode with the installed dependencies and every workspace a service imports', () => {
    expect(runtimeStageProblems(dockerfile, composeBuilds())).toEqual([]);
  });

  it('when the build context is sent, then host dependencies, git and lab state stay out and nothing the build copies is excluded', () => {
    expect(dockerignoreProblems(patterns, dockerfile)).toEqual([]);
  });

  it('when the npm scripts start a service, then they load the same telemetry entry the image does', () => {
    for (const name of shopServiceNames) {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, `services/${name}/package.json`), 'utf8')) as { scripts?: { start?: string } };
      expect(manifest.scripts?.start).toBe('node --import @firedrill/kit/telemetry src/main.ts');
    }
    const kit = JSON.parse(readFileSync(path.join(repoRoot, 'packages/kit/package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(existsSync(path.join(repoRoot, 'packages/kit', kit.exports['./telemetry']!))).toBe(true);
  });

  describe('the checks themselves', () => {
    it('when a stage starts from an older Node, then the base-image check reports it', () => {
      // base, manifests, deps, page and runtime all start from it.
      expect(baseImageProblems(edited('FROM node:24-slim AS base', 'FROM node:20-slim AS base'))).toEqual(
        Array(5).fill('stage starts from node:20-slim, not the official Node 24 image'),
      );
    });

    it('when USER is dropped or set to root, then the user check reports it', () => {
      expect(userProblems(edited(/^USER node$/m, 'USER root'))).toEqual(['the runtime stage runs as root']);
      expect(userProblems(edited(/^USER node$/m, ''))).toEqual(['the runtime stage sets no USER, so the service would run as root']);
    });

    it('when CMD points at a file that does not exist, then the command check reports it for every service', () => {
      const broken = edited('services/${SERVICE}/src/main.ts', 'services/${SERVICE}/main.ts');
      expect(commandProblems(broken, [build('api'), build('worker')])).toEqual([
        'CMD for SERVICE=api runs services/api/main.ts, which does not exist',
        'CMD for SERVICE=worker runs services/worker/main.ts, which does not exist',
      ]);
    });

    it('when a workspace manifest is not copied before npm ci, then the deps check names it', () => {
      // Both installs build on the manifests stage.
      expect(installStageProblems(edited(/^COPY lab\/package\.json lab\/$/m, ''))).toEqual([
        'the deps stage does not copy lab/package.json to the same path, so npm ci cannot match the lockfile',
        'the page stage does not copy lab/package.json to the same path, so npm ci cannot match the lockfile',
      ]);
    });

    it('when npm ci would install devDependencies, then the deps check reports it', () => {
      expect(depsStageProblems(edited('--omit=dev ', ''))).toEqual(['npm ci installs devDependencies (no --omit=dev)']);
    });

    it('when the page stage installs without devDependencies, or the runtime took its dependencies from it, then the page check reports it', () => {
      expect(pageStageProblems(edited('RUN npm ci --ignore-scripts', 'RUN npm ci --omit=dev --ignore-scripts'))).toEqual([
        'the page stage leaves out devDependencies (--omit=dev), and Vite is one',
      ]);
      expect(pageStageProblems(edited('COPY --from=deps /app ./', 'COPY --from=page /app ./'))).toEqual([
        'the runtime stage takes its dependencies from the page stage, devDependencies included',
      ]);
    });

    it('when the page stage lacks the console sources or the runtime stage does not copy the built page, then the page check reports it', () => {
      expect(pageStageProblems(edited(/^COPY console \.\/console\nRUN npm run build:console$/m, 'RUN npm run build:console'))).toEqual([
        'the page stage does not copy console, which the page build needs',
      ]);
      expect(pageStageProblems(edited(/^COPY --from=page .*$/m, ''))).toEqual([
        'the runtime stage does not copy the built page (/app/console/dist/web) from the page stage',
      ]);
      expect(pageStageProblems(edited(/^RUN npm run build:console$/m, ''))).toEqual(['no stage builds the console page (npm run build:console)']);
    });

    it('when the runtime stage leaves out the shared packages, then the runtime check reports each one each service needs', () => {
      const problems = runtimeStageProblems(edited(/^COPY packages \.\/packages$/m, ''), [build('api'), build('payments'), build('worker')]);
      // Every shared package a service imports is reported (the kit, the metric registry, ...).
      expect(problems).toEqual(
        expect.arrayContaining([
          'api needs packages/kit at run time, but the runtime stage does not copy it',
          'api needs packages/queue-contract at run time, but the runtime stage does not copy it',
          'api needs packages/shop-schema at run time, but the runtime stage does not copy it',
          'payments needs packages/kit at run time, but the runtime stage does not copy it',
          'worker needs packages/kit at run time, but the runtime stage does not copy it',
          'worker needs packages/queue-contract at run time, but the runtime stage does not copy it',
          'api needs packages/conventions at run time, but the runtime stage does not copy it',
        ]),
      );
      expect(problems.filter((p) => !/^\w+ needs packages\/[\w-]+ at run time/.test(p))).toEqual([]);
    });

    it('when the runtime stage leaves out the chaos package, then the runtime check reports it for the controller', () => {
      const problems = runtimeStageProblems(edited(/^COPY chaos \.\/chaos$/m, ''), [build('chaos', { MAIN: 'chaos/src/main.ts' })]);
      expect(problems).toEqual(['chaos needs chaos at run time, but the runtime stage does not copy it']);
    });

    it('when the controller is built without MAIN, then the command check says its entry point does not exist', () => {
      expect(commandProblems(dockerfile, [build('chaos')])).toEqual(['CMD for SERVICE=chaos runs services/chaos/src/main.ts, which does not exist']);
    });

    it('when .dockerignore excludes what the build copies, or lets node_modules in, then the ignore check reports it', () => {
      expect(dockerignoreProblems([...patterns, 'services'], dockerfile)).toContain('.dockerignore excludes services, which the Dockerfile copies');
      expect(
        dockerignoreProblems(
          patterns.filter((p) => !p.includes('node_modules')),
          dockerfile,
        ),
      ).toContain('.dockerignore lets node_modules into the build context');
    });
  });
});
