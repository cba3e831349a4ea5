/**
 * The licensed-agency register in the store: one value (its entries, when and from which file it
 * was imported), replaced whole by `npm run agencies:import`, and read by every app instance
 * through a cache. One value written with one SET means an instance sees the old register or the
 * new one, never half of a file.
 *
 * Building the matching index of 10,000 agencies takes tens of milliseconds, so the cache looks at
 * the store at most once per `refreshMs` and rebuilds only when the stored value changed; when
 * the store cannot be read it keeps answering with the last register it had.
 */
import { z } from 'zod';
import type { Store } from '../storage/store.js';
import { AgencyRegisterDataSchema, buildAgencyRegister, type AgencyRegister } from './agencyRegister.js';

/** The stored register: the entries, the date of import and the name of the file they came from. */
export const StoredRegisterSchema = AgencyRegisterDataSchema.extend({ source: z.string() });
export type StoredRegister = z.infer<typeof StoredRegisterSchema>;

/**
 * A register nobody re-imported for this long is dropped: the bot then answers as with no
 * register (it points to the official channels) rather than vouch for licences from a list more
 * than a year old.
 */
export const REGISTER_TTL_MS = 400 * 24 * 60 * 60 * 1000;

/** A stored register this version cannot read (hand-edited, or written by another version). */
export class StoredRegisterError extends Error {
  override readonly name = 'StoredRegisterError';
}

function parseStored(text: string): StoredRegister {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StoredRegisterError('the stored agency register is not JSON', { cause: err });
  }
  const parsed = StoredRegisterSchema.safeParse(json);
  if (!parsed.success) throw new StoredRegisterError(`the stored agency register does not match its schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Replaces the stored register with `data` in one write; refuses data the app could not read back. */
export async function saveRegister(store: Store, data: StoredRegister): Promise<void> {
  const checked = StoredRegisterSchema.parse(data);
  await store.set(store.layout.agencyRegister, JSON.stringify(checked), REGISTER_TTL_MS);
}

/** The stored register, or undefined when none was imported (or it was dropped as too old). */
export async function readRegister(store: Store): Promise<StoredRegister | undefined> {
  const text = await store.get(store.layout.agencyRegister);
  return text === undefined ? undefined : parseStored(text);
}

/** The calendar date (`YYYY-MM-DD`) at `at` (ms) in `timeZone`: the import date, and the `today` licences are checked against. */
export function localDate(at: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export interface RegisterCacheOptions {
  /** The clock (ms); tests pass their own. */
  now: () => number;
  /** How long a register is served before the store is asked again. */
  refreshMs?: number;
  /** Told when the register could not be read (store down, or a stored value it cannot read); the last good one is still served. */
  onError?: (err: unknown) => void;
}

/** The register as this instance currently knows it. */
export interface RegisterCache {
  /** The register to check agencies against, or undefined when none is loaded (the bot then claims nothing). */
  current(): Promise<AgencyRegister | undefined>;
}

/** A cache of the stored register for the check: one read per `refreshMs` at most, one index build per import. */
export function createRegisterCache(store: Store, options: RegisterCacheOptions): RegisterCache {
  const refreshMs = options.refreshMs ?? 60_000;
  let register: AgencyRegister | undefined;
  /** The stored text `register` was built from: an unchanged value is not parsed or indexed again. */
  let builtFrom: string | undefined;
  let checkedAt: number | undefined;
  let loading: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    try {
      const text = await store.get(store.layout.agencyRegister);
      if (text === undefined) {
        // Removed on purpose (or expired): no register is an answer of its own, not a failure.
        register = undefined;
        builtFrom = undefined;
      } else if (text !== builtFrom) {
        register = buildAgencyRegister(parseStored(text));
        builtFrom = text;
      }
    } catch (err) {
      options.onError?.(err);
    }
  }

  return {
    async current() {
      const now = options.now();
      // The time is taken before the read, so a failing store is asked once per period, not on every message.
      if (checkedAt === undefined || now - checkedAt >= refreshMs || now < checkedAt) {
        checkedAt = now;
        loading ??= refresh().finally(() => (loading = undefined));
      }
      if (loading !== undefined) await loading;
      return register;
    },
  };
}
