/**
 * Family reports are deleted after REPORT_RETENTION_DAYS whether or not anyone files another
 * (PRIVACY.md), on a real Redis: the hourly prune of every instance takes each report past its
 * retention out of every index, including who reported which recruiter (`:by`), also when its
 * sealed record expired first; it pages through any number of them, two instances may prune at
 * once, and every report key but the cleanup index expires by itself as a backstop. The app and
 * the separate sender both run the prune.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { ReportContent } from '../../src/engine/types.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import { startReportPruner, type ReportPruner } from '../../src/reports/reportPruner.js';
import { createReportStore, PRUNE_BATCH, REPORT_RETENTION_MS, type ReportStore } from '../../src/reports/reportStore.js';
import { createRedisStore } from '../../src/storage/redis.js';
import type { RedisStore } from '../../src/storage/redis.js';
import { TEST_DATA_KEY, testDataKeys } from '../support/dataKey.js';
import { startRedis, useRedisStore } from '../support/redisServer.js';
import { startProcess } from '../support/serviceProcess.js';
import { until } from '../support/until.js';

const T0 = Date.parse('2026-03-02T03:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const PHONE = '0812-3456-7890';
const quiet = { info: () => undefined, warn: () => undefined };

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
  let pruner: ReportPruner | undefined;

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
  afterEach(async () => {
    await pruner?.stop();
    pruner = undefined;
  });

  it('deletes a report past its retention with no new filing: the record and every index entry, who reported the recruiter too', async () => {
    await file(reports, 'R1', 'reporter-a', { phone: PHONE, company: 'PT Maju Jaya' });
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE }))).toBe(1);
    expect(reportKeys()).toContain(`wsp:reports:r:${pid({ phone: PHONE })}:by`);

    clock = T0 + REPORT_RETENTION_MS + 60_000;
    pruner = startReportPruner({ reports, log: quiet, everyMs: 50, firstWithinMs: 0 });
    await until(() => reportKeys().length === 0, 'every report key gone', 5000);
    expect(await reports.reportersFor(recruiterKeys({ phone: PHONE, company: 'PT Maju Jaya' }))).toBe(0);
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

  it('runs in the app: a report past its retention is deleted with nobody filing', async () => {
    const app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent' }), store, now: () => clock });
    try {
      await app.ready();
      await file(app.waspada.reports, 'R1', 'reporter-a', { phone: PHONE });
      clock = T0 + REPORT_RETENTION_MS + 60_000;
      // The first round comes within 5 s of the start.
      await until(() => reportKeys().length === 0, 'the app to prune the report', 10_000);
    } finally {
      await app.close();
    }
  });
});

describe('the report pruner', () => {
  it('logs a failed round and tries again at the next one, and a stop waits for the round in progress', async () => {
    const warnings: object[] = [];
    let calls = 0;
    let release: () => void = () => undefined;
    const pruner = startReportPruner({
      reports: {
        prune: async () => {
          calls += 1;
          if (calls === 1) throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
          if (calls === 3) await new Promise<void>((resolve) => (release = resolve));
          return 0;
        },
      },
      log: { info: () => undefined, warn: (obj) => warnings.push(obj) },
      everyMs: 10,
      firstWithinMs: 0,
    });
    await until(() => calls >= 3, 'three rounds', 5000);
    // Logged as errorFields has it: the kind of error and its code, never its message.
    expect(warnings).toEqual([expect.objectContaining({ err: 'Error', code: 'ECONNRESET' })]);
    let stopped = false;
    const stopping = pruner.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(3);
  });
});

describe('the separate sender', () => {
  it('prunes reports too: one whose record already expired leaves no key behind', async () => {
    const server = await startRedis();
    const seed = createRedisStore({ url: server.url, dataKeys: testDataKeys });
    try {
      await seed.ready();
      // Filed three years ago: its record expires at once, its indexes stay for the sender to clean.
      const reports = createReportStore({ store: seed, now: Date.now });
      await reports.fileReport({ id: 'OLD1', at: Date.now() - 3 * 365 * DAY_MS, reporter: 'reporter-a', keys: recruiterKeys({ phone: PHONE }), content: content({ phone: PHONE }), lang: 'id' });
      const left = () => server.cli('--scan', '--pattern', 'wsp:report*').split('\n').filter(Boolean);
      expect(left()).toContain(`wsp:reports:r:${seed.layout.recruiter(recruiterKeys({ phone: PHONE })[0] ?? '')}`);
      expect(left()).not.toContain('wsp:report:OLD1');
      const sender = await startProcess('src/worker.ts', { NODE_ENV: 'production', REDIS_URL: server.url, DATA_KEY: TEST_DATA_KEY });
      await until(() => left().length === 0, 'the sender to prune the report', 15_000);
      sender.child.kill('SIGTERM');
      expect((await sender.exited).code, sender.output()).toBe(0);
    } finally {
      await seed.close();
      await server.stop();
    }
  }, 60_000);
});
