/**
 * `X-Hub-Signature-256`: `sha256=<hex>`, the HMAC-SHA256 of the raw request bytes keyed with the
 * app secret. Compared in constant time, so the check does not leak how much of a guess was right.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` is the signature of `raw` under `appSecret`. */
export function verifySignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  // Exactly one hex digest: Buffer.from(…, 'hex') would silently stop at the first bad character.
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
