/** Secret comparison in constant time, so a response time never reveals how much of a guess was right. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** True when the two strings are equal; hashing first makes the comparison length-independent. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
