// The insight dashboard in a real browser (Debian's Chromium, driven by playwright-core) against
// the real app on a loopback port and a real redis-server, with 90 days of history: finished
// checks counted by the same hook the outbox delivers to, cases opened and claimed in the case
// store, reports from many families; and today, a person's high check through the web chat API
// whose case a staff member claims. A staff member signs in, opens the dashboard, sees every
// chart drawn with nothing refused by the CSP, switches to 90 days, reads the numbers of a chart,
// and on a 360 px phone the page fits. Screenshots go to tests/artifacts/console-insights*.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { claim, close, openCase as newCase, type Case } from '../../src/handoff/case.js';
import { createCheckCounter } from '../../src/insights/checkCounter.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import { collectProblems, launchChromium } from '../support/browser.js';
import { useRedisStore } from '../support/redisServer.js';
import { openCase, PASSWORD, signIn, waitFor } from './support.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;
const MIN = 60_000;

type App = Awaited<ReturnType<typeof buildApp>>;

const redis = useRedisStore();
let app: App | undefined;
let browser: Browser | undefined;
let baseUrl = '';
const problems: string[] = [];

const theApp = (): App => {
  if (!app) throw new Error('app not started');
  return app;
};

/** A fixed sequence of numbers in [0, 1): the same history on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const SIGNS = ['visa_not_work', 'no_contract', 'unlicensed_recruiter', 'domestic_work_middle_east', 'scam_hub_offer', 'documents_held', 'placement_fee', 'rushed_process', 'steps_skipped', 'online_only', 'secrecy', 'pay_too_high'];
const DESTINATIONS = ['malaysia_singapore', 'saudi', 'middle_east', 'mekong', 'east_asia', 'other', 'unknown'];
const JOBS = ['domestic', 'online_office', 'fishing', 'plantation', 'factory_construction', 'hospitality', 'other'];
const pick = <T>(r: () => number, xs: readonly T[], bias = 1): T => xs[Math.min(xs.length - 1, Math.floor(r() ** bias * xs.length))] as T;

/** 90 days of what the dashboard reads: about 30 finished checks a day, 5 cases a day, 40 reports on 14 recruiters. */
async function seedHistory(a: App): Promise<{ checks: number; cases: number; reports: number }> {
  const r = random(11);
  const store = a.waspada.store;
  // The hook the outbox sender calls for every event (src/conversation/deliver.ts).
  const count = createCheckCounter({ store, timeZone: 'Asia/Jakarta', now: Date.now });
  const now = Date.now();
  let checks = 0;
  let cases = 0;
  for (let d = 89; d >= 1; d--) {
    const day = now - d * DAY_MS;
    // Busier on weekdays and towards now, as a campaign picks up.
    const n = Math.round(18 + 14 * (1 - d / 90) + 8 * Math.sin(d / 3.5) + r() * 8);
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const x = r();
        const level = x < 0.27 ? 'high' : x < 0.62 ? 'medium' : 'low';
        const signs = level === 'low' ? (r() < 0.3 ? [pick(r, SIGNS, 2)] : []) : [...new Set([pick(r, SIGNS, 1.6), pick(r, SIGNS, 1.8), ...(level === 'high' ? [pick(r, SIGNS, 2.2)] : [])])];
        checks += 1;
        return count({
          kind: 'event',
          channel: 'whatsapp',
          to: `62812000${d}${i}`,
          at: day + Math.floor(r() * 12 * 60 * MIN),
          seq: `${d}.${i}`,
          event: { type: 'assessment_completed', flow: 'check', level, signs, unknown: [], tally: { destination: pick(r, DESTINATIONS, level === 'high' ? 1.7 : 1), job: pick(r, JOBS, level === 'high' ? 1.5 : 1) } },
        });
      }),
    );
    // Cases: most claimed within minutes, some after hours; one in eight closed without a claim.
    const opened = 3 + Math.floor(r() * 5);
    await Promise.all(
      Array.from({ length: opened }, async (_, i) => {
        const at = day + Math.floor(r() * 10 * 60 * MIN);
        const wait = r() < 0.55 ? r() * 12 * MIN : r() < 0.8 ? 12 * MIN + r() * 60 * MIN : 60 * MIN + r() * 20 * 60 * MIN;
        const unclaimed = r() < 0.12;
        const summary = { reason: 'high_risk' as const, level: 'high' as const, signs: ['visa_not_work'], answers: {}, lang: 'id', channel: 'whatsapp' as const };
        const made = await a.waspada.hotline.cases.create((id) => newCase(id, at, i % 4 === 0 ? 'urgent' : 'high', summary, { channel: 'whatsapp', id: `62899${d}${i}` }), []);
        await a.waspada.hotline.cases.update(made.case.id, (c: Case) => ({ case: close(unclaimed ? c : claim(c, 'Sari W', at + wait), 'resolved', at + wait + 30 * MIN), entries: [] }));
        cases += 1;
      }),
    );
  }
  // Reports from 40 families over the last months, on 14 recruiters, some far more than others.
  const recruiters = Array.from({ length: 14 }, (_, i) => (i % 3 === 0 ? { phone: `0812-77${String(i).padStart(2, '0')}-1234` } : { company: `PT Karya Migran ${['Sejahtera', 'Abadi', 'Mandiri Jaya', 'Sentosa', 'Nusantara', 'Makmur', 'Bahari', 'Lestari', 'Gemilang', 'Utama'][i % 10]} ${i}` }));
  for (let i = 0; i < 40; i++) {
    const who = pick(r, recruiters, 2.2);
    await a.waspada.reports.fileReport({
      id: `RH${String(i).padStart(4, '0')}`,
      at: now - Math.floor(r() * 120) * DAY_MS,
      reporter: `family-${i}`,
      keys: recruiterKeys(who),
      content: { recruiter: who, recruited: { relation: 'child' }, happened: { sign: 'documents_held' }, danger: false, contact: { allowed: false } },
      lang: 'id',
    });
  }
  return { checks, cases, reports: 40 };
}

beforeAll(async () => {
  browser = await launchChromium('the insight dashboard browser test');
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), store: redis.store(), senders: { web: async () => undefined } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = address.replace(/\/$/, '');
  await addStaff(app.waspada.store, { username: 'sari', displayName: 'Sari W', password: PASSWORD }, { now: Date.now() });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

it('draws every chart of 90 days of history for a signed-in staff member, on a desktop and on a phone', { timeout: 180_000 }, async () => {
  const a = theApp();
  if (!browser) throw new Error('browser not started');
  const seeded = await seedHistory(a);
  // Today: a person's high check through the web chat, counted when the outbox delivers it; staff claim the case.
  const today = await openCase(a, 'web-insights-person', 'high');
  await a.waspada.hotline.claim(today.id, { name: 'Sari W', via: 'console' });
  const store = a.waspada.store;
  await waitFor(async () => {
    const [c = {}] = await store.countersRead([store.layout.insightCounts(new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10))]);
    return c['level:high'] ? true : undefined;
  }, "today's check counted");

  // The server's time to read and draw 90 days (the median of five).
  const { cookie } = await signIn(a, 'sari');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const res = await a.inject({ url: '/console/insights?days=90', headers: { cookie } });
    times.push(performance.now() - started);
    expect(res.statusCode).toBe(200);
  }
  const median = [...times].sort((x, y) => x - y)[2] ?? 0;
  console.info(`insights: ${seeded.checks} checks, ${seeded.cases} cases, ${seeded.reports} reports over 90 days; /console/insights?days=90 in ${median.toFixed(0)} ms (median of 5)`);
  expect(median).toBeLessThan(2000);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  collectProblems(page, problems);
  await page.goto(`${baseUrl}/console/insights`);
  expect(new URL(page.url()).pathname).toBe('/console/login');
  await page.getByLabel('Username').fill('sari');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/console/insights`);

  // Six charts, each an image with a name, and drawn: bars and columns in the page's colours.
  const charts = page.locator('svg.chart');
  expect(await charts.count()).toBe(6);
  for (let i = 0; i < 6; i++) {
    const chart = charts.nth(i);
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
  }
  expect(await page.getByRole('img', { name: /Checks per day by level, the last 30 days/ }).count()).toBe(1);
  expect(await charts.nth(0).locator('rect').count()).toBeGreaterThan(60);
  // The CSS colours the bars (an unstyled SVG would draw them black).
  const fill = await page.evaluate<string>("getComputedStyle(document.querySelector('#main svg.chart rect.chart-s--high')).fill");
  expect(fill).toBe('rgb(179, 38, 30)');
  await page.getByRole('navigation', { name: 'Period' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}console-insights.png`, fullPage: true });

  // 90 days, and the numbers of the signs chart in its table.
  await page.getByRole('link', { name: '90 days' }).click();
  await page.waitForURL(`${baseUrl}/console/insights?days=90`);
  expect(await page.locator('#chart-checks-title').textContent()).toBe('Checks per day by level, the last 90 days');
  expect(await page.locator('svg.chart').first().locator('rect').count()).toBeGreaterThan(200);
  const signs = page.locator('section[aria-labelledby="signs-h"]');
  await signs.getByText('The numbers').click();
  expect(await signs.locator('table tbody tr').count()).toBeGreaterThan(5);
  expect(await signs.locator('table').textContent()).toContain('Not a work visa');

  // A phone: everything fits 360 px, nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`${baseUrl}/console/insights`);
  const widths = await page.evaluate<{ page: number; charts: number[] }>(
    "({ page: document.documentElement.scrollWidth, charts: [...document.querySelectorAll('svg.chart')].map((s) => s.getBoundingClientRect().right) })",
  );
  expect(widths.page).toBeLessThanOrEqual(360);
  for (const right of widths.charts) expect(right).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${ARTIFACTS}console-insights-phone.png`, fullPage: true });

  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

mkdirSync(ARTIFACTS, { recursive: true });
