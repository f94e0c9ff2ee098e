import { describe, expect, it } from 'vitest';
import { runnableFromPage } from './runbook-types.ts';

const step = (action: 'lever' | 'command' | 'probe', text: string) => ({ name: 's', description: null, action, text, verify: null, rollback: null });

describe('runbook steps the page can run', () => {
  it('when a step is a lever with every value written, then the page can run it; a command, a probe or a lever with a {{parameter}} is the CLI’s', () => {
    expect(runnableFromPage(step('lever', 'rollback payments'))).toBe(true);
    expect(runnableFromPage(step('lever', 'rollback {{service}}'))).toBe(false);
    expect(runnableFromPage(step('command', 'curl -sf localhost:7400/api/health/ready'))).toBe(false);
    expect(runnableFromPage(step('probe', '{"promql":"up"}'))).toBe(false);
  });
});
