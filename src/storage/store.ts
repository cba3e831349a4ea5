/**
 * The storage seam (after grammY's StorageAdapter): read, write with a time to live, delete,
 * and write-if-absent for deduplication. The in-memory store is the embedded default; the
 * Redis store implements the same contract for production.
 */
export interface Store {
  /** The value at `key`, or undefined when it is missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Writes `value`; it expires after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes the keys; missing keys are ignored. */
  delete(...keys: string[]): Promise<void>;
  /** Writes `value` only when `key` is absent (Redis `SET NX PX`); true when it wrote. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Resolves when the store can serve requests; rejects otherwise (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
