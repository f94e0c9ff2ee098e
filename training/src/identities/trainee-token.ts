import { looksLikePersonalToken, tokenHash, tokensMatch } from '@firedrill/kit';

/** A trainee as the lab knows it: never its token. */
export interface Trainee {
  name: string;
  team: string;
  createdAt: string;
}

/** What the store answers for a token hash: the trainee and the hash it holds. */
export interface StoredTrainee extends Trainee {
  tokenHash: string;
}

/**
 * The trainee a presented token belongs to, or undefined. Only the hash is looked up (the table
 * holds nothing else), and the stored hash is compared with the presented one in constant time
 * before it counts: the index lookup finds the row, the comparison decides. A string that cannot
 * be a trainee token costs no lookup.
 */
export async function traineeByToken(presented: string, lookUp: (hash: string) => Promise<StoredTrainee | undefined>): Promise<Trainee | undefined> {
  if (!looksLikePersonalToken(presented)) return undefined;
  const hash = tokenHash(presented);
  const found = await lookUp(hash);
  if (!found || !tokensMatch(hash, found.tokenHash)) return undefined;
  return { name: found.name, team: found.team, createdAt: found.createdAt };
}
