import { describe, expect, it } from 'vitest';
import { colourEnabled, paint } from './terminal-colour.ts';

describe('colour in the terminal', () => {
  it('when stdout is a terminal and nothing says otherwise, then colour is on', () => {
    expect(colourEnabled({ isTTY: true }, { TERM: 'xterm-256color' })).toBe(true);
  });

  it('when stdout is a pipe or a file, then colour is off', () => {
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
  });

  it('when NO_COLOR is set to anything but empty, or the terminal is dumb, then colour is off', () => {
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('when colour is off, then text is left exactly as it was', () => {
    expect(paint('red', 'ApiHighLatencyP95', false)).toBe('ApiHighLatencyP95');
    expect(paint('red', 'ApiHighLatencyP95', true)).toBe('\x1b[31mApiHighLatencyP95\x1b[39m');
  });
});
