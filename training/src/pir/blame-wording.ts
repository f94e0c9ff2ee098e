import { shopVocabularyWords } from './system-words.ts';

/**
 * The blameless-wording rules of PagerDuty's "effective post-mortems" (reference (c)): people's
 * names next to blame verbs, "human error", and hindsight ("if X had …, it would not have …").
 * They read prose only (see proseLines: code, comments and quoted commands are blanked out first).
 *
 * Decisions a trainer may question:
 * - "human error" is reported even when negated ("no human error was involved"): the phrase frames
 *   the review around people, and a negation is the easiest way to slip it past a keyword check.
 * - A blame verb next to a system is fine ("the deploy caused the latency"); next to a person it is
 *   not ("Alice's deploy caused …", "caused by Bob", "the on-call engineer forgot to …").
 * - A person is: a responder's name (an input, plus the names in the review's own Responders
 *   section), a capitalised word right before the verb or after "by" that is not a word of the
 *   shop's systems or an ordinary sentence opener, any capitalised possessive ("Alice's"), a
 *   personal pronoun (I, he, she), or a word for a person (someone, engineer, operator, intern …).
 * - "should have" / "could have been avoided" count as hindsight on their own, whoever the subject.
 */

export interface WordingFinding {
  rule: 'blame-name' | 'human-error' | 'hindsight';
  /** 1-based. */
  line: number;
  message: string;
}

/** Verbs (and verb phrases) that assign fault when a person is their subject or agent. */
const blameVerbs = [
  'caused',
  'causes',
  'broke',
  'breaks',
  'broken',
  'forgot',
  'forgotten',
  'forgets',
  'failed to',
  'fails to',
  'should have',
  "should've",
  "shouldn't have",
  'should not have',
  'messed up',
  'screwed up',
  'neglected',
  'ignored',
  'overlooked',
  'missed',
  'blundered',
  'botched',
  'dropped the ball',
  'was careless',
  'was negligent',
  'made a mistake',
  'mistakenly',
  'carelessly',
  "didn't bother",
  'did not bother',
  'fault',
  'blame',
  'blamed',
  'to blame',
];

const personWords = [
  'someone',
  'somebody',
  'engineer',
  'developer',
  'dev',
  'operator',
  'intern',
  'on-call',
  'oncall',
  'on call',
  'trainee',
  'admin',
  'sysadmin',
  'commander',
  'responder',
  'team member',
  'colleague',
  'newbie',
  'junior',
];
const pronouns = ['I', 'he', 'she', 'He', 'She', 'him', 'her', 'his', 'His', 'Her'];

/** Capitalised words that open sentences or name things, never people. */
const notNames = new Set(
  [
    'the',
    'a',
    'an',
    'this',
    'that',
    'these',
    'those',
    'it',
    'its',
    'we',
    'our',
    'they',
    'their',
    'there',
    'what',
    'which',
    'when',
    'then',
    'who',
    'nothing',
    'no',
    'one',
    'each',
    'every',
    'all',
    'some',
    'if',
    'also',
    'and',
    'but',
    'because',
    'since',
    'after',
    'before',
    'while',
    'meanwhile',
    'later',
    'here',
    'p0',
    'p1',
    'p2',
    'p3',
    'utc',
    'sev',
    ...shopVocabularyWords,
  ].map((w) => w.toLowerCase()),
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const verbPattern = new RegExp(`\\b(${blameVerbs.map((v) => escapeRegExp(v).replace(/ /g, '\\s+')).join('|')})\\b`, 'gi');
const personPattern = new RegExp(`\\b(${personWords.map((w) => escapeRegExp(w).replace(/ /g, '\\s+')).join('|')})s?\\b`, 'i');
// Only between spaces: the "I" of "I/O" is not a person.
const pronounPattern = new RegExp(`(?:^|\\s)(${pronouns.join('|')})(?=\\s|$)`);

/** A run of prose that reads as one text: a paragraph, a list item or a table row. */
interface ProseUnit {
  text: string;
  /** Offsets in `text` where each source line starts, with its 0-based line index. */
  starts: Array<{ offset: number; index: number }>;
}

function proseUnits(prose: readonly string[]): ProseUnit[] {
  const units: ProseUnit[] = [];
  let current: ProseUnit | undefined;
  const flush = () => {
    if (current?.text.trim()) units.push(current);
    current = undefined;
  };
  prose.forEach((line, index) => {
    const trimmed = line.trim();
    const standsAlone = /^#{1,6}\s/.test(trimmed) || trimmed.startsWith('|');
    const startsItem = /^([-*+]|\d+[.)])\s/.test(trimmed);
    if (trimmed === '' || standsAlone || startsItem) flush();
    if (trimmed === '') return;
    current ??= { text: '', starts: [] };
    current.starts.push({ offset: current.text.length, index });
    // Table cells are separate thoughts: a pipe ends a sentence as a full stop would.
    current.text += `${standsAlone && trimmed.startsWith('|') ? line.replaceAll('|', '.') : line} `;
    if (standsAlone) flush();
  });
  flush();
  return units;
}

const lineAt = (unit: ProseUnit, offset: number) => (unit.starts.findLast((s) => s.offset <= offset) ?? unit.starts[0]!).index + 1;

/** Sentences of a unit with their start offsets. */
function sentences(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const pattern = /[^.!?;:]+[.!?;:]*/g;
  for (const match of text.matchAll(pattern)) out.push({ text: match[0], offset: match.index });
  return out;
}

/**
 * Whether `word` (as written) reads as a person's name: capitalised, as prose writes names, and not
 * a system word or a sentence opener. Lower-case words never do, so a responder called "will" or
 * "may" does not turn every "will" into a name.
 */
function looksLikeName(word: string): boolean {
  const bare = word.replace(/['’]s$/, '');
  return /^\p{Lu}[\p{Ll}'’-]*(?:\p{Lu}[\p{Ll}'’-]*)?$/u.test(bare) && !notNames.has(bare.toLowerCase());
}

/** A name in a sentence before the verb (within a few words), or after "by" right after the verb. */
function personNear(sentence: string, verbStart: number, verbEnd: number, names: ReadonlySet<string>): string | undefined {
  const before = sentence.slice(0, verbStart);
  const after = sentence.slice(verbEnd);
  const wordsBefore = [...before.matchAll(/[\p{L}][\p{L}'’-]*/gu)].map((m) => m[0]).slice(-5);
  // Any responder's name or a possessive name ("Alice's deploy") a few words before the verb.
  for (const word of wordsBefore) {
    const bare = word.replace(/['’]s$/, '');
    if (names.has(bare.toLowerCase()) && looksLikeName(word)) return bare;
    if (/['’]s$/.test(word) && looksLikeName(word)) return bare;
  }
  // A capitalised name right before the verb ("Bob forgot to …"), or a pronoun / word for a person.
  const last = wordsBefore.at(-1);
  if (last && looksLikeName(last)) return last;
  const pronoun = pronounPattern.exec(before.split(/\s+/).slice(-4).join(' '));
  if (pronoun) return pronoun[1];
  const person = personPattern.exec(wordsBefore.join(' '));
  if (person) return person[1];
  // The agent of a passive: "caused by Bob", "broken by the on-call engineer".
  const agent = /^\s*(?:\w+\s+){0,2}?by\s+(?:the\s+|a\s+|an\s+)?([\p{L}][\p{L}'’-]*(?:\s+[\p{L}][\p{L}'’-]*)?)/u.exec(after);
  if (agent) {
    const [first = '', second = ''] = agent[1]!.split(/\s+/);
    if (looksLikeName(first)) return first.replace(/['’]s$/, '');
    const personHere = personPattern.exec(`${first} ${second}`);
    if (personHere) return personHere[1];
  }
  return undefined;
}

const hindsightPatterns: Array<{ pattern: RegExp; message: string }> = [
  {
    pattern: /\bif\b[^.!?]{0,160}?\bhad(?:n['’]t| not)?\b[^.!?]{0,200}?\b(?:would|could|might)(?:n['’]t| not)?\s+have\b/i,
    message: 'hindsight: "if … had …, … would have" judges the past by what is known now; say what happened and what made it likely',
  },
  {
    pattern: /\b(?:should|ought to)(?:n['’]t| not)?\s+have\b|\bshould['’]ve\b/i,
    message: 'hindsight: "should have" is counterfactual; say what happened and make the change an action item',
  },
  {
    pattern: /\bcould have been (?:avoided|prevented)\b|\b(?:was|were) (?:easily )?(?:avoidable|preventable)\b/i,
    message: 'hindsight: "could have been avoided" judges the past; name what would make it less likely as an action item',
  },
];

/**
 * The wording findings of a review's prose lines. `names`: the responders' names, compared case
 * insensitively but matched in prose only when written capitalised ("ada" matches "Ada").
 */
export function wordingFindings(prose: readonly string[], names: Iterable<string>): WordingFinding[] {
  // A name that is also an ordinary word of a sentence ("the", "api") would make every sentence a person's.
  const known = new Set([...names].map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 2 && !notNames.has(n)));
  const findings: WordingFinding[] = [];
  for (const unit of proseUnits(prose)) {
    for (const phrase of unit.text.matchAll(/\b(?:human|operator|user|pilot|people)[\s-]+(?:error|errors|mistake|mistakes|failure)\b/gi)) {
      findings.push({
        rule: 'human-error',
        line: lineAt(unit, phrase.index),
        message: `"${phrase[0]}" (even negated) puts people at the centre; describe what the system allowed or made easy instead`,
      });
    }
    for (const sentence of sentences(unit.text)) {
      let blamed = false;
      for (const verb of sentence.text.matchAll(verbPattern)) {
        const person = personNear(sentence.text, verb.index, verb.index + verb[0].length, known);
        if (!person) continue;
        blamed = true;
        findings.push({
          rule: 'blame-name',
          line: lineAt(unit, sentence.offset + verb.index),
          message: `blame: "${person}" next to "${verb[0]}"; say what happened to the system, not who did it`,
        });
        break;
      }
      if (blamed) continue;
      for (const { pattern, message } of hindsightPatterns) {
        const match = pattern.exec(sentence.text);
        if (!match) continue;
        findings.push({ rule: 'hindsight', line: lineAt(unit, sentence.offset + match.index), message });
        break;
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
