/**
 * Counts finished checks for the console's insight dashboard. The outbox sender delivers each
 * `assessment_completed` event here (src/conversation/deliver.ts), so counting never slows the
 * webhook: the step only wrote the event, in the same commit as the session.
 *
 * Each day (in the hotline's time zone) has one hash of counts and nothing else: `level:high`,
 * `sign:visa_not_work`, `high:destination:saudi` (the answers the check's assess node tallies,
 * as option ids). No person, case or message id goes into it, and no time finer than the day.
 * A short-lived marker under the event's pseudonym makes a redelivered event count once.
 *
 * "Nothing from erased people": these counts hold nothing that leads back to a person, so there
 * is nothing of theirs to erase. A person who erases their data after a check leaves one more in
 * a day's anonymous total, like a visitor counter: what identified them (the session, the
 * answers, the cases' content, the reports) is removed by the erase, and the marker, the only
 * key derived from them, expires within a day. The case and report charts read the cases and
 * reports as they are kept, so what an erase removed is not in them (src/insights/insights.ts).
 */
import type { ChannelEventHandler } from '../conversation/deliver.js';
import type { RiskLevel } from '../engine/types.js';
import type { Store } from '../storage/store.js';
import { dayIn, LEVELS } from './aggregate.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a day's counts are kept: more than a year, so that this month compares with last year's. */
export const INSIGHT_RETENTION_MS = 400 * DAY_MS;
/** A redelivery comes within minutes (a crashed sender's entries are reclaimed); a day is plenty. */
const COUNTED_MARKER_MS = DAY_MS;

/** What may be part of a counter's name: flow ids, never text a person wrote (flows:check makes tallies choice answers). */
const ID = /^[a-z][a-z0-9_]{0,63}$/;

/** The counters one finished check adds to, or undefined for anything that is not one. */
export function countsOfCheck(event: { type: string; [field: string]: unknown }): Record<string, number> | undefined {
  if (event.type !== 'assessment_completed') return undefined;
  const level = event.level as RiskLevel;
  if (!LEVELS.includes(level)) return undefined;
  const counts: Record<string, number> = { [`level:${level}`]: 1 };
  const signs = Array.isArray(event.signs) ? event.signs : [];
  for (const sign of new Set(signs)) if (typeof sign === 'string' && ID.test(sign)) counts[`sign:${sign}`] = 1;
  const tally = typeof event.tally === 'object' && event.tally !== null ? (event.tally as Record<string, unknown>) : {};
  for (const [answer, option] of Object.entries(tally)) {
    if (ID.test(answer) && typeof option === 'string' && ID.test(option)) counts[`${level}:${answer}:${option}`] = 1;
  }
  return counts;
}

/**
 * The delivery hook: adds a person's finished check to the counts of the day it finished (the
 * step's time, so a late delivery still counts on its day). Other events pass through untouched.
 */
export function createCheckCounter(deps: { store: Store; timeZone: string; now: () => number }): ChannelEventHandler {
  const { store } = deps;
  const dayOf = dayIn(deps.timeZone);
  return async (entry) => {
    const counts = countsOfCheck(entry.event);
    if (!counts) return;
    const day = dayOf(entry.at ?? deps.now());
    // Entries written before events had a `seq` cannot be told apart: counted without a marker.
    const once = entry.seq !== undefined ? { key: store.layout.insightCounted(day, store.layout.pseudonymise('event', `${entry.channel}:${entry.to}:${entry.seq}`)), ttlMs: COUNTED_MARKER_MS } : undefined;
    await store.countersAdd(store.layout.insightCounts(day), counts, INSIGHT_RETENTION_MS, once);
  };
}
