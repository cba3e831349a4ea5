/**
 * Per-address limits on the public endpoints (the ad check, the web chat and its updates, the
 * console sign-in) with @fastify/rate-limit. The plugin's own stores count in this process
 * (LocalStore) or need ioredis; ours is a small adapter over the app's Store, so the count lives
 * where everything else does: in this process with the in-memory store, and in Redis, shared by
 * every instance, with the Redis store. The count is the store's GCRA pace (clientRate.ts):
 * `burst` requests at once, then `perMinute` a minute, smoothly, with a refused request not
 * pushing the wait further. The address is `request.ip`: the connection's, or behind a reverse
 * proxy named in TRUST_PROXY the client's (trustProxy.ts).
 *
 * Each limit is an onRequest hook that a route puts where it wants it in its own hook list
 * (before the body is read, after CORS), rather than the plugin's `config.rateLimit`, which
 * appends it last. A refusal is the catalogue's 429 `WSP_RATE_LIMITED` with Retry-After; the
 * key is a hash of the address, never the address.
 */
import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { StoreUnavailableError, type Store } from '../storage/store.js';
import { clientKey, takePace } from './clientRate.js';

/** The endpoints limited per address; each has its own count. */
export type LimitName = 'assess' | 'chat' | 'updates' | 'login';

/** One limit: `burst` requests at once, then `perMinute` a minute. */
export interface IpLimit {
  perMinute: number;
  burst: number;
}

/** An onRequest hook that refuses a client over its limit. */
export type LimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** The options of one limit: the plugin's, and the name our store files its count under. */
type LimitOptions = RateLimitOptions & { limit: LimitName };

/**
 * The plugin's store over ours. The plugin thinks in "at most `max` per `timeWindow`"; a pace
 * of `max` at once refilled over `timeWindow` is that limit, spread evenly.
 */
function paceStoreClass(store: Pick<Store, 'tryTakeSlot' | 'layout'>, now: () => number) {
  return class PaceStore implements FastifyRateLimitStore {
    readonly limit: LimitName | undefined;
    constructor(options: object) {
      this.limit = (options as Partial<LimitOptions>).limit;
    }
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      const limit = this.limit;
      if (!limit) return callback(new Error('a per-address limit without a name'));
      let paceKey: string;
      try {
        paceKey = store.layout.clientRate(limit, key);
      } catch (err) {
        return callback(err as Error);
      }
      takePace(store, paceKey, { intervalMs: timeWindow / max, burst: max, at: now() }).then(
        (d) => callback(null, d.ok ? { current: max - d.remaining, ttl: d.restMs } : { current: max + 1, ttl: d.waitMs }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }
    child(options: object): FastifyRateLimitStore {
      return new PaceStore(options);
    }
  };
}

/**
 * Registers the plugin (limiting no route by itself) and returns a maker of limit hooks. While
 * the store cannot be reached a request goes through without a limit: the routes behind need
 * the store anyway and answer 503 themselves, and the ad check keeps nothing.
 */
export async function registerIpLimits(app: FastifyInstance, deps: { store: Pick<Store, 'tryTakeSlot' | 'layout'>; now: () => number }) {
  await app.register(rateLimit, {
    global: false,
    store: paceStoreClass(deps.store, deps.now),
    // Only Retry-After: the other headers would tell a client how close it runs, which no page needs.
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
  });

  /** The hook of one limit; `message` words the refusal when the catalogue's default would not suit (the console's page). */
  return function limitHook(limit: LimitName, rate: IpLimit, message?: (retryAfterSeconds: number) => string): LimitHook {
    const options: LimitOptions = {
      limit,
      max: rate.burst,
      timeWindow: (rate.burst * 60_000) / rate.perMinute,
      keyGenerator: (request) => clientKey(request.ip),
      errorResponseBuilder: (request, context) => {
        const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
        request.log.info({ limit, retryAfter }, 'refused: per-address rate limit');
        return new AppError('RATE_LIMITED', message?.(retryAfter));
      },
    };
    const check = app.rateLimit(options);
    return async (request, reply) => {
      try {
        await check.call(app, request, reply);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        request.log.warn({ limit, reason: err.message }, 'no per-address limit: store unavailable');
      }
    };
  };
}

export type LimitHooks = Awaited<ReturnType<typeof registerIpLimits>>;
