/**
 * A per-client rate limit shared by every instance: the GCRA pace the store keeps for the
 * senders (`takeSlot`), used to refuse instead of to wait. A refused request does not reserve a
 * slot, so a client that keeps knocking is let in again as soon as its pace allows — with many
 * people behind one mobile carrier's address (CGNAT), one noisy phone must not lock the others
 * out for longer than the pace itself. The client is its address; an IPv6 client by its /64,
 * which one household or phone usually has whole.
 */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Store } from '../storage/store.js';

/** What a request may do now. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The part of the store the limit uses. */
export type RateStore = Pick<Store, 'get' | 'takeSlot'>;

export interface ClientRate {
  /** Takes one request of `client` (an IP address); refused ones say when to come back. */
  take(client: string): Promise<RateDecision>;
}

/**
 * Creates a limit of `perMinute` requests a minute on average, `burst` at once, under the key
 * `key(hash of the client)`: the store never holds an address.
 */
export function createClientRate(o: { store: RateStore; key: (client: string) => string; perMinute: number; burst: number; now: () => number }): ClientRate {
  const interval = 60_000 / o.perMinute;
  // The pace may run this far ahead of now; `takeSlot` answers 0 while it does not.
  const ahead = (o.burst - 1) * interval;
  return {
    async take(client) {
      const key = o.key(clientKey(client));
      const at = o.now();
      // The stored value is the pace's next free time (ms), as takeSlot wrote it. Read first: a
      // request that would have to wait is refused without moving the pace.
      const next = Number((await o.store.get(key)) ?? 0);
      if (next - at > ahead) return refuse(next - ahead - at);
      // Another instance may have taken the last slot in between: that request is refused too
      // (its slot stays taken, once per race, which keeps the limit strict).
      const wait = await o.store.takeSlot(key, interval, at, o.burst);
      return wait > 0 ? refuse(wait + interval) : { ok: true };
    },
  };
}

function refuse(ms: number): RateDecision {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
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
