import type { AgentFault } from '../shared/agent-protocol.ts';

type MemoryLeakFault = Extract<AgentFault, { family: 'memory-leak' }>;

/** Doubles per MiB: a plain array of doubles is one FixedDoubleArray on the V8 heap, 8 bytes each. */
const doublesPerMiB = (1024 * 1024) / 8;
/** V8 makes `new Array(n)` a slow dictionary array from 100 000 elements on: stay below. */
const doublesPerChunk = 64 * 1024;

/**
 * Heap that a memory-leak fault retains: memory taken every second and on every request, held
 * while the fault lasts and let go (for the GC to reclaim) when it ends. It lives on the V8 heap,
 * not in Buffers (which sit outside it), so that --max-old-space-size ends the process the way a
 * real leak does: GC pauses lengthen, then "JavaScript heap out of memory".
 */
export class HeapLeak {
  /** Retained chunks per fault id. */
  readonly #retained = new Map<string, number[][]>();
  #faults: MemoryLeakFault[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** MiB owed to each fault by the per-minute rate, carried between ticks. */
  readonly #owedMiB = new Map<string, number>();
  readonly #tickMs: number;

  constructor(options: { tickMs?: number } = {}) {
    this.#tickMs = options.tickMs ?? 1_000;
  }

  /** The agent's active memory-leak faults changed: start, go on, or let go of what ended. */
  update(faults: readonly MemoryLeakFault[]): void {
    this.#faults = [...faults];
    const live = new Set(faults.map((f) => f.id));
    for (const id of this.#retained.keys()) {
      if (!live.has(id)) {
        this.#retained.delete(id);
        this.#owedMiB.delete(id);
      }
    }
    if (faults.some((f) => f.mbPerMinute > 0)) {
      this.#timer ??= setInterval(() => this.#tick(), this.#tickMs);
      // A leak never keeps a process alive that would otherwise exit.
      this.#timer.unref();
    } else {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** One request served: retain what the faults take per request. */
  onRequest(): void {
    for (const fault of this.#faults) {
      if (fault.kbPerRequest > 0) this.#retain(fault.id, fault.kbPerRequest / 1024);
    }
  }

  /** Bytes retained now (before V8's own overhead). */
  get retainedBytes(): number {
    let doubles = 0;
    for (const chunks of this.#retained.values()) for (const chunk of chunks) doubles += chunk.length;
    return doubles * 8;
  }

  /** Lets go of everything and stops: the agent is closing. */
  release(): void {
    this.update([]);
  }

  #tick(): void {
    for (const fault of this.#faults) {
      const owed = (this.#owedMiB.get(fault.id) ?? 0) + (fault.mbPerMinute * this.#tickMs) / 60_000;
      const whole = Math.floor(owed);
      for (let i = 0; i < whole; i++) this.#retain(fault.id, 1);
      this.#owedMiB.set(fault.id, owed - whole);
    }
  }

  #retain(faultId: string, mib: number): void {
    const chunks = this.#retained.get(faultId) ?? [];
    for (let left = Math.max(1, Math.round(mib * doublesPerMiB)); left > 0; left -= doublesPerChunk) {
      chunks.push(new Array<number>(Math.min(left, doublesPerChunk)).fill(Math.random()));
    }
    this.#retained.set(faultId, chunks);
  }
}
