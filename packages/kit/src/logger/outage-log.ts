import type { Logger } from 'pino';

/**
 * Logs a background loop's trouble once per outage rather than on every tick: the first failure
 * as a warning (later ones at debug), and the recovery once, at info.
 */
export class OutageLog {
  readonly #logger: Logger;
  readonly #recoveredMessage: string;
  #healthy = true;

  constructor(logger: Logger, recoveredMessage: string) {
    this.#logger = logger;
    this.#recoveredMessage = recoveredMessage;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  failed(details: Record<string, unknown>, message: string): void {
    if (this.#healthy) this.#logger.warn(details, message);
    else this.#logger.debug(details, message);
    this.#healthy = false;
  }

  recovered(): void {
    if (this.#healthy) return;
    this.#healthy = true;
    this.#logger.info(this.#recoveredMessage);
  }
}
