/**
 * The insight dashboard's figures, from what the store keeps: the daily check counts
 * (checkCounter.ts), the cases' times and the recruiters' report counts. Pure: no clock and no
 * I/O; insights.ts reads and hands the data in.
 */
import type { RiskLevel } from '../engine/types.js';
import type { RecruiterGroup } from '../reports/reportStore.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

/** The levels the assessment gives (src/risk/assess.ts), lowest first. */
export const LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high'];

/** The periods staff can choose, in days; 30 unless they choose. */
export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: PeriodDays = 30;

/** A function that gives the calendar day (`YYYY-MM-DD`) of a time in `timeZone`; one formatter for every call. */
export function dayIn(timeZone: string): (at: number) => string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (at) => {
    const parts: Record<string, string> = {};
    for (const p of f.formatToParts(at)) parts[p.type] = p.value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/** The `days` calendar days (`YYYY-MM-DD`) that end with `today`, oldest first. */
export function periodDays(today: string, days: number): string[] {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Calendar arithmetic in UTC: a day is a date here, whatever the time zone's clock changes.
  return Array.from({ length: days }, (_, i) => new Date(Date.UTC(y, m - 1, d - (days - 1 - i))).toISOString().slice(0, 10));
}

/** A count with what it counts (a sign id, an option id). */
export interface Counted {
  id: string;
  count: number;
}

/** What the finished checks of a period add up to. */
export interface CheckSummary {
  /** Per day of the period, oldest first, the checks by level. */
  perDay: Array<{ day: string } & Record<RiskLevel, number>>;
  totals: Record<RiskLevel, number> & { all: number };
  /** The signs found, the most frequent first (equal counts by id). */
  signs: Counted[];
  /** For high-risk checks: per tallied answer (`destination`, `job`), its options, the most frequent first. */
  high: Record<string, Counted[]>;
}

const byCount = (a: Counted, b: Counted) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sorted = (m: Map<string, number>): Counted[] => [...m].map(([id, count]) => ({ id, count })).filter((c) => c.count > 0).sort(byCount);

/** Adds up the daily counts (`counts[i]` belongs to `days[i]`; a missing day counts nothing). */
export function summariseChecks(days: readonly string[], counts: ReadonlyArray<Record<string, number> | undefined>): CheckSummary {
  const totals = { low: 0, medium: 0, high: 0, all: 0 };
  const signs = new Map<string, number>();
  const high = new Map<string, Map<string, number>>();
  const add = (m: Map<string, number>, id: string, n: number) => m.set(id, (m.get(id) ?? 0) + n);
  const perDay = days.map((day, i) => {
    const c = counts[i] ?? {};
    const row = { day, low: 0, medium: 0, high: 0 };
    for (const [field, raw] of Object.entries(c)) {
      const n = Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 0;
      const [a = '', b = '', option] = field.split(':');
      if (a === 'level' && (LEVELS as readonly string[]).includes(b)) row[b as RiskLevel] += n;
      else if (a === 'sign' && b) add(signs, b, n);
      else if (a === 'high' && b && option) {
        const answer = high.get(b) ?? new Map<string, number>();
        add(answer, option, n);
        high.set(b, answer);
      }
    }
    for (const level of LEVELS) totals[level] += row[level];
    return row;
  });
  totals.all = totals.low + totals.medium + totals.high;
  return { perDay, totals, signs: sorted(signs), high: Object.fromEntries([...high].map(([answer, m]) => [answer, sorted(m)])) };
}

/** The times to claim, grouped: each bucket holds the claims that took less than its bound (and at least the one before). */
export const CLAIM_BUCKETS = [
  { label: 'under 5 min', short: '< 5\nmin', upToMs: 5 * MINUTE_MS },
  { label: '5 to 15 min', short: '5–15\nmin', upToMs: 15 * MINUTE_MS },
  { label: '15 to 60 min', short: '15–60\nmin', upToMs: 60 * MINUTE_MS },
  { label: '1 to 4 hours', short: '1–4\nh', upToMs: 4 * 60 * MINUTE_MS },
  { label: '4 to 24 hours', short: '4–24\nh', upToMs: DAY_MS },
  { label: 'a day or more', short: '≥ 1\nday', upToMs: Number.POSITIVE_INFINITY },
] as const;

/** How quickly cases were claimed: the histogram, the median and the 90th percentile, and the cases with no claim. */
export interface ClaimTimes {
  buckets: Array<{ label: string; short: string; count: number }>;
  claimed: number;
  medianMs?: number;
  p90Ms?: number;
  /** Opened in the period and still waiting for a claim. */
  waiting: number;
  /** Closed without anyone claiming them (an erase, or closed from the queue). */
  closedUnclaimed: number;
}

/** The value below which `p` of the sorted values lie (nearest rank: always one of the values). */
export function percentile(sortedValues: readonly number[], p: number): number | undefined {
  if (sortedValues.length === 0) return undefined;
  return sortedValues[Math.min(sortedValues.length, Math.max(1, Math.ceil(p * sortedValues.length))) - 1];
}

/** Times to claim of the cases opened in the period (`openedDay` gives a case's day; the period starts at `firstDay`). */
export function claimTimes(
  cases: ReadonlyArray<{ status: string; openedAt: number; claimedAt?: number }>,
  firstDay: string,
  openedDay: (at: number) => string,
): ClaimTimes {
  const inPeriod = cases.filter((c) => openedDay(c.openedAt) >= firstDay);
  const waits = inPeriod.flatMap((c) => (c.claimedAt !== undefined ? [Math.max(0, c.claimedAt - c.openedAt)] : [])).sort((a, b) => a - b);
  const buckets = CLAIM_BUCKETS.map((b) => ({ label: b.label, short: b.short, count: 0 }));
  for (const w of waits) {
    const i = CLAIM_BUCKETS.findIndex((b) => w < b.upToMs);
    const bucket = buckets[i];
    if (bucket) bucket.count += 1;
  }
  const median = percentile(waits, 0.5);
  const p90 = percentile(waits, 0.9);
  return {
    buckets,
    claimed: waits.length,
    ...(median !== undefined ? { medianMs: median } : {}),
    ...(p90 !== undefined ? { p90Ms: p90 } : {}),
    waiting: inPeriod.filter((c) => c.status === 'open').length,
    closedUnclaimed: inPeriod.filter((c) => c.status === 'closed' && c.claimedAt === undefined).length,
  };
}

/**
 * The most reported recruiters: those with at least one person whose report counts (a recruiter
 * named only in reports marked false or malicious is left out of an overview), by people who
 * reported, then by reports. `groups` comes from the report store, erased reporters' reports gone.
 */
export function topRecruiters(groups: readonly RecruiterGroup[], n = 10): RecruiterGroup[] {
  return groups
    .filter((g) => g.reporters > 0)
    .sort((a, b) => b.reporters - a.reporters || b.reports - a.reports || b.latestAt - a.latestAt)
    .slice(0, n);
}
