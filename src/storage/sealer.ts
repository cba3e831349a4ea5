/**
 * Encryption at rest for what people tell us: AES-256-GCM under `DATA_KEY`, with the key's id
 * stored in every value so that a rotation (`DATA_KEY_PREVIOUS`, `npm run keys:rotate`) can
 * read old values while new ones are written with the new key.
 *
 * A sealed value is one line of text, safe inside JSON and Redis:
 *
 *     wsp1.<key id>.<base64url of 12-byte IV | ciphertext | 16-byte tag>
 *
 * The key id is derived from the key (a hash, never the key), so it cannot be set wrong.
 * A value without the `wsp1.` prefix is refused, like a damaged one: every value was sealed from
 * the start, so an unsealed one can only have been written by someone without the key (to make
 * the bot send their text, for example).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** One data key: 32 bytes and its short public id. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** The key new values are sealed with, and the one a rotation is moving away from. */
export interface DataKeyRing {
  current: DataKey;
  previous?: DataKey;
}

/** Seals and opens the personal content we store. */
export interface Sealer {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  /** Encrypts a value (a fresh IV each time: equal texts give different values). */
  seal(plain: string): string;
  /** Decrypts a sealed value. Throws UnknownDataKeyError for a key this instance does not have, SealError for anything else that does not open. */
  open(value: string): string;
  /** True when the value is sealed with the current key (nothing for a rotation to do). */
  isCurrent(value: string): boolean;
}

/** A value that cannot be opened: changed in storage, not sealed at all, or sealed with a key we do not have. */
export class SealError extends Error {
  override name = 'SealError';
}

/**
 * Sealed with a key this instance does not have: during a rotation, an instance that does not
 * know the new key yet, or a wrong DATA_KEY. Not damage: another instance may open it, so it is
 * never thrown away, only left (the request answers 503, the outbox entry waits).
 */
export class UnknownDataKeyError extends SealError {
  override name = 'UnknownDataKeyError';
}

const PREFIX = 'wsp1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * IVs come from the CSPRNG in batches: one draw of 4 KiB serves 341 seals (each IV is still 12
 * bytes no other value gets; a drawn batch is never written again), where a draw per seal cost
 * about a third of the seal.
 */
const IV_BATCH = 341 * IV_BYTES;
let ivBatch = Buffer.alloc(0);
let ivNext = 0;

/** 12 fresh random bytes for one seal. */
function freshIv(): Buffer {
  if (ivNext + IV_BYTES > ivBatch.length) {
    ivBatch = randomBytes(IV_BATCH);
    ivNext = 0;
  }
  const iv = ivBatch.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
}

/** Every sealed value in a text (a session record, a JSON line): what a rotation looks for. */
export const SEALED_VALUE = /wsp1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+/g;

/** Reads a base64 `DATA_KEY`; undefined unless it is exactly 32 bytes. */
export function decodeDataKey(base64: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64.trim())) return undefined;
  const key = Buffer.from(base64.trim(), 'base64');
  return key.length === 32 ? key : undefined;
}

/** The data key with its id: the first 8 characters of a hash of the key, for people and logs to tell keys apart. */
export function dataKey(key: Buffer): DataKey {
  const id = createHash('sha256').update('waspada data key id\0').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}

/** A random key for a run without `DATA_KEY` (the in-memory store): what it seals dies with the process. */
export function ephemeralDataKey(): DataKey {
  return dataKey(randomBytes(32));
}

/** A sealer over the key ring. */
export function createSealer(ring: DataKeyRing): Sealer {
  const byId = new Map<string, Buffer>([[ring.current.id, ring.current.key]]);
  if (ring.previous) byId.set(ring.previous.id, ring.previous.key);
  const currentPrefix = `${PREFIX}${ring.current.id}.`;
  return {
    keyId: ring.current.id,
    seal(plain) {
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
      const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return currentPrefix + body.toString('base64url');
    },
    open(value) {
      if (!value.startsWith(PREFIX)) throw new SealError('value is not sealed');
      const id = value.slice(PREFIX.length, PREFIX.length + 8);
      const key = byId.get(id);
      if (!key) throw new UnknownDataKeyError(`value sealed with an unknown data key (${id}); is DATA_KEY_PREVIOUS missing after a rotation?`);
      const body = Buffer.from(value.slice(PREFIX.length + 9), 'base64url');
      if (body.length < IV_BYTES + TAG_BYTES) throw new SealError('sealed value is too short');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SealError('sealed value does not open: it was changed, or sealed with another key');
      }
    },
    isCurrent(value) {
      return value.startsWith(currentPrefix);
    },
  };
}

/** A value as sealed JSON, for the modules that store their own records (cases, reports, the web inbox). */
export function sealJson(sealer: Sealer, value: unknown): string {
  return sealer.seal(JSON.stringify(value));
}

/** Reads a value written by sealJson. Throws SealError (UnknownDataKeyError) or SyntaxError. */
export function openJson<T>(sealer: Sealer, raw: string): T {
  return JSON.parse(sealer.open(raw)) as T;
}
