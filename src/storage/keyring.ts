/**
 * The pseudonym secret (see pseudonyms.ts), kept in the store sealed with `DATA_KEY` under
 * `wsp:keyring:pseudonyms`, with no expiry. The first instance to start creates it; every other
 * instance, worker and command reads the same one.
 *
 * A secret that does not open means the configured `DATA_KEY` is not the one the data was
 * written with: the store then refuses to serve rather than start a second, empty world
 * beside the people's existing data.
 */
import { randomBytes } from 'node:crypto';
import { SealError, type Sealer } from './sealer.js';

/** Where the sealed pseudonym secret lives (also listed in keys.ts). */
export const PSEUDONYM_SECRET_KEY = 'wsp:keyring:pseudonyms';

/** What loading the secret needs from a store: a read, and a write-if-absent that never expires. */
export interface KeyringAccess {
  get(key: string): Promise<string | undefined>;
  createIfAbsent(key: string, value: string): Promise<void>;
  /** Whether any other Waspada key exists (then the secret was lost, not never made). */
  hasOtherData(): Promise<boolean>;
}

/** Thrown when the stored secret does not open with the configured data keys. */
export class WrongDataKeyError extends Error {
  override name = 'WrongDataKeyError';
}

/** Reads the pseudonym secret, creating it on the very first start. */
export async function loadPseudonymSecret(access: KeyringAccess, sealer: Sealer): Promise<Buffer> {
  let stored = await access.get(PSEUDONYM_SECRET_KEY);
  if (stored === undefined && (await access.hasOtherData())) {
    // Another instance may have just made it, with its first data; otherwise it was lost (an
    // eviction policy, a stray DEL). A new secret would hide everyone's data behind new
    // pseudonyms, out of reach of `hapus`: refuse and say what to do.
    stored = await access.get(PSEUDONYM_SECRET_KEY);
    if (stored === undefined) {
      throw new WrongDataKeyError(
        `Redis holds Waspada data but not its pseudonym secret (${PSEUDONYM_SECRET_KEY}): restore that key from a backup. ` +
          'Redis must run with maxmemory-policy noeviction (or volatile-*) so that it is never evicted.',
      );
    }
  }
  if (stored === undefined) {
    await access.createIfAbsent(PSEUDONYM_SECRET_KEY, sealer.seal(randomBytes(32).toString('base64')));
    // Another instance may have won the race: everyone uses the value that was stored.
    stored = await access.get(PSEUDONYM_SECRET_KEY);
    if (stored === undefined) throw new Error('the pseudonym secret could not be stored');
  }
  try {
    const secret = Buffer.from(sealer.open(stored), 'base64');
    if (secret.length !== 32) throw new SealError('the stored pseudonym secret is malformed');
    return secret;
  } catch (err) {
    if (!(err instanceof SealError)) throw err;
    throw new WrongDataKeyError(
      'DATA_KEY does not open the data already in Redis: it is not the key this data was written with. ' +
        'Set DATA_KEY to that key (or, during a rotation, the old key as DATA_KEY_PREVIOUS).',
      { cause: err },
    );
  }
}
