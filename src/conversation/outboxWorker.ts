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
  /**
   * Entries claimed and not yet delivered, at most. Many people's lanes wait on pacing at once
   * (one a second per Telegram chat), so this is large; an entry that waits too long in its lane
   * is left for the reclaim rather than sent late.
   */
  maxInFlight?: number;
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
  const batch = o.batch ?? 64;
  const pollMs = o.pollMs ?? 250;
  const reclaimIdleMs = o.reclaimIdleMs ?? 30_000;
  const maxDeliveries = o.maxDeliveries ?? 10;
  const maxInFlight = o.maxInFlight ?? 4096;
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
   * Failed delivery attempts by this sender, per entry. Dead letters are decided on these, not on
   * how often an entry was claimed: entries that only waited behind a failing one were never tried.
   */
  const failures = new Map<string, number>();

  /** Delivers one entry and acknowledges it; false when delivery failed (the entry stays for a retry). */
  async function deliverOne(item: OutboxItem): Promise<boolean> {
    // The claim count is a backstop for entries that fail on every sender in turn.
    if ((failures.get(item.ref) ?? 0) >= maxDeliveries || item.deliveries > maxDeliveries * 10) {
      o.log.error({ kind: item.entry.kind, channel: item.entry.channel, deliveries: item.deliveries }, 'outbox entry given up on (dead letter)');
      await o.store.deadLetterOutbox([item]);
      failures.delete(item.ref);
      return true;
    }
    try {
      await o.deliver(item.entry);
    } catch (err) {
      // Left unacknowledged: it is retried after reclaimIdleMs, by this sender or another.
      failures.set(item.ref, (failures.get(item.ref) ?? 0) + 1);
      o.log.warn({ kind: item.entry.kind, channel: item.entry.channel, err: err instanceof Error ? err.message : 'error' }, 'delivery failed; will retry');
      return false;
    }
    failures.delete(item.ref);
    await o.store.ackOutbox([item]);
    return true;
  }

  const personOf = (item: OutboxItem): string => `${item.entry.channel}:${item.entry.to}`;

  /**
   * Delivers a batch and waits for all of it: different people in parallel, each person's
   * entries in order; after a failure that person's later entries wait, so they still arrive in order.
   */
  async function deliverAll(items: OutboxItem[]): Promise<number> {
    const started = Date.now();
    const byPerson = new Map<string, OutboxItem[]>();
    for (const item of items) byPerson.set(personOf(item), [...(byPerson.get(personOf(item)) ?? []), item]);
    const counts = await Promise.all(
      [...byPerson.values()].map(async (own) => {
        let delivered = 0;
        for (const item of own) {
          // Do not hold claims so long that another sender takes them over (and sends them twice).
          if (stopping || Date.now() - started > reclaimIdleMs / 2) break;
          if (!(await deliverOne(item))) break;
          delivered += 1;
        }
        return delivered;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async function claim(max: number): Promise<OutboxItem[]> {
    // What a crashed (or failing) sender left behind is older: it goes first.
    let reclaimed: OutboxItem[] = [];
    if (Date.now() - lastReclaim >= Math.min(reclaimIdleMs, 5_000)) {
      lastReclaim = Date.now();
      reclaimed = await o.store.reclaimOutbox(o.consumer, reclaimIdleMs, max);
    }
    return [...reclaimed, ...(await o.store.claimOutbox(o.consumer, max))];
  }

  async function drainOnce(): Promise<number> {
    return deliverAll(await claim(batch));
  }

  // The running sender keeps one lane per person: a person's entries go one after the other,
  // while new claims keep flowing to everybody else (one slow chat never holds up the rest).
  const lanes = new Map<string, Promise<void>>();
  /** Entries in a lane now, so that a reclaim does not queue the same one twice. */
  const queued = new Set<string>();
  /**
   * A person whose delivery failed: their later entries wait until that entry itself comes back
   * (reclaimed) and goes through, so they still arrive in order. `until` is a safety net for an
   * entry that another sender took over.
   */
  const held = new Map<string, { ref: string; until: number }>();
  let inFlight = 0;

  function enqueue(item: OutboxItem): void {
    if (queued.has(item.ref)) return;
    const who = personOf(item);
    const claimedAt = Date.now();
    queued.add(item.ref);
    inFlight += 1;
    const lane = (lanes.get(who) ?? Promise.resolve())
      .then(async () => {
        if (stopping) return;
        // Waited so long that it may be reclaimed (by us or another sender): leave it to that.
        if (Date.now() - claimedAt > reclaimIdleMs / 2) return;
        const hold = held.get(who);
        if (hold && hold.ref !== item.ref && hold.until > Date.now()) return;
        if (await deliverOne(item)) held.delete(who);
        else held.set(who, { ref: item.ref, until: Date.now() + reclaimIdleMs * 10 });
      })
      .catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.name : 'error' }, 'outbox unavailable; retrying'))
      .finally(() => {
        queued.delete(item.ref);
        inFlight -= 1;
        if (lanes.get(who) === lane) lanes.delete(who);
        wake?.();
      });
    lanes.set(who, lane);
  }

  async function run(): Promise<void> {
    while (running) {
      const room = maxInFlight - inFlight;
      let claimed = 0;
      if (room > 0) {
        try {
          const items = await claim(Math.min(batch, room));
          items.forEach(enqueue);
          claimed = items.length;
        } catch (err) {
          o.log.warn({ err: err instanceof Error ? err.name : 'error' }, 'outbox unavailable; retrying');
        }
      }
      if (running && claimed === 0) await sleep(pollMs);
    }
    await Promise.all(lanes.values());
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
