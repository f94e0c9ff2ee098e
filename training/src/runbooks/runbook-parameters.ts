import type { RunbookParameter } from './runbook-schema.ts';

/**
 * Runbook parameters: `{{name}}` in a runbook's texts, filled from `--param name=value`. Every
 * value is checked against its declaration and against one safe alphabet (no spaces, quotes or
 * shell metacharacters), and is single-quoted where it lands in a shell command, so a parameter
 * can never run a command of its own.
 */

const placeholder = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** What any value may be, whatever its declaration says: enough for services, job ids, Redis globs. */
export const safeValuePattern = /^[\w.:@/*+-]{1,200}$/;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(placeholder)].map((match) => match[1]!);
}

/** The template with each placeholder replaced; undefined when a placeholder has no value. */
export function substitute(template: string, valueFor: (name: string) => string | undefined, quote: (value: string) => string = (v) => v): string | undefined {
  let missing = false;
  const filled = template.replace(placeholder, (_match, name: string) => {
    const value = valueFor(name);
    if (value === undefined) missing = true;
    return quote(value ?? '');
  });
  return missing ? undefined : filled;
}

/** For a shell: the value between single quotes (safe values hold none, but quoting keeps that true by construction). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A value to check a template with before any run: the default, or the first value allowed. */
export function sampleValue(parameter: RunbookParameter): string | undefined {
  return parameter.default ?? parameter.values?.[0];
}

export type ParameterValues = Record<string, string>;

/**
 * The run's values: each given value checked, each missing one defaulted. Every problem is
 * returned at once ("service: required; region: no such parameter").
 */
export function resolveParameters(
  declared: Readonly<Record<string, RunbookParameter>>,
  given: Readonly<Record<string, string>>,
): { ok: true; values: ParameterValues } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const values: ParameterValues = {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) errors.push(`${name}: no such parameter (${Object.keys(declared).join(', ') || 'this runbook takes none'})`);
  }
  for (const [name, parameter] of Object.entries(declared)) {
    const value = given[name] ?? parameter.default;
    if (value === undefined) {
      errors.push(`${name}: required (${parameter.description})`);
      continue;
    }
    const problem = valueProblem(parameter, value);
    if (problem) errors.push(`${name}: ${problem}`);
    else values[name] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

function valueProblem(parameter: RunbookParameter, value: string): string | undefined {
  if (parameter.values && !parameter.values.includes(value)) return `"${value}" is not one of ${parameter.values.join(', ')}`;
  if (!safeValuePattern.test(value)) return `"${value}" may hold only letters, digits and ._:@/*+- (1 to 200 of them)`;
  if (parameter.pattern && !new RegExp(`^(?:${parameter.pattern})$`).test(value)) return `"${value}" does not match ${parameter.pattern}`;
  return undefined;
}
