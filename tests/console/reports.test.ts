/**
 * The console's report pages through the whole app (app.inject, the in-memory store, a signed-in
 * staff member): recruiters grouped with their counts, the most reported first; a recruiter's
 * reports and the form that marks one false, malicious or valid again (CSRF as every form), with
 * each mark in the report's audit; the CSV and JSON exports for the authorities, each recorded in
 * the export audit on the reports page; and what a stranger or bad input gets.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import type { ReportContent } from '../../src/engine/types.js';
import { readCsv } from '../../src/reports/csv.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import { csrfOf, FORM, PASSWORD, signIn } from './support.js';

let app: FastifyInstance;
let clock: number;
let staff: { cookie: string; csrf: string };

const PHONE_PAGE = `/console/reports/recruiters/${encodeURIComponent('phone:+6281234567890')}`;

function content(recruiter: ReportContent['recruiter'], text = 'Paspor ditahan agen'): ReportContent {
  return { recruiter, recruited: { relation: 'son', destination: 'Malaysia', job: 'kebun sawit' }, happened: { sign: 'documents_held', text }, danger: false, contact: { allowed: true, how: 'WA 0899-1111-2222' } };
}

async function file(id: string, reporter: string, recruiter: ReportContent['recruiter'], text?: string) {
  await app.waspada.reports.fileReport({ id, at: clock, reporter, keys: recruiterKeys(recruiter), content: content(recruiter, text), lang: 'id' });
  clock += 60_000;
}

beforeEach(async () => {
  clock = Date.parse('2026-03-02T03:00:00Z');
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), now: () => clock, senders: { web: async () => undefined } });
  await app.ready();
  await addStaff(app.waspada.store, { username: 'sari', displayName: 'Sari W', password: PASSWORD }, { now: clock });
  staff = await signIn(app, 'sari');
  await file('R00001', 'family-a', { phone: '0812-3456-7890', company: 'PT Maju Jaya' });
  await file('R00002', 'family-b', { phone: '+62 812 3456 7890' }, 'Dia bilang "visa kerja" diurus di sana, gaji 15,5 juta\nlalu hilang');
  await file('R00003', 'family-b', { phone: '62812-3456-7890' });
  await file('R00004', 'family-c', { name: '<script>alert(1)</script> Budi', social: '@budi_kerja' }, '=HYPERLINK("http://evil.example","klik")');
});
afterEach(() => app.close());

const get = (url: string) => app.inject({ url, headers: { cookie: staff.cookie } });
const post = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { ...FORM, cookie: staff.cookie }, payload: new URLSearchParams(fields).toString() });

describe('reports page', () => {
  it('is linked from the navigation and lists recruiters grouped, the most reported first, with distinct people and reports', async () => {
    expect((await get('/console')).body).toContain('<a href="/console/reports">Reports</a>');
    const res = await get('/console/reports');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = [...res.body.matchAll(/<tr class="row[^"]*">\s*<th scope="row"><a href="([^"]+)">([^<]+)<\/a>[\s\S]*?<td data-label="People">(\d+)<\/td>\s*<td data-label="Reports">(\d+)<\/td>/g)].map((m) => [m[2], m[3], m[4]]);
    expect(rows[0]).toEqual(['Phone +6281234567890', '2', '3']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['1', '1', '1']);
    expect(res.body).toContain(`href="${PHONE_PAGE}"`);
    expect(res.body).toContain('4 reports are kept');
    // What a reporter wrote is shown as text, never as markup.
    expect(res.body).not.toContain('<script>alert');
  });

  it('sends a stranger to the sign-in, and back to the reports after it', async () => {
    const res = await app.inject({ url: '/console/reports' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/login?next=%2Fconsole%2Freports');
    for (const url of ['/console/reports/export.csv', '/console/reports/export.json', PHONE_PAGE]) {
      expect((await app.inject({ url })).headers.location).toMatch(/^\/console\/login/);
    }
    expect(await app.waspada.reports.exports()).toEqual([]);
  });
});

describe("a recruiter's reports", () => {
  it('lists its reports with their content and status, without saying who reported', async () => {
    const res = await get(PHONE_PAGE);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Phone +6281234567890</h1>');
    expect(res.body).toContain('2 people with a valid report; 3 reports in all');
    expect([...res.body.matchAll(/<h2>Report (R\d+) /g)].map((m) => m[1])).toEqual(['R00003', 'R00002', 'R00001']);
    expect(res.body).toContain('Dia bilang &quot;visa kerja&quot; diurus di sana');
    expect(res.body).toContain('documents held');
    expect(res.body).toContain('reporter 1 on this page');
    expect(res.body).not.toContain('family-');
  });

  it('marks a report false with a note: it stops counting, the page says so, and the mark is in its audit', async () => {
    const page = await get(PHONE_PAGE);
    const res = await post('/console/reports/R00001/mark', { csrf: csrfOf(page.body), status: 'false', note: 'Nomor salah, keluarga mengaku keliru', back: 'phone:+6281234567890' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${PHONE_PAGE}?done=false#report-R00001`);
    const after = await get(res.headers.location as string);
    expect(after.body).toContain('The report is marked false: it no longer counts.');
    expect(after.body).toContain('1 person with a valid report; 3 reports in all');
    expect(after.body).toMatch(/Sari W \(sari\) \(console\) marked it false \(was valid\): “Nomor salah, keluarga mengaku keliru”/);
    expect(await app.waspada.reports.reportersFor(['phone:+6281234567890'])).toBe(1);

    // Valid again: it counts again, and both marks stay.
    await post('/console/reports/R00001/mark', { csrf: staff.csrf, status: 'valid', back: 'phone:+6281234567890' });
    expect(await app.waspada.reports.reportersFor(['phone:+6281234567890'])).toBe(2);
    expect((await app.waspada.reports.get('R00001'))?.marks.map((m) => [m.by.name, m.from, m.status])).toEqual([
      ['Sari W (sari)', 'valid', 'false'],
      ['Sari W (sari)', 'false', 'valid'],
    ]);
    const unchanged = await post('/console/reports/R00001/mark', { csrf: staff.csrf, status: 'valid', back: 'phone:+6281234567890' });
    expect(unchanged.headers.location).toBe(`${PHONE_PAGE}?done=unchanged#report-R00001`);
  });

  it('refuses a mark without the CSRF token, with an unknown status, for an unknown report; and goes back to the list, never elsewhere', async () => {
    expect((await post('/console/reports/R00001/mark', { status: 'false' })).statusCode).toBe(403);
    expect((await post('/console/reports/R00001/mark', { csrf: staff.csrf, status: 'deleted' })).statusCode).toBe(400);
    expect((await post('/console/reports/NOSUCH/mark', { csrf: staff.csrf, status: 'false' })).statusCode).toBe(404);
    expect((await post('/console/reports/..%2F..%2Fx/mark', { csrf: staff.csrf, status: 'false' })).statusCode).toBe(404);
    expect(await app.waspada.reports.reportersFor(['phone:+6281234567890'])).toBe(2);
    const elsewhere = await post('/console/reports/R00004/mark', { csrf: staff.csrf, status: 'malicious', back: 'https://evil.example/' });
    expect(elsewhere.headers.location).toBe('/console/reports?done=malicious#report-R00004');
  });

  it('answers 404 for a recruiter key that cannot exist, and lists the reports that name no recruiter', async () => {
    expect((await get('/console/reports/recruiters/nonsense')).statusCode).toBe(404);
    await app.waspada.reports.fileReport({ id: 'R00009', at: clock, reporter: 'family-d', keys: [], content: content({ place: 'Indramayu' }), lang: 'en' });
    const list = await get('/console/reports');
    expect(list.body).toContain('<a href="/console/reports/unmatched">1 report names no recruiter');
    const page = await get('/console/reports/unmatched');
    expect(page.body).toContain('Report R00009');
    expect(page.body).toContain('Indramayu');
  });
});

describe('export', () => {
  it('exports CSV with proper quoting, every status, no reporter; the export is in the audit on the reports page', async () => {
    await post('/console/reports/R00002/mark', { csrf: staff.csrf, status: 'malicious' });
    const res = await get('/console/reports/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="waspada-reports-2026-03-02.csv"');
    expect(res.body.startsWith('\uFEFFreport_id,filed_at,status,')).toBe(true);
    const records = readCsv(res.body, { separator: ',' });
    const [header, ...rows] = records.map((r) => r.fields);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((r) => [r[0], r[column('status')]])).toEqual([
      ['R00001', 'valid'],
      ['R00002', 'malicious'],
      ['R00003', 'valid'],
      ['R00004', 'valid'],
    ]);
    // Commas, quotes and a line break survive the round trip; a formula is defused; a phone number is left alone.
    expect(rows[1]?.[column('what_happened')]).toBe('Dia bilang "visa kerja" diurus di sana, gaji 15,5 juta\nlalu hilang');
    expect(rows[3]?.[column('what_happened')]).toBe('\'=HYPERLINK("http://evil.example","klik")');
    expect(rows[1]?.[column('recruiter_phone')]).toBe('+62 812 3456 7890');
    expect(rows[0]?.[column('recruiter_keys')]).toBe('company:majujaya phone:+6281234567890');
    expect(rows[1]?.[column('status_changed_at')]).toBe('2026-03-02T03:04:00.000Z');
    // Nobody who reported, and not their contact details: only that they may be contacted.
    expect(res.body).not.toMatch(/family-|0899/);
    expect(rows[0]?.[column('contact_allowed')]).toBe('yes');

    const page = await get('/console/reports');
    expect(page.body).toMatch(/<td data-label="Who">Sari W \(sari\)<\/td><td data-label="Format">CSV<\/td><td data-label="Reports">4<\/td>/);
    expect(await app.waspada.reports.exports()).toEqual([{ at: clock, by: { name: 'Sari W (sari)', username: 'sari' }, format: 'csv', count: 4 }]);
  });

  it('exports JSON with the same reports, and records it too', async () => {
    const res = await get('/console/reports/export.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="waspada-reports-2026-03-02.json"');
    const body = res.json<{ exportedAt: string; count: number; reports: Array<Record<string, unknown>> }>();
    expect(body.count).toBe(4);
    expect(body.reports[0]).toEqual({
      id: 'R00001',
      filedAt: '2026-03-02T03:00:00.000Z',
      status: 'valid',
      lang: 'id',
      recruiterKeys: ['company:majujaya', 'phone:+6281234567890'],
      recruiter: { phone: '0812-3456-7890', company: 'PT Maju Jaya' },
      recruited: { relation: 'son', destination: 'Malaysia', job: 'kebun sawit' },
      happened: { sign: 'documents_held', text: 'Paspor ditahan agen' },
      danger: false,
      contactAllowed: true,
    });
    expect(res.body).not.toMatch(/family-|0899/);
    expect((await app.waspada.reports.exports()).map((e) => [e.format, e.count])).toEqual([['json', 4]]);
  });
});
