import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { which } from '@firedrill/lab-infra';
import { renderAlertmanagerConfig } from './alertmanager-config.ts';

describe('renderAlertmanagerConfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'am-config-'));
  const tokenFile = path.join(dir, 'alerts-token');
  writeFileSync(tokenFile, 'x'.repeat(43));
  const text = renderAlertmanagerConfig({ webhookUrl: 'http://127.0.0.1:7403/api/alerts/webhook', tokenFile });

  it('when rendered, then amtool accepts it', () => {
    const amtool = which('amtool', ['/usr/bin']);
    expect(amtool, 'amtool (Debian package prometheus-alertmanager) is needed; run `npx lab setup`').toBeDefined();
    const file = path.join(dir, 'alertmanager.yml');
    writeFileSync(file, text);
    expect(execFileSync(amtool!, ['check-config', file], { encoding: 'utf8' })).toContain('SUCCESS');
  });

  it('when an alert has a severity, then it is routed to that severity, and every receiver reports to the lab with the alerts token', () => {
    const config = parse(text);
    expect(config.route.routes.map((r: { receiver: string; matchers: string[] }) => [r.receiver, r.matchers[0]])).toEqual([
      ['lab-page', 'severity="page"'],
      ['lab-ticket', 'severity="ticket"'],
    ]);
    for (const receiver of config.receivers) {
      expect(receiver.webhook_configs[0]).toMatchObject({
        url: 'http://127.0.0.1:7403/api/alerts/webhook',
        send_resolved: true,
        http_config: { authorization: { credentials_file: tokenFile } },
      });
    }
  });
});
