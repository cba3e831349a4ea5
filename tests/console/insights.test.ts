/**
 * The insight dashboard through the whole app on a real redis-server: people check offers, ask
 * for staff, file a report and erase their data through the web chat API; the app's own sender
 * counts the checks; a signed-in staff member reads `/console/insights`. The page shows the
 * counts, labels from the content, the time to claim and the most reported recruiters, and none
 * of what anyone wrote; what an erase removed is gone from it. Without a session: the sign-in.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import { useRedisStore } from '../support/redisServer.js';
import { csrfOf, FORM, PASSWORD, say, setCookie, signIn, waitFor } from './support.js';

const redis = useRedisStore();
let app: FastifyInstance;
let clock: number;
let staff: { cookie: string; csrf: string };

/**
 * What people wrote or are: none of it may reach the dashboard. (A reported recruiter is shown
 * as on the Reports page, by the identifier the reports matched: that is no reporter's data.)
 */
const PERSONAL = {
  recruiterTyped: 'Pak Budi Santoso 0812-5555-7777',
  relay: 'My name is Siti Aminah, my passport is held at Jl. Mawar 5',
  reportText: 'Paspor anak saya Dewi dipegang agen di penampungan Cikarang',
  contact: 'WA 0899-1111-2222 sore hari',
};
/** A high check in English (tests/golden/check.high-en.json) naming a recruiter, then yes to staff. */
const HIGH_CHECK = ['Hello', '1', 'Saudi Arabia', 'household', 'A private household', 'sponsor', PERSONAL.recruiterTyped, 'umrah', 'promised later', 'loan', 'no', 'yes', 'idk', 'no', 'none of these', 'yes please'];
/** A low check in Indonesian (tests/golden/check.low-id.json). */
const LOW_CHECK = ['halo', 'Cek tawaran kerja', 'Malaysia', 'pabrik', 'Perusahaan, sudah dicek', 'tidak tahu', 'visa kerja', 'ya sudah', 'tidak', 'gak', 'Tidak.', 'iya', 'tidak', 'tidak ada'];
/** A family report (tests/golden/report.full.json) with this test's words, kept, and yes to staff. */
const REPORT = ['halo', '2', 'tidak', 'Pak Joko Susilo', 'PT Maju Jaya Abadi', '0812-3456-7890', 'tidak tahu', 'tidak tahu', 'anak saya', 'Malaysia', 'pabrik', 'paspor ditahan', PERSONAL.reportText, 'ya', PERSONAL.contact, 'ya', 'ya'];

async function converse(session: string, inputs: string[]): Promise<void> {
  for (const text of inputs) {
    await say(app, session, { text });
    clock += 1000;
  }
}

const get = (url: string, cookie = staff.cookie) => app.inject({ url, headers: { cookie } });

/** The day's counts, once the app's sender has delivered `checks` finished checks. */
async function counted(checks: number): Promise<void> {
  await waitFor(async () => {
    const [c = {}] = await app.waspada.store.countersRead([app.waspada.store.layout.insightCounts(new Date(clock + 7 * 3_600_000).toISOString().slice(0, 10))]);
    const n = (c['level:low'] ?? 0) + (c['level:medium'] ?? 0) + (c['level:high'] ?? 0);
    return n >= checks ? n : undefined;
  }, `${checks} counted checks`);
}

beforeEach(async () => {
  redis.server().cli('FLUSHALL');
  // 10:00 in Jakarta.
  clock = Date.parse('2026-03-02T03:00:00Z');
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), store: redis.store(), now: () => clock, senders: { web: async () => undefined } });
  await app.ready();
  await addStaff(app.waspada.store, { username: 'sari', displayName: 'Sari W', password: PASSWORD }, { now: clock });
  staff = await signIn(app, 'sari');
});
afterEach(() => app.close());

describe('who may see it', () => {
  it('sends a stranger to the sign-in, and back to the dashboard after it', async () => {
    const res = await app.inject({ url: '/console/insights?days=90' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/login?next=%2Fconsole%2Finsights');
    expect((await app.inject({ url: '/console/insights', headers: { cookie: 'wsp_console=forged-token' } })).statusCode).toBe(303);

    const form = await app.inject({ url: '/console/login?next=%2Fconsole%2Finsights' });
    expect(form.body).toContain('name="next" value="/console/insights"');
    const signed = await app.inject({
      method: 'POST',
      url: '/console/login',
      headers: { ...FORM, cookie: `wsp_console_login=${setCookie(form, 'wsp_console_login')?.value ?? ''}` },
      payload: new URLSearchParams({ csrf: csrfOf(form.body), username: 'sari', password: PASSWORD, next: '/console/insights' }).toString(),
    });
    expect(signed.statusCode).toBe(303);
    expect(signed.headers.location).toBe('/console/insights');
  });

  it('is linked from every page\'s navigation, and refuses a period it does not offer', async () => {
    expect((await get('/console')).body).toContain('<a href="/console/insights">Insights</a>');
    const odd = await get('/console/insights?days=365');
    expect(odd.statusCode).toBe(400);
    expect(odd.body).toContain('Choose one of the periods: 7, 30, 90 days.');
    expect(odd.body).not.toContain('365');
  });
});

describe('what it shows', () => {
  it('charts checks, signs, high-risk destinations and jobs, the time to claim and the reported recruiters, with no personal data, and nothing an erase removed', { timeout: 60_000 }, async () => {
    // A high check that asks for staff and writes to them; staff claim the case 7 minutes later.
    await converse('web-insight-siti', HIGH_CHECK);
    const c = await waitFor(async () => (await app.waspada.hotline.cases.list({})).find((x) => x.person?.id === 'web-insight-siti'), 'the case');
    await say(app, 'web-insight-siti', { text: PERSONAL.relay });
    clock += 7 * 60_000;
    await app.waspada.hotline.claim(c.id, { name: 'Sari W', via: 'console' });
    // A low check.
    await converse('web-insight-ani', LOW_CHECK);
    // A report through the chat, and one filed by another family (straight into the report store).
    await converse('web-insight-reporter', REPORT);
    await app.waspada.reports.fileReport({
      id: 'RX00001',
      at: clock,
      reporter: 'family-d',
      keys: recruiterKeys({ company: 'PT Sejahtera Abadi' }),
      content: { recruiter: { company: 'PT Sejahtera Abadi' }, recruited: { relation: 'sibling', destination: 'Taiwan', job: 'pabrik' }, happened: { sign: 'documents_held', text: PERSONAL.reportText }, danger: false, contact: { allowed: true, how: PERSONAL.contact } },
      lang: 'id',
    });
    await counted(2);
    await waitFor(async () => ((await app.waspada.reports.groups()).length >= 3 ? true : undefined), 'the chat report');

    const res = await get('/console/insights');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    const page = res.body;
    // Five kinds of chart, six drawings, each named and described.
    expect(page.match(/<svg class="chart"[^>]*role="img"/g)).toHaveLength(6);
    expect(page.match(/<title id="chart-[a-z-]+-title">/g)).toHaveLength(6);
    expect(page.match(/<desc id="chart-[a-z-]+-desc">/g)).toHaveLength(6);
    expect(page).toContain('<a href="/console/insights?days=30" aria-current="page">30 days</a>');
    expect(page).toContain('2 checks finished between 1 Feb and 2 Mar: 1 high, 0 medium and 1 low.');
    // Labels from the content, in English: sign titles and the check's option labels.
    expect(page).toContain('>Not a work visa</text>');
    expect(page).toContain('>Saudi Arabia</text>');
    expect(page).toContain('>Household/carer</text>');
    expect(page).toMatch(/<tr><th scope="row"><time datetime="2026-03-02">2 Mar<\/time><\/th><td>1<\/td><td>0<\/td><td>1<\/td><td>2<\/td><\/tr>/);
    // The claim took 7 minutes; the report's case waits.
    expect(page).toContain('1 case opened in the last 30 days was claimed: half within 7 min, 9 in 10 within 7 min. 1 case is still waiting.');
    // Recruiters as on the Reports page, with links to them.
    expect(page).toContain('<a href="/console/reports/recruiters/company%3Asejahteraabadi">Company sejahteraabadi</a>');
    expect(page).toContain('Phone +6281234567890');
    for (const text of [...Object.values(PERSONAL), 'web-insight', 'Siti', '5555-7777', '6281255557777', 'Dewi']) expect(page).not.toContain(text);

    // The reporter erases their data: their report goes, and so does its recruiter from the chart;
    // their case keeps its times. The checks stay counted: a count names nobody.
    await say(app, 'web-insight-reporter', { text: 'hapus' });
    await say(app, 'web-insight-reporter', { text: 'ya' });
    await waitFor(async () => ((await app.waspada.reports.groups()).some((g) => g.key === 'phone:+6281234567890') ? undefined : true), 'the erased report to go');
    const after = (await get('/console/insights')).body;
    expect(after).not.toContain('Phone +6281234567890');
    expect(after).not.toContain('majujayaabadi');
    expect(after).toContain('Company sejahteraabadi');
    expect(after).toContain('2 checks finished');
    expect(after).toContain('1 case was closed without a claim');
  });

  it('draws empty charts with a sentence for a period with nothing, for 7, 30 and 90 days', async () => {
    for (const days of [7, 30, 90]) {
      const page = (await get(`/console/insights?days=${days}`)).body;
      expect(page).toContain(`<a href="/console/insights?days=${days}" aria-current="page">${days} days</a>`);
      expect(page).toContain('No check was finished in this period');
      expect(page).toContain('No case was claimed in this period');
      expect(page).toContain('No recruiter has a report that counts');
      expect(page.match(/<tr><th scope="row"><time/g)).toHaveLength(days);
    }
  });
});
