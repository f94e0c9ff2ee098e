import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateKinds } from './incident-events.ts';
import { updateTemplates, updateTemplatesMarkdown } from './update-templates.ts';

const playbook = path.join(import.meta.dirname, '..', '..', '..', 'docs', 'playbook', 'communication-templates.md');

describe('the status-update templates', () => {
  it('when a template is read, then there is one per update kind, each naming the impact, the current status and the next update', () => {
    expect(Object.keys(updateTemplates).sort()).toEqual([...updateKinds].sort());
    for (const template of Object.values(updateTemplates)) {
      expect(template.text).toMatch(/^Impact: /m);
      expect(template.text).toMatch(/^Current status: /m);
      expect(template.text).toMatch(/^Next update: /m);
    }
  });

  it("when the playbook's communication templates are read, then they are the templates of update-templates.ts, word for word", () => {
    const text = readFileSync(playbook, 'utf8');
    const block = /<!-- templates:begin[^>]*-->\n([\s\S]*?)\n<!-- templates:end -->/.exec(text)?.[1];
    expect(block, 'docs/playbook/communication-templates.md needs its templates:begin / templates:end block').toBeDefined();
    // On a change, paste updateTemplatesMarkdown()'s output between the two markers.
    expect(block).toBe(updateTemplatesMarkdown());
  });
});
