/**
 * The per-person message limit (issue 10, abuse limits): more than `max` messages within
 * `windowMs` of the first one gets one calm "slow down" message, and what the person sends for
 * the next `quietMs` is dropped, except the safety interrupts (step.ts decides which).
 *
 * The count lives in the session (`Session.pace`), so it is saved in the same atomic commit as
 * the rest of the step: no store round trip of its own on the webhook path. Pure: the time is the
 * caller's.
 *
 * A fixed window that opens with the first message after the last one closed, rather than a
 * rolling log of timestamps: two numbers in the session instead of thirty, and "the 31st message
 * within a minute of the first" is exactly what the person is told. Its known give: a burst that
 * straddles the end of one window and the start of the next can pass up to twice the limit, once.
 */
import type { Pace } from './types.js';

/** How many messages, over how long, and how long the pause after the warning lasts. */
export interface PaceLimits {
  /** Messages a person may send within one window; the next one gets the warning. */
  max: number;
  windowMs: number;
  /** How long messages are dropped after the warning; the warning tells the person this. */
  quietMs: number;
}

/** More than 30 messages a minute: one warning, then a minute of quiet. */
export const DEFAULT_PACE: PaceLimits = { max: 30, windowMs: 60_000, quietMs: 60_000 };

/**
 * What the limit says about one message: `ok` (answer it), `over` (the first message over the
 * limit: warn, unless it is a safety interrupt) or `quiet` (already warned: drop it, unless it is
 * a safety interrupt).
 */
export type PaceVerdict = 'ok' | 'over' | 'quiet';

/**
 * Counts one message from the person (when `counts`) and says what the limit makes of it.
 * Returns the pace to keep; `pace` itself is not changed.
 */
export function paceMessage(pace: Pace | undefined, now: number, limits: PaceLimits, counts: boolean): { pace: Pace | undefined; verdict: PaceVerdict } {
  if (pace && isQuietAt(pace, now, limits)) return { pace, verdict: 'quiet' };
  // A clock that went back (another instance's) keeps the window open rather than opening a new one.
  const open = pace !== undefined && pace.quietUntil === undefined && now - pace.since < limits.windowMs;
  if (!counts) return { pace: open ? pace : undefined, verdict: 'ok' };
  if (!open) return { pace: { since: now, count: 1 }, verdict: 'ok' };
  const count = pace.count + 1;
  return { pace: { since: pace.since, count }, verdict: count > limits.max ? 'over' : 'ok' };
}

/** The pace after the warning was sent: quiet from now for `quietMs`. */
export function startQuiet(pace: Pace, now: number, limits: PaceLimits): Pace {
  return { ...pace, quietUntil: now + limits.quietMs };
}

/**
 * True while the person's messages are being dropped (after the warning). The caller uses it to
 * skip lookups for a message that will not be answered. A `quietUntil` further away than one
 * pause (a clock that jumped) is not believed.
 */
export function isQuietAt(pace: Pace | undefined, now: number, limits: PaceLimits): boolean {
  return pace?.quietUntil !== undefined && now < pace.quietUntil && pace.quietUntil - now <= limits.quietMs;
}
