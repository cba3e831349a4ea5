import { describe, expect, it } from 'vitest';
import { STOPPED_SEND_ENDS_MS, createOutboxWorker } from '../../src/conversation/outboxWorker.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { OutboxEntry, Store } from '../../src/storage/store.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const msg = (to: string, text: string): OutboxEntry => ({ kind: 'message', channel: 'whatsapp', to, message: { text } });
const textOf = (e: OutboxEntry) => (e.kind === 'message' ? `${e.to}:${e.message.text}` : e.event.type);

async function fill(store: Store, entries: OutboxEntry[]): Promise<void> {
  expect(await store.commitConversation({ person: { channel: 'whatsapp', id: 'x' }, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: entries })).toBe('ok');
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox sender', () => {
  it("keeps a person's messages in order when one fails, without holding up anybody else", async () => {
    const store = createMemoryStore();
    await fill(store, [msg('A', '1'), msg('A', '2'), msg('B', '1')]);
    const delivered: string[] = [];
    let failFirst = true;
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      reclaimIdleMs: 20,
      deliver: async (e) => {
        if (failFirst && textOf(e) === 'A:1') {
          failFirst = false;
          throw new Error('throttled');
        }
        delivered.push(textOf(e));
      },
    });
    expect(await worker.drainOnce()).toBe(1);
    expect(delivered).toEqual(['B:1']);
    await wait(30);
    await worker.drainOnce();
    expect(delivered).toEqual(['B:1', 'A:1', 'A:2']);
    expect(await store.outboxDepth()).toBe(0);
  });

  it('gives up on an entry that never gets delivered, and keeps the others flowing', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('P', 'poison'), msg('Q', 'fine')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      reclaimIdleMs: 10,
      maxDeliveries: 3,
      deliver: async (e) => {
        if (textOf(e) === 'P:poison') throw new Error('no sender for this channel');
        delivered.push(textOf(e));
      },
    });
    for (let i = 0; i < 6 && (await store.outboxDepth()) > 0; i++) {
      await worker.drainOnce();
      await wait(20);
    }
    expect(delivered).toEqual(['Q:fine']);
    expect(await store.outboxDepth()).toBe(0);
    expect(await store.deadLetterDepth()).toBe(1);
  });

  it('finishes the entry in hand when stopped and leaves the rest for later', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('S', '1'), msg('S', '2'), msg('S', '3')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      pollMs: 5,
      deliver: async (e) => {
        await wait(50);
        delivered.push(textOf(e));
      },
    });
    worker.start();
    await wait(20);
    await worker.stop();
    expect(delivered).toEqual(['S:1']);
    expect(await store.outboxDepth()).toBe(2);
  });

  it('on a graceful stop, delivers what it claimed within the grace, then leaves the rest and stops on time', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('S', '1'), msg('S', '2'), msg('S', '3'), msg('T', '1')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      pollMs: 5,
      deliver: async (e) => {
        await wait(textOf(e) === 'S:3' ? 1_000 : 40);
        delivered.push(textOf(e));
      },
    });
    worker.start();
    await wait(20);
    const started = Date.now();
    // S:1 and S:2 (and T:1 in its own lane) fit in the grace; S:3 takes a second: stop does not wait for it.
    await worker.stop({ graceMs: 200 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(400);
    expect(delivered.sort()).toEqual(['S:1', 'S:2', 'T:1']);
    // S:3 is still claimed by the stopped sender: another sender reclaims it.
    expect(await store.outboxDepth()).toBe(1);
    await wait(1_000);
  });

  it('on a graceful stop, resolves as soon as what it claimed is delivered', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('S', '1'), msg('S', '2')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({ store, consumer: 'w', log: quiet, pollMs: 5, deliver: async (e) => void (await wait(30), delivered.push(textOf(e))) });
    worker.start();
    await wait(10);
    const started = Date.now();
    await worker.stop({ graceMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(delivered).toEqual(['S:1', 'S:2']);
    expect(await store.outboxDepth()).toBe(0);
  });

  it('dead-letters only the entry that fails, not those that waited behind it', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('P', 'poison'), msg('P', 'fine1'), msg('P', 'fine2')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      reclaimIdleMs: 10,
      maxDeliveries: 3,
      deliver: async (e) => {
        if (textOf(e) === 'P:poison') throw new Error('refused');
        delivered.push(textOf(e));
      },
    });
    for (let i = 0; i < 10 && (await store.outboxDepth()) > 0; i++) {
      await worker.drainOnce();
      await wait(20);
    }
    expect(delivered).toEqual(['P:fine1', 'P:fine2']);
    expect(await store.deadLetterDepth()).toBe(1);
  });

  it('keeps the order when a newer entry arrives while an older one waits for its retry (running sender)', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('A', '1'), msg('A', '2')]);
    const delivered: string[] = [];
    let failOnce = true;
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      pollMs: 5,
      reclaimIdleMs: 100,
      deliver: async (e) => {
        if (failOnce && textOf(e) === 'A:1') {
          failOnce = false;
          throw new Error('network');
        }
        delivered.push(textOf(e));
      },
    });
    worker.start();
    await wait(30);
    await store.commitConversation({ person: { channel: 'whatsapp', id: 'y' }, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [msg('A', '3')] });
    worker.nudge();
    for (let i = 0; i < 100 && delivered.length < 3; i++) await wait(20);
    await worker.stop();
    expect(delivered).toEqual(['A:1', 'A:2', 'A:3']);
  });

  it('never delivers an entry twice while it waits in a slow lane', async () => {
    const store = createMemoryStore();
    await fill(store, Array.from({ length: 12 }, (_, i) => msg('S', String(i))));
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      pollMs: 5,
      reclaimIdleMs: 300,
      deliver: async (e) => {
        await wait(100);
        delivered.push(textOf(e));
      },
    });
    worker.start();
    for (let i = 0; i < 200 && (await store.outboxDepth()) > 0; i++) await wait(25);
    await worker.stop();
    expect(delivered).toHaveLength(12);
    expect(new Set(delivered).size).toBe(12);
    expect(delivered).toEqual(Array.from({ length: 12 }, (_, i) => `S:${i}`));
  });
});

describe('outbox sender stopping', () => {
  /** A second sender as started after a deploy: the default reclaim (30 s), nothing claimed of its own. */
  const nextSender = (store: Store, delivered: string[]) =>
    createOutboxWorker({ store, consumer: 'next', log: quiet, deliver: async (e) => void delivered.push(textOf(e)) });

  it('gives back what it did not begin, so that the next sender sends it at once, in order', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('S', '1'), msg('S', '2'), msg('S', '3')]);
    const delivered: string[] = [];
    const worker = createOutboxWorker({ store, consumer: 'w', log: quiet, pollMs: 5, deliver: async (e) => void (await wait(50), delivered.push(textOf(e))) });
    worker.start();
    await wait(20);
    await worker.stop();
    expect(delivered).toEqual(['S:1']);
    // Not 30 s later (OUTBOX_RECLAIM_SECONDS): the next sender's first reclaim takes them.
    expect(await nextSender(store, delivered).drainOnce()).toBe(2);
    expect(delivered).toEqual(['S:1', 'S:2', 'S:3']);
    expect(await store.outboxDepth()).toBe(0);
  });

  it('gives back a send under way at the end of the grace, and what waits behind it, for once the process has ended', async () => {
    let clock = 1_000_000;
    const store = createMemoryStore({ now: () => clock });
    await fill(store, [msg('S', '1'), msg('S', '2')]);
    const stuck: string[] = [];
    // The provider never answers: S:1 is still being sent when the grace ends, S:2 waits behind it.
    const worker = createOutboxWorker({ store, consumer: 'w', log: quiet, pollMs: 5, deliver: (e) => (stuck.push(textOf(e)), new Promise(() => undefined)) });
    worker.start();
    await wait(20);
    await worker.stop({ graceMs: 50 });
    expect(stuck).toEqual(['S:1']);
    const delivered: string[] = [];
    // While the stopped process may still be there, its send might go through: nothing is taken over.
    clock += STOPPED_SEND_ENDS_MS - 100;
    expect(await nextSender(store, delivered).drainOnce()).toBe(0);
    // Then both, in order, long before the 30 s of OUTBOX_RECLAIM_SECONDS.
    clock += 100;
    expect(await nextSender(store, delivered).drainOnce()).toBe(2);
    expect(delivered).toEqual(['S:1', 'S:2']);
  });

  it('leaves an entry waiting behind a failed one as it is, so that it does not overtake it', async () => {
    const store = createMemoryStore();
    await fill(store, [msg('A', '1'), msg('A', '2'), msg('B', '1'), msg('B', '2')]);
    const delivered: string[] = [];
    const failingA1 = async (e: OutboxEntry) => {
      await wait(50);
      if (textOf(e) === 'A:1') throw new Error('receiver down');
      delivered.push(textOf(e));
    };
    const worker = createOutboxWorker({ store, consumer: 'w', log: quiet, pollMs: 5, deliver: failingA1 });
    worker.start();
    await wait(20);
    await worker.stop();
    expect(delivered).toEqual(['B:1']);
    // B:2 is given back; A:2 stays behind A:1, which waits for its retry.
    expect(await nextSender(store, delivered).drainOnce()).toBe(1);
    expect(delivered).toEqual(['B:1', 'B:2']);
    expect(await store.outboxDepth()).toBe(2);
  });
});

describe('outbox sender backoff', () => {
  const SLACK = 20;
  /** Runs a sender until `done`, failing A:1 `failures` times; answers when each attempt at A:1 started. */
  async function attemptsAtFailingEntry(failures: number, options: { maxRetryDelayMs?: number } = {}) {
    const store = createMemoryStore();
    await fill(store, [msg('A', '1'), msg('A', '2'), msg('B', '1')]);
    const attempts: number[] = [];
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log: quiet,
      pollMs: 2,
      reclaimIdleMs: 50,
      maxDeliveries: 10,
      ...options,
      deliver: async (e) => {
        if (textOf(e) === 'A:1') {
          attempts.push(Date.now());
          if (attempts.length <= failures) throw new Error('receiver down');
        }
        delivered.push(textOf(e));
      },
    });
    worker.start();
    // A newer entry of the same person arrives while the failing one waits for its retry.
    await wait(120);
    await store.commitConversation({ person: { channel: 'whatsapp', id: 'y' }, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox: [msg('A', '3')] });
    worker.nudge();
    for (let i = 0; i < 400 && (await store.outboxDepth()) > 0; i++) await wait(10);
    await worker.stop();
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? t));
    return { gaps, delivered, depth: await store.outboxDepth(), dead: await store.deadLetterDepth() };
  }

  it('waits twice as long after each failure, and the person’s later entries still follow in order, once each', async () => {
    const { gaps, delivered, depth, dead } = await attemptsAtFailingEntry(4);
    // reclaimIdleMs · 2^(n-1) after the n-th failure: 50, 100, 200, 400 ms, counted from the claim
    // (SLACK: the time between a claim and the attempt, on a busy test machine).
    expect(gaps).toHaveLength(4);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(50 * 2 ** i - SLACK));
    expect(delivered).toEqual(['B:1', 'A:1', 'A:2', 'A:3']);
    expect(depth).toBe(0);
    expect(dead).toBe(0);
  });

  it('never waits longer than maxRetryDelayMs between attempts', async () => {
    const { gaps, delivered } = await attemptsAtFailingEntry(5, { maxRetryDelayMs: 100 });
    // 50, then 100 each time; without the cap the last two would be 400 and 800 ms.
    expect(gaps).toHaveLength(5);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(Math.min(100, 50 * 2 ** i) - SLACK));
    expect(Math.max(...gaps.slice(2))).toBeLessThan(300);
    expect(delivered).toEqual(['B:1', 'A:1', 'A:2', 'A:3']);
  });
});
