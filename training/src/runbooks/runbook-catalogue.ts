import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scenario/load-scenario.ts';
import { defaultRunbooksDir, listRunbookFiles, loadRunbook } from './load-runbook.ts';
import type { Runbook } from './runbook-schema.ts';

/**
 * What a responder can read during an incident, as GET /api/runbooks serves it: the executable
 * runbooks (docs/runbooks/*.runbook.yaml), the prose runbook pages beside them (one per alert
 * family) and the response playbook (docs/playbook). Read from disk on each call: a few dozen small
 * files, and an edited page shows at once.
 */
export const defaultPlaybookDir = path.join(repoRoot, 'docs', 'playbook');

export type RunbookSource = 'executable' | 'runbook-page' | 'playbook';

export interface RunbookEntry {
  /** URL-safe: the executable runbook's name, the page's file name, or `playbook-<file>`. */
  id: string;
  source: RunbookSource;
  title: string;
  summary: string;
}

/** One step as a responder reads it: what it does, written as the runbook writes it. */
export interface RunbookStepView {
  name: string;
  description: string | null;
  action: 'lever' | 'command' | 'probe';
  /** The lever text, the shell command, or the probe as JSON. */
  text: string;
  verify: string | null;
  rollback: string | null;
}

/** A page's section (`## …` to the next `## `) as markdown. */
export interface MarkdownSection {
  page: string;
  heading: string;
  markdown: string;
}

export interface RunbookDetail extends RunbookEntry {
  kind: Runbook['kind'] | null;
  parameters: Runbook['parameters'];
  steps: RunbookStepView[];
  /** A prose page's whole markdown; an executable runbook's: the section of its page that names it. */
  markdown: string | null;
  section: MarkdownSection | null;
}

export interface RunbookDirs {
  runbooksDir: string;
  playbookDir: string;
}

const defaultDirs: RunbookDirs = { runbooksDir: defaultRunbooksDir, playbookDir: defaultPlaybookDir };

/** The markdown files of a folder, by name (README first: it is the folder's index). */
function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.endsWith('.md'))
    .sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a.localeCompare(b)))
    .map((entry) => path.join(dir, entry));
}

/** The page's `# title` and its first paragraph. */
function titleAndSummary(markdown: string, fallback: string): { title: string; summary: string } {
  const lines = markdown.split('\n');
  const title =
    lines
      .find((l) => l.startsWith('# '))
      ?.slice(2)
      .trim() ?? fallback;
  const start = lines.findIndex((l) => l.startsWith('# ')) + 1;
  const paragraph: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    if (line.startsWith('#')) break;
    paragraph.push(line.trim());
  }
  const summary = paragraph.join(' ');
  return { title, summary: summary.length > 300 ? `${summary.slice(0, 297)}…` : summary };
}

function pageId(file: string, source: RunbookSource): string {
  const base = path.basename(file, '.md').toLowerCase();
  if (source === 'playbook') return base === 'readme' ? 'playbook' : `playbook-${base}`;
  return base === 'readme' ? 'runbooks' : base;
}

interface PageFile {
  entry: RunbookEntry;
  file: string;
}

function pages(dirs: RunbookDirs): PageFile[] {
  const of = (dir: string, source: RunbookSource) =>
    markdownFiles(dir).map((file) => {
      const id = pageId(file, source);
      return { file, entry: { id, source, ...titleAndSummary(readFileSync(file, 'utf8'), id) } };
    });
  return [...of(dirs.runbooksDir, 'runbook-page'), ...of(dirs.playbookDir, 'playbook')];
}

/** Valid executable runbooks only: a broken file is `lab runbook check`'s to report, not a reader's. */
function executables(dirs: RunbookDirs): Runbook[] {
  return listRunbookFiles(dirs.runbooksDir).flatMap((file) => {
    try {
      return [loadRunbook(file).runbook];
    } catch {
      return [];
    }
  });
}

function executableEntry(runbook: Runbook): RunbookEntry {
  return { id: runbook.name, source: 'executable', title: runbook.title, summary: runbook.description ?? `A ${runbook.kind} runbook` };
}

export function listRunbooks(dirs: RunbookDirs = defaultDirs): RunbookEntry[] {
  return [...executables(dirs).map(executableEntry), ...pages(dirs).map((p) => p.entry)];
}

/**
 * The first `## ` section of an alert family's page that names the runbook (its "Executable: …"
 * line). Not the folder's README: it names every runbook in its index.
 */
function sectionNaming(name: string, dirs: RunbookDirs): MarkdownSection | null {
  const mention = new RegExp(`(^|[^a-z0-9-])${name}([^a-z0-9-]|$)`);
  for (const file of markdownFiles(dirs.runbooksDir).filter((f) => path.basename(f) !== 'README.md')) {
    const sections = readFileSync(file, 'utf8').split(/\n(?=## )/);
    const found = sections.find((s) => s.startsWith('## ') && mention.test(s));
    if (found) return { page: pageId(file, 'runbook-page'), heading: found.split('\n')[0]!.slice(3).trim(), markdown: found.trim() };
  }
  return null;
}

function check(c: { command?: string; probe?: unknown } | undefined): string | null {
  if (!c) return null;
  return c.command ?? JSON.stringify(c.probe);
}

function stepView(step: Runbook['steps'][number]): RunbookStepView {
  const action = step.lever !== undefined ? 'lever' : step.command !== undefined ? 'command' : 'probe';
  return {
    name: step.name,
    description: step.description ?? null,
    action,
    text: step.lever ?? step.command ?? JSON.stringify(step.probe),
    verify: check(step.verify),
    rollback: step.rollback ? (step.rollback.lever ?? step.rollback.command ?? null) : null,
  };
}

/** One runbook or page by id; undefined when there is none (ids come from listRunbooks, never a path). */
export function findRunbook(id: string, dirs: RunbookDirs = defaultDirs): RunbookDetail | undefined {
  const runbook = executables(dirs).find((r) => r.name === id);
  if (runbook)
    return {
      ...executableEntry(runbook),
      kind: runbook.kind,
      parameters: runbook.parameters,
      steps: runbook.steps.map(stepView),
      markdown: null,
      section: sectionNaming(runbook.name, dirs),
    };
  const page = pages(dirs).find((p) => p.entry.id === id);
  if (!page) return undefined;
  return { ...page.entry, kind: null, parameters: {}, steps: [], markdown: readFileSync(page.file, 'utf8'), section: null };
}
