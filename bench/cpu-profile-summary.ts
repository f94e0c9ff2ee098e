/**
 * node bench/cpu-profile-summary.ts <file.cpuprofile | dir> [top=25] — where a V8 CPU profile's
 * time went: self time by module (an npm package, a workspace package, node's own code, or V8's
 * "(garbage collector)"/"(program)"/"(idle)") and by function. For profiles written by a lab run
 * with LAB_CPU_PROF_DIR (bench:checkout-cpu with BENCH_PROFILE_DIR). Idle time is left out of
 * the shares: it is the process waiting, not working.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which code a script URL belongs to: the npm package, the repository folder, or node itself. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const repoPath = url.replace(/^file:\/\//, '').replace(/^.*?\/(services|packages|lab|training|chaos|console)\//, '$1/');
  return repoPath.split('/').slice(0, 2).join('/');
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''} [${module}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const line = ([name, us]: [string, number]) => `  ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`\n${path.basename(file)}: ${(busyUs / 1e6).toFixed(1)} s busy`);
  console.log(' self time by module');
  for (const row of sorted(byModule)) console.log(line(row));
  console.log(' self time by function');
  for (const row of sorted(byFunction)) console.log(line(row));
}

const [target, topArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: node bench/cpu-profile-summary.ts <file.cpuprofile | dir> [top]');
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(target, f))
  : [target];
for (const file of files) summarise(file, Number(topArg ?? 25));
