import type { Logger } from '../logger/index.ts';

/**
 * Everything a service's start-up opens, closed in reverse order of opening. Declared with
 * `await using`, it closes what was already opened when start-up fails part way, so no pool,
 * connection, timer or agent outlives a failed start. Once the service is up, `handOver()` moves
 * them into the running service's close().
 */
export class ServiceResources implements AsyncDisposable {
  readonly #stack = new AsyncDisposableStack();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /**
   * Registers how to close something just opened and returns it, so opening and registering
   * read as one line. A failing close step is logged and the others still run.
   */
  add<T>(name: string, resource: T, close: (resource: T) => unknown): T {
    this.#stack.defer(async () => {
      try {
        await close(resource);
      } catch (err) {
        this.#logger.error({ err, step: name }, 'close step failed');
      }
    });
    return resource;
  }

  /** A close step with no resource of its own (a timer, a watcher). */
  defer(name: string, close: () => unknown): void {
    this.add(name, undefined, close);
  }

  /** Takes the resources out of this scope. The returned close() runs once; repeated calls share it. */
  handOver(): () => Promise<void> {
    const owned = this.#stack.move();
    let closing: Promise<void> | undefined;
    return () => (closing ??= owned.disposeAsync());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stack.disposeAsync();
  }
}
