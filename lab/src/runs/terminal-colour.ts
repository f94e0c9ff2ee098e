import { styleText } from 'node:util';

export type Colour = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';

/**
 * Colour only for a person at a terminal: never into a pipe or file, never when NO_COLOR is set
 * (no-color.org: any non-empty value), never on a dumb terminal. Pure, so the rule is tested.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

/** `text` in a colour when colour is on, unchanged otherwise. The caller decided (colourEnabled). */
export function paint(colour: Colour, text: string, enabled: boolean): string {
  // validateStream: false: whether to colour was decided above, for the stream actually written to.
  return enabled ? styleText(colour, text, { validateStream: false }) : text;
}
