/**
 * Key rotation for what is stored in Redis (`npm run keys:rotate`): every value sealed with a
 * key other than DATA_KEY is opened (with DATA_KEY_PREVIOUS) and sealed again with DATA_KEY, in
 * batches, while the service keeps running.
 *
 * Each value is replaced only if it is still the one that was read (a compare-and-set in Lua,
 * keeping its time to live), so a write by the running service is never overwritten by a stale
 * copy; such a value is simply counted as "changed meanwhile" and the next run picks it up.
 * Stream entries (the outbox, the dead letters) cannot be rewritten in place: they are counted,
 * and leave by themselves (delivered within minutes; dead letters after 7 days). Keep
 * DATA_KEY_PREVIOUS set until a run reports none left.
 */
import { SEALED_VALUE, type Sealer } from './sealer.js';

/** What the rotation needs from Redis: one raw command at a time. */
export type RawCommand = <T>(key: string, args: string[]) => Promise<T>;

/** What a run did. */
export interface ResealReport {
  /** Keys looked at. */
  keys: number;
  /** Values (strings and list items) sealed again with the current key. */
  resealed: number;
  /** Values that changed while we worked; a later run handles them. */
  changedMeanwhile: number;
  /** Sealed values no configured key opens (damaged, or a key older than DATA_KEY_PREVIOUS). */
  unreadable: number;
  /** Outbox entries still sealed with another key (they are delivered within minutes). */
  streamEntriesLeft: number;
  /** Dead letters still sealed with another key (they are deleted after 7 days). */
  deadLettersLeft: number;
}

/** Replaces a string value only if it is unchanged, keeping its expiry. */
const SET_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0`;
/** Replaces a list item only if it is unchanged (LSET keeps the list's expiry). */
const LSET_IF_SAME = `if redis.call('LINDEX', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('LSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0`;

/**
 * Re-seals every value of one Waspada Redis. `onBatch` hears the running totals after each
 * SCAN batch (for a progress line).
 */
export async function resealAll(call: RawCommand, sealer: Sealer, options: { batch?: number; onBatch?: (r: ResealReport) => void } = {}): Promise<ResealReport> {
  const report: ResealReport = { keys: 0, resealed: 0, changedMeanwhile: 0, unreadable: 0, streamEntriesLeft: 0, deadLettersLeft: 0 };
  /** The value with every sealed part under the current key; undefined when nothing needs doing. */
  const resealed = (value: string): string | undefined => {
    let changed = false;
    const next = value.replace(SEALED_VALUE, (sealed) => {
      if (sealer.isCurrent(sealed)) return sealed;
      try {
        const again = sealer.seal(sealer.open(sealed));
        changed = true;
        return again;
      } catch {
        report.unreadable += 1;
        return sealed;
      }
    });
    return changed ? next : undefined;
  };
  const needsWork = (value: string): boolean => (value.match(SEALED_VALUE) ?? []).some((s) => !sealer.isCurrent(s));
  const count = (done: number): void => {
    if (done === 1) report.resealed += 1;
    else report.changedMeanwhile += 1;
  };

  let cursor = '0';
  do {
    const [next, keys] = await call<[string, string[]]>('', ['SCAN', cursor, 'MATCH', 'wsp:*', 'COUNT', String(options.batch ?? 500)]);
    cursor = next;
    for (const key of keys) {
      report.keys += 1;
      const type = await call<string>(key, ['TYPE', key]);
      if (type === 'string') {
        const value = await call<string | null>(key, ['GET', key]);
        const again = value === null ? undefined : resealed(value);
        if (value !== null && again !== undefined) count(await call<number>(key, ['EVAL', SET_IF_SAME, '1', key, value, again]));
      } else if (type === 'list') {
        const items = await call<string[]>(key, ['LRANGE', key, '0', '-1']);
        for (const [i, item] of items.entries()) {
          const again = resealed(item);
          if (again !== undefined) count(await call<number>(key, ['EVAL', LSET_IF_SAME, '1', key, String(i), item, again]));
        }
      } else if (type === 'stream') {
        const entries = await call<Array<[string, string[]]>>(key, ['XRANGE', key, '-', '+']);
        const left = entries.filter(([, fields]) => fields.some(needsWork)).length;
        if (key.endsWith(':dead')) report.deadLettersLeft += left;
        else report.streamEntriesLeft += left;
      }
    }
    options.onBatch?.({ ...report });
  } while (cursor !== '0');
  return report;
}
