/**
 * The pace behind every per-address limit (src/http/ipLimits.ts): the GCRA pace the store keeps
 * for the senders, taken with `tryTakeSlot` to refuse instead of to wait, and so shared by every
 * instance on one Redis. A refused request does not reserve a slot, so a client that keeps
 * knocking is let in again as soon as its pace allows — with many people behind one mobile
 * carrier's address (CGNAT), one noisy phone must not lock the others out for longer than the
 * pace itself. The client is its address; an IPv6 client by its /64, which one household or
 * phone usually has whole.
 */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Store } from '../storage/store.js';

/** The part of the store a pace uses. */
export type RateStore = Pick<Store, 'tryTakeSlot'>;

/** What a request may do now: when let in, how many more may follow at once; when refused, how long until one more may. */
export type PaceDecision = { ok: true; remaining: number; restMs: number } | { ok: false; waitMs: number };

/**
 * Takes one request from the pace at `key`: `burst` at once, then one every `intervalMs`.
 * `restMs` is how long until the whole burst is back.
 */
export async function takePace(store: RateStore, key: string, o: { intervalMs: number; burst: number; at: number }): Promise<PaceDecision> {
  const { intervalMs, burst, at } = o;
  // One atomic step: a request that would have to wait is refused without moving the pace, even
  // when many arrive at the same moment on several instances.
  const { waitMs, nextMs } = await store.tryTakeSlot(key, intervalMs, at, burst);
  if (waitMs > 0) return { ok: false, waitMs };
  // The pace may run this far ahead of now while a slot is still free at once.
  const ahead = (burst - 1) * intervalMs;
  const restMs = nextMs - at;
  return { ok: true, remaining: Math.max(0, Math.floor((ahead - restMs) / intervalMs) + 1), restMs };
}

/** The client's address as a short hash: IPv4 whole (an IPv4-mapped IPv6 address too), IPv6 by its first 64 bits. */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped?.[1] ?? (isIPv6(ip) ? `${expandIPv6(ip).slice(0, 4).join(':')}::/64` : ip);
  return createHash('sha256').update(address).digest('base64url').slice(0, 22);
}

/** The eight groups of an IPv6 address, without leading zeros (`2001:db8::1` → 2001,db8,0,…,1). */
function expandIPv6(ip: string): string[] {
  const [address = ''] = ip.toLowerCase().split('%');
  const [head = '', tail] = address.split('::');
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}
