/**
 * Cases in the store: the record, its timeline, the indexes staff browse, and the link from a
 * person to their open case. Every change of one case runs under that case's lock, so two staff
 * members pressing "claim" at once get one claim and one clear refusal.
 */
import { randomInt } from 'node:crypto';
import type { PersonRef } from '../storage/keys.js';
import { withLock } from '../storage/lock.js';
import { openJson, SealError, sealJson, UnknownDataKeyError } from '../storage/sealer.js';
import { StoreUnavailableError, type Store } from '../storage/store.js';
import type { Case, CaseStatus, TimelineEntry } from './case.js';
import type { Priority } from '../engine/types.js';

/** Letters and digits that cannot be mistaken for each other when read aloud or copied by hand (no 0/O, 1/I/L, 5/S, 2/Z, U/V). */
const ID_ALPHABET = '346789ABCDEFGHJKMNPQRTWXY';
/** 25^6 ≈ 244 million ids: collisions are rare and retried. */
const ID_LENGTH = 6;

const DAY_MS = 24 * 60 * 60 * 1000;
/** An open case is kept as long as it stays open, refreshed on every change (a year without any is abandoned). */
const ACTIVE_TTL_MS = 365 * DAY_MS;
/** Timeline entries kept per case; a conversation longer than this keeps its latest part. */
const TIMELINE_MAX = 5000;
const LOCK_TTL_MS = 5000;
/** More ids than any case index holds: "read all of it" (ids only; records are read one by one). */
const ALL_CASES = 1_000_000;
const LOCK_TRIES = 100;
/** Ids kept in a person's list of cases (far more than anyone has). */
const PERSON_CASES_MAX = 1000;

/** A case together with the position of its last timeline entry. */
interface StoredCase extends Case {
  /** How many timeline entries were written (the next one is `entries + 1`). */
  entries: number;
}

/** Thrown when a case id does not exist (or expired). */
export class CaseNotFound extends Error {
  override name = 'CaseNotFound';
}

/** A new random case id, e.g. `K7M4QX`: short enough to read over the phone. */
export function newCaseId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** True for something that could be a case id (a `#` and lower case are forgiven). */
export function normaliseCaseId(text: string): string | undefined {
  const id = text.trim().replace(/^#/, '').toUpperCase();
  return new RegExp(`^[${ID_ALPHABET}]{${ID_LENGTH}}$`).test(id) ? id : undefined;
}

/** What a change of a case produced: the case after it, and the timeline entries it added. */
export interface CaseChange {
  case: Case;
  added: TimelineEntry[];
}

/**
 * The store operations on cases. The record (with the person's address) and the timeline (what
 * they and staff wrote) are sealed with DATA_KEY; a closed case is kept for the store's
 * retention (CASE_RETENTION_DAYS) for the statistics and follow-up, then expires.
 */
export function createCaseStore(store: Store) {
  const k = store.layout;
  const closedTtlMs = store.retention.closedCaseMs;

  const ttlOf = (c: Case) => (c.status === 'closed' ? closedTtlMs : ACTIVE_TTL_MS);
  const seal = (value: unknown): string => sealJson(store.sealer, value);

  async function read(id: string): Promise<StoredCase | undefined> {
    const raw = await store.get(k.caseRecord(id));
    return raw === undefined ? undefined : openJson<StoredCase>(store.sealer, raw);
  }

  /** The timeline; an entry damaged in storage (or written without the key) is left out, never trusted. */
  async function readTimeline(id: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for (const raw of await store.listRead(k.caseTimeline(id))) {
      const entry = unlessDamaged(() => openJson<TimelineEntry>(store.sealer, raw));
      if (entry) entries.push(entry);
    }
    return entries;
  }

  /**
   * A case for the queue: one damaged in storage is left out (and kept in the index for someone
   * to look into) rather than failing the whole queue.
   */
  async function readListed(id: string): Promise<StoredCase | 'damaged' | undefined> {
    const raw = await store.get(k.caseRecord(id));
    if (raw === undefined) return undefined;
    return unlessDamaged(() => openJson<StoredCase>(store.sealer, raw)) ?? 'damaged';
  }

  const INDEX: Record<CaseStatus, string> = { open: k.casesOpen, claimed: k.casesClaimed, closed: k.casesClosed };

  async function write(c: StoredCase): Promise<void> {
    await store.set(k.caseRecord(c.id), seal(c), ttlOf(c));
    for (const status of ['open', 'claimed', 'closed'] as const) {
      if (status === c.status) await store.indexAdd(INDEX[status], c.id, status === 'closed' ? (c.closedAt ?? c.openedAt) : c.openedAt);
      else await store.indexRemove(INDEX[status], c.id);
    }
  }

  const lock = <T>(id: string, fn: () => Promise<T>): Promise<T> =>
    withLock(store, k.caseLock(id), { ttlMs: LOCK_TTL_MS, tries: LOCK_TRIES, waitMs: [20, 50], busy: () => new Error(`case ${id} is busy`) }, fn);

  return {
    /**
     * Creates a case under a fresh id, with its first timeline entries; returns it. With `owner`,
     * the id joins that person's cases before anything of theirs is stored under it: whatever
     * fails later, an erase finds the case (an id whose case was never written is skipped).
     */
    async create(make: (id: string) => Case, entries: Array<Omit<TimelineEntry, 'n'>>, owner?: PersonRef): Promise<CaseChange> {
      for (;;) {
        const id = newCaseId();
        const created = await lock(id, async () => {
          // Every write of a case holds its lock, so a collision with an existing case shows here (and draws again).
          if ((await store.get(k.caseRecord(id))) !== undefined) return undefined;
          if (owner) await store.listPush(k.personCases(owner), [id], ACTIVE_TTL_MS, PERSON_CASES_MAX);
          const c: StoredCase = { ...make(id), entries: 0 };
          const added = entries.map((e, i) => ({ ...e, n: i + 1 }));
          c.entries = added.length;
          if (added.length > 0) await store.listPush(k.caseTimeline(id), added.map(seal), ttlOf(c), TIMELINE_MAX);
          await write(c);
          return { case: strip(c), added };
        });
        if (created) return created;
      }
    },

    /** The case, or undefined. */
    async get(id: string): Promise<Case | undefined> {
      const c = await read(id);
      return c && strip(c);
    },

    /**
     * Changes a case under its lock: `fn` gets the case and returns the new case and the timeline
     * entries to add (it may throw IllegalTransition: nothing is written then).
     */
    async update(id: string, fn: (c: Case) => { case: Case; entries: Array<Omit<TimelineEntry, 'n'>> }): Promise<CaseChange> {
      return lock(id, async () => {
        const current = await read(id);
        if (!current) throw new CaseNotFound(`There is no case #${id}.`);
        const result = fn(strip(current));
        const added = result.entries.map((e, i) => ({ ...e, n: current.entries + i + 1 }));
        const next: StoredCase = { ...result.case, entries: current.entries + added.length };
        if (added.length > 0) await store.listPush(k.caseTimeline(id), added.map(seal), ttlOf(next), TIMELINE_MAX);
        await write(next);
        return { case: result.case, added };
      });
    },

    /**
     * Changes a case like `update` and, under the same lock, keeps of its timeline only what `keep`
     * returns (then the entries the change adds): after an erase nothing the person wrote stays.
     * Safe to run again. Undefined when there is no such case; a timeline left under the id
     * without its case (a creation that failed half-way) is removed then.
     */
    async rewrite(id: string, fn: (c: Case) => { case: Case; entries: Array<Omit<TimelineEntry, 'n'>> }, keep: (entries: TimelineEntry[]) => TimelineEntry[]): Promise<CaseChange | undefined> {
      return lock(id, async () => {
        const current = await read(id);
        if (!current) {
          await store.delete(k.caseTimeline(id));
          return undefined;
        }
        const result = fn(strip(current));
        const added = result.entries.map((e, i) => ({ ...e, n: current.entries + i + 1 }));
        const next: StoredCase = { ...result.case, entries: current.entries + added.length };
        const kept = [...keep(await readTimeline(id)), ...added];
        await store.delete(k.caseTimeline(id));
        if (kept.length > 0) await store.listPush(k.caseTimeline(id), kept.map(seal), ttlOf(next), TIMELINE_MAX);
        await write(next);
        return { case: result.case, added };
      });
    },

    /** The timeline entries after position `after` (0: all). */
    async timeline(id: string, after = 0): Promise<TimelineEntry[]> {
      return (await readTimeline(id)).filter((e) => e.n > after);
    },

    /**
     * Cases for the queue, filtered by status and priority: open and claimed ones oldest first
     * (the longest waiting must never fall off the end), closed ones newest first.
     */
    async list(filter: { status?: CaseStatus; priority?: Priority; limit?: number } = {}): Promise<Case[]> {
      const limit = filter.limit ?? 100;
      const statuses: CaseStatus[] = filter.status ? [filter.status] : ['open', 'claimed', 'closed'];
      // Reading further than the limit leaves room for the priority filter.
      const read1 = (s: CaseStatus) => store.indexRange(INDEX[s], filter.priority ? limit * 4 : limit, s === 'closed' ? 'desc' : 'asc');
      const ids = (await Promise.all(statuses.map(read1))).flat();
      const cases: Case[] = [];
      for (const { member } of ids) {
        const c = await readListed(member);
        if (c === 'damaged') continue;
        // An id whose case expired is cleaned from the index as it is met.
        if (!c) {
          for (const index of Object.values(INDEX)) await store.indexRemove(index, member);
          continue;
        }
        if (filter.status && c.status !== filter.status) continue;
        if (filter.priority && c.priority !== filter.priority) continue;
        cases.push(strip(c));
        if (cases.length >= limit) break;
      }
      return cases;
    },

    /**
     * Every kept case opened since `since` (ms), in any status, anonymised ones included: for the
     * console's statistics (src/insights/). Open and claimed cases are indexed by when they opened,
     * closed ones by when they closed (never earlier), so no case opened since then is missed.
     */
    async openedSince(since: number): Promise<Case[]> {
      const indexed = await Promise.all(Object.values(INDEX).map((index) => store.indexRange(index, ALL_CASES, 'desc')));
      const ids = new Set(indexed.flat().filter((m) => m.score >= since).map((m) => m.member));
      // As the queue: one case damaged in storage is left out, not a reason to fail the dashboard.
      const found = await Promise.all([...ids].map(readListed));
      return found.filter((c): c is StoredCase => c !== undefined && c !== 'damaged' && c.openedAt >= since).map(strip);
    },

    /** The open case of a person, if any. */
    async caseOf(person: PersonRef): Promise<string | undefined> {
      return store.get(k.personCase(person));
    },
    /** Makes `id` the person's open case (it is among all their cases since `create`). */
    async linkPerson(person: PersonRef, id: string): Promise<void> {
      await store.set(k.personCase(person), id, ACTIVE_TTL_MS);
    },
    /** Every case the person ever had (that is still kept), oldest first. */
    async casesOf(person: PersonRef): Promise<string[]> {
      return [...new Set(await store.listRead(k.personCases(person)))];
    },
    /** Removes the links from the person to their cases (once an erase anonymised every one of them). */
    async forgetPerson(person: PersonRef): Promise<void> {
      await store.delete(k.personCase(person), k.personCases(person));
    },
    async unlinkPerson(person: PersonRef): Promise<void> {
      await store.delete(k.personCase(person));
    },

    /** A small JSON value kept with the case (the staff-group topic), with the case's lifetime. */
    async getExtra<T>(key: string): Promise<T | undefined> {
      const raw = await store.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async setExtra(key: string, value: unknown): Promise<void> {
      await store.set(key, JSON.stringify(value), ACTIVE_TTL_MS);
    },
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;

/**
 * The value `read` gives, or undefined when it was damaged in storage. A value sealed with a key
 * this instance lacks is no damage: that is "unavailable" (503), until every instance has the key.
 */
function unlessDamaged<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownDataKeyError) throw new StoreUnavailableError('a case is sealed with a data key this instance does not have');
    if (err instanceof SealError || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function strip(c: StoredCase): Case {
  const rest: Partial<StoredCase> = { ...c };
  delete rest.entries;
  return rest as Case;
}
