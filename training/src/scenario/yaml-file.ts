import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { describeIssue, type ScenarioProblem } from './scenario-error.ts';
import { lineOf } from './yaml-positions.ts';

/**
 * A YAML file validated by a zod schema, each problem placed at its line and field: what the
 * scenario, runbook and quiz loaders share. `shown` is the file name the problems carry.
 */
export function validateYaml<S extends z.ZodType>(
  text: string,
  /** The schema, or how to pick it from the parsed data (a scenario is a lab or an on-call pool). */
  schema: S | ((data: unknown) => S),
  shown: string,
): { ok: true; data: z.output<S>; at: (path: readonly PropertyKey[]) => number } | { ok: false; problems: ScenarioProblem[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file: shown,
        line: lineCounter.linePos(error.pos[0]).line,
        field: '',
        message: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    };
  const data: unknown = doc.toJS();
  const result = (typeof schema === 'function' ? schema(data) : schema).safeParse(data);
  if (!result.success) {
    const problems: ScenarioProblem[] = [];
    for (const issue of result.error.issues.flatMap(unionBranch)) {
      // One line per unknown field, at that field, rather than one at the mapping holding them.
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      for (const at of paths)
        problems.push({ file: shown, line: lineOf(doc, lineCounter, at), field: at.map(String).join('.'), message: describeIssue(issue) });
    }
    return { ok: false, problems };
  }
  return { ok: true, data: result.data, at: (path) => lineOf(doc, lineCounter, path) };
}

/**
 * "A step name or a check": when the value has the type of exactly one branch of a union (a
 * mapping where the other branch wants text), that branch's own issues say far more than "does
 * not match any allowed form".
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || !Array.isArray(issue.errors)) return [issue];
  const branches = (issue.errors as z.core.$ZodIssue[][]).filter((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  if (branches.length !== 1) return [issue];
  return branches[0]!.flatMap((inner) => unionBranch({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
}
