/**
 * One poller of a run's status per view, shared by every browser watching that run. A class is
 * ten or more browsers on one run: each one polling GET /api/runs/{id}/status would multiply the
 * training API's work (the status reads the run's whole journal and the golden signals) by the
 * size of the class, for the same answer.
 *
 * A view is what the training API's answer depends on: the caller's role and team. Every subscriber
 * of a view is entitled to the same answer (each stream checks its own token first), so the poller
 * asks with any one subscriber's token.
 */

/** Fetches a run's status as the holder of `token`: the JSON text, or undefined when not answered. */
export type FetchStatus = (runId: string, token: string, signal: AbortSignal) => Promise<string | undefined>;

export interface StatusSubscription {
  /** Poll now rather than at the next tick (an event arrived: the alerts firing may have changed). */
  nudge(): void;
  leave(): void;
}

interface Subscriber {
  token: string;
  onStatus: (statusJson: string) => void;
}

interface Poller {
  runId: string;
  subscribers: Set<Subscriber>;
  lastText: string | undefined;
  timer: NodeJS.Timeout;
  inFlight: boolean;
  /** A nudge came while a poll was in flight: poll once more when it ends. */
  again: boolean;
}

export interface RunStatusWatch {
  /** Starts following run `runId` for a view; `onStatus` gets the status each time it changes. */
  join(runId: string, view: string, token: string, onStatus: (statusJson: string) => void): StatusSubscription;
  /** How many pollers run (one per watched run and view). */
  pollers(): number;
}

export function createRunStatusWatch(options: { fetchStatus: FetchStatus; everyMs?: number; timeoutMs?: number }): RunStatusWatch {
  const everyMs = options.everyMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const pollers = new Map<string, Poller>();

  const poll = async (poller: Poller): Promise<void> => {
    if (poller.inFlight) {
      poller.again = true;
      return;
    }
    const asker = poller.subscribers.values().next().value;
    if (!asker) return;
    poller.inFlight = true;
    try {
      const text = await options.fetchStatus(poller.runId, asker.token, AbortSignal.timeout(timeoutMs));
      if (text !== undefined && text !== poller.lastText) {
        poller.lastText = text;
        for (const subscriber of poller.subscribers) subscriber.onStatus(text);
      }
    } catch {
      // The training API away or slow: each stream's own event poll tells its browser so.
    } finally {
      poller.inFlight = false;
    }
    if (poller.again) {
      poller.again = false;
      await poll(poller);
    }
  };

  return {
    join(runId, view, token, onStatus) {
      const key = `${runId}\n${view}`;
      let poller = pollers.get(key);
      if (!poller) {
        const created: Poller = { runId, subscribers: new Set(), lastText: undefined, inFlight: false, again: false, timer: undefined as never };
        created.timer = setInterval(() => void poll(created), everyMs);
        // The streams keep the process alive, not this timer.
        created.timer.unref();
        pollers.set(key, created);
        poller = created;
      }
      const subscriber: Subscriber = { token, onStatus };
      poller.subscribers.add(subscriber);
      const joined = poller;
      return {
        nudge: () => void poll(joined),
        leave: () => {
          // Only the last one to leave stops the poller (and only once: a later poller may hold the key).
          if (!joined.subscribers.delete(subscriber) || joined.subscribers.size > 0) return;
          clearInterval(joined.timer);
          pollers.delete(key);
        },
      };
    },
    pollers: () => pollers.size,
  };
}
