/**
 * The insight dashboard's arithmetic (src/insights/aggregate.ts): the period's days, the daily
 * check counts added up, the times to claim a case, the most reported recruiters. Pure data in,
 * figures out.
 */
import { describe, expect, it } from 'vitest';
import { claimTimes, dayIn, percentile, periodDays, summariseChecks, topRecruiters } from '../../src/insights/aggregate.js';
import type { RecruiterGroup } from '../../src/reports/reportStore.js';

const MIN = 60_000;

describe('the period', () => {
  it('is the last n calendar days, today included, oldest first, across months and a leap day', () => {
    expect(periodDays('2026-03-02', 7)).toEqual(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(periodDays('2028-03-01', 2)).toEqual(['2028-02-29', '2028-03-01']);
    expect(periodDays('2026-01-01', 90)).toHaveLength(90);
    expect(periodDays('2026-01-01', 90)[0]).toBe('2025-10-04');
  });

  it('counts days in the hotline time zone: 23:30 UTC is already tomorrow in Jakarta', () => {
    const at = Date.parse('2026-03-01T23:30:00Z');
    expect(dayIn('Asia/Jakarta')(at)).toBe('2026-03-02');
    expect(dayIn('UTC')(at)).toBe('2026-03-01');
  });
});

describe('the checks of a period', () => {
  const days = ['2026-03-01', '2026-03-02', '2026-03-03'];

  it('adds up levels per day, signs and the high-risk answers, the most frequent first', () => {
    const s = summariseChecks(days, [
      { 'level:high': 2, 'level:low': 1, 'sign:visa_not_work': 2, 'sign:no_contract': 1, 'high:destination:saudi': 1, 'high:destination:mekong': 1, 'high:job:domestic': 2, 'medium:destination:saudi': 4 },
      undefined,
      { 'level:medium': 3, 'level:high': 1, 'sign:no_contract': 3, 'high:destination:mekong': 1 },
    ]);
    expect(s.perDay).toEqual([
      { day: '2026-03-01', low: 1, medium: 0, high: 2 },
      { day: '2026-03-02', low: 0, medium: 0, high: 0 },
      { day: '2026-03-03', low: 0, medium: 3, high: 1 },
    ]);
    expect(s.totals).toEqual({ low: 1, medium: 3, high: 3, all: 7 });
    expect(s.signs).toEqual([
      { id: 'no_contract', count: 4 },
      { id: 'visa_not_work', count: 2 },
    ]);
    // Only high-risk checks are charted by answer; equal counts are ordered by id.
    expect(s.high).toEqual({ destination: [{ id: 'mekong', count: 2 }, { id: 'saudi', count: 1 }], job: [{ id: 'domestic', count: 2 }] });
  });

  it('gives zero days and no signs for a period with nothing counted, and ignores what it does not know', () => {
    const s = summariseChecks(days, [{}, { 'level:extreme': 5, 'level:low': -2, odd: 1, 'sign:': 3 }]);
    expect(s.perDay.map((d) => d.low + d.medium + d.high)).toEqual([0, 0, 0]);
    expect(s.totals.all).toBe(0);
    expect(s.signs).toEqual([]);
    expect(s.high).toEqual({});
  });
});

describe('the time to claim a case', () => {
  const opened = Date.parse('2026-03-02T03:00:00Z');
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  const claimedAfter = (ms: number, status = 'claimed') => ({ status, openedAt: opened, claimedAt: opened + ms });

  it('puts each claim in its range and gives the median and the 90th percentile', () => {
    const cases = [
      claimedAfter(2 * MIN),
      claimedAfter(5 * MIN), // 5 minutes is no longer "under 5"
      claimedAfter(14 * MIN, 'closed'),
      claimedAfter(59 * MIN),
      claimedAfter(3 * 60 * MIN),
      claimedAfter(30 * 60 * MIN),
      { status: 'open', openedAt: opened },
      { status: 'closed', openedAt: opened },
    ];
    const c = claimTimes(cases, '2026-03-01', day);
    expect(c.buckets.map((b) => b.count)).toEqual([1, 2, 1, 1, 0, 1]);
    expect(c.claimed).toBe(6);
    expect(c.medianMs).toBe(14 * MIN);
    expect(c.p90Ms).toBe(30 * 60 * MIN);
    expect(c.waiting).toBe(1);
    expect(c.closedUnclaimed).toBe(1);
  });

  it('leaves out cases opened before the period, and has no median without a claim', () => {
    const before = { status: 'claimed', openedAt: Date.parse('2026-02-27T10:00:00Z'), claimedAt: Date.parse('2026-02-27T10:05:00Z') };
    const c = claimTimes([before, { status: 'open', openedAt: opened }], '2026-03-01', day);
    expect(c.claimed).toBe(0);
    expect(c.medianMs).toBeUndefined();
    expect(c.p90Ms).toBeUndefined();
    expect(c.waiting).toBe(1);
  });

  it('takes percentiles by nearest rank, one of the values', () => {
    expect(percentile([], 0.5)).toBeUndefined();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});

describe('the most reported recruiters', () => {
  const group = (n: number, reporters: number, reports: number): RecruiterGroup => ({ key: `phone:+62812000000${String(n).padStart(2, '0')}`, reporters, reports, latestAt: n });

  it('are the ten with the most people who reported, then reports; a recruiter whose reports all stopped counting is left out', () => {
    const groups = [group(1, 0, 9), ...Array.from({ length: 12 }, (_, i) => group(i + 2, (i % 4) + 1, i + 1))];
    const top = topRecruiters(groups);
    expect(top).toHaveLength(10);
    expect(top.some((g) => g.reporters === 0)).toBe(false);
    expect(top.map((g) => [g.reporters, g.reports])).toEqual([
      [4, 12],
      [4, 8],
      [4, 4],
      [3, 11],
      [3, 7],
      [3, 3],
      [2, 10],
      [2, 6],
      [2, 2],
      [1, 9],
    ]);
  });
});
