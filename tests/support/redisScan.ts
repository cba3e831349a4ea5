/**
 * Reads a whole Redis the way someone holding a copy of it and DATA_KEY could: every key (SCAN),
 * every value of every type (strings, list items, set and sorted-set members, hash fields and
 * values, stream fields), each key's time to live, and every sealed value in them opened with
 * the data key (sealed values inside opened ones too). The erasure test searches the result for a
 * person's data (tests/privacy/erasure.test.ts).
 */
import { createClient } from 'redis';
import { SEALED_VALUE, type Sealer } from '../../src/storage/sealer.js';
import { stringsOf } from './logScanner.js';

/** One key as the scan found it. */
export interface ScannedKey {
  key: string;
  /** `string`, `list`, `set`, `zset`, `hash` or `stream`. */
  type: string;
  /** Milliseconds left; -1 for a key that never expires. */
  ttlMs: number;
  /** The values as stored (for a hash: fields and values; for a stream: field names and values). */
  raw: string[];
  /** Every sealed value found in `raw` (and inside opened ones), opened. */
  opened: string[];
}

/** A sealed value that would not open: the scan would be blind to it, so the test fails on it. */
export class UnopenedValue extends Error {
  override name = 'UnopenedValue';
}

/** Every sealed value in `text`, opened, and the sealed values inside those, opened too. */
export function openAll(sealer: Sealer, text: string, depth = 0): string[] {
  const out: string[] = [];
  for (const sealed of text.match(SEALED_VALUE) ?? []) {
    let plain: string;
    try {
      plain = sealer.open(sealed);
    } catch (err) {
      throw new UnopenedValue(`a sealed value does not open (${err instanceof Error ? err.message : String(err)})`);
    }
    out.push(plain);
    if (depth < 5) out.push(...openAll(sealer, plain, depth + 1));
  }
  return out;
}

/** Reads every key and value of the Redis at `url`. */
export async function scanRedis(url: string, sealer: Sealer): Promise<ScannedKey[]> {
  const client = createClient({ url, RESP: 2 });
  await client.connect();
  try {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = (await client.sendCommand(['SCAN', cursor, 'COUNT', '1000'])) as [string, string[]];
      for (const key of batch) keys.add(key);
      cursor = next;
    } while (cursor !== '0');

    const scanned: ScannedKey[] = [];
    for (const key of [...keys].sort()) {
      const type = String(await client.sendCommand(['TYPE', key]));
      // Expired between the SCAN and now.
      if (type === 'none') continue;
      const ttlMs = Number(await client.sendCommand(['PTTL', key]));
      let raw: string[];
      switch (type) {
        case 'string':
          raw = [String(await client.sendCommand(['GET', key]))];
          break;
        case 'list':
          raw = (await client.sendCommand(['LRANGE', key, '0', '-1'])) as string[];
          break;
        case 'set':
          raw = (await client.sendCommand(['SMEMBERS', key])) as string[];
          break;
        case 'zset':
          raw = (await client.sendCommand(['ZRANGE', key, '0', '-1'])) as string[];
          break;
        case 'hash':
          raw = (await client.sendCommand(['HGETALL', key])) as string[];
          break;
        case 'stream': {
          const entries = (await client.sendCommand(['XRANGE', key, '-', '+'])) as Array<[string, string[]]>;
          raw = entries.flatMap(([, fields]) => fields);
          break;
        }
        default:
          throw new Error(`the scan does not know how to read a ${type} (${key})`);
      }
      scanned.push({ key, type, ttlMs, raw, opened: raw.flatMap((value) => openAll(sealer, value)) });
    }
    return scanned;
  } finally {
    await client.close();
  }
}

/** Runs of base64 or base64url long enough to hide a phone number (a WhatsApp `wamid` is one). */
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

/**
 * A text as the search reads it: as stored, its JSON strings decoded (a session record is
 * `<version>:<json>`, so the JSON after the first colon too), and every base64 run decoded, so
 * that a phone number inside a `wamid` is found as well.
 */
export function searchable(text: string): string {
  const parts = [text];
  for (const candidate of [text, text.slice(text.indexOf(':') + 1)]) {
    try {
      stringsOf(JSON.parse(candidate), parts);
      break;
    } catch {
      // Not JSON.
    }
  }
  for (const run of text.match(BASE64_RUN) ?? []) {
    const body = run.replace(/^wamid\./, '');
    parts.push(Buffer.from(body, 'base64').toString('latin1'), Buffer.from(body, 'base64url').toString('latin1'));
  }
  return parts.join('\n');
}
