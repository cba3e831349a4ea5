// The /cek page in a real browser (Debian's Chromium, driven by playwright-core) on a small
// phone (360×740), against the real app on a loopback port: from the chat's link to a pasted
// ad's result, with the level, each sign's quoted words, why it matters and the safe way.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { collectProblems, launchChromium } from '../../support/browser.js';

const SCREENSHOT = fileURLToPath(new URL('../../artifacts/cek.png', import.meta.url));
const WIDTH = 360;

const AD = [
  '🔥🔥 LOWONGAN KERJA KAMBOJA 🔥🔥',
  'Dibutuhkan admin customer service online, gaji 15jt/bulan!!',
  'Tanpa pengalaman, paspor dibantu, tidak perlu visa kerja, berangkat cepat. Tiket PP free.',
  'Hub WA 0812-3456-7890 <img src=x onerror=alert(1)>',
].join('\n');

type App = Awaited<ReturnType<typeof buildApp>>;

let app: App | undefined;
let browser: Browser | undefined;
let baseUrl = '';
const problems: string[] = [];

async function openPhone(path: string): Promise<Page> {
  if (!browser) throw new Error('browser not started');
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  collectProblems(page, problems);
  await page.goto(baseUrl + path);
  return page;
}

/** Submits the form and waits until the answer is shown (or the error is). */
async function submit(page: Page): Promise<void> {
  const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/assess'));
  await page.getByRole('button', { name: 'Cek / Check' }).click();
  await answered;
  await page.waitForSelector('#submit:enabled');
}

describe('/cek in Chromium on a small phone', () => {
  beforeAll(async () => {
    browser = await launchChromium('the /cek browser test');
    app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent' }) });
    baseUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 60_000);

  it('is linked from the chat, checks a pasted ad and shows each sign with its words, why and the safe way', { timeout: 60_000 }, async () => {
    // From the web chat's header.
    const chat = await openPhone('/');
    await chat.getByRole('link', { name: "Cek teks tawaran kerja / Check an offer's text" }).click();
    await chat.waitForURL(`${baseUrl}/cek`);
    const page = chat;

    // A labelled text box; submitting it empty says what to do and sends nothing.
    const box = page.getByLabel(/Tempel teks iklan lowongan/);
    expect(await box.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    let requests = 0;
    page.on('request', (req) => void (req.url().endsWith('/api/v1/assess') && requests++));
    await page.getByRole('button', { name: 'Cek / Check' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Tempel teks tawaran kerja dulu/);
    expect(requests).toBe(0);

    // Paste the ad and check it.
    await box.fill(AD);
    expect(await page.locator('#ad-count').textContent()).toBe(`${AD.length} / 10000`);
    await submit(page);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    const result = page.locator('#result');
    expect(await result.isVisible()).toBe(true);
    expect(await page.locator('#result .level').textContent()).toMatch(/^🔴 Risiko TINGGI\./);
    // The scam-hub sign: its title, why and safe way, and the ad's own words quoted.
    const scam = page.locator('#result li.sign', { hasText: 'Asia Tenggara' });
    expect(await scam.locator('.text').textContent()).toMatch(/Kenapa berbahaya: .+\nCara yang aman: Jangan berangkat\./);
    expect(await scam.locator('.evidence').textContent()).toBe('Dalam teks: KAMBOJA');
    expect(await page.locator('#result li.sign .evidence q', { hasText: 'tidak perlu visa kerja' }).count()).toBe(1);
    expect(await page.locator('#result li.sign').count()).toBeGreaterThanOrEqual(3);
    // The result takes the focus, so a screen reader reads it next.
    expect(await page.evaluate('document.activeElement.id')).toBe('result-title');
    // What the ad contains is text, never markup.
    expect(await page.locator('img').count()).toBe(0);

    // The same text, the result in English.
    await page.getByLabel('Bahasa hasil / Result in').selectOption('en');
    await submit(page);
    expect(await page.locator('#result .level').textContent()).toMatch(/^🔴 HIGH risk\./);
    expect(await page.locator('#result li.sign .text', { hasText: 'Why it matters:' }).count()).toBe(await page.locator('#result li.sign').count());
    expect(await page.locator('#result-body').getAttribute('lang')).toBe('en');

    // A small phone: nothing wider than the screen, tap targets at least 44 px high.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(WIDTH);
    for (const target of ['#submit', '#lang', '.top-button']) {
      const box = await page.locator(target).boundingBox();
      expect(box?.height, target).toBeGreaterThanOrEqual(44);
    }
    // The way on: the full check in the chat.
    expect(await page.getByRole('link', { name: /Lanjutkan cek lengkap di chat/ }).getAttribute('href')).toBe('./?start=check');

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('is served with the strict CSP of the chat page', async () => {
    const res = await fetch(`${baseUrl}/cek`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self';connect-src 'self';frame-ancestors 'self';base-uri 'none';form-action 'none'",
    );
    const html = await res.text();
    // No inline script or style anywhere: the CSP would refuse them.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=/i);
  });
});
