/**
 * Counting at the seams, without touching what is counted: the pipeline (each inbound message
 * and the checks its step finished), the outbox delivery (each send and its result), and the
 * hotline desk's case changes. Each wrapper only adds to counters after the work it wraps ends.
 */
import type { Deliver } from '../conversation/outboxWorker.js';
import type { Pipeline } from '../conversation/pipeline.js';
import type { Case } from '../handoff/case.js';
import { errorCode, refusalCode } from './labels.js';
import type { Metrics } from './metrics.js';

/** The pipeline, counting each message from a person (staff actions are not inbound messages) and the events of its step. */
export function countedPipeline(pipeline: Pipeline, metrics: Metrics): Pipeline {
  return {
    ...pipeline,
    handle(msg) {
      const { kind } = msg.input;
      if (kind === 'staff') return pipeline.handle(msg);
      return pipeline.handle(msg).then(
        (result) => {
          metrics.inbound(msg.channel, kind, result.duplicate ? 'duplicate' : 'handled');
          if (result.events.length > 0) metrics.events(result.events);
          return result;
        },
        (err: unknown) => {
          metrics.inbound(msg.channel, kind, 'failed');
          throw err;
        },
      );
    },
  };
}

/** The outbox delivery, counting each attempt by its result and, once delivered, its time since the step that wrote it. */
export function countedDeliver(deliver: Deliver, metrics: Metrics, now: () => number = Date.now): Deliver {
  return async (entry) => {
    let outcome;
    try {
      outcome = await deliver(entry);
    } catch (err) {
      metrics.send(entry.kind, entry.channel, 'failed', errorCode(err));
      throw err;
    }
    if (!outcome) metrics.send(entry.kind, entry.channel, 'sent', 'none');
    else if (outcome.result === 'refused') metrics.send(entry.kind, entry.channel, 'refused', refusalCode(entry.channel, outcome.code));
    else metrics.send(entry.kind, entry.channel, 'skipped', 'none');
    if (entry.at !== undefined) metrics.outboxLag(entry.kind, (now() - entry.at) / 1000);
    return outcome;
  };
}

/** What the hotline desk tells about its cases (HotlineOptions.onCaseChange), counted. */
export function countCases(metrics: Metrics): (change: 'opened' | 'claimed' | 'closed', c: Case) => void {
  return (change, c) => {
    if (change === 'opened') metrics.caseOpened(c.summary.reason, c.priority);
    else if (change === 'claimed') metrics.caseClaimed(c.priority, c.claimedAt !== undefined ? (c.claimedAt - c.openedAt) / 1000 : -1);
    else metrics.caseClosed(c.outcome ?? 'other');
  };
}
