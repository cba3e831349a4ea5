/**
 * A sender: drains the outbox and hands each entry to `deliver`, acknowledging it only after
 * delivery. Entries a crashed sender claimed but never acknowledged are reclaimed after
 * `reclaimIdleMs` (Redis XAUTOCLAIM). Delivery is at least once; acknowledging each entry right
 * after it is delivered keeps redelivery rare. Senders run in the app process by default and can
 * run as separate processes (src/worker.ts); any number of them share the work.
 */
import { hostname } from 'node:os';
import type { Log } from './log.js';
import type { OutboxEntry, OutboxItem, Store } from '../storage/store.js';

export type Deliver = (entry: OutboxEntry) => Promise<void>;

export interface OutboxWorkerOptions {
  store: Store;
  /** Unique per sender (host, pid and a random part); the consumer name in the group. */
  consumer: string;
  deliver: Deliver;
  log: Log;
  batch?: number;
  /** How long to wait when there was nothing to do (a local commit wakes the sender earlier). */
  pollMs?: number;
  /** An entry claimed this long ago and not acknowledged is taken over. */
  reclaimIdleMs?: number;
  /** After this many deliveries that failed, an entry goes to the dead letters (logged for staff). */
  maxDeliveries?: number;
}

export interface OutboxWorker {
  start(): void;
  /** Wakes the sender now: there is new work. */
  nudge(): void;
  /** Stops claiming, finishes the entry in hand (the rest of the batch is reclaimed later), and resolves. */
  stop(): Promise<void>;
  /** Delivers what is there now (claimed and reclaimable), once; returns how many were delivered. */
  drainOnce(): Promise<number>;
}

/** A sender's consumer name: unique per process, readable in XINFO. */
export function consumerName(): string {
  return `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a sender. */
export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const batch = o.batch ?? 16;
  const pollMs = o.pollMs ?? 250;
  const reclaimIdleMs = o.reclaimIdleMs ?? 30_000;
  const maxDeliveries = o.maxDeliveries ?? 10;
  let running = false;
  let stopping = false;
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

  /**
   * Delivers a batch: different people in parallel (one person's pacing or retries must not
   * hold up everybody else), each person's entries one after the other, in order.
   */
  async function deliverAll(items: OutboxItem[]): Promise<number> {
    const started = Date.now();
    const byPerson = new Map<string, OutboxItem[]>();
    for (const item of items) {
      const who = `${item.entry.channel}:${item.entry.to}`;
      byPerson.set(who, [...(byPerson.get(who) ?? []), item]);
    }
    const counts = await Promise.all([...byPerson.values()].map((own) => deliverInOrder(own, started)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** One person's entries, in order; after a failure the rest wait, so they still arrive in order. */
  async function deliverInOrder(items: OutboxItem[], started: number): Promise<number> {
    let delivered = 0;
    for (const item of items) {
      if (stopping) break;
      // Do not hold claims so long that another sender takes them over (and sends them twice).
      if (Date.now() - started > reclaimIdleMs / 2) break;
      if (item.deliveries > maxDeliveries) {
        o.log.error({ kind: item.entry.kind, channel: item.entry.channel, deliveries: item.deliveries }, 'outbox entry given up on (dead letter)');
        await o.store.deadLetterOutbox([item]);
        continue;
      }
      try {
        await o.deliver(item.entry);
      } catch (err) {
        // Left unacknowledged: it is retried after reclaimIdleMs, by this sender or another.
        o.log.warn({ kind: item.entry.kind, channel: item.entry.channel, err: err instanceof Error ? err.message : 'error' }, 'delivery failed; will retry');
        break;
      }
      await o.store.ackOutbox([item]);
      delivered += 1;
    }
    return delivered;
  }

  async function drainOnce(): Promise<number> {
    // What a crashed (or failing) sender left behind is older: it goes first.
    let reclaimed: OutboxItem[] = [];
    if (Date.now() - lastReclaim >= Math.min(reclaimIdleMs, 5_000)) {
      lastReclaim = Date.now();
      reclaimed = await o.store.reclaimOutbox(o.consumer, reclaimIdleMs, batch);
    }
    const fresh = await o.store.claimOutbox(o.consumer, batch);
    return deliverAll([...reclaimed, ...fresh]);
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
      stopping = false;
      loop = run();
    },
    nudge() {
      wake?.();
    },
    async stop() {
      running = false;
      stopping = true;
      wake?.();
      await loop;
    },
    drainOnce,
  };
}
