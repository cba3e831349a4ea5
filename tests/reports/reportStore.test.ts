/**
 * The report store, the same tests on the in-memory store and on a real Redis: distinct
 * reporters are what counts (one reporter three times counts once, a redelivered report once),
 * staff marks stop and restart the counting and stay in the report's audit, a number written
 * another way finds the same reports, the grouped list and the export, the retention, and what a
 * check costs with 1,000 reports.
 */
import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportContent } from '../../src/engine/types.js';
import { recruiterKeys, type RecruiterIdentifiers, type RecruiterKey } from '../../src/reports/recruiter.js';
import { createReportStore, REPORT_RETENTION_MS, ReportIdTaken, ReportNotFound, type ReportStore } from '../../src/reports/reportStore.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';
import { useRedisStore } from '../support/redisServer.js';

const T0 = Date.parse('2026-03-02T03:00:00Z');
const sari = { name: 'Sari W', via: 'console' as const };

function content(recruiter: ReportContent['recruiter'], extra: Partial<ReportContent> = {}): ReportContent {
  return { recruiter, recruited: { relation: 'son', destination: 'Malaysia' }, happened: { sign: 'documents_held' }, danger: false, contact: { allowed: false }, ...extra };
}

const keysOf = (r: RecruiterIdentifiers) => recruiterKeys(r);

function reportStoreTests(name: string, makeStore: () => Promise<Store>) {
  describe(`report store (${name})`, () => {
    let clock: number;
    let reports: ReportStore;
    let n = 0;
    /** Files a report about `recruiter` from `reporter`; returns its id. */
    const file = async (reporter: string, recruiter: ReportContent['recruiter'], id = `R${String(++n).padStart(5, '0')}`) => {
      await reports.fileReport({ id, at: clock, reporter, keys: keysOf(recruiter), content: content(recruiter), lang: 'id' });
      clock += 60_000;
      return id;
    };

    beforeEach(async () => {
      clock = T0;
      reports = createReportStore({ store: await makeStore(), now: () => clock });
    });

    it('leaves a report damaged in storage out of the lists instead of failing them', async () => {
      const store = await makeStore();
      reports = createReportStore({ store, now: () => clock });
      await file('reporter-a', { phone: '0812-3456-7890' });
      const damaged = await file('reporter-b', { phone: '0812-3456-7890' });
      await store.set(store.layout.report(damaged), '{"forged":true}', 60_000);
      const key = keysOf({ phone: '0812-3456-7890' })[0];
      expect(key).toBeDefined();
      expect((await reports.reportsFor(key as RecruiterKey)).map((r) => r.id)).toEqual(['R00001']);
      expect((await reports.exportAll()).map((r) => r.id)).toEqual(['R00001']);
    });

    it('counts distinct reporters, and finds a number written in another format', async () => {
      await file('reporter-a', { phone: '0812-3456-7890' });
      await file('reporter-b', { phone: '+62 812 3456 7890', name: 'Pak Budi Santoso' });
      expect(await reports.reportersFor(keysOf({ phone: '62812 3456 7890' }))).toBe(2);
      expect(await reports.reportersFor(keysOf({ phone: 'wa.me/6281234567890' }))).toBe(2);
      expect(await reports.reportersFor(keysOf({ name: 'budi santoso' }))).toBe(1);
      expect(await reports.reportersFor(keysOf({ phone: '0813-9999-0000' }))).toBe(0);
      expect(await reports.reportersFor([])).toBe(0);
    });

    it('counts one reporter once, however many reports they send, and a redelivered report is stored once', async () => {
      const first = await file('reporter-a', { phone: '0812-3456-7890' });
      await file('reporter-a', { phone: '081234567890' });
      await file('reporter-a', { phone: '+6281234567890', company: 'PT Maju Jaya' });
      const again = await reports.fileReport({ id: first, at: clock, reporter: 'reporter-a', keys: keysOf({ phone: '0812-3456-7890' }), content: content({ phone: '0812-3456-7890' }), lang: 'id' });
      expect(again.created).toBe(false);
      const keys = keysOf({ phone: '0812 3456 7890', company: 'Maju Jaya' });
      expect(await reports.reportersFor(keys)).toBe(1);
      const [group] = await reports.groups();
      expect(group).toMatchObject({ key: 'phone:+6281234567890', reports: 3, reporters: 1 });
      expect((await reports.reportsFor('phone:+6281234567890')).map((r) => r.reporterNo)).toEqual([1, 1, 1]);
    });

    it('counts a reporter once across keys: the same person by phone and by company', async () => {
      await file('reporter-a', { phone: '0812-3456-7890' });
      await file('reporter-a', { company: 'PT Maju Jaya' });
      await file('reporter-b', { company: 'Maju Jaya, PT' });
      expect(await reports.reportersFor(keysOf({ phone: '0812-3456-7890', company: 'pt. maju jaya' }))).toBe(2);
    });

    it('refuses a report id that another reporter already has, and never merges the two', async () => {
      const id = await file('reporter-a', { phone: '0812-3456-7890' });
      await expect(reports.fileReport({ id, at: clock, reporter: 'reporter-b', keys: keysOf({ phone: '0812-3456-7890' }), content: content({}), lang: 'en' })).rejects.toBeInstanceOf(ReportIdTaken);
      expect(await reports.reportersFor(keysOf({ phone: '0812-3456-7890' }))).toBe(1);
    });

    it('stops counting a report marked false or malicious, counts it again when marked valid, and keeps every mark in its audit', async () => {
      const a = await file('reporter-a', { phone: '0812-3456-7890' });
      const b = await file('reporter-b', { phone: '0812-3456-7890' });
      const phone = keysOf({ phone: '0812-3456-7890' });
      expect(await reports.reportersFor(phone)).toBe(2);

      const marked = await reports.mark(b, 'false', sari, '  a neighbour with a grudge ');
      expect(marked.changed).toBe(true);
      expect(await reports.reportersFor(phone)).toBe(1);
      expect((await reports.groups())[0]).toMatchObject({ reports: 2, reporters: 1 });

      await reports.mark(a, 'malicious', { name: 'Dewi', via: 'console' });
      expect(await reports.reportersFor(phone)).toBe(0);
      clock += 60_000;
      await reports.mark(b, 'valid', sari);
      expect(await reports.reportersFor(phone)).toBe(1);
      expect((await reports.mark(b, 'valid', sari)).changed).toBe(false);

      const report = await reports.get(b);
      expect(report?.status).toBe('valid');
      expect(report?.marks).toEqual([
        { at: expect.any(Number), by: sari, from: 'valid', status: 'false', note: 'a neighbour with a grudge' },
        { at: expect.any(Number), by: sari, from: 'false', status: 'valid' },
      ]);
      await expect(reports.mark('NOSUCH', 'false', sari)).rejects.toBeInstanceOf(ReportNotFound);
    });

    it('keeps counting a reporter while another of their reports is still valid', async () => {
      const one = await file('reporter-a', { phone: '0812-3456-7890' });
      await file('reporter-a', { phone: '0812-3456-7890', name: 'Budi Santoso' });
      await reports.mark(one, 'false', sari);
      expect(await reports.reportersFor(keysOf({ phone: '0812-3456-7890' }))).toBe(1);
    });

    it('lists recruiters most-reported first, with how the latest report described them, and the reports without a recruiter apart', async () => {
      await file('a', { company: 'PT Sinar Mas' });
      await file('b', { phone: '0812-1111-2222' });
      await file('c', { phone: '0812 1111 2222', name: 'Joko Susilo' });
      await file('d', { phone: '62812-1111-2222' });
      const groups = await reports.groups();
      expect(groups.map((g) => [g.key, g.reporters, g.reports])).toEqual([
        ['phone:+6281211112222', 3, 3],
        // Equal counts: the latest first.
        ['name:jokosusilo', 1, 1],
        ['company:sinarmas', 1, 1],
      ]);
      expect(groups[0]?.latest).toEqual({ phone: '62812-1111-2222' });
      expect(await reports.totals()).toEqual({ reports: 4, unmatched: 0 });
      expect((await reports.groups({ limit: 1 })).length).toBe(1);
    });

    it('keeps reports without a recruiter in a list of their own', async () => {
      await reports.fileReport({ id: 'R00001', at: clock, reporter: 'a', keys: [], content: content({ place: 'Indramayu' }), lang: 'id' });
      expect(await reports.totals()).toEqual({ reports: 1, unmatched: 1 });
      expect((await reports.unmatched()).map((r) => r.id)).toEqual(['R00001']);
      expect(await reports.groups()).toEqual([]);
    });

    it('exports every report oldest first, with its status and without who reported', async () => {
      const a = await file('reporter-secret', { phone: '0812-3456-7890' });
      await file('reporter-b', { company: 'PT Maju' });
      await reports.mark(a, 'malicious', sari);
      const all = await reports.exportAll();
      expect(all.map((r) => [r.id, r.status])).toEqual([
        [a, 'malicious'],
        [expect.any(String), 'valid'],
      ]);
      expect(JSON.stringify(all)).not.toContain('reporter-secret');
      await reports.logExport({ at: clock, by: { name: 'Sari W', username: 'sari' }, format: 'csv', count: 2 });
      await reports.logExport({ at: clock + 1, by: { name: 'Sari W', username: 'sari' }, format: 'json', count: 2 });
      expect((await reports.exports()).map((e) => e.format)).toEqual(['json', 'csv']);
    });

    it('forgets reports after 2 years: they stop counting at once and leave every index when pruned', async () => {
      await file('a', { phone: '0812-3456-7890' });
      clock = T0 + REPORT_RETENTION_MS - 120_000;
      await file('b', { phone: '0812-3456-7890' });
      expect(await reports.reportersFor(keysOf({ phone: '0812-3456-7890' }))).toBe(2);
      clock = T0 + REPORT_RETENTION_MS + 1000;
      expect(await reports.reportersFor(keysOf({ phone: '0812-3456-7890' }))).toBe(1);
      expect((await reports.groups())[0]).toMatchObject({ reports: 1, reporters: 1 });
      expect(await reports.prune()).toBe(1);
      expect(await reports.totals()).toEqual({ reports: 1, unmatched: 0 });
      expect((await reports.exportAll()).length).toBe(1);
    });

    it('answers a check with 1,000 reports of one recruiter in a few store reads', async () => {
      const started = performance.now();
      for (let i = 0; i < 1000; i++) {
        // 1,000 reports from 500 families, all naming the same number (half of them also a company).
        await reports.fileReport({ id: `P${i}`, at: clock + i, reporter: `family-${i % 500}`, keys: keysOf({ phone: '0812-3456-7890', ...(i % 2 ? { company: 'PT Maju Jaya' } : {}) }), content: content({ phone: '0812-3456-7890' }), lang: 'id' });
      }
      const filing = performance.now() - started;
      const keys = keysOf({ phone: '+62 812-3456-7890', company: 'Maju Jaya' });
      const runs: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        expect(await reports.reportersFor(keys)).toBe(500);
        runs.push(performance.now() - t);
      }
      runs.sort((x, y) => x - y);
      const median = runs[25] ?? 0;
      console.log(`[${name}] 1,000 reports filed in ${filing.toFixed(0)} ms (${(filing / 1000).toFixed(2)} ms each); reportersFor over 2 keys, 500 reporters: median ${median.toFixed(2)} ms, worst ${runs.at(-1)?.toFixed(2)} ms`);
      expect(median).toBeLessThan(50);
    }, 120_000);
  });
}

reportStoreTests('memory', async () => createMemoryStore());

describe('on Redis', () => {
  const redis = useRedisStore();
  reportStoreTests('redis', async () => {
    redis.server().cli('FLUSHDB');
    return redis.store();
  });
});
