/**
 * A sender: drains the outbox and hands each entry to `deliver`, acknowledging it only after
 * delivery. Entries a crashed sender claimed but never acknowledged are reclaimed after
 * `reclaimIdleMs` (Redis XAUTOCLAIM). Delivery is at least once; acknowledging each entry right
 * after it is delivered keeps redelivery rare. Senders run in the app process by default and can
 * run as separate processes (src/worker.ts); any number of them share the work.
 *
 * A sender that stops gives back what it claimed and will not deliver (README, "Stopping"), so
 * that the next sender takes it over at once instead of after `reclaimIdleMs`; see `stop`.
 *
 * A failed entry is retried with exponential backoff: after its n-th failure on this sender it is
 * not tried again before `reclaimIdleMs * 2^(n-1)` (at most `maxRetryDelayMs`) has passed since
 * the failed attempt was claimed. Until then each reclaim leaves it claimed and unacknowledged,
 * and its person's later entries wait behind it. The backoff lives in the sender's memory: a
 * sender that takes the entry over (after a crash or a stop) starts its own count.
 */
import { hostname } from 'node:os';
import { errorFields } from '../logging/loggerOptions.js';
import { withLogIds } from '../logging/logContext.js';
import type { Log } from './log.js';
import type { SendOutcome } from './deliver.js';
import type { OutboxEntry, OutboxItem, Store } from '../storage/store.js';

/** Delivers one entry; throws to have it retried. A message not sent for good says why (for the metrics). */
export type Deliver = (entry: OutboxEntry) => Promise<SendOutcome | void>;

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
  /** The longest wait between two attempts at a failing entry (default 5 minutes, see MAX_RETRY_DELAY_MS). */
  maxRetryDelayMs?: number;
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
  /**
   * Stops claiming and resolves once the entries in hand are done. Without `graceMs`, only the
   * entry each lane is sending is finished. With `graceMs` (a graceful shutdown), what was claimed
   * is still delivered for up to that long, and stop resolves even if a send is still under way:
   * the caller then ends the process within STOPPED_SEND_ENDS_MS (main.ts and worker.ts do).
   * What is left is given back (Store.releaseOutbox) so that the next sender does not wait
   * `reclaimIdleMs` for it, a person's entries still in order: those of a person with nothing
   * under way are reclaimable at once; a send under way might still go through, so it and the
   * person's entries behind it become reclaimable only once the process has ended. What waits for
   * a retry after a failure, and what waits behind it, is left as it is.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Delivers what is there now (claimed and reclaimable), once; returns how many were delivered. */
  drainOnce(): Promise<number>;
}

/**
 * The cap on the backoff. Staff replies and warnings to people share this outbox with the case
 * webhook, so the cap is also the longest extra wait for a person once a channel works again:
 * five minutes keeps that bearable for someone in danger, while a dead channel or receiver is
 * still asked only every five minutes. With the defaults (30 s reclaim, 10 attempts) an entry
 * rides out about half an hour of outage (30 s, 1, 2, 4 min, then 5 min each) instead of five
 * minutes before it goes to the dead letters.
 */
export const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * How soon after a graceful stop's grace a send still under way can no longer complete: the
 * process has ended. main.ts and worker.ts exit within a second of the grace (the second kept to
 * close Redis), at SHUTDOWN_TIMEOUT_SECONDS at the latest; two more seconds are a margin.
 */
export const STOPPED_SEND_ENDS_MS = 3_000;

/** How long a stopping sender waits for its entries to be given back (it has a second left to close Redis). */
const RELEASE_WAIT_MS = 500;

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
  const maxRetryDelayMs = o.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS;
  /** How long an entry waits after its n-th failure. */
  const retryDelay = (n: number): number => Math.min(maxRetryDelayMs, reclaimIdleMs * 2 ** (n - 1));
  /**
   * The claim count past which an entry is given up on even if no sender counted its failures
   * (they restart, or it fails on each in turn): ten times the claims one sender makes before it
   * gives up on its own, since every reclaim that finds an entry not yet due counts as a claim too.
   */
  let claimBackstop = 1;
  for (let n = 1; n <= maxDeliveries; n++) claimBackstop += Math.max(1, Math.ceil(retryDelay(n) / reclaimIdleMs));
  claimBackstop *= 10;
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
   * Failed delivery attempts by this sender, per entry, and when the next one is due. Dead letters
   * are decided on these, not on how often an entry was claimed: entries that only waited behind a
   * failing one (or for their own retry) were not tried.
   */
  const failures = new Map<string, { count: number; due: number }>();
  /**
   * Forgets failures of entries that have not come back long after they were due: another sender
   * took them over (and delivered them or gave up). One of ours comes back within a reclaim or two.
   */
  const forgetAfterMs = 10 * (maxRetryDelayMs + reclaimIdleMs);
  function forgetStaleFailures(): void {
    const before = Date.now() - forgetAfterMs;
    for (const [ref, f] of failures) if (f.due < before) failures.delete(ref);
  }

  /**
   * Delivers one entry, claimed at `claimedAt`, and acknowledges it. `done`: delivered (or given
   * up on); `failed`: it stays for a retry; `later`: its retry is not due yet, so it stays claimed
   * and a later reclaim brings it back.
   */
  async function deliverOne(item: OutboxItem, claimedAt: number): Promise<'done' | 'failed' | 'later'> {
    // Every line about this entry, and every line its delivery logs (a channel, the hotline desk),
    // carries its outbox id (the same on each retry, so its attempts read together) and the id of
    // the request that wrote it, so that staff can follow a message from the webhook to the send.
    const ids = { job: `outbox:${item.ref}`, ...(item.entry.reqId ? { reqId: item.entry.reqId } : {}) };
    return withLogIds(ids, () => deliverInContext(item, claimedAt));
  }

  async function deliverInContext(item: OutboxItem, claimedAt: number): Promise<'done' | 'failed' | 'later'> {
    const failed = failures.get(item.ref);
    if ((failed?.count ?? 0) >= maxDeliveries || item.deliveries > claimBackstop) {
      o.log.error({ kind: item.entry.kind, channel: item.entry.channel, deliveries: item.deliveries }, 'outbox entry given up on (dead letter)');
      await o.store.deadLetterOutbox([item]);
      failures.delete(item.ref);
      return 'done';
    }
    if (failed && Date.now() < failed.due) return 'later';
    try {
      await o.deliver(item.entry);
    } catch (err) {
      // Left unacknowledged: reclaimed every reclaimIdleMs, and tried again once due. The wait is
      // counted from the claim, the moment reclaims are timed from, so that the first retry comes
      // with the first reclaim as before, and the n-th with the 2^(n-1)-th.
      const count = (failed?.count ?? 0) + 1;
      failures.set(item.ref, { count, due: claimedAt + retryDelay(count) });
      o.log.warn(
        { kind: item.entry.kind, channel: item.entry.channel, failures: count, retryInMs: retryDelay(count), ...errorFields(err) },
        'delivery failed; will retry',
      );
      return 'failed';
    }
    failures.delete(item.ref);
    await o.store.ackOutbox([item]);
    return 'done';
  }

  const personOf = (item: OutboxItem): string => `${item.entry.channel}:${item.entry.to}`;

  /**
   * A person whose delivery failed: their later entries wait until that entry itself comes back
   * (reclaimed), is due, and goes through, so they still arrive in order. `until` is a safety net
   * for an entry that another sender took over.
   */
  const held = new Map<string, { ref: string; until: number }>();

  /**
   * Tries one entry of a person's lane. `held`: an earlier entry of theirs failed and has not gone
   * through yet, so this one was not tried (it stays claimed and comes back with a reclaim).
   */
  async function attempt(item: OutboxItem, claimedAt: number): Promise<'done' | 'failed' | 'later' | 'held'> {
    const who = personOf(item);
    const hold = held.get(who);
    if (hold && hold.ref !== item.ref && hold.until > Date.now()) return 'held';
    const outcome = await deliverOne(item, claimedAt);
    if (outcome === 'done') held.delete(who);
    // Held from the failure until some time after the retry is due, and renewed each time the entry comes back.
    else held.set(who, { ref: item.ref, until: (failures.get(item.ref)?.due ?? Date.now()) + reclaimIdleMs * 10 });
    return outcome;
  }

  /**
   * Delivers a batch and waits for all of it: different people in parallel, each person's
   * entries in order; after a failure that person's later entries wait, so they still arrive in order.
   */
  async function deliverAll(items: OutboxItem[], claimedAt: number): Promise<number> {
    const byPerson = new Map<string, OutboxItem[]>();
    for (const item of items) byPerson.set(personOf(item), [...(byPerson.get(personOf(item)) ?? []), item]);
    const counts = await Promise.all(
      [...byPerson.values()].map(async (own) => {
        let delivered = 0;
        for (const item of own) {
          // Do not hold claims so long that another sender takes them over (and sends them twice).
          if (stopping || Date.now() - claimedAt > reclaimIdleMs / 2) break;
          if ((await attempt(item, claimedAt)) !== 'done') break;
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
      forgetStaleFailures();
      reclaimed = await o.store.reclaimOutbox(o.consumer, reclaimIdleMs, max);
    }
    return [...reclaimed, ...(await o.store.claimOutbox(o.consumer, max))];
  }

  async function drainOnce(): Promise<number> {
    // Taken before the claim, so never later than the time the store records for it.
    const claimedAt = Date.now();
    return deliverAll(await claim(batch), claimedAt);
  }

  // The running sender keeps one lane per person: a person's entries go one after the other,
  // while new claims keep flowing to everybody else (one slow chat never holds up the rest).
  const lanes = new Map<string, Promise<void>>();
  /** Entries in a lane now, so that a reclaim does not queue the same one twice. */
  const queued = new Set<string>();
  /** Entries queued and not begun yet: what a stop gives back. */
  const waiting = new Map<string, OutboxItem>();
  /** Entries being delivered now. */
  const sending = new Map<string, OutboxItem>();
  let inFlight = 0;

  function enqueue(item: OutboxItem, claimedAt: number): void {
    if (queued.has(item.ref)) return;
    const who = personOf(item);
    queued.add(item.ref);
    waiting.set(item.ref, item);
    inFlight += 1;
    const lane = (lanes.get(who) ?? Promise.resolve())
      .then(async () => {
        // Stopping: it stays in `waiting`, for the stop to give back.
        if (stopping) return;
        waiting.delete(item.ref);
        // Waited so long that it may be reclaimed (by us or another sender): leave it to that.
        if (Date.now() - claimedAt > reclaimIdleMs / 2) return;
        sending.set(item.ref, item);
        try {
          await attempt(item, claimedAt);
        } finally {
          sending.delete(item.ref);
        }
      })
      .catch((err: unknown) => o.log.warn(errorFields(err), 'outbox unavailable; retrying'))
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
          const claimedAt = Date.now();
          const items = await claim(Math.min(batch, room));
          for (const item of items) enqueue(item, claimedAt);
          claimed = items.length;
        } catch (err) {
          o.log.warn(errorFields(err), 'outbox unavailable; retrying');
        }
      }
      if (running && claimed === 0) await sleep(pollMs);
    }
    await Promise.all(lanes.values());
  }

  /**
   * Gives back, once stopping, what the lanes hold and will not deliver (see `stop`). Bounded in
   * time: what is not given back is reclaimed after `reclaimIdleMs`, as before.
   */
  async function release(): Promise<void> {
    const left = [...waiting.values()];
    waiting.clear();
    const underWay = [...sending.values()];
    const busy = new Set(underWay.map(personOf));
    const atOnce: OutboxItem[] = [];
    const afterExit: OutboxItem[] = [...underWay];
    for (const item of left) {
      const hold = held.get(personOf(item));
      // Its retry is not due, or it waits behind a failed entry: another sender must not send it sooner.
      if (failures.has(item.ref) || (hold && hold.ref !== item.ref && hold.until > Date.now())) continue;
      (busy.has(personOf(item)) ? afterExit : atOnce).push(item);
    }
    if (atOnce.length + afterExit.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const given = Promise.all([
      o.store.releaseOutbox(o.consumer, atOnce),
      // As if claimed so long ago that the reclaim (after reclaimIdleMs) comes once the process has ended.
      o.store.releaseOutbox(o.consumer, afterExit, reclaimIdleMs - STOPPED_SEND_ENDS_MS),
    ]).then(
      () => o.log.info({ released: atOnce.length, releasedAfterExit: afterExit.length }, 'outbox entries given back for the next sender'),
      (err: unknown) => o.log.warn(errorFields(err), 'outbox entries not given back; another sender reclaims them later'),
    );
    await Promise.race([given, new Promise<void>((resolve) => (timer = setTimeout(resolve, RELEASE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      // The sender's own lines (the outbox cannot be read) say `job: outbox`; each entry's its own id.
      loop = withLogIds({ job: 'outbox' }, run);
    },
    nudge() {
      wake?.();
    },
    async stop(options = {}) {
      running = false;
      wake?.();
      const graceMs = options.graceMs;
      if (graceMs === undefined) {
        stopping = true;
        await loop;
        await release();
        return;
      }
      // The lanes go on with what they hold until the grace is over; then each stops before its next entry.
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, graceMs))));
      await Promise.race([loop, graceOver]);
      clearTimeout(timer);
      stopping = true;
      await release();
    },
    drainOnce,
  };
}
