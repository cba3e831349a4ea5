/**
 * The in-memory store: the embedded default for a first run and for tests. One process only;
 * data is lost on restart. It keeps the same semantics as the Redis store — versioned sessions,
 * inbound ids, an outbox with claim, acknowledge and reclaim — so the pipeline cannot tell
 * them apart. Expiry is lazy on read, plus a periodic sweep so that idle keys do not pile up.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_RETENTION, checkShard, keyLayout, DEFAULT_SHARDS, type KeyLayout, type Retention } from './keys.js';
import { pseudonymsFrom } from './pseudonyms.js';
import { createSealer, ephemeralDataKey, type DataKeyRing } from './sealer.js';
import { parseSessionRecord, sessionRecord } from './sessionRecord.js';
import { RELEASED_IDLE_MS, type OutboxEntry, type OutboxItem, type Store } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

interface Pending {
  entry: OutboxEntry;
  claimedBy: string | null;
  claimedAt: number;
  deliveries: number;
  queuedAt: number;
}

/** Options for the memory store; `now` is injectable so tests can move time. */
export interface MemoryStoreOptions {
  now?: () => number;
  sweepIntervalMs?: number;
  shards?: number;
  /** How long things are kept; DEFAULT_RETENTION when unset. */
  retention?: Partial<Retention>;
  /** The data keys; a random one when unset (nothing outlives the process anyway). */
  dataKeys?: DataKeyRing;
}

/** Creates an in-memory store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store & { size(): number; layout: KeyLayout } {
  const now = options.now ?? Date.now;
  // The data lives only as long as the process, so a fresh pseudonym secret per process is enough.
  const layout = keyLayout(options.shards ?? DEFAULT_SHARDS, pseudonymsFrom(randomBytes(32)));
  const sealer = createSealer(options.dataKeys ?? { current: ephemeralDataKey() });
  const retention: Retention = { ...DEFAULT_RETENTION, ...options.retention };
  const data = new Map<string, Entry>();
  // Map keeps insertion order, so claiming walks the outbox oldest first.
  const outbox = new Map<string, Pending>();
  const dead: OutboxEntry[] = [];
  // Sorted indexes (member → score) apart from the other keys, and when those given a time to live expire.
  const indexes = new Map<string, Map<string, number>>();
  const indexExpiry = new Map<string, number>();
  let sequence = 0;

  const live = (key: string): Entry | undefined => {
    const entry = data.get(key);
    if (entry && entry.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  const dropIndex = (key: string): void => {
    indexes.delete(key);
    indexExpiry.delete(key);
  };
  /** An index that has not expired (an expired one is dropped, as Redis would have). */
  const liveIndex = (key: string): Map<string, number> | undefined => {
    const expiresAt = indexExpiry.get(key);
    if (expiresAt !== undefined && expiresAt <= now()) dropIndex(key);
    return indexes.get(key);
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of data) if (entry.expiresAt <= t) data.delete(key);
    for (const [key, expiresAt] of indexExpiry) if (expiresAt <= t) dropIndex(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  /** One slot of a pace (GCRA), as the Redis script TAKE_SLOT takes it. */
  const slot = (key: string, intervalMs: number, at: number, burst: number, onlyIfFree: boolean): { waitMs: number; nextMs: number } => {
    const tat = Math.max(at, Number(live(key)?.value ?? '0'));
    const waitMs = Math.max(0, tat - (burst - 1) * intervalMs - at);
    if (waitMs > 0 && onlyIfFree) return { waitMs, nextMs: tat };
    data.set(key, { value: String(tat + intervalMs), expiresAt: now() + (tat + intervalMs - at) + 1000 });
    return { waitMs, nextMs: tat + intervalMs };
  };

  /** Queues entries for the senders, as a Redis stream would: in order, unclaimed. */
  const enqueue = (entries: OutboxEntry[]): void => {
    for (const entry of entries) outbox.set(`m-${++sequence}`, { entry, claimedBy: null, claimedAt: 0, deliveries: 0, queuedAt: now() });
  };

  const take = (consumer: string, max: number, eligible: (p: Pending) => boolean): OutboxItem[] => {
    const items: OutboxItem[] = [];
    for (const [ref, p] of outbox) {
      if (items.length >= max) break;
      if (!eligible(p)) continue;
      p.claimedBy = consumer;
      p.claimedAt = now();
      p.deliveries += 1;
      items.push({ ref, entry: p.entry, deliveries: p.deliveries });
    }
    return items;
  };

  return {
    layout,
    sealer,
    retention,
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      data.set(key, { value, expiresAt: now() + ttlMs });
    },
    async delete(...keys) {
      // Like Redis DEL, whatever the key holds.
      for (const key of keys) {
        data.delete(key);
        dropIndex(key);
      }
    },
    async deleteIfEquals(key, value) {
      if (live(key)?.value !== value) return false;
      data.delete(key);
      return true;
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      data.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },

    async listPush(key, values, ttlMs, max) {
      const list = [...JSON.parse(live(key)?.value ?? '[]'), ...values].slice(-max) as string[];
      data.set(key, { value: JSON.stringify(list), expiresAt: now() + ttlMs });
    },
    async listRead(key) {
      return JSON.parse(live(key)?.value ?? '[]') as string[];
    },
    async takeSlot(key, intervalMs, at, burst = 1) {
      return slot(key, intervalMs, at, burst, false).waitMs;
    },
    async tryTakeSlot(key, intervalMs, at, burst) {
      return slot(key, intervalMs, at, burst, true);
    },

    async indexAdd(key, member, score, ttlMs) {
      if (!Number.isFinite(score)) throw new RangeError(`index score must be a finite number, not ${score}`);
      const index = liveIndex(key) ?? new Map<string, number>();
      index.set(member, score);
      indexes.set(key, index);
      if (ttlMs !== undefined) indexExpiry.set(key, now() + Math.max(1, Math.round(ttlMs)));
    },
    async indexRemove(key, member) {
      const index = liveIndex(key);
      index?.delete(member);
      // Redis drops a sorted set (and its expiry) with its last member.
      if (index?.size === 0) dropIndex(key);
    },
    async indexRange(key, limit, order = 'desc') {
      const members = [...(liveIndex(key) ?? [])].map(([member, score]) => ({ member, score }));
      // Redis orders equal scores by member, byte by byte, and `desc` is the exact reverse.
      members.sort((a, b) => a.score - b.score || Buffer.compare(Buffer.from(a.member), Buffer.from(b.member)));
      if (order === 'desc') members.reverse();
      return members.slice(0, Math.max(0, Math.floor(limit)));
    },

    async countersAdd(key, increments, ttlMs, once) {
      if (once) {
        if (live(once.key)) return false;
        data.set(once.key, { value: '1', expiresAt: now() + once.ttlMs });
      }
      const counts = JSON.parse(live(key)?.value ?? '{}') as Record<string, number>;
      for (const [field, by] of Object.entries(increments)) counts[field] = (counts[field] ?? 0) + Math.trunc(by);
      data.set(key, { value: JSON.stringify(counts), expiresAt: now() + ttlMs });
      return true;
    },
    async countersRead(keys) {
      return keys.map((key) => JSON.parse(live(key)?.value ?? '{}') as Record<string, number>);
    },

    async loadConversation(person, inboundId) {
      const record = parseSessionRecord(live(layout.session(person))?.value);
      const inbound = inboundId !== undefined ? live(layout.inbound(person, inboundId))?.value : undefined;
      return { ...record, seen: inbound !== undefined, ...(inbound !== undefined && inbound !== '1' ? { recorded: inbound } : {}) };
    },
    async commitConversation(c) {
      const inboundKey = c.inboundId !== undefined ? layout.inbound(c.person, c.inboundId) : undefined;
      if (inboundKey && live(inboundKey)) return 'duplicate';
      const sessionKey = layout.session(c.person);
      const current = parseSessionRecord(live(sessionKey)?.value);
      if (current.version !== c.expectedVersion) return 'conflict';
      // Erasing leaves a tombstone: the next version with no data, and kept replies become bare
      // markers (see redisScripts.ts, COMMIT).
      const kept = layout.keptReplies(c.person);
      if (c.session === null) {
        for (const key of JSON.parse(live(kept)?.value ?? '[]') as string[]) {
          const entry = live(key);
          if (entry) data.set(key, { value: '1', expiresAt: entry.expiresAt });
        }
        for (const key of [kept, ...layout.allOf(c.person)]) data.delete(key);
      }
      data.set(sessionKey, { value: sessionRecord(current.version + 1, c.session ?? ''), expiresAt: now() + c.sessionTtlMs });
      if (inboundKey) {
        const record = c.inboundRecord ?? { value: '1', ttlMs: retention.idempotencyMs };
        data.set(inboundKey, { value: record.value, expiresAt: now() + record.ttlMs });
        if (record.value !== '1' && c.session !== null) {
          // Every kept reply, as the Redis script lists them: an erase must find the oldest too.
          const listed = [...(JSON.parse(live(kept)?.value ?? '[]') as string[]), inboundKey];
          data.set(kept, { value: JSON.stringify(listed), expiresAt: now() + record.ttlMs });
        }
      }
      enqueue(c.outbox);
      return 'ok';
    },
    async appendOutbox(shard, entries) {
      checkShard(layout, shard);
      enqueue(entries);
    },

    async claimOutbox(consumer, max) {
      return take(consumer, max, (p) => p.claimedBy === null);
    },
    async reclaimOutbox(consumer, minIdleMs, max) {
      const t = now();
      return take(consumer, max, (p) => p.claimedBy !== null && t - p.claimedAt >= minIdleMs);
    },
    async releaseOutbox(consumer, items, idleMs = RELEASED_IDLE_MS) {
      for (const item of items) {
        const p = outbox.get(item.ref);
        if (p?.claimedBy === consumer) p.claimedAt = Math.min(p.claimedAt, now() - idleMs);
      }
    },
    async ackOutbox(items) {
      for (const item of items) outbox.delete(item.ref);
    },
    async deadLetterOutbox(items) {
      for (const item of items) {
        const p = outbox.get(item.ref);
        if (!p) continue;
        dead.push(p.entry);
        outbox.delete(item.ref);
      }
    },
    async outboxDepth() {
      return outbox.size;
    },
    async outboxOldestAt() {
      // Insertion order: the first pending entry is the oldest.
      for (const p of outbox.values()) return p.queuedAt;
      return undefined;
    },
    async deadLetterDepth() {
      return dead.length;
    },
    async dropDeadLetters(shards, match) {
      for (const shard of shards) checkShard(layout, shard);
      // One list for every shard here: the match alone decides.
      const kept = dead.filter((entry) => !match(entry));
      const dropped = dead.length - kept.length;
      dead.splice(0, dead.length, ...kept);
      return dropped;
    },

    async ping() {},
    async close() {
      clearInterval(sweep);
      data.clear();
      outbox.clear();
      indexes.clear();
      indexExpiry.clear();
      dead.length = 0;
    },
    size() {
      return data.size;
    },
  };
}
