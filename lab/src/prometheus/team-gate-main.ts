import { readBasicCredentials } from '@firedrill/kit';
import { startTeamGate } from './team-gate.ts';

/** The lab runs one gate per team: HOST, PORT, UPSTREAM (the team's prom-label-proxy), PROMETHEUS_CREDENTIALS_FILE. */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`prometheus-team-gate: ${name} is required`);
  return value;
};

await startTeamGate({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(required('PORT')),
  upstream: required('UPSTREAM'),
  credentials: readBasicCredentials(required('PROMETHEUS_CREDENTIALS_FILE')),
});
console.log(JSON.stringify({ level: 'info', msg: `prometheus-team-gate listening on ${process.env.PORT}, upstream ${process.env.UPSTREAM}` }));
