import type { z } from 'zod';

/** One thing wrong with a scenario file, placed where an editor can jump to it. */
export interface ScenarioProblem {
  file: string;
  line: number;
  /** Dotted path of the field, e.g. "timeline.0.fault.ms"; empty for the file as a whole. */
  field: string;
  message: string;
}

export function formatProblem({ file, line, field, message }: ScenarioProblem): string {
  return `${file}:${line}: ${field ? `${field}: ` : ''}${message}`;
}

/** Every problem of one or more scenario files, one "file:line: field: message" line each. */
export class ScenarioError extends Error {
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** zod's issue → a sentence that reads after "field: ", for someone editing YAML rather than code. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${plural(limit, 'item')}`;
      if (issue.origin === 'string') return `must be at most ${plural(limit, 'character')}`;
      return issue.inclusive === false ? `must be less than ${limit}` : `must be at most ${limit}`;
    }
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'array') return `must have at least ${plural(limit, 'item')}`;
      if (issue.origin === 'string') return limit === 1 ? 'must not be empty' : `must be at least ${plural(limit, 'character')}`;
      return issue.inclusive === false ? `must be more than ${limit}` : `must be at least ${limit}`;
    }
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return 'is required';
      return `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected === 'object' ? 'mapping' : issue.expected === 'array' ? 'list' : issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) return `must be one of ${issue.options.join(', ')}`;
      return 'does not match any allowed form';
    case 'unrecognized_keys':
      return 'unknown field';
    default:
      return issue.message;
  }
}
