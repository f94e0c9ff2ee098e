import { teamNamePattern } from './team-name.ts';
/**
 * Scopes a PromQL query written for one shop to one team's shop (a class, docs/decisions/0015):
 * `team="<team>"` is added to every vector selector — a metric name, with or without `{…}`, or a
 * bare `{…}` — and to nothing else (functions, aggregations, keywords, the label lists of
 * `by`/`without`/`on`/`ignoring`/`group_left`/`group_right`, strings, numbers, durations, ranges).
 *
 * It is for the queries the lab writes itself (dashboard panels, scenario probes). A trainee's own
 * queries are scoped at the edge by prom-label-proxy instead.
 *
 * A small tokenizer, not a full parser: PromQL's selectors are recognisable from the tokens
 * around them. Known limit: a metric named like an aggregation (`sum`, `count`, …) is read as the
 * aggregation; the lab has none.
 */

const aggregations = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** Keywords followed by a list of label names, never selectors. */
const labelListKeywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const otherKeywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

export class PromqlTeamError extends Error {
  override name = 'PromqlTeamError';
}

export function withTeamMatcher(query: string, team: string): string {
  if (!teamNamePattern.test(team)) throw new PromqlTeamError(`"${team}" is not a team name`);
  return withTeamSelector(query, `team="${team}"`);
}

/**
 * The same scoping with any matcher on `team`: the Grafana dashboards add `team=~"$team|"` (their
 * template variable) to every selector this way (grafana/src/promql.ts), so a panel is scoped as a
 * scenario probe is, by one injector.
 */
export function withTeamSelector(query: string, matcher: string): string {
  if (!/^team\s*(=|!=|=~|!~)\s*"[^"\\]*"$/.test(matcher)) throw new PromqlTeamError(`${matcher} is not one matcher on team`);
  let out = '';
  let i = 0;
  const n = query.length;

  const isIdentStart = (c: string) => /[A-Za-z_:]/.test(c);
  const isIdent = (c: string) => /[A-Za-z0-9_:]/.test(c);
  /** Index just past the string literal starting at `start` (', " or `). */
  const endOfString = (start: number): number => {
    const quote = query[start]!;
    let j = start + 1;
    while (j < n && query[j] !== quote) j += query[j] === '\\' && quote !== '`' ? 2 : 1;
    if (j >= n) throw new PromqlTeamError(`unterminated string at ${start} in: ${query}`);
    return j + 1;
  };
  /** Index of the character closing the group opened at `start` (`{`→`}`, `(`→`)`, `[`→`]`), strings skipped. */
  const endOfGroup = (start: number, close: string): number => {
    let j = start + 1;
    while (j < n && query[j] !== close) j = /['"`]/.test(query[j]!) ? endOfString(j) : j + 1;
    if (j >= n) throw new PromqlTeamError(`no "${close}" closes position ${start} in: ${query}`);
    return j;
  };
  const skipSpace = (from: number): number => {
    let j = from;
    while (j < n && /\s/.test(query[j]!)) j++;
    return j;
  };
  /** `{a="b", c=~"d"}` (inside of the braces) with the team matcher added, checking any team matcher already there. */
  const scopeMatchers = (inside: string): string => {
    const existing = matchersOf(inside).find((m) => m.name === 'team');
    if (existing) {
      if (existing.text.replace(/\s+/g, '') === matcher) return inside;
      throw new PromqlTeamError(`the query already selects ${existing.text.trim()}, not ${matcher}: ${query}`);
    }
    return inside.trim() === '' ? matcher : `${inside.replace(/,\s*$/, '')}, ${matcher}`;
  };
  const matchersOf = (inside: string): { name: string; text: string }[] => {
    const found: { name: string; text: string }[] = [];
    let start = 0;
    let j = 0;
    while (j <= inside.length) {
      if (j === inside.length || inside[j] === ',') {
        const text = inside.slice(start, j);
        const name = /^\s*"?([A-Za-z_][A-Za-z0-9_.]*)"?\s*(=|!=|=~|!~)/.exec(text)?.[1];
        if (name) found.push({ name, text });
        start = j + 1;
        j++;
      } else if (/['"`]/.test(inside[j]!)) {
        const quote = inside[j]!;
        j++;
        while (j < inside.length && inside[j] !== quote) j += inside[j] === '\\' ? 2 : 1;
        j++;
      } else j++;
    }
    return found;
  };

  while (i < n) {
    const c = query[i]!;
    if (/['"`]/.test(c)) {
      const end = endOfString(i);
      out += query.slice(i, end);
      i = end;
    } else if (c === '#') {
      const end = query.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += query.slice(i, stop);
      i = stop;
    } else if (c === '[') {
      // A range or a subquery's range: durations only.
      const end = endOfGroup(i, ']');
      out += query.slice(i, end + 1);
      i = end + 1;
    } else if (c === '{') {
      // A selector of matchers only: {__name__="x"}.
      const end = endOfGroup(i, '}');
      out += `{${scopeMatchers(query.slice(i + 1, end))}}`;
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(query[i + 1] ?? ''))) {
      // A number or a duration (offset 5m): letters and digits that belong to it.
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(query[j]!)) j++;
      out += query.slice(i, j);
      i = j;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdent(query[j]!)) j++;
      const word = query.slice(i, j);
      const next = skipSpace(j);
      const lower = word.toLowerCase();
      if (labelListKeywords.has(lower)) {
        // by (service, le): copied as it is (a bare `group_left` has no list).
        if (query[next] === '(') {
          const end = endOfGroup(next, ')');
          out += query.slice(i, end + 1);
          i = end + 1;
        } else {
          out += word;
          i = j;
        }
      } else if (aggregations.has(lower) || otherKeywords.has(lower) || query[next] === '(') {
        // An aggregation, a keyword, or a function call: its arguments are read on their own.
        out += word;
        i = j;
      } else if (query[next] === '{') {
        const end = endOfGroup(next, '}');
        out += `${word}{${scopeMatchers(query.slice(next + 1, end))}}`;
        i = end + 1;
      } else {
        out += `${word}{${matcher}}`;
        i = j;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
