import { z } from 'zod';

import { type FlagDefinition, shopFlags } from '@firedrill/conventions';

export type FlagValue = boolean | number;
export type { FlagDefinition };

/**
 * Every flag the shop evaluates, with its type, default and allowed range: the one list in
 * packages/conventions, which the services' LabFlagProvider falls back to as well.
 */
export const flagCatalogue = shopFlags;

export type FlagName = keyof typeof flagCatalogue;

export const flagNames = Object.keys(flagCatalogue) as FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(flagCatalogue, name);
}

export function flagDefinition(name: FlagName): FlagDefinition {
  return flagCatalogue[name];
}

/** The zod schema of one flag's value, as a JSON body carries it. */
export function flagValueSchema(name: FlagName): z.ZodType<FlagValue> {
  const definition = flagDefinition(name);
  if (definition.type === 'boolean') return z.boolean();
  return z
    .number()
    .int()
    .min(definition.min ?? 0)
    .max(definition.max ?? Number.MAX_SAFE_INTEGER);
}

/** A value typed on a command line or in a scenario file ("true", "1500") for this flag, or why not. */
export function parseFlagText(name: FlagName, text: string): { value: FlagValue } | { error: string } {
  const definition = flagDefinition(name);
  let candidate: unknown = text;
  if (definition.type === 'boolean') {
    if (text !== 'true' && text !== 'false') return { error: `${name} is a boolean flag: give true or false, not "${text}"` };
    candidate = text === 'true';
  } else {
    if (!/^-?\d+$/.test(text)) return { error: `${name} is a whole number: "${text}" is not one` };
    candidate = Number(text);
  }
  const parsed = flagValueSchema(name).safeParse(candidate);
  if (!parsed.success) return { error: `${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}` };
  return { value: parsed.data };
}
