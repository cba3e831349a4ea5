/**
 * The in-memory store: the embedded default for a first run and for tests. One process only;
 * data is lost on restart. Expiry is lazy on read, plus a periodic sweep so that idle keys do
 * not accumulate.
 */
import type { Store } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Options for the memory store; `now` is injectable so tests can move time. */
export interface MemoryStoreOptions {
  now?: () => number;
  sweepIntervalMs?: number;
}

/** Creates an in-memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store & { size(): number } {
  const now = options.now ?? Date.now;
  const data = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = data.get(key);
    if (entry && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of data) if (entry.expiresAt <= t) data.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      data.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(...keys) {
      for (const key of keys) data.delete(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      data.clear();
    },
    size() {
      return data.size;
    },
  };
}
