import type { AlertRecord } from '@firedrill/chaos';
import { exitCodes, type Command } from '../cli/command.ts';
import { progress, result } from '../cli/output.ts';
import { runningLab } from '../cli/running-lab.ts';

/** `lab alerts`: every alert Alertmanager reported to the lab, when it fired and resolved. */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'alerts the lab has seen: when each fired and resolved (newest first)',
  usage: 'lab alerts [--json] [--firing]',
  options: { json: { type: 'boolean' }, firing: { type: 'boolean' } },
  async run({ values, config }) {
    const lab = runningLab(config);
    if (!lab) return exitCodes.notRunning;
    const res = await fetch(`http://127.0.0.1:${lab.ports.chaos}/api/alerts`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) {
      progress(`lab: the lab's alert record answered ${res.status}`);
      return exitCodes.failed;
    }
    const alerts = ((await res.json()) as { alerts: AlertRecord[] }).alerts.filter((a) => !values.firing || a.status === 'firing');
    if (values.json) {
      result(JSON.stringify({ alerts }, null, 2));
      return exitCodes.ok;
    }
    if (alerts.length === 0) {
      result(values.firing ? 'no alert is firing' : 'no alert has fired yet');
      return exitCodes.ok;
    }
    const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
    result(`${'STATE'.padEnd(9)}${'SEVERITY'.padEnd(10)}${'ALERT'.padEnd(30)}${'FIRED'.padEnd(22)}${'RESOLVED'.padEnd(22)}SUMMARY`);
    for (const a of alerts) {
      result(
        `${a.status.padEnd(9)}${(a.severity ?? '-').padEnd(10)}${a.alertname.padEnd(30)}${time(a.firedAt).padEnd(22)}${time(a.resolvedAt).padEnd(22)}${a.summary ?? ''}`,
      );
    }
    return exitCodes.ok;
  },
};
