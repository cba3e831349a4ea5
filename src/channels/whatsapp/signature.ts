/**
 * `X-Hub-Signature-256`: `sha256=<hex>`, the HMAC-SHA256 of the raw request bytes keyed with the
 * app secret. Compared in constant time, so the check does not leak how much of a guess was right.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` is the signature of `raw` under `appSecret`. */
export function verifySignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
