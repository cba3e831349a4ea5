/**
 * A token bucket: at most `perSecond` sends per second on average, with bursts up to one
 * second's worth. Channels use it to stay under the provider's rate (WhatsApp: 80 messages per
 * second per number by default) instead of being throttled.
 */
export interface Pacer {
  /** Resolves when one more send is allowed. */
  take(): Promise<void>;
}

/** Creates a pacer; `now` and `sleep` are injectable for tests. */
export function createPacer(perSecond: number, clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }): Pacer {
  let tokens = perSecond;
  let last = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const takeOne = async (): Promise<void> => {
    for (;;) {
      const t = clock.now();
      tokens = Math.min(perSecond, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) / perSecond) * 1000));
    }
  };
  return {
    take() {
      // Callers are served in order, so nobody starves.
      queue = queue.then(takeOne);
      return queue;
    },
  };
}
