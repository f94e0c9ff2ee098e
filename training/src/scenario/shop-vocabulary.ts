import { flagCatalogue, flagValueSchema, type FlagName } from '../flags/flag-catalogue.ts';

/**
 * The shop's names as scenario files use them. Services, versions and flags are the lab's own
 * lists (releases/, flags/, packages/conventions); this file only adds what scenarios need on top.
 */
export { shopServices as services, baselineVersion as defaultVersion, type ShopService as ServiceName } from '../releases/release-history.ts';
export { flagNames, isFlagName, type FlagName, type FlagValue } from '../flags/flag-catalogue.ts';
export const flagDefinitions = flagCatalogue;

/** Checks a flag value given as YAML (a boolean or a number) against the flag's type and range. */
export function flagValueError(name: FlagName, value: unknown): string | undefined {
  const parsed = flagValueSchema(name).safeParse(value);
  return parsed.success ? undefined : `flag ${name}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}
