/**
 * Deletes family reports past REPORT_RETENTION_DAYS on a timer, so that PRIVACY.md's "2 years,
 * then deleted" holds whether or not anyone files a report. Every app instance and every separate
 * sender runs one (they all keep reports): the report store's lock makes runs at once safe, and
 * a report one removed the others no longer find. Rounds are an hour apart, give or take a tenth
 * so that instances started together drift apart; the first comes within a few seconds of the
 * start, so a service that was down catches up at once. A round that fails (Redis away) is logged
 * and the next one tries again: it never stops the process.
 */
import type { Log } from '../conversation/log.js';
import { newJobId, withLogIds } from '../logging/logContext.js';
import { errorFields } from '../logging/loggerOptions.js';
import type { ReportStore } from './reportStore.js';

/** How often reports are pruned: a report is deleted within about an hour of its retention. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** The first round comes at a random point within this after the start. */
const FIRST_WITHIN_MS = 5000;
/** Each wait is the interval, give or take this share of it. */
const JITTER = 0.1;

export interface ReportPrunerOptions {
  reports: Pick<ReportStore, 'prune'>;
  log: Pick<Log, 'info' | 'warn'>;
  /** Between rounds (PRUNE_EVERY_MS); tests pass less. */
  everyMs?: number;
  /** The first round comes at a random point within this (5 s). */
  firstWithinMs?: number;
  /** A number in [0, 1) for the jitter (Math.random). */
  random?: () => number;
}

/** A running pruner. */
export interface ReportPruner {
  /** Stops the rounds; resolves once a round in progress has finished its batch (the store can then close). */
  stop(): Promise<void>;
}

/** Starts pruning reports: a first round soon, then one every `everyMs`, jittered. The timers never keep the process alive. */
export function startReportPruner(o: ReportPrunerOptions): ReportPruner {
  const everyMs = o.everyMs ?? PRUNE_EVERY_MS;
  const random = o.random ?? Math.random;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const round = (): Promise<void> =>
    // One round's lines share a job id (src/logging/logContext.ts).
    withLogIds({ job: newJobId('reports-prune') }, async () => {
      try {
        const removed = await o.reports.prune({ stopped: () => stopped });
        if (removed > 0) o.log.info({ removed }, 'reports past their retention deleted');
      } catch (err) {
        o.log.warn(errorFields(err), 'pruning reports failed; trying again at the next round');
      }
    });

  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(() => schedule(everyMs * (1 - JITTER + 2 * JITTER * random())));
    }, ms);
    timer.unref();
  };
  schedule(random() * (o.firstWithinMs ?? FIRST_WITHIN_MS));

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
