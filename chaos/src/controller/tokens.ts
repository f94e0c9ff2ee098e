// Bearer tokens are checked the same way by every lab API (the training process too): the kit holds the check.
export { bearerToken, tokensMatch } from '@firedrill/kit';
