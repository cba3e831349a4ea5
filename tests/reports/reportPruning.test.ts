/**
 * Family reports are deleted after REPORT_RETENTION_DAYS (PRIVACY.md), on a real Redis: the prune
 * takes each report past its retention out of every index, including who reported which recruiter
 * (`:by`), also when its sealed record expired first; it pages through any number of them, two
 * instances may prune at once, and every report key but the cleanup index expires by itself as a
 * backstop.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportContent } from '../../src/engine/types.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import { createReportStore, PRUNE_BATCH, REPORT_RETENTION_MS, type ReportStore } from '../../src/reports/reportStore.js';
import type { RedisStore } from '../../src/storage/redis.js';
import { useRedisStore } from '../support/redisServer.js';

const T0 = Date.parse('2026-03-02T03:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const PHONE = '0812-3456-7890';

const content = (recruiter: ReportContent['recruiter']): ReportContent => ({
  recruiter,
  recruited: { relation: 'daughter', destination: 'Malaysia' },
  happened: { sign: 'documents_held' },
  danger: false,
  contact: { allowed: false },
});

describe('pruning reports past their retention', () => {
  const redis = useRedisStore();
  let clock: number;
  let store: RedisStore;
  let reports: ReportStore;

  /** Files a report from `reporter` naming `recruiter`, at `at`. */
  const file = (into: ReportStore, id: string, reporter: string, recruiter: ReportContent['recruiter'], at = clock) =>
    into.fileReport({ id, at, reporter, keys: recruiterKeys(recruiter), content: content(recruiter), lang: 'id' });
  /** Every report key left in Redis (the lock is free between changes). */
  const reportKeys = () => redis.server().cli('--scan', '--pattern', 'wsp:report*').split('\n').filter(Boolean).sort();
  const members = (key: string) => redis.server().cli('ZRANGE', key, '0', '-1').split('\n').filter(Boolean);
  const pid = (recruiter: ReportContent['recruiter']) => {
    const [key] = recruiterKeys(recruiter);
    if (!key) throw new Error('no recruiter key');
    return store.layout.recruiter(key);
  };

  beforeEach(() => {
    redis.server().cli('FLUSHDB');
    clock = T0;
    store = redis.store();
    reports = createReportStore({ store, now: () => clock });
  });

  it('takes a report out of every index when its sealed record expired before the prune reached it', async () => {
    await file(reports, 'R1', 'reporter-a', { phone: PHONE });
    await file(reports, 'R2', 'reporter-b', { phone: PHONE });
    clock = T0 + REPORT_RETENTION_MS - DAY_MS;
    await file(reports, 'R3', 'reporter-c', { phone: PHONE });
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE }))).toBe(3);
    // The records of R1 and R2 expire first (the store's own expiry, or a prune that did not run in time).
    await store.delete(store.layout.report('R1'), store.layout.report('R2'));

    clock = T0 + REPORT_RETENTION_MS + 60_000;
    expect(await reports.prune()).toBe(2);
    const recruiter = pid({ phone: PHONE });
    expect(members(`wsp:reports:r:${recruiter}`)).toEqual(['R3']);
    expect(members(`wsp:reports:r:${recruiter}:by`)).toEqual(['reporter-c']);
    expect(members('wsp:reports:all')).toEqual(['R3']);
    expect(members('wsp:reports:recruiters')).toEqual([recruiter]);
    expect(members('wsp:reports:cleanup')).toHaveLength(1);
    expect(reportKeys()).not.toContain('wsp:reports:reporter:reporter-a');
    expect(reportKeys()).not.toContain('wsp:reports:reporter:reporter-b');
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE }))).toBe(1);
    expect((await reports.groups())[0]).toMatchObject({ reports: 1, reporters: 1 });

    // At the end of R3's own retention it goes too, and nothing of any of them is left.
    clock = T0 + 2 * REPORT_RETENTION_MS - DAY_MS + 60_000;
    expect(await reports.prune()).toBe(1);
    expect(reportKeys()).toEqual([]);
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE }))).toBe(0);
  });

  it('pages through more reports than one batch, and two instances pruning at once remove each report once', async () => {
    const fileMany = async (prefix: string, n: number, from: number) => {
      for (let i = 0; i < n; i++) {
        await file(reports, `${prefix}${i}`, `family-${prefix}${i}`, { phone: `0812-7000-${String(i).padStart(4, '0')}`, ...(i % 3 ? {} : { company: 'PT Sinar Jaya' }) }, from + i);
      }
    };
    // More than twenty batches, and more than the 1,000 a prune once took at most.
    const count = 20 * PRUNE_BATCH + 37;
    await fileMany('A', count, T0);
    // Filed later: these stay for now.
    await fileMany('B', 3 * PRUNE_BATCH + 5, T0 + 10 * DAY_MS);
    await file(reports, 'KEEP', 'family-keep', { company: 'PT Sinar Jaya' }, T0 + 30 * DAY_MS);

    clock = T0 + REPORT_RETENTION_MS + DAY_MS;
    expect(await reports.prune()).toBe(count);
    expect(members('wsp:reports:all')).toHaveLength(3 * PRUNE_BATCH + 6);
    expect(await reports.reportersFor(recruiterKeys({ company: 'PT Sinar Jaya' }))).toBe(Math.ceil((3 * PRUNE_BATCH + 5) / 3) + 1);

    // Two instances at once: the lock takes turns between their batches.
    clock = T0 + 10 * DAY_MS + REPORT_RETENTION_MS + DAY_MS;
    const other = createReportStore({ store, now: () => clock });
    const removed = await Promise.all([reports.prune(), other.prune()]);
    expect(removed[0] + removed[1]).toBe(3 * PRUNE_BATCH + 5);
    const company = pid({ company: 'PT Sinar Jaya' });
    expect(reportKeys().filter((key) => key !== 'wsp:report:KEEP')).toEqual(
      [`wsp:reports:r:${company}`, `wsp:reports:r:${company}:by`, 'wsp:reports:all', 'wsp:reports:cleanup', 'wsp:reports:recruiters', 'wsp:reports:reporter:family-keep'].sort(),
    );
    expect(reportKeys()).toContain('wsp:report:KEEP');
    expect(members('wsp:reports:all')).toEqual(['KEEP']);
    expect(members(`wsp:reports:r:${company}:by`)).toEqual(['family-keep']);
    expect(await reports.reportersFor(recruiterKeys({ company: 'PT Sinar Jaya' }))).toBe(1);
    expect(await reports.reportersFor(recruiterKeys({ phone: '0812-7000-0000' }))).toBe(0);
    expect(await reports.prune()).toBe(0);
  }, 60_000);

  it('gives every report key but the cleanup index an expiry, a day after the retention at most', async () => {
    await file(reports, 'R1', 'reporter-a', { phone: PHONE });
    await reports.fileReport({ id: 'R2', at: clock, reporter: 'reporter-b', keys: [], content: content({ place: 'Indramayu' }), lang: 'id' });
    await reports.mark('R1', 'false', { name: 'Sari W', via: 'console' });
    await reports.mark('R1', 'valid', { name: 'Sari W', via: 'console' });
    const keys = reportKeys();
    expect(keys).toHaveLength(10);
    for (const key of keys) {
      const ttl = Number(redis.server().cli('PTTL', key));
      if (key === 'wsp:reports:cleanup') expect(ttl, key).toBe(-1);
      else {
        expect(ttl, key).toBeGreaterThan(REPORT_RETENTION_MS);
        expect(ttl, key).toBeLessThanOrEqual(REPORT_RETENTION_MS + DAY_MS);
      }
    }
  });

  it('an erase still takes the person\'s report out at once, its cleanup entry too', async () => {
    await file(reports, 'R1', 'reporter-a', { phone: PHONE });
    await file(reports, 'R2', 'reporter-b', { phone: PHONE });
    await reports.removeReports(['R1']);
    expect(members('wsp:reports:cleanup').map((m) => JSON.parse(m)[0])).toEqual(['R2']);
    expect(members(`wsp:reports:r:${pid({ phone: PHONE })}:by`)).toEqual(['reporter-b']);
    expect(reportKeys()).not.toContain('wsp:reports:reporter:reporter-a');
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE }))).toBe(1);
  });

});
