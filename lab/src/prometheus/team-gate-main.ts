import { readBasicCredentials, readToken } from '@firedrill/kit';
import { z } from 'zod';
import { startTeamGates } from './team-gate.ts';

/**
 * The lab runs every team's gate in this one process (lab/src/topology/team-prometheus-processes.ts):
 * HOST, PROMETHEUS_CREDENTIALS_FILE, and TEAM_GATES, a JSON list of
 * {team, port, upstream (the team's prom-label-proxy), tokenFile (0600, the team's token)}.
 */
const gatesSchema = z
  .array(
    z.object({
      team: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      upstream: z.url(),
      tokenFile: z.string().min(1),
    }),
  )
  .min(1);

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`prometheus-team-gate: ${name} is required`);
  return value;
};

const gates = gatesSchema.parse(JSON.parse(required('TEAM_GATES')));
await startTeamGates({
  host: process.env.HOST ?? '127.0.0.1',
  gates: gates.map(({ tokenFile, ...gate }) => ({ ...gate, token: readToken(tokenFile) })),
  credentials: readBasicCredentials(required('PROMETHEUS_CREDENTIALS_FILE')),
});
for (const gate of gates)
  console.log(JSON.stringify({ level: 'info', msg: `prometheus-team-gate for team ${gate.team} listening on ${gate.port}, upstream ${gate.upstream}` }));
