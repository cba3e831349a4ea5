/** Chooses the store from the configuration: Redis Cluster, Redis, or the embedded in-memory store. */
import type { Config } from '../config.js';
import { createMemoryStore } from './memory.js';
import { createRedisStore } from './redis.js';
import type { Store } from './store.js';

/** Creates the configured store; `onConnectionChange` hears about Redis outages and recoveries. */
export function storeFromConfig(
  config: Config,
  deps: { now?: () => number; onConnectionChange?: (up: boolean, reason?: string) => void } = {},
): Store {
  if (config.REDIS_URL || config.REDIS_CLUSTER_NODES) {
    return createRedisStore({
      ...(config.REDIS_URL ? { url: config.REDIS_URL } : {}),
      ...(config.REDIS_CLUSTER_NODES ? { clusterNodes: config.REDIS_CLUSTER_NODES } : {}),
      shards: config.OUTBOX_SHARDS,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      ...(deps.onConnectionChange ? { onConnectionChange: deps.onConnectionChange } : {}),
    });
  }
  return createMemoryStore({ shards: config.OUTBOX_SHARDS, ...(deps.now ? { now: deps.now } : {}) });
}
