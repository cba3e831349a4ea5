/**
 * Runs tasks one after another per key and in parallel across keys: one person's messages are
 * handled in the order they arrived, without slowing anybody else. In-process only; ordering
 * across instances is the store's job (see the Redis store).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task with the same key has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map does not grow.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Number of keys with work queued (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
