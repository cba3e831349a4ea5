/**
 * The report desk: a `report_filed` event of a person, as the outbox delivers it to the hotline
 * desk, becomes a stored report under the recruiter's keys ("don't know" answers give no key);
 * a redelivered event stores nothing twice; a report of danger opens nothing more (the engine
 * raised the emergency). And through the whole app: an event in the outbox reaches the store.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { EngineEvent, ReportContent } from '../../src/engine/types.js';
import { createHotline } from '../../src/handoff/hotline.js';
import { createReportDesk, reporterPseudonym } from '../../src/reports/reportDesk.js';
import { createReportStore } from '../../src/reports/reportStore.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { OutboxEntry } from '../../src/storage/store.js';

const T0 = Date.parse('2026-03-02T03:00:00Z');

const REPORT: ReportContent = {
  recruiter: { name: 'tidak tahu', company: 'PT. Maju Jaya Abadi', phone: '0812-3456-7890', social: 'gak tau', place: 'Indramayu' },
  recruited: { relation: 'anak laki-laki', destination: 'Kamboja', job: 'admin' },
  happened: { sign: 'scam_hub_offer', text: 'Dijanjikan gaji 15 juta, sekarang tidak bisa dihubungi' },
  danger: true,
  contact: { allowed: true, how: 'WhatsApp ini' },
};

function filed(person: string, reportId: string, seq: string, report: ReportContent = REPORT): Extract<OutboxEntry, { kind: 'event' }> {
  const event: EngineEvent = { type: 'report_filed', reportId, lang: 'id', report };
  return { kind: 'event', channel: 'whatsapp', to: person, at: T0, seq, event };
}

function setup() {
  const store = createMemoryStore({ now: () => T0 });
  const warnings: string[] = [];
  const log = { info: () => undefined, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
  const reports = createReportStore({ store, now: () => T0 });
  const unknownPhrases = ['tidak tahu', 'gak tau', 'dont know'];
  const hotline = createHotline({
    store,
    now: () => T0,
    log,
    surfaces: [],
    claimMinutes: 10,
    tellPerson: async () => 'ok',
    reportDesk: createReportDesk({ reports, store, unknownPhrases, log }),
  });
  return { store, reports, hotline, warnings };
}

describe('report desk', () => {
  it('stores a filed report under the recruiter keys, leaving out the "don\'t know" answers', async () => {
    const { reports, hotline } = setup();
    await hotline.onPersonEvent(filed('6281111111111', 'R7K4QX', '4.0'));
    const report = await reports.get('R7K4QX');
    expect(report).toMatchObject({ id: 'R7K4QX', at: T0, lang: 'id', status: 'valid', content: REPORT });
    expect(report?.keys).toEqual(['company:majujayaabadi', 'phone:+6281234567890']);
    expect(await reports.reportersFor(['phone:+6281234567890'])).toBe(1);
    // A report of danger needs nothing more from the desk: no case is opened here.
    expect(await hotline.cases.list({})).toEqual([]);
  });

  it('stores a redelivered event once, whether or not the desk remembers acting on it', async () => {
    const { store, reports, hotline } = setup();
    const entry = filed('6281111111111', 'R7K4QX', '4.0');
    await hotline.onPersonEvent(entry);
    await hotline.onPersonEvent(entry);
    // The desk's own mark expired (or was never written): the store is idempotent on the report id.
    await store.delete(store.layout.personEvent({ channel: 'whatsapp', id: '6281111111111' }, '4.0:' + T0));
    await hotline.onPersonEvent(entry);
    expect(await reports.totals()).toEqual({ reports: 1, unmatched: 0 });
    expect((await reports.reportsFor('phone:+6281234567890')).length).toBe(1);
  });

  it('counts two people reporting the same number once each, and one person three times once', async () => {
    const { reports, hotline } = setup();
    await hotline.onPersonEvent(filed('6281111111111', 'R00001', '1.0'));
    await hotline.onPersonEvent(filed('6281111111111', 'R00002', '2.0', { ...REPORT, recruiter: { phone: '+62 812 3456 7890' } }));
    await hotline.onPersonEvent(filed('6281111111111', 'R00003', '3.0', { ...REPORT, recruiter: { phone: '62812-3456-7890' } }));
    expect(await reports.reportersFor(['phone:+6281234567890'])).toBe(1);
    await hotline.onPersonEvent(filed('6282222222222', 'R00004', '1.0', { ...REPORT, recruiter: { phone: '081234567890' } }));
    expect(await reports.reportersFor(['phone:+6281234567890'])).toBe(2);
  });

  it('keeps a report that names no recruiter apart, and drops a malformed event with a warning', async () => {
    const { reports, hotline, warnings } = setup();
    await hotline.onPersonEvent(filed('6281111111111', 'R00001', '1.0', { ...REPORT, recruiter: { name: 'tidak tahu', phone: 'gak tau' } }));
    expect(await reports.totals()).toEqual({ reports: 1, unmatched: 1 });
    await hotline.onPersonEvent({ kind: 'event', channel: 'web', to: 'x', seq: '1.0', event: { type: 'report_filed', reportId: '../../etc', lang: 'id', report: {} } });
    expect(warnings).toEqual(['a report_filed event was malformed; not stored']);
    expect(await reports.totals()).toEqual({ reports: 1, unmatched: 1 });
  });

  it('knows a reporter by a keyed pseudonym, never by their address or a hash anyone could recompute', () => {
    const { layout } = createMemoryStore();
    const pseudonym = reporterPseudonym(layout, { channel: 'whatsapp', id: '6281111111111' });
    expect(pseudonym).not.toContain('6281111111111');
    expect(pseudonym).not.toBe(createHash('sha256').update('whatsapp:6281111111111').digest('hex'));
    // Stable within one store, different under another secret, and web reporters count as one.
    expect(reporterPseudonym(layout, { channel: 'whatsapp', id: '6281111111111' })).toBe(pseudonym);
    expect(reporterPseudonym(createMemoryStore().layout, { channel: 'whatsapp', id: '6281111111111' })).not.toBe(pseudonym);
    expect(reporterPseudonym(layout, { channel: 'web', id: 'a' })).toBe(reporterPseudonym(layout, { channel: 'web', id: 'b' }));
  });

  it('stores a report that reaches the app through its outbox', async () => {
    const app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), now: () => T0, senders: { whatsapp: async () => undefined } });
    try {
      await app.ready();
      await app.waspada.store.appendOutbox(0, [filed('6281111111111', 'R7K4QX', '9.0')]);
      app.waspada.sender?.nudge();
      for (let i = 0; i < 200 && !(await app.waspada.reports.get('R7K4QX')); i++) await new Promise((r) => setTimeout(r, 10));
      expect((await app.waspada.reports.get('R7K4QX'))?.keys).toEqual(['company:majujayaabadi', 'phone:+6281234567890']);
    } finally {
      await app.close();
    }
  });
});
