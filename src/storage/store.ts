/**
 * The storage seam. A small key-value part (after grammY's StorageAdapter: read, write with a
 * time to live, delete, write-if-absent), and the few operations the conversation pipeline needs
 * to be safe with several instances: load a conversation, commit a step atomically with its
 * outgoing entries, and drain the outbox. The in-memory store is the embedded default; the Redis
 * store implements the same contract (tests/storage/contract.ts) for production.
 */
import type { KeyLayout, PersonRef, Retention } from './keys.js';
import type { Sealer } from './sealer.js';

/** Something to deliver after a step: a message for a person, or an event (about the person `to`) for staff and metrics. */
export type OutboxEntry =
  /** `at`: when the step that wrote it ran (ms), so a channel can drop what an erase overtook. */
  /** `caseId`: a message from hotline staff (or about their case); a failed delivery is reported on the case. */
  /** `from: 'staff'`: the words of a staff member (a reply), as opposed to the bot's own messages about the case. */
  /** `reqId`: the request whose work wrote it (Fastify's random id), so that its delivery's log lines name that request too. */
  | { kind: 'message'; channel: string; to: string; at?: number; caseId?: string; from?: 'staff'; reqId?: string; message: { text: string; choices?: Array<{ id: string; label: string }> } }
  /** `seq`: for a person's event, unique for that person (`<session version>.<index>`), so a redelivery is recognised. */
  | { kind: 'event'; channel: string; to: string; at?: number; seq?: string; reqId?: string; event: { type: string; [field: string]: unknown } };

/**
 * How long ago a released entry looks claimed by default: a day, more than any sender waits
 * before it reclaims (OUTBOX_RECLAIM_SECONDS is at most an hour), and far less than the time since
 * 1970 (Redis takes a longer idle time as none at all).
 */
export const RELEASED_IDLE_MS = 24 * 3600_000;

/** An outbox entry claimed by a sender; acknowledge it once delivered. */
export interface OutboxItem {
  /** Where it is stored (shard and stream id); opaque to senders. */
  ref: string;
  entry: OutboxEntry;
  /** How many times it has been handed to a sender, this time included. */
  deliveries: number;
}

/** A conversation as loaded: the stored session (if any), its version, and whether the inbound id was already handled. */
export interface LoadedConversation {
  session: string | undefined;
  version: number;
  seen: boolean;
  /** For a handled id: what was recorded with it (the reply of a synchronous channel), if anything. */
  recorded?: string;
}

/** One step's writes, applied all together or not at all. */
export interface ConversationCommit {
  person: PersonRef;
  /** The inbound message id; recorded so a redelivery is recognised. */
  inboundId?: string;
  /**
   * Stored with the inbound id instead of a bare marker: the web chat's reply, so that a client
   * whose answer was lost gets the same reply when it retries. With its own lifetime.
   */
  inboundRecord?: { value: string; ttlMs: number };
  /** The version the step was computed from; another version means someone else wrote first. */
  expectedVersion: number;
  /** The new session, or null to erase every key of the person (a short-lived tombstone keeps the version). */
  session: string | null;
  /** How long the session (or the erase tombstone) is kept. */
  sessionTtlMs: number;
  outbox: OutboxEntry[];
}

export type CommitOutcome = 'ok' | 'conflict' | 'duplicate';

export interface Store {
  /** Where this store keeps each key (see keys.ts); identities in keys are pseudonyms. */
  readonly layout: KeyLayout;
  /**
   * Encrypts personal content with DATA_KEY (sealer.ts). The store seals what it serialises
   * itself (outbox entries); modules that serialise their own values (sessions, cases, reports,
   * the web inbox) seal them with this before writing.
   */
  readonly sealer: Sealer;
  /** How long cases, reports and inbound ids are kept (keys.ts, Retention). */
  readonly retention: Retention;
  /** The value at `key`, or undefined when it is missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Writes `value`; it expires after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes the keys; missing keys are ignored. */
  delete(...keys: string[]): Promise<void>;
  /** Deletes `key` only while it still holds `value` (giving back a lock); true when it deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Writes `value` only when `key` is absent (Redis `SET NX PX`); true when it wrote. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Appends to a list, keeps its last `max` items, and (re)sets its time to live. */
  listPush(key: string, values: string[], ttlMs: number, max: number): Promise<void>;
  /** The items of a list, oldest first (empty when missing). */
  listRead(key: string): Promise<string[]>;
  /**
   * Reserves the next free slot of a pace shared by every instance (GCRA): slots are
   * `intervalMs` apart on average, `burst` of them may go at once; answers how long to wait
   * (0 when the slot is now).
   */
  takeSlot(key: string, intervalMs: number, now: number, burst?: number): Promise<number>;
  /**
   * The same pace used to refuse rather than to wait: takes a slot only when one is free now,
   * atomically. Answers `waitMs` 0 and the pace's next free time (`nextMs`, after this slot), or
   * how long until a slot is free, leaving the pace untouched: refused callers, however many
   * arrive at once, never push it further ahead.
   */
  tryTakeSlot(key: string, intervalMs: number, now: number, burst: number): Promise<{ waitMs: number; nextMs: number }>;

  /**
   * A sorted index (a Redis sorted set): adds `member` with `score`, or moves it to that score.
   * With `ttlMs`, the whole index then expires that long after this write (PEXPIRE); without, an
   * expiry it had stays as it was, and an index never given one never expires.
   */
  indexAdd(key: string, member: string, score: number, ttlMs?: number): Promise<void>;
  /** Removes `member` from the index (missing is fine). */
  indexRemove(key: string, member: string): Promise<void>;
  /** Members with their scores, ordered by score (`desc`: highest first, the default), at most `limit`. */
  indexRange(key: string, limit: number, order?: 'asc' | 'desc'): Promise<Array<{ member: string; score: number }>>;

  /**
   * Adds to named counters kept together under `key` (a Redis hash, HINCRBY) and (re)sets their
   * time to live. With `once`, atomically and only while that marker key is absent (it is then
   * written, with its own time to live): a redelivered event is counted once. The marker must
   * share `key`'s hash tag (one slot in a Redis Cluster). Answers whether it counted.
   */
  countersAdd(key: string, increments: Record<string, number>, ttlMs: number, once?: { key: string; ttlMs: number }): Promise<boolean>;
  /** The counters under each of `keys`, in order (an empty record for a missing key). */
  countersRead(keys: string[]): Promise<Array<Record<string, number>>>;

  /** Loads a person's session and whether `inboundId` was handled already, in one round trip. */
  loadConversation(person: PersonRef, inboundId?: string): Promise<LoadedConversation>;
  /** Atomically: refuse a handled inbound id or a changed version; else save (or erase), record the id, append the outbox entries. */
  commitConversation(commit: ConversationCommit): Promise<CommitOutcome>;

  /**
   * Appends entries to one shard's outbox, outside any person's step (hotline case events, staff
   * replies). Written in one call; senders claim them like any other entry.
   */
  appendOutbox(shard: number, entries: OutboxEntry[]): Promise<void>;
  /** Claims up to `max` entries nobody has claimed yet, for `consumer`. */
  claimOutbox(consumer: string, max: number): Promise<OutboxItem[]>;
  /** Claims entries another consumer claimed more than `minIdleMs` ago and never acknowledged (it crashed). */
  reclaimOutbox(consumer: string, minIdleMs: number, max: number): Promise<OutboxItem[]>;
  /**
   * Gives back entries that `consumer` claimed and will not deliver (a sender that stops): each
   * then looks claimed `idleMs` ago, by default long enough ago that the next reclaim of any sender
   * takes it at once (RELEASED_IDLE_MS). An entry never looks claimed more recently than it was;
   * the release does not count as a delivery (the takeover counts one, as every takeover does).
   * Entries acknowledged since, or taken over by another consumer, are left as they are.
   */
  releaseOutbox(consumer: string, items: OutboxItem[], idleMs?: number): Promise<void>;
  /** Acknowledges delivered entries; they are removed. */
  ackOutbox(items: OutboxItem[]): Promise<void>;
  /** Moves entries that never get delivered out of the way (kept for staff in the dead-letter stream). */
  deadLetterOutbox(items: OutboxItem[]): Promise<void>;
  /** Entries stored and not yet acknowledged. */
  outboxDepth(): Promise<number>;
  /**
   * When the oldest entry not yet acknowledged was queued (epoch ms), or undefined when the
   * outbox is empty: a sender that is stuck or missing shows as an age that keeps growing, which
   * the depth alone does not tell apart from a busy hour.
   */
  outboxOldestAt(): Promise<number | undefined>;
  /** Entries given up on. */
  deadLetterDepth(): Promise<number>;
  /**
   * Deletes the dead letters of the given shards that `match` picks (they are opened to decide)
   * and answers how many: an erase removes what was given up on about the person, since those
   * entries hold their words. One that does not open is kept (nobody can read it anyway).
   */
  dropDeadLetters(shards: readonly number[], match: (entry: OutboxEntry) => boolean): Promise<number>;

  /** Resolves when the store can serve requests; rejects otherwise (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the store cannot be reached; the HTTP layer answers 503 so that providers retry. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
