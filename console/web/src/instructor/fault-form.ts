import type { FaultFamily } from './instructor-types.ts';

/** Settings the form draws as their own controls rather than as a generic text field. */
const ownControls = new Set(['target', 'mode', 'team']);

/** The settings of a family the form offers as text fields (target and mode are selects). */
export function freeSettings(family: FaultFamily): Array<{ name: string; hint: string; required: boolean }> {
  return Object.entries(family.settings)
    .filter(([name]) => !ownControls.has(name))
    .map(([name, hint]) => ({ name, hint, required: hint.startsWith('required') }));
}

export type FaultRequest = { ok: true; body: Record<string, string | number> } | { ok: false; errors: string[] };

/**
 * POST /api/faults' body from the form's fields: the family, in a class the team whose shop it
 * breaks (the controller refuses a class's fault for no team), its target and mode, every setting
 * filled in (numbers as numbers: the controller's schema wants them so), and `for` — every fault
 * has a duration and reverts by itself. The controller validates it all again; this only catches
 * what the form can say before asking (a required setting left empty, a missing duration).
 */
export function faultRequest(family: FaultFamily, fields: Readonly<Record<string, string>>): FaultRequest {
  const errors: string[] = [];
  const body: Record<string, string | number> = { family: family.family };
  const team = fields.team?.trim();
  if (team) body.team = team;
  const target = fields.target?.trim() || (family.targets.length === 1 ? family.targets[0] : '');
  if (!target) errors.push('Choose a target');
  else body.target = target;
  if (family.modes) {
    const mode = fields.mode?.trim();
    if (mode) body.mode = mode;
    else if (family.settings.mode?.startsWith('required')) errors.push('Choose a mode');
  }
  for (const setting of freeSettings(family)) {
    const value = fields[setting.name]?.trim() ?? '';
    if (value === '') {
      if (setting.required) errors.push(`${setting.name} is required (${setting.hint})`);
      continue;
    }
    body[setting.name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  const duration = fields.for?.trim() ?? '';
  if (duration === '') errors.push('Say how long the fault lasts, e.g. 5m');
  else body.for = /^\d+$/.test(duration) ? Number(duration) : duration;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, body };
}

/** Where a fault acts: its target, a class's team's ("blue's payments"). */
export function faultPlace(fault: { team?: unknown; target?: unknown }): string {
  return fault.team ? `${String(fault.team)}'s ${String(fault.target)}` : String(fault.target);
}

/** The confirmation's sentence: what the fault does, where, for how long, and what trainees will see. */
export function describeFault(family: FaultFamily, body: Readonly<Record<string, string | number>>): string {
  const settings = Object.entries(body)
    .filter(([name]) => !['family', 'team', 'target', 'for'].includes(name))
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  const lasting = typeof body.for === 'number' ? `${body.for} s` : String(body.for);
  return (
    `Inject ${family.family} on ${faultPlace(body)}${settings ? ` (${settings})` : ''} for ${lasting}: ${family.summary} ` +
    `Trainees will see: ${family.symptoms} It reverts by itself after ${lasting}, or when cleared.`
  );
}
