// The lab's token files are read the same way by every process (the training process too): the kit holds them.
export { ensureTokenFile, readToken } from '@firedrill/kit';
