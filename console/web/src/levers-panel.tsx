import { useState } from 'preact/hooks';
import { api } from './api.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { FlagFields } from './flag-fields.tsx';
import { leverBody } from './team-scope.ts';

const services = ['api', 'payments', 'worker'] as const;

/** One lever the page offers: how the training API names it, and what it will do, for the confirmation. */
interface LeverChoice {
  kind: string;
  label: string;
  /** The fields the lever needs beyond its kind. */
  needs: 'service' | 'count' | 'flag' | 'job' | 'nothing';
  text: (args: LeverArgs) => string;
  what: (args: LeverArgs) => string;
}

interface LeverArgs {
  service: string;
  count: string;
  flag: string;
  value: string;
  job: string;
}

/** The trainee's levers (POST /api/levers takes them as scenario files write them). */
const levers: readonly LeverChoice[] = [
  {
    kind: 'restart',
    label: 'Restart a service',
    needs: 'service',
    text: (a) => `restart ${a.service}`,
    what: (a) => `Stops ${a.service}'s process and starts it again: requests in flight to it fail and it answers nothing for a few seconds.`,
  },
  {
    kind: 'rollback',
    label: 'Roll back a release',
    needs: 'service',
    text: (a) => `rollback ${a.service}`,
    what: (a) => `Deploys ${a.service}'s previous release: whatever the current release changed is undone, and ${a.service} restarts on the old version.`,
  },
  {
    kind: 'failover',
    label: 'Fail payments over',
    needs: 'nothing',
    text: () => 'failover payments',
    what: () => 'Sets payments.secondary-gateway on: payments sends every charge to its standby gateway from now on.',
  },
  {
    kind: 'scale',
    label: 'Scale the worker',
    needs: 'count',
    text: (a) => `scale worker ${a.count}`,
    what: (a) => `Runs ${a.count} worker process${a.count === '1' ? '' : 'es'} on the fulfilment queue (more drain a backlog faster, and load Postgres more).`,
  },
  {
    kind: 'flag',
    label: 'Set a feature flag',
    needs: 'flag',
    text: (a) => `flag ${a.flag} ${a.value}`,
    what: (a) => `Sets the flag ${a.flag} to ${a.value}: the services pick it up within seconds.`,
  },
  {
    kind: 'dead-letter',
    label: 'Dead-letter a job',
    needs: 'job',
    text: (a) => `dead-letter ${a.job}`,
    what: (a) => `Moves job ${a.job} out of the fulfilment queue to the dead-letter queue: it will not be retried (that order is not fulfilled).`,
  },
];

/** The levers, each behind a confirmation that says what it will do; `team`: whose shop (the instructor's pick in a class). */
export function LeversPanel(props: { report: (message: string) => void; team?: string | null }) {
  const [kind, setKind] = useState(levers[0]!.kind);
  const [args, setArgs] = useState<LeverArgs>({ service: 'api', count: '2', flag: '', value: 'true', job: '' });
  const lever = levers.find((l) => l.kind === kind)!;
  const set = (name: keyof LeverArgs) => (event: Event) => setArgs({ ...args, [name]: (event.currentTarget as HTMLInputElement).value });
  const ready = lever.needs === 'flag' ? args.flag !== '' && args.value !== '' : lever.needs === 'job' ? args.job !== '' : true;
  const pull = () =>
    api<{ summary?: string }>('POST', '/api/levers', leverBody(lever.text(args), props.team)).then(
      (outcome) => props.report(`${lever.text(args)}: ${outcome?.summary ?? 'done'}`),
      (err: Error) => props.report(`${lever.text(args)}: ${err.message}`),
    );
  return (
    <section aria-labelledby="levers">
      <h2 id="levers">Levers</h2>
      <label for="lever-kind">Lever</label>
      <select id="lever-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}>
        {levers.map((l) => (
          <option key={l.kind} value={l.kind}>
            {l.label}
          </option>
        ))}
      </select>
      {lever.needs === 'service' && (
        <>
          <label for="lever-service">Service</label>
          <select id="lever-service" value={args.service} onChange={set('service')}>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </>
      )}
      {lever.needs === 'count' && (
        <>
          <label for="lever-count">Worker processes</label>
          <input id="lever-count" type="number" min={1} max={8} value={args.count} onInput={set('count')} />
        </>
      )}
      {lever.needs === 'flag' && (
        <FlagFields flag={args.flag} value={args.value} team={props.team ?? null} onChange={(flag, value) => setArgs({ ...args, flag, value })} />
      )}
      {lever.needs === 'job' && (
        <>
          <label for="lever-job">Job id</label>
          <input id="lever-job" value={args.job} onInput={set('job')} />
        </>
      )}
      <ConfirmButton label={`Pull: ${lever.text(args)}`} what={lever.what(args)} confirmLabel="Pull the lever" disabled={!ready} onConfirm={pull} />
    </section>
  );
}
