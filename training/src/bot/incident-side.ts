import { causeCategoryFrom } from './cause-category.ts';
import type { Diagnosis } from './diagnose.ts';
import type { Observations } from './observations.ts';
import type { Pull } from './responder-policy.ts';
import { assessIncident, type Assessment } from './severity-rubric.ts';
import { composeUpdate, updateDue, type PostedUpdate, type StatusUpdate } from './status-updates.ts';
import type { IncidentCommandName, TraineeClients } from './trainee-clients.ts';

export interface IncidentSideDeps {
  clients: Pick<TraineeClients, 'incidentStatus' | 'incidentCommand'>;
  /** The bot's name: the roles it takes and the commander its updates name. */
  actorName: string;
  say: (line: string) => void;
  now?: () => number;
}

export interface IncidentRound {
  /** The bot's own view: a page or ticket alert of the run is firing (or was). */
  paged: boolean;
  obs: Observations;
  diagnosis: Diagnosis;
  /** The probes have held for a while: customers are no longer hurt. */
  holding: boolean;
  pulls: readonly Pull[];
  /** What the last runbook did, in a sentence, for the next update. */
  progress: string | undefined;
}

/**
 * The incident side of the bot, as the playbook's procedures go (docs/playbook/response-procedures.md):
 * acknowledge the page as soon as the lab pages, declare with a severity from the rubric, take the
 * incident commander and ops roles, post the acknowledgement update at once and an update before
 * each promise runs out, mark mitigated once the probes hold, and at the end resolve naming the
 * cause category that follows from what fixed it, then post the resolution update. A command the
 * lab refuses is logged and not retried: the next round carries on.
 */
export function incidentSide(deps: IncidentSideDeps) {
  const now = deps.now ?? Date.now;
  const state: {
    acked: boolean;
    /** The bot has seen alerts: from then on it looks for the lab's page each round until it acknowledged it. */
    alerted?: boolean;
    declared?: Assessment;
    lastUpdate?: PostedUpdate;
    mitigated: boolean;
    resolved: boolean;
  } = { acked: false, mitigated: false, resolved: false };

  const command = async (name: IncidentCommandName, body?: Record<string, unknown>): Promise<boolean> => {
    try {
      await deps.clients.incidentCommand(name, body);
      return true;
    } catch (err) {
      deps.say(`incident ${name} refused: ${(err as Error).message}`);
      return false;
    }
  };
  const post = async (update: StatusUpdate) => {
    const { kind, text, impact, nextUpdateMinutes } = update;
    if (await command('update', { kind, text, impact, ...(nextUpdateMinutes !== undefined && { nextUpdateMinutes }) }))
      deps.say(`status update (${kind}): ${text.split('\n')[0]}`);
    // Recorded even when refused, so a refused update is not posted again every round.
    state.lastUpdate = { at: now(), nextUpdateMinutes: nextUpdateMinutes ?? null };
  };
  const facts = (assessment: Assessment) => ({ commander: deps.actorName, title: assessment.title, impact: assessment.impact });

  return {
    async round(input: IncidentRound): Promise<void> {
      if (!state.acked && (input.paged || state.alerted)) {
        state.alerted = true;
        const status = await deps.clients.incidentStatus();
        if (status.acknowledged) state.acked = true;
        // The bot acknowledges the lab's page, as a trainee does: an alert it sees first (one the
        // scenario does not page for) is a reason to look and to declare, not a page to answer.
        else if (status.pages.length > 0) {
          state.acked = true;
          if (await command('ack')) deps.say(`acknowledged the page${status.pages[0] ? ` (${status.pages[0].alertname})` : ''}`);
        }
      }
      if (!input.paged) return;

      if (!state.declared) {
        const assessment = assessIncident(input.obs, input.diagnosis);
        state.declared = assessment;
        if (!(await command('declare', { title: assessment.title, severity: assessment.severity }))) return;
        deps.say(`declared "${assessment.title}" ${assessment.severity}`);
        for (const role of ['ic', 'ops']) await command('role', { role, trainee: deps.actorName });
        await post(composeUpdate('ack', facts(assessment)));
        return;
      }
      if (state.resolved) return;

      if (input.holding && input.pulls.length > 0 && !state.mitigated) {
        state.mitigated = true;
        if (await command('mitigated')) deps.say('marked the incident mitigated: the probes hold');
      }
      if (updateDue(state.lastUpdate, now())) {
        const seen =
          input.diagnosis.symptoms.length > 0
            ? assessIncident(input.obs, input.diagnosis).impact
            : 'customers are no longer affected as far as we can see; watching';
        await post(
          composeUpdate('update', {
            ...facts(state.declared),
            impact: seen,
            progress: input.progress ?? (input.pulls.length === 0 ? 'We are still finding the cause' : `We ran ${input.pulls.at(-1)?.lever}`),
            status: state.mitigated ? 'monitoring' : input.pulls.length > 0 ? 'mitigating' : 'investigating',
          }),
        );
      }
    },

    /** After the run ended: mitigated if not yet, resolve with the cause category, the resolution update. */
    async close(input: { pulls: readonly Pull[]; runState: string; progress: string | undefined; reviewBy: string }): Promise<{ declared: boolean }> {
      if (!state.declared || state.resolved) return { declared: state.declared !== undefined };
      if (!state.mitigated && input.runState === 'resolved') {
        state.mitigated = true;
        await command('mitigated');
      }
      const category = causeCategoryFrom(input.pulls);
      const fixedBy = input.pulls.filter((p) => !p.restores).at(-1)?.lever;
      const summary = fixedBy ? `Ended by ${fixedBy}${category ? ` (${category})` : ''}.` : 'Ended without a lever of ours.';
      state.resolved = true;
      if (await command('resolve', { ...(category && { category }), summary })) deps.say(`resolved: ${summary}`);
      await post(
        composeUpdate('resolution', {
          ...facts(state.declared),
          impact: `${state.declared.impact} until the fix held`,
          progress: input.runState === 'resolved' ? `checkout is back to normal after ${fixedBy ?? 'the incident'}` : `the run ended ${input.runState}`,
          reviewBy: input.reviewBy,
        }),
      );
      return { declared: true };
    },
  };
}

export type IncidentSide = ReturnType<typeof incidentSide>;
