/**
 * A sender: drains the outbox and hands each entry to `deliver`, acknowledging it only after
 * delivery. Entries a crashed sender claimed but never acknowledged are reclaimed after
 * `reclaimIdleMs` (Redis XAUTOCLAIM). Delivery is at least once; acknowledging each entry right
 * after it is delivered keeps redelivery rare. Senders run in the app process by default and can
 * run as separate processes (src/worker.ts); any number of them share the work.
 */
import type { Log } from './pipeline.js';
import type { OutboxEntry, OutboxItem, Store } from '../storage/store.js';

export type Deliver = (entry: OutboxEntry) => Promise<void>;

export interface OutboxWorkerOptions {
  store: Store;
  /** Unique per sender (host, pid and a random part); the consumer name in the group. */
  consumer: string;
  deliver: Deliver;
  log: Log & { error(obj: object, msg?: string): void };
  batch?: number;
  /** How long to wait when there was nothing to do (a local commit wakes the sender earlier). */
  pollMs?: number;
  /** An entry claimed this long ago and not acknowledged is taken over. */
  reclaimIdleMs?: number;
}

export interface OutboxWorker {
  start(): void;
  /** Wakes the sender now: there is new work. */
  nudge(): void;
  /** Stops claiming, finishes the entry in hand, and resolves. */
  stop(): Promise<void>;
  /** Delivers what is there now (claimed and reclaimable), once; returns how many were delivered. */
  drainOnce(): Promise<number>;
}

/** Creates a sender. */
export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const batch = o.batch ?? 50;
  const pollMs = o.pollMs ?? 250;
  const reclaimIdleMs = o.reclaimIdleMs ?? 30_000;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastReclaim = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function deliverAll(items: OutboxItem[]): Promise<number> {
    let delivered = 0;
    for (const item of items) {
      try {
        await o.deliver(item.entry);
      } catch (err) {
        // Left unacknowledged: it is retried after reclaimIdleMs, by this sender or another.
        o.log.warn({ kind: item.entry.kind, channel: item.entry.channel, err: err instanceof Error ? err.message : 'error' }, 'delivery failed; will retry');
        continue;
      }
      await o.store.ackOutbox([item]);
      delivered += 1;
    }
    return delivered;
  }

  async function drainOnce(): Promise<number> {
    const items = await o.store.claimOutbox(o.consumer, batch);
    if (Date.now() - lastReclaim >= Math.min(reclaimIdleMs, 5_000)) {
      lastReclaim = Date.now();
      items.push(...(await o.store.reclaimOutbox(o.consumer, reclaimIdleMs, batch)));
    }
    return deliverAll(items);
  }

  async function run(): Promise<void> {
    while (running) {
      let delivered = 0;
      try {
        delivered = await drainOnce();
      } catch (err) {
        o.log.warn({ err: err instanceof Error ? err.name : 'error' }, 'outbox unavailable; retrying');
      }
      if (running && delivered === 0) await sleep(pollMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    nudge() {
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    drainOnce,
  };
}
