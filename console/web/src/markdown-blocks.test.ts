import { describe, expect, it } from 'vitest';
import { inlineParts, markdownBlocks } from './markdown-blocks.ts';

describe('the runbooks panel reading Markdown', () => {
  it('when a runbook page is read, then headings, paragraphs, lists, code and tables come out as blocks of text', () => {
    const page = [
      '# Availability',
      '',
      'What it means when',
      'the api is down.',
      '',
      '## How to confirm',
      '1. `npx lab status` — is it running?',
      '2. curl it',
      '   and read the answer',
      '- **Process down**: restart it',
      '',
      '```sh',
      'npx lab restart api',
      '```',
      '| alert | page |',
      '|---|---|',
      '<script>alert(1)</script>',
    ].join('\n');
    expect(markdownBlocks(page)).toEqual([
      { type: 'heading', level: 1, text: 'Availability' },
      { type: 'paragraph', text: 'What it means when the api is down.' },
      { type: 'heading', level: 2, text: 'How to confirm' },
      { type: 'list', ordered: true, items: ['`npx lab status` — is it running?', 'curl it and read the answer', '**Process down**: restart it'] },
      { type: 'code', text: 'npx lab restart api' },
      { type: 'table', text: '| alert | page |\n|---|---|' },
      // Only ever text: the page puts it in a text node.
      { type: 'paragraph', text: '<script>alert(1)</script>' },
    ]);
  });

  it('when a line has code, strong text and links, then they are parts, and a link is its text', () => {
    expect(inlineParts('Run `lab status`, see **database** and [redis](redis.md).')).toEqual([
      { type: 'text', text: 'Run ' },
      { type: 'code', text: 'lab status' },
      { type: 'text', text: ', see ' },
      { type: 'strong', text: 'database' },
      { type: 'text', text: ' and ' },
      { type: 'text', text: 'redis' },
      { type: 'text', text: '.' },
    ]);
    expect(inlineParts('plain')).toEqual([{ type: 'text', text: 'plain' }]);
  });
});
