/**
 * The store for commands that change what the running app reads (staff accounts, the agency
 * register): Redis only.
 * The in-memory store lives inside one process, so a command could not reach the app's.
 */
import type { Config } from '../config.js';
import { storeFromConfig } from '../storage/fromConfig.js';
import type { Store } from '../storage/store.js';

/** A wrong use of a command; its message is all the person at the terminal needs. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the configured Redis (or Redis Cluster); refuses when only the in-memory store is
 * configured. `lost` names what the command would write, for the refusal.
 */
export async function openSharedStore(config: Config, lost = 'an account created here'): Promise<Store> {
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    throw new UsageError(
      'Set REDIS_URL (or REDIS_CLUSTER_NODES) to the Redis the app uses. Without it the app keeps everything in its own memory, ' +
        `which this command cannot reach: ${lost} would vanish when the command ends.`,
    );
  }
  let keyringError: Error | undefined;
  const store = storeFromConfig(config, { onKeyringError: (err) => (keyringError = err) });
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    try {
      await store.ping();
      return store;
    } catch (err) {
      if (keyringError) {
        await store.close().catch(() => undefined);
        throw new UsageError(keyringError.message, { cause: keyringError });
      }
      if (Date.now() > deadline) {
        await store.close().catch(() => undefined);
        throw new UsageError(`Redis does not answer (${err instanceof Error ? err.message : 'error'}); check REDIS_URL or REDIS_CLUSTER_NODES.`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
