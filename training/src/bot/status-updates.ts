import { updateTemplates } from '../incidents/update-templates.ts';

/**
 * The bot's status updates: the playbook's templates (incidents/update-templates.ts) filled in from
 * what it saw, and when the next one is due. Pure, so the cadence and the wording are unit-tested.
 *
 * Cadence: the first update goes out as soon as the incident is declared (the template asks for
 * one within 5 minutes); each update promises the next in `promisedMinutes`, and the bot posts it
 * `marginMs` before that promise runs out, so a slow round or a clock a little apart from the
 * lab's never breaks it.
 */
export const promisedMinutes = 5;
export const marginMs = 60_000;

export interface PostedUpdate {
  /** When the bot posted it (its own clock; the lab stamps the event with its own). */
  at: number;
  nextUpdateMinutes: number | null;
}

/** Whether an update is due now: none yet, or the last one's promise is about to run out. */
export function updateDue(last: PostedUpdate | undefined, now: number): boolean {
  if (!last) return true;
  if (last.nextUpdateMinutes === null) return false;
  return now >= last.at + last.nextUpdateMinutes * 60_000 - marginMs;
}

export interface UpdateFacts {
  /** The commander's name (the bot's actor name). */
  commander: string;
  /** The title: what customers notice. */
  title: string;
  /** Who is affected and how much, now. */
  impact: string;
  /** What changed since the last update (update and resolution kinds). */
  progress?: string | undefined;
  /** investigating | identified | mitigating | monitoring (update kind). */
  status?: string | undefined;
  /** For the resolution: when the review will be shared (YYYY-MM-DD). */
  reviewBy?: string | undefined;
}

export interface StatusUpdate {
  kind: 'ack' | 'update' | 'resolution';
  text: string;
  impact: string;
  nextUpdateMinutes: number | undefined;
}

export function composeUpdate(kind: StatusUpdate['kind'], facts: UpdateFacts): StatusUpdate {
  const values: Record<StatusUpdate['kind'], string[]> = {
    ack: [facts.title.toLowerCase(), facts.impact, facts.commander, String(promisedMinutes)],
    update: [facts.progress ?? 'Still investigating', facts.impact, facts.status ?? 'investigating', String(promisedMinutes)],
    resolution: [facts.progress ?? 'the shop is back to normal', facts.impact, facts.reviewBy ?? 'the end of the week'],
  };
  return {
    kind,
    text: fillTemplate(updateTemplates[kind].text, values[kind]),
    impact: facts.impact,
    nextUpdateMinutes: kind === 'resolution' ? undefined : promisedMinutes,
  };
}

/** The template with its <placeholders> replaced in order; a placeholder without a value keeps its example. */
export function fillTemplate(template: string, values: readonly string[]): string {
  let index = 0;
  return template.replace(/<([^>]*)>/g, (_match, example: string) => {
    const value = values[index++];
    if (value !== undefined) return value;
    return example.replace(/^e\.g\.\s*/, '');
  });
}
