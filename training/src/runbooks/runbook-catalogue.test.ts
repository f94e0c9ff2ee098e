import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunbook, listRunbooks } from './runbook-catalogue.ts';

describe('the runbooks a responder reads (GET /api/runbooks)', () => {
  it('when the committed runbooks are listed, then the executable runbooks, the runbook pages and the playbook are there with titles and summaries', () => {
    const list = listRunbooks();
    const byId = new Map(list.map((r) => [r.id, r]));
    expect(byId.get('api-rollback')).toEqual({
      id: 'api-rollback',
      source: 'executable',
      title: 'Roll back the api release whose memory climbs until it restarts',
      summary: expect.any(String),
    });
    expect(byId.get('availability')?.source).toBe('runbook-page');
    expect(byId.get('availability')?.title).toMatch(/^Availability/);
    expect(byId.get('playbook')?.title).toBe('The response playbook');
    expect(byId.get('playbook-escalation')?.source).toBe('playbook');
    expect(byId.get('playbook')?.summary).toMatch(/^What a team does from the page to the resolution/);
    expect(new Set(list.map((r) => r.id)).size).toBe(list.length);
    for (const { id } of list) expect(id).toMatch(/^[a-z0-9][a-z0-9-]{0,79}$/);
  });

  it('when an executable runbook is opened, then its steps say what each does and the section of its page that names it comes with it', () => {
    const runbook = findRunbook('api-rollback');
    expect(runbook?.kind).toBe('remediation');
    expect(runbook?.steps[0]).toMatchObject({ name: 'roll back the api', action: 'lever', text: 'rollback api' });
    expect(runbook?.steps[0]?.verify).toContain('/api/health/ready');
    expect(runbook?.section).toMatchObject({ page: 'availability', heading: 'Levers' });
    expect(runbook?.section?.markdown).toContain('api-rollback');
    expect(runbook?.markdown).toBeNull();
  });

  it("when a page is opened, then it is the page's markdown, with no steps", () => {
    const page = findRunbook('payments');
    expect(page?.source).toBe('runbook-page');
    expect(page?.markdown).toMatch(/^# /);
    expect(page?.steps).toEqual([]);
  });

  it('when an id names nothing, or a runbook file is broken, then there is no such runbook and the list goes on without the broken one', () => {
    expect(findRunbook('no-such-runbook')).toBeUndefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'runbooks-'));
    const runbooksDir = path.join(dir, 'runbooks');
    mkdirSync(runbooksDir);
    writeFileSync(path.join(runbooksDir, 'broken.runbook.yaml'), 'name: broken\nsteps: nope\n');
    writeFileSync(path.join(runbooksDir, 'disk.md'), '# Disk full\n\nWhen the disk fills.\n\n## Levers\nRun `disk-clean`.\n');
    const dirs = { runbooksDir, playbookDir: path.join(dir, 'absent') };
    expect(listRunbooks(dirs)).toEqual([{ id: 'disk', source: 'runbook-page', title: 'Disk full', summary: 'When the disk fills.' }]);
    expect(findRunbook('broken', dirs)).toBeUndefined();
  });
});
