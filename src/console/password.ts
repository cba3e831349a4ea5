/**
 * Staff passwords, hashed with scrypt from node:crypto (no native add-on to build). The stored
 * form carries its parameters, `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, so that they can be
 * raised later without breaking the accounts that exist.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and roughly 50–100 ms per check. OWASP prefers N = 2^17
 * (128 MiB); 2^15 keeps a burst of logins within the memory of a small server. Raising it here
 * is safe: existing hashes keep their own parameters.
 */
const DEFAULT = { logN: 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** A stored hash with parameters outside these bounds is refused rather than computed (a corrupted record must not cost a gigabyte). */
const BOUNDS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, keyBytes: number): Promise<Buffer> {
  const N = 2 ** logN;
  // Node's default maxmem (32 MiB) is exactly what N=2^15, r=8 needs and is refused; allow twice that.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  // NFC: the same password typed on another keyboard or phone gives the same bytes.
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, DEFAULT.logN, DEFAULT.r, DEFAULT.p, KEY_BYTES);
  return ['scrypt', DEFAULT.logN, DEFAULT.r, DEFAULT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const within = (value: number, [min, max]: readonly [number, number]) => Number.isInteger(value) && value >= min && value <= max;

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. Compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!within(logN, BOUNDS.logN) || !within(r, BOUNDS.r) || !within(p, BOUNDS.p)) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  const key = await derive(password, salt, logN, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Does the work of a password check against a hash nobody has, for an unknown user: the answer
 * then takes as long as for a real account, so timing does not tell which names exist.
 */
export async function checkAgainstNobody(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}
