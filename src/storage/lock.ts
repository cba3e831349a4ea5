/**
 * A short lock in the store, shared by every instance: SET NX with an expiry to take it, and a
 * compare-and-delete to give it back, so that a holder that overran its time never releases a
 * lock someone else has taken since.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store.js';

/** How a lock is taken: how long it lives, how often to try, and the error when it stays busy. */
export interface LockOptions {
  ttlMs: number;
  tries: number;
  /** The wait between tries is drawn from [min, max) ms, so waiters do not retry in step. */
  waitMs: [number, number];
  busy: () => Error;
}

/** Runs `fn` holding the lock `key`. */
export async function withLock<T>(store: Pick<Store, 'setIfAbsent' | 'deleteIfEquals'>, key: string, o: LockOptions, fn: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  for (let i = 0; !(await store.setIfAbsent(key, token, o.ttlMs)); i++) {
    if (i >= o.tries) throw o.busy();
    await new Promise((r) => setTimeout(r, o.waitMs[0] + Math.random() * (o.waitMs[1] - o.waitMs[0])));
  }
  try {
    return await fn();
  } finally {
    await store.deleteIfEquals(key, token);
  }
}
