/** Chooses the store from the configuration: Redis Cluster, Redis, or the embedded in-memory store. */
import type { Config } from '../config.js';
import { createMemoryStore } from './memory.js';
import { createRedisStore } from './redis.js';
import { dataKey, decodeDataKey, ephemeralDataKey, type DataKeyRing } from './sealer.js';
import type { Store } from './store.js';

/**
 * The data keys of the configuration. Without DATA_KEY (allowed only without Redis: the config
 * refuses Redis without it) a random key is made for this run, and `ephemeral` says so.
 */
export function dataKeysFromConfig(config: Config): { ring: DataKeyRing; ephemeral: boolean } {
  const current = config.DATA_KEY ? decodeDataKey(config.DATA_KEY) : undefined;
  const previous = config.DATA_KEY_PREVIOUS ? decodeDataKey(config.DATA_KEY_PREVIOUS) : undefined;
  if (!current) return { ring: { current: ephemeralDataKey() }, ephemeral: true };
  return { ring: { current: dataKey(current), ...(previous ? { previous: dataKey(previous) } : {}) }, ephemeral: false };
}

/** Creates the configured store; `onConnectionChange` hears about Redis outages and recoveries, `onKeyringError` about a wrong DATA_KEY. */
export function storeFromConfig(
  config: Config,
  deps: { now?: () => number; onConnectionChange?: (up: boolean, reason?: string) => void; onCommandError?: (reason: 'timeout' | 'unavailable') => void; onKeyringError?: (err: Error) => void } = {},
): Store {
  const { ring } = dataKeysFromConfig(config);
  const day = 24 * 60 * 60 * 1000;
  const retention = { closedCaseMs: config.CASE_RETENTION_DAYS * day, reportMs: config.REPORT_RETENTION_DAYS * day, idempotencyMs: config.IDEMPOTENCY_RETENTION_DAYS * day };
  if (config.REDIS_URL || config.REDIS_CLUSTER_NODES) {
    return createRedisStore({
      ...(config.REDIS_URL ? { url: config.REDIS_URL } : {}),
      ...(config.REDIS_CLUSTER_NODES ? { clusterNodes: config.REDIS_CLUSTER_NODES } : {}),
      shards: config.OUTBOX_SHARDS,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      dataKeys: ring,
      retention,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onConnectionChange ? { onConnectionChange: deps.onConnectionChange } : {}),
      ...(deps.onCommandError ? { onCommandError: deps.onCommandError } : {}),
      ...(deps.onKeyringError ? { onKeyringError: deps.onKeyringError } : {}),
    });
  }
  return createMemoryStore({ shards: config.OUTBOX_SHARDS, dataKeys: ring, retention, ...(deps.now ? { now: deps.now } : {}) });
}
