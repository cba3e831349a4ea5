/**
 * The Redis store (node-redis), for production and for several instances behind a load
 * balancer. A single server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`).
 *
 * - A conversation step costs two round trips: one MGET (session + inbound id), one script
 *   (compare-and-set of the session, the inbound id, the outbox entries; see redisScripts.ts).
 * - Commands are never queued while the connection is down (`disableOfflineQueue`): they fail
 *   at once with StoreUnavailableError, the webhook answers 503, and the provider retries later.
 *   The client reconnects by itself with backoff.
 */
import { createClient, createCluster, ErrorReply } from 'redis';
import { DEAD_LETTER_RETENTION_MS, DEFAULT_RETENTION, OUTBOX_GROUP, checkShard, keyLayout, DEFAULT_SHARDS, type KeyLayout, type Retention } from './keys.js';
import { ACK, APPEND_OUTBOX, COMMIT, COUNTERS_ADD, DEAD_LETTER, DELETE_IF_EQUALS, INDEX_ADD, LIST_PUSH, RELEASE, TAKE_SLOT, type Script } from './redisScripts.js';
import { loadPseudonymSecret, PSEUDONYM_SECRET_KEY, WrongDataKeyError } from './keyring.js';
import { latePseudonyms } from './pseudonyms.js';
import { resealAll, type ResealReport } from './reseal.js';
import { createSealer, UnknownDataKeyError, type DataKeyRing } from './sealer.js';
import { parseSessionRecord } from './sessionRecord.js';
import { RELEASED_IDLE_MS, StoreUnavailableError, type OutboxEntry, type OutboxItem, type Store } from './store.js';

export interface RedisStoreOptions {
  /** `redis://…` for one server. */
  url?: string;
  /** Cluster seed nodes, `redis://host:port` each. */
  clusterNodes?: string[];
  shards?: number;
  /** A command that takes longer than this fails as "unavailable" (the provider retries). */
  commandTimeoutMs?: number;
  /** Told about connection trouble (once per outage) and recovery. */
  onConnectionChange?: (up: boolean, reason?: string) => void;
  /** Told about each command that failed because Redis could not answer (for the metrics). */
  onCommandError?: (reason: 'timeout' | 'unavailable') => void;
  /** DATA_KEY (and DATA_KEY_PREVIOUS during a rotation): seals personal content and the pseudonym secret. */
  dataKeys: DataKeyRing;
  /** How long things are kept; DEFAULT_RETENTION when unset. */
  retention?: Partial<Retention>;
  /** The clock for retention (dead letters); defaults to the wall clock. */
  now?: () => number;
  /** Told when the stored pseudonym secret cannot be read (a wrong DATA_KEY): the store then stays unavailable. */
  onKeyringError?: (err: Error) => void;
}

/** The store plus what tests and metrics read. */
export type RedisStore = Store & {
  layout: KeyLayout;
  /** Network round trips made so far (each command or script is one). */
  roundTrips(): number;
  /** Resolves once the first connection is made. */
  ready(): Promise<void>;
  /** Seals every stored value again with the current DATA_KEY (`npm run keys:rotate`; one server, not a cluster). */
  reseal(options?: { batch?: number; onBatch?: (r: ResealReport) => void }): Promise<ResealReport>;
};

/** What the store needs from a node-redis client or cluster: one raw command on the slot of `key`. */
interface Commander {
  call<T>(key: string, args: string[]): Promise<T>;
  connect(): Promise<unknown>;
  /** Closes the connection, or stops reconnecting when there is none. */
  close(): Promise<unknown>;
  readonly isReady: boolean;
  on(event: 'error' | 'ready', listener: (err?: Error) => void): unknown;
}

/** Error replies that mean "not now" rather than "wrong command": answered 503 so providers retry. */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|BUSY|CLUSTERDOWN|TRYAGAIN|OOM|MASTERDOWN|NOREPLICAS|MISCONF)\b/;

/** Backoff with jitter, capped, so that many instances do not reconnect in step. */
function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 3000) + Math.floor(Math.random() * 100);
}

function commander(options: RedisStoreOptions): Commander {
  const common = {
    RESP: 2 as const,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: reconnectDelay },
  };
  if (options.clusterNodes && options.clusterNodes.length > 0) {
    const cluster = createCluster({ rootNodes: options.clusterNodes.map((url) => ({ url })), defaults: common, RESP: 2 });
    return {
      call: (key, args) => cluster.sendCommand(key, false, args),
      connect: () => cluster.connect(),
      close: () => (cluster.isOpen ? cluster.close() : Promise.resolve(cluster.destroy())),
      get isReady() {
        return cluster.isOpen;
      },
      on: (event, listener) => cluster.on(event === 'ready' ? 'connect' : event, listener),
    };
  }
  const client = createClient({ url: options.url, ...common });
  return {
    call: (_key, args) => client.sendCommand(args),
    connect: () => client.connect(),
    close: () => (client.isReady ? client.close() : Promise.resolve(client.destroy())),
    get isReady() {
      return client.isReady;
    },
    on: (event, listener) => client.on(event, listener),
  };
}

/** Creates the Redis store and starts connecting (without waiting; `/readyz` tells when it is up). */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  // Keys are built from pseudonyms, whose secret is read from Redis once connected (keyring.ts).
  const pseudonyms = latePseudonyms();
  const layout = keyLayout(options.shards ?? DEFAULT_SHARDS, pseudonyms.pseudonymise);
  const sealer = createSealer(options.dataKeys);
  const now = options.now ?? Date.now;
  const retention: Retention = { ...DEFAULT_RETENTION, ...options.retention };
  const redis = commander(options);
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  let trips = 0;
  let up = false;
  const groupsMade = new Set<number>();

  // Told once per outage, and also when the very first connection fails (a wrong REDIS_URL).
  let reported = false;
  redis.on('error', (err) => {
    if (up || !reported) options.onConnectionChange?.(false, err?.name ?? 'error');
    reported = true;
    up = false;
  });
  // Scripts are loaded on every (re)connection so that the hot path never pays for NOSCRIPT.
  // (On a cluster the EVAL fallback loads them on each node the first time instead.)
  const loadScripts = async (): Promise<void> => {
    if (options.clusterNodes?.length) return;
    await Promise.all([COMMIT, APPEND_OUTBOX, ACK, RELEASE, DEAD_LETTER, DELETE_IF_EQUALS, INDEX_ADD, LIST_PUSH, TAKE_SLOT, COUNTERS_ADD].map((s) => call('', ['SCRIPT', 'LOAD', s.source]))).catch(() => undefined);
  };
  /** One slot of a pace (TAKE_SLOT); fractions of a millisecond are kept: 80 a second is 12.5 ms apart, not 13. */
  async function slot(key: string, intervalMs: number, at: number, burst: number, onlyIfFree: boolean): Promise<{ waitMs: number; nextMs: number }> {
    const [wait, next] = await evalScript<[string, string]>(TAKE_SLOT, [key], [String(at), String(intervalMs), String(Math.max(1, Math.floor(burst))), onlyIfFree ? '1' : '0']);
    return { waitMs: Number(wait), nextMs: Number(next) };
  }
  // The pseudonym secret, read (or created) on the first connection; a wrong key is reported and keeps the store unavailable.
  let keyring: Promise<void> | undefined;
  let keyringRetries = 0;
  let closed = false;
  /** Refuses work that needs the pseudonyms or opens sealed entries before the keyring is loaded (a wrong DATA_KEY stays here). */
  const keyringReady = async (): Promise<void> => {
    if (pseudonyms.ready()) return;
    await loadKeyring();
    if (!pseudonyms.ready()) throw new StoreUnavailableError('the pseudonym secret is not loaded (see the log: DATA_KEY)');
  };
  const loadKeyring = (): Promise<void> => {
    if (pseudonyms.ready()) return Promise.resolve();
    keyring ??= loadPseudonymSecret(
      {
        get: async (key) => (await call<string | null>(key, ['GET', key])) ?? undefined,
        createIfAbsent: async (key, value) => void (await call(key, ['SET', key, value, 'NX'])),
        // Only on the very first start of a deployment (or after the secret was lost): one SCAN walk.
        hasOtherData: async () => {
          let cursor = '0';
          do {
            const [next, keys] = await call<[string, string[]]>('', ['SCAN', cursor, 'MATCH', 'wsp:*', 'COUNT', '1000']);
            if (keys.some((k) => k !== PSEUDONYM_SECRET_KEY)) return true;
            cursor = next;
          } while (cursor !== '0');
          return false;
        },
      },
      sealer,
    ).then(
      (secret) => pseudonyms.set(secret),
      (err: unknown) => {
        keyring = undefined;
        if (err instanceof WrongDataKeyError) {
          // A wrong key is for a person to fix (and a restart to pick up); trying again will not help.
          options.onKeyringError?.(err);
          return;
        }
        // Anything else (Redis loading its AOF, a timeout, a failover) is tried again soon, also
        // when nothing else would ask (a separate sender has no /readyz to poll).
        keyringRetries += 1;
        if (!closed) setTimeout(() => void loadKeyring(), reconnectDelay(keyringRetries)).unref();
      },
    );
    return keyring;
  };
  redis.on('ready', () => {
    up = true;
    reported = false;
    groupsMade.clear();
    options.onConnectionChange?.(true);
    void loadScripts();
    void loadKeyring();
  });
  const connecting = redis.connect().then(
    () => Promise.all([loadScripts(), loadKeyring()]).then(() => undefined),
    () => undefined,
  );

  /** One command, with a time limit; connection trouble becomes StoreUnavailableError. */
  async function call<T>(key: string, args: string[]): Promise<T> {
    trips += 1;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        redis.call<T>(key, args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreUnavailableError('redis command timed out')), timeoutMs);
        }),
      ]);
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        options.onCommandError?.('timeout');
        throw err;
      }
      // A reply error is Redis telling us about the command itself (a bug), unless it says the
      // server cannot serve right now: loading the AOF, a failover, a full memory, a cluster change.
      if (err instanceof ErrorReply && !UNAVAILABLE_REPLY.test(err.message)) throw err;
      options.onCommandError?.('unavailable');
      throw new StoreUnavailableError(`redis unavailable: ${err instanceof Error ? err.name : 'error'}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function evalScript<T>(s: Script, keys: string[], args: string[]): Promise<T> {
    const first = keys[0] ?? '';
    try {
      return await call<T>(first, ['EVALSHA', s.sha, String(keys.length), ...keys, ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return call<T>(first, ['EVAL', s.source, String(keys.length), ...keys, ...args]);
    }
  }

  /** Creates the consumer group of a shard's stream once per connection (MKSTREAM; BUSYGROUP means it exists). */
  async function ensureGroup(shard: number): Promise<void> {
    if (groupsMade.has(shard)) return;
    const key = layout.outbox(shard);
    try {
      await call(key, ['XGROUP', 'CREATE', key, OUTBOX_GROUP, '0', 'MKSTREAM']);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('BUSYGROUP')) throw err;
    }
    groupsMade.add(shard);
  }

  /**
   * Runs a consumer-group command, creating the group first; a NOGROUP reply (the stream was
   * deleted, or a failover lost it) makes the group be created again on the next call.
   */
  async function withGroup<T>(shard: number, command: () => Promise<T>): Promise<T> {
    await ensureGroup(shard);
    try {
      return await command();
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOGROUP')) groupsMade.delete(shard);
      throw err;
    }
  }

  const shards = Array.from({ length: layout.shards }, (_, i) => i);
  /** Groups claimed items by shard, turning each into script arguments. */
  const byShard = (items: OutboxItem[], args: (id: string, item: OutboxItem) => string[]): Map<number, string[]> => {
    const groups = new Map<number, string[]>();
    for (const item of items) {
      const [shard, id] = item.ref.split('|');
      const list = groups.get(Number(shard)) ?? [];
      list.push(...args(id ?? '', item));
      groups.set(Number(shard), list);
    }
    return groups;
  };
  /** Outbox entries as script arguments: the sealed JSON that the stream field `e` holds (see toItems). */
  const entryArgs = (entries: OutboxEntry[]): string[] => entries.map((e) => sealer.seal(JSON.stringify(e)));
  /** Moves entries to the dead-letter stream (`n` tries each), trimming what is past its retention. */
  const deadLetter = (shard: number, pairs: string[]): Promise<unknown> =>
    evalScript(DEAD_LETTER, [layout.outbox(shard), layout.deadLetters(shard)], [OUTBOX_GROUP, String(Math.max(0, now() - DEAD_LETTER_RETENTION_MS)), ...pairs]);
  /**
   * Claimed stream entries as items. An entry that does not open (sealed with a key that is no
   * longer configured, or damaged) could never be sent: it goes to the dead letters at once
   * instead of blocking its shard.
   */
  const toItems = async (shard: number, raw: unknown, deliveries = 1): Promise<OutboxItem[]> => {
    const entries = (raw ?? []) as Array<[string, string[] | null] | null>;
    const items: OutboxItem[] = [];
    const unreadable: string[] = [];
    for (const e of entries) {
      if (!e || !e[1]) continue;
      const [id, fields] = e;
      const json = fields[fields.indexOf('e') + 1];
      if (json === undefined) continue;
      try {
        items.push({ ref: `${shard}|${id}`, entry: JSON.parse(sealer.open(json)) as OutboxEntry, deliveries });
      } catch (err) {
        // Sealed with a key we do not have (a rotation half rolled out, a wrong key): left pending
        // for an instance that has it to reclaim. Damaged or unsealed: never sendable, set aside.
        if (!(err instanceof UnknownDataKeyError)) unreadable.push(id, '0');
      }
    }
    if (unreadable.length > 0) await deadLetter(shard, unreadable);
    return items;
  };

  return {
    layout,
    sealer,
    retention,
    roundTrips: () => trips,
    ready: () => connecting,
    async reseal(o = {}) {
      // SCAN walks one server; a cluster would need a walk per primary, which is not built yet.
      if (options.clusterNodes?.length) throw new Error('keys:rotate works on a single Redis server (REDIS_URL), not yet on a Redis Cluster');
      return resealAll((key, args) => call(key, args), sealer, o);
    },

    async get(key) {
      return (await call<string | null>(key, ['GET', key])) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await call(key, ['SET', key, value, 'PX', String(Math.max(1, Math.round(ttlMs)))]);
    },
    async delete(...keys) {
      // One DEL per key: in a cluster the keys may live on different slots.
      await Promise.all(keys.map((key) => call(key, ['DEL', key])));
    },
    async deleteIfEquals(key, value) {
      return (await evalScript<number>(DELETE_IF_EQUALS, [key], [value])) === 1;
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await call<string | null>(key, ['SET', key, value, 'NX', 'PX', String(Math.max(1, Math.round(ttlMs)))])) === 'OK';
    },

    async listPush(key, values, ttlMs, max) {
      if (values.length === 0) return;
      await evalScript(LIST_PUSH, [key], [String(max), String(Math.max(1, Math.round(ttlMs))), ...values]);
    },
    async listRead(key) {
      return call<string[]>(key, ['LRANGE', key, '0', '-1']);
    },
    async takeSlot(key, intervalMs, at, burst = 1) {
      return (await slot(key, intervalMs, at, burst, false)).waitMs;
    },
    async tryTakeSlot(key, intervalMs, at, burst) {
      return slot(key, intervalMs, at, burst, true);
    },

    async indexAdd(key, member, score, ttlMs) {
      // "Infinity" would be stored as inf and read back as NaN; NaN is refused by Redis itself.
      if (!Number.isFinite(score)) throw new RangeError(`index score must be a finite number, not ${score}`);
      if (ttlMs === undefined) await call(key, ['ZADD', key, String(score), member]);
      // The member and the expiry in one step: an index is never left written without its expiry.
      else await evalScript(INDEX_ADD, [key], [String(score), member, String(Math.max(1, Math.round(ttlMs)))]);
    },
    async indexRemove(key, member) {
      await call(key, ['ZREM', key, member]);
    },
    async indexRange(key, limit, order = 'desc') {
      const count = Math.floor(limit);
      // A stop index of -1 would mean "to the end": a limit of 0 asks for nothing, so Redis is not asked.
      if (!(count > 0)) return [];
      const stop = Number.isSafeInteger(count) ? String(count - 1) : '-1';
      const flat = await call<string[]>(key, ['ZRANGE', key, '0', stop, ...(order === 'desc' ? ['REV'] : []), 'WITHSCORES']);
      const members: Array<{ member: string; score: number }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) members.push({ member: flat[i] ?? '', score: Number(flat[i + 1]) });
      return members;
    },

    async countersAdd(key, increments, ttlMs, once) {
      const pairs = Object.entries(increments).flatMap(([field, by]) => [field, String(Math.trunc(by))]);
      const ms = (t: number) => String(Math.max(1, Math.round(t)));
      return (await evalScript<number>(COUNTERS_ADD, once ? [key, once.key] : [key], [ms(ttlMs), ms(once?.ttlMs ?? 1), ...pairs])) === 1;
    },
    async countersRead(keys) {
      // One HGETALL per key (in a cluster the keys live on different slots); they go out together.
      const replies = await Promise.all(keys.map((key) => call<string[]>(key, ['HGETALL', key])));
      return replies.map((flat) => {
        const counts: Record<string, number> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) counts[flat[i] ?? ''] = Number(flat[i + 1]);
        return counts;
      });
    },

    async loadConversation(person, inboundId) {
      const sessionKey = layout.session(person);
      const keys = inboundId !== undefined ? [sessionKey, layout.inbound(person, inboundId)] : [sessionKey];
      const [session, inbound] = await call<Array<string | null>>(sessionKey, ['MGET', ...keys]);
      const seen = inbound !== null && inbound !== undefined;
      return { ...parseSessionRecord(session ?? undefined), seen, ...(seen && inbound !== '1' ? { recorded: inbound } : {}) };
    },
    async commitConversation(c) {
      const shard = layout.shardOf(c.person);
      const sessionKey = layout.session(c.person);
      const others = layout.allOf(c.person).filter((k) => k !== sessionKey);
      const keys = [sessionKey, layout.inbound(c.person, c.inboundId ?? '-'), layout.outbox(shard), layout.keptReplies(c.person), ...others];
      const args = [
        String(c.expectedVersion),
        c.session === null ? 'erase' : 'save',
        c.session ?? '',
        String(Math.max(1, Math.round(c.sessionTtlMs))),
        String(Math.max(1, Math.round(c.inboundRecord?.ttlMs ?? retention.idempotencyMs))),
        c.inboundId !== undefined ? '1' : '0',
        c.inboundRecord?.value ?? '1',
        ...entryArgs(c.outbox),
      ];
      return evalScript(COMMIT, keys, args);
    },

    async appendOutbox(shard, entries) {
      checkShard(layout, shard);
      if (entries.length === 0) return;
      // The consumer group is made by the first claim, from id 0, so it sees these entries too.
      await evalScript(APPEND_OUTBOX, [layout.outbox(shard)], entryArgs(entries));
    },

    async claimOutbox(consumer, max) {
      // A sender that cannot open the keyring has the wrong key: it must not take anyone's entries.
      await keyringReady();
      // Spread the batch over the shards, so one claim holds no more than the sender can send.
      const perShard = String(Math.max(1, Math.ceil(max / layout.shards)));
      const batches = await Promise.all(
        shards.map(async (shard) => {
          const key = layout.outbox(shard);
          const reply = await withGroup(shard, () =>
            call<Array<[string, unknown]> | null>(key, ['XREADGROUP', 'GROUP', OUTBOX_GROUP, consumer, 'COUNT', perShard, 'STREAMS', key, '>']),
          );
          return await toItems(shard, reply?.[0]?.[1]);
        }),
      );
      return batches.flat();
    },
    async reclaimOutbox(consumer, minIdleMs, max) {
      await keyringReady();
      const perShard = String(Math.max(1, Math.ceil(max / layout.shards)));
      const batches = await Promise.all(
        shards.map(async (shard) => {
          const key = layout.outbox(shard);
          const reply = await withGroup(shard, () =>
            call<[string, unknown, unknown]>(key, ['XAUTOCLAIM', key, OUTBOX_GROUP, consumer, String(minIdleMs), '0-0', 'COUNT', perShard]),
          );
          const items = await toItems(shard, reply[1]);
          if (items.length === 0) return items;
          // XAUTOCLAIM does not say how often an entry was tried; XPENDING does (rare path: only after a crash or failures).
          const ids = items.map((i) => i.ref.split('|')[1] ?? '');
          const pending = await call<Array<[string, string, number, number]>>(key, [
            'XPENDING', key, OUTBOX_GROUP, ids[0] ?? '-', ids.at(-1) ?? '+', String(ids.length), consumer,
          ]);
          const counts = new Map(pending.map(([id, , , n]) => [id, Number(n)]));
          return items.map((i) => ({ ...i, deliveries: counts.get(i.ref.split('|')[1] ?? '') ?? i.deliveries }));
        }),
      );
      return batches.flat();
    },
    async releaseOutbox(consumer, items, idleMs = RELEASED_IDLE_MS) {
      // One script per shard stream (each on its own slot), checking ownership and claiming in one step.
      const groups = byShard(items, (id) => [id]);
      await Promise.all([...groups].map(([shard, ids]) => evalScript(RELEASE, [layout.outbox(shard)], [OUTBOX_GROUP, consumer, String(Math.max(0, Math.round(idleMs))), ...ids])));
    },
    async ackOutbox(items) {
      await Promise.all([...byShard(items, (id) => [id])].map(([shard, ids]) => evalScript(ACK, [layout.outbox(shard)], [OUTBOX_GROUP, ...ids])));
    },
    async deadLetterOutbox(items) {
      const groups = byShard(items, (id, item) => [id, String(item.deliveries)]);
      await Promise.all([...groups].map(([shard, pairs]) => deadLetter(shard, pairs)));
    },
    async deadLetterDepth() {
      const lengths = await Promise.all(shards.map((s) => call<number>(layout.deadLetters(s), ['XLEN', layout.deadLetters(s)])));
      return lengths.reduce((a, b) => a + b, 0);
    },
    async dropDeadLetters(from, match) {
      let dropped = 0;
      for (const shard of new Set(from)) {
        checkShard(layout, shard);
        const key = layout.deadLetters(shard);
        // At most 10,000 a shard (DEAD_LETTER's MAXLEN), read in pages; an erase is rare.
        let start = '-';
        for (;;) {
          const page = await call<Array<[string, string[]]>>(key, ['XRANGE', key, start, '+', 'COUNT', '500']);
          const doomed: string[] = [];
          for (const [id, fields] of page) {
            const sealed = fields[fields.indexOf('e') + 1];
            if (sealed === undefined) continue;
            try {
              if (match(JSON.parse(sealer.open(sealed)) as OutboxEntry)) doomed.push(id);
            } catch {
              // Does not open: nobody can read it, and it leaves with the 7-day trim.
            }
          }
          if (doomed.length > 0) dropped += await call<number>(key, ['XDEL', key, ...doomed]);
          const last = page.at(-1)?.[0];
          if (page.length < 500 || last === undefined) break;
          start = `(${last}`;
        }
      }
      return dropped;
    },
    async outboxDepth() {
      const lengths = await Promise.all(shards.map((s) => call<number>(layout.outbox(s), ['XLEN', layout.outbox(s)])));
      return lengths.reduce((a, b) => a + b, 0);
    },
    async outboxOldestAt() {
      // A stream id starts with the Redis clock's milliseconds at XADD: each shard's first entry is its oldest.
      const firsts = await Promise.all(shards.map((s) => call<Array<[string, string[]]>>(layout.outbox(s), ['XRANGE', layout.outbox(s), '-', '+', 'COUNT', '1'])));
      const times = firsts.flatMap((page) => (page[0] ? [Number(page[0][0].split('-')[0])] : []));
      return times.length > 0 ? Math.min(...times) : undefined;
    },

    async ping() {
      if (!redis.isReady) throw new StoreUnavailableError('redis not connected');
      await keyringReady();
      await call(layout.outbox(0), ['PING']);
    },
    async close() {
      closed = true;
      await redis.close().catch(() => undefined);
    },
  };
}
