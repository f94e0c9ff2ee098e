export { ensureTokenFile, readToken } from './token-file.ts';
export { bearerToken, tokensMatch } from './bearer-token.ts';
export { findByPersonalToken, looksLikePersonalToken, newPersonalToken, tokenHash } from './personal-token.ts';
