// The staff console in a real browser (Debian's Chromium, driven by playwright-core) against the
// real app on a loopback port: a staff member signs in, sees the queue (an overdue urgent case
// announced), opens a case, claims it, replies (the person's web chat receives it), sees the
// person's next message arrive in the timeline without a reload, closes the case, signs out.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { collectProblems, launchChromium } from '../support/browser.js';
import { openCase, PASSWORD, say, waitFor } from './support.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

type App = Awaited<ReturnType<typeof buildApp>>;

let app: App | undefined;
let browser: Browser | undefined;
let baseUrl = '';
/** Moves the app's clock (the browser's own stays real): 14 minutes on makes a case overdue. */
let offsetMs = 0;
const received: Array<{ to: string; text: string }> = [];
/** Console errors, page errors and failed responses of the page. */
const problems: string[] = [];

const theApp = (): App => {
  if (!app) throw new Error('app not started');
  return app;
};

beforeAll(async () => {
  browser = await launchChromium('the console browser test');
  // The production default: Secure cookies (Chromium accepts them from http://127.0.0.1, a secure context).
  app = await buildApp({
    config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }),
    now: () => Date.now() + offsetMs,
    senders: {
      web: async (to, message) => {
        received.push({ to, text: message.text });
      },
    },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = address.replace(/\/$/, '');
  await addStaff(app.waspada.store, { username: 'sari', displayName: 'Sari', password: PASSWORD }, { now: Date.now() });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

it('signs in, works a case from the queue to its close, and signs out', { timeout: 120_000 }, async () => {
  const a = theApp();
  if (!browser) throw new Error('browser not started');
  // A person on the web chat gets a high result, accepts the offer of staff and writes; another
  // sends an emergency word.
  const c = await openCase(a, 'web-browser-person', 'high');
  await say(a, 'web-browser-person', { text: 'Agen menahan paspor saya. Saya di Malaysia.' });
  const urgent = await openCase(a, 'web-browser-sos', 'sos');
  offsetMs = 14 * 60_000;

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  collectProblems(page, problems);

  // Not signed in: the console sends the browser to the sign-in form.
  await page.goto(`${baseUrl}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/login');
  await page.getByLabel('Username').fill('sari');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/console`);
  const cookies = await context.cookies();
  expect(cookies.find((k) => k.name === 'wsp_console')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/console' });

  // The queue: the urgent case first, then the high one; both unclaimed for 14 min, so overdue and announced.
  await expect.poll(() => page.locator('#queue-alert').textContent()).toMatch(/2 urgent or high cases have waited more than 10 min/);
  const rows = page.locator('#queue tbody tr');
  expect(await rows.count()).toBe(2);
  expect(await rows.nth(0).getAttribute('data-id')).toBe(urgent.id);
  expect(await rows.nth(1).getAttribute('data-id')).toBe(c.id);
  expect(await rows.nth(1).textContent()).toMatch(/High.*high.*High-risk job offer.*waiting 14 min — overdue/s);
  expect(await page.title()).toMatch(/^\(2 overdue\) Cases/);

  // A new case appears in the open queue by itself, without a reload.
  await page.evaluate('window.waspadaMarker = 1');
  const later = await openCase(a, 'web-browser-later');
  await page.locator(`#queue tr[data-id="${later.id}"]`).waitFor({ timeout: 20_000 });
  expect(await page.evaluate('window.waspadaMarker')).toBe(1);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}console-queue.png`, fullPage: true });

  // The case page: summary (level, signs, answers) and the timeline with what the person wrote.
  await page.getByRole('link', { name: `#${c.id}` }).click();
  await page.waitForURL(`${baseUrl}/console/cases/${c.id}`);
  await expect.poll(() => page.locator('h1').textContent()).toContain(`Case #${c.id}`);
  expect(await page.locator('.summary').textContent()).toMatch(/visa not work/);
  expect(await page.locator('.answers').textContent()).toMatch(/destination\s*saudi/);
  expect(await page.locator('#timeline').textContent()).toContain('Agen menahan paspor saya.');

  await page.getByRole('button', { name: 'Claim this case' }).click();
  await page.getByText('You claimed the case.').waitFor();
  expect(await page.locator('#case-status').textContent()).toBe('Claimed by Sari (sari)');

  received.length = 0;
  await page.getByLabel('Message to the person').fill('Halo, saya Sari dari hotline. Di kota mana Anda sekarang?');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Your message was sent to the person.').waitFor();
  await waitFor(async () => (received.some((r) => r.to === 'web-browser-person' && r.text.includes('Di kota mana Anda sekarang?')) ? true : undefined), 'the reply on the web chat');

  // The person answers; it shows up in the open page by itself.
  await page.evaluate('window.waspadaMarker = 2');
  await say(a, 'web-browser-person', { text: 'Di Johor Bahru, di asrama pabrik.' });
  await page.locator('#timeline .entry--person', { hasText: 'Di Johor Bahru, di asrama pabrik.' }).waitFor({ timeout: 15_000 });
  expect(await page.evaluate('window.waspadaMarker')).toBe(2);
  await page.screenshot({ path: `${ARTIFACTS}console-case.png`, fullPage: true });

  // Close with an outcome: the person hears it, the audit shows who did what.
  received.length = 0;
  await page.getByLabel('Outcome').selectOption('referred');
  await page.getByRole('button', { name: 'Close the case' }).click();
  await page.getByText('The case is closed.').waitFor();
  await waitFor(async () => (received.some((r) => r.to === 'web-browser-person') ? true : undefined), 'the closing message on the web chat');
  const audit = await page.locator('#timeline .entry--staff .meta').allTextContents();
  expect(audit.map((t) => t.replace(/\s+\d+ \w+, \d\d:\d\d$/, ''))).toEqual([
    'Sari (sari) (console) claimed the case',
    'Sari (sari) (console) wrote',
    'Sari (sari) (console) closed the case: Referred (to KBRI, BP3MI, police, a shelter…)',
  ]);

  // A phone-sized look at the case, for the artefacts.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${ARTIFACTS}console-case-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  await page.goto(`${baseUrl}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/login');

  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});
