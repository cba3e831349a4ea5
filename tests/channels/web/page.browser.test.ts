// The web chat page in a real browser (Debian's Chromium, driven by playwright-core) against
// the real app on a loopback port: the page, its assets, the chat API and the flows together.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { collectProblems, launchChromium } from '../../support/browser.js';

const SCREENSHOT = fileURLToPath(new URL('../../artifacts/web-chat.png', import.meta.url));
const RELAY_SCREENSHOT = fileURLToPath(new URL('../../artifacts/web-chat-relay.png', import.meta.url));
const MAX_CLICKS = 30;

type App = Awaited<ReturnType<typeof buildApp>>;

let app: App | undefined;
let browser: Browser | undefined;
let baseUrl = '';
/** Console errors, page errors and failed responses of every page opened here. */
const problems: string[] = [];

/** Opens a phone-sized page and records everything that goes wrong on it. */
async function openPage(path: string): Promise<Page> {
  if (!browser) throw new Error('browser not started');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  collectProblems(page, problems);
  await page.goto(baseUrl + path);
  await idle(page);
  return page;
}

/** Waits until the page has no request in flight (the log is aria-busy while it waits). */
async function idle(page: Page): Promise<void> {
  await page.waitForSelector('#log[aria-busy="false"]', { timeout: 15_000 });
}

/** The choice ids of the buttons that can still be pressed (those of the newest answer). */
async function enabledChoiceIds(page: Page): Promise<string[]> {
  const buttons = page.locator('#log button.choice:enabled');
  const ids: string[] = [];
  for (let i = 0, n = await buttons.count(); i < n; i++) {
    ids.push((await buttons.nth(i).getAttribute('data-choice-id')) ?? '');
  }
  return ids;
}

async function botTexts(page: Page): Promise<string[]> {
  return page.locator('#log .msg--bot .text').allTextContents();
}

describe('web chat page in Chromium', () => {
  beforeAll(async () => {
    app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }) });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = address.replace(/\/$/, '');
    browser = await launchChromium('the web chat browser test');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 60_000);

  beforeEach(() => {
    problems.length = 0;
  });

  it('runs a whole job-offer check with buttons, answers typed text, and keeps old buttons off', { timeout: 60_000 }, async () => {
    const page = await openPage('/');

    // The welcome ends with the main menu as buttons; the first is the job-offer check.
    const menuIds = await enabledChoiceIds(page);
    expect(menuIds.length, 'the welcome should end with the menu as buttons').toBeGreaterThan(1);
    expect(menuIds[0]).toMatch(/check/);
    const botMessages = page.locator('#log .msg--bot');
    const botCountAtMenu = await botMessages.count();
    // nth, not last(): a locator is resolved again at each use, and last() would move on.
    const menuMessage = botMessages.nth(botCountAtMenu - 1);

    // The session id lives in sessionStorage only: it goes when the tab closes.
    expect(String(await page.evaluate('sessionStorage.getItem("waspada.session")'))).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    await page.locator('#log button.choice:enabled').first().click();
    await idle(page);
    let clicks = 1;

    // The menu's buttons were disabled by the answer, the pressed one is marked.
    expect(await menuMessage.locator('button.choice').count()).toBe(menuIds.length);
    expect(await menuMessage.locator('button.choice:enabled').count()).toBe(0);
    expect(await menuMessage.locator('button.choice.chosen').count()).toBe(1);

    // Answer every question with its first button until the flow ends back at the menu.
    let backAtMenu = false;
    while (clicks < MAX_CLICKS) {
      const ids = await enabledChoiceIds(page);
      if (ids.length > 0 && ids.join('\n') === menuIds.join('\n')) {
        backAtMenu = true;
        break;
      }
      // The one question answered by typing: the recruiter's number or agency.
      if (ids.length === 0 && /atau apa nama agensinya/.test((await botTexts(page)).at(-1) ?? '')) {
        await page.locator('#input').fill('tidak tahu');
        await page.locator('#input').press('Enter');
        await idle(page);
        continue;
      }
      expect(ids.length, `after ${clicks} clicks the newest message has no buttons: ${(await botTexts(page)).at(-1)}`).toBeGreaterThan(0);
      const before = await botMessages.count();
      // The offer of hotline staff is declined here (the relay has its own test): "Tidak".
      const consent = ids.join(',') === 'yes,no' && /petugas hotline/.test((await botTexts(page)).at(-1) ?? '');
      await page.locator('#log button.choice:enabled').nth(consent ? 1 : 0).click();
      await idle(page);
      clicks += 1;
      expect(await botMessages.count(), 'each answer gets a reply').toBeGreaterThan(before);
    }
    expect(backAtMenu, `the check did not end at the menu within ${MAX_CLICKS} clicks`).toBe(true);

    const checkTexts = (await botTexts(page)).slice(botCountAtMenu).join('\n');
    expect(checkTexts).toMatch(/risiko|risk/i);

    // Only the newest message's buttons can be pressed; every earlier one was disabled.
    expect(await page.locator('#log button.choice:enabled').count()).toBe(menuIds.length);
    expect(await page.locator('#log button.choice.chosen').count()).toBe(clicks);
    expect(await menuMessage.locator('button.choice').first().isDisabled()).toBe(true);

    // Typed text, sent with Enter, gets a reply.
    const beforeText = await botMessages.count();
    await page.locator('#input').fill('bantuan');
    await page.locator('#input').press('Enter');
    await idle(page);
    expect(await page.locator('#log .msg--user .text').last().textContent()).toBe('bantuan');
    expect(await botMessages.count(), 'typed text should get a reply').toBeGreaterThan(beforeText);
    expect(await page.locator('#input').inputValue()).toBe('');

    // What a person types is shown as text, never interpreted as HTML.
    const markup = '<img src=x onerror=alert(1)> <b>halo</b>';
    await page.locator('#input').fill(markup);
    await page.locator('#input').press('Enter');
    await idle(page);
    expect(await page.locator('#log .msg--user .text').last().textContent()).toBe(markup);
    expect(await page.locator('#log img, #log b').count()).toBe(0);
    expect(await page.locator('#log .notice').count(), 'no error notice should be shown').toBe(0);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.mouse.move(0, 0); // no hover highlight left on the last button pressed
    await page.screenshot({ path: SCREENSHOT });

    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('shows what hotline staff write while the person is connected to them, once, and stops asking when the case closes', { timeout: 90_000 }, async () => {
    if (!app) throw new Error('app not started');
    const hotline = app.waspada.hotline;
    const staff = { name: 'Sari', via: 'console' as const };
    const page = await openPage('/');
    const updates: string[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/chat/updates')) updates.push(req.postData() ?? '');
    });
    const staffTexts = page.locator('#log .msg--bot.from-staff .text');

    // Ask for a person from the menu, and agree to what is shared (typed, as many people do).
    await page.locator('#log button.choice:enabled[data-choice-id="person"]').click();
    await idle(page);
    expect(await enabledChoiceIds(page)).toEqual(['yes', 'no']);
    await page.locator('#input').fill('ya');
    await page.locator('#input').press('Enter');
    await idle(page);

    // The case number comes a moment later, fetched by the page: nobody typed anything.
    await page.locator('#log .msg--bot .text', { hasText: /Nomor kasus Anda #/ }).waitFor({ timeout: 10_000 });
    const session = String(await page.evaluate('sessionStorage.getItem("waspada.session")'));
    const c = (await hotline.cases.list({ status: 'open', limit: 500 })).find((x) => x.person?.id === session);
    if (!c) throw new Error('no case opened for the page');
    // The session id travels in the body, never in the URL.
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((body) => body.includes(session))).toBe(true);
    expect(await staffTexts.count()).toBe(0);

    await hotline.reply(c.id, 'Halo dari petugas', staff);
    await staffTexts.filter({ hasText: 'Halo dari petugas' }).waitFor({ timeout: 8_000 });
    expect(await staffTexts.last().textContent()).toMatch(/Petugas hotline:\nHalo dari petugas$/);
    mkdirSync(dirname(RELAY_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: RELAY_SCREENSHOT });

    // Staff words are shown as text, never as HTML.
    const markup = '<img src=x onerror=alert(1)> <b>tebal</b>';
    await hotline.reply(c.id, markup, staff);
    await staffTexts.filter({ hasText: 'tebal' }).waitFor({ timeout: 8_000 });
    expect(await staffTexts.last().textContent()).toContain(markup);
    expect(await page.locator('#log img, #log b').count()).toBe(0);

    // A hidden tab does not ask; it asks at once when it is shown again.
    await page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }); document.dispatchEvent(new Event('visibilitychange'))`);
    await page.waitForTimeout(3_500);
    const whileHidden = updates.length;
    await page.waitForTimeout(3_500);
    expect(updates.length, 'a hidden tab should not ask for updates').toBe(whileHidden);
    await page.evaluate(`delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange'))`);
    await expect.poll(() => updates.length, { timeout: 2_000 }).toBeGreaterThan(whileHidden);

    // A reload does not show the staff's messages again, and the next one arrives once.
    await page.reload();
    await idle(page);
    await page.waitForTimeout(2_500);
    expect(await staffTexts.count(), 'nothing already shown should come again after a reload').toBe(0);
    await hotline.reply(c.id, 'Masih di sana?', staff);
    await staffTexts.filter({ hasText: 'Masih di sana?' }).waitFor({ timeout: 8_000 });
    expect(await staffTexts.count()).toBe(1);

    // Closing returns the person to the bot with the menu; after a few more asks the page stops.
    await hotline.close(c.id, 'resolved', staff);
    await page.locator('#log .msg--bot .text', { hasText: /sudah menutup kasus Anda/ }).waitFor({ timeout: 8_000 });
    await expect.poll(() => enabledChoiceIds(page), { timeout: 8_000 }).toContain('check');
    expect(await page.locator('#log .msg--bot.from-staff').count()).toBe(1);
    await page.waitForTimeout(7_000);
    const settled = updates.length;
    await page.waitForTimeout(4_000);
    expect(updates.length, 'the page should stop asking once staff have gone').toBe(settled);
    expect(await page.locator('#log .notice').count(), 'no error notice should be shown').toBe(0);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('starts the flow named in a poster deep link (?start=check)', { timeout: 60_000 }, async () => {
    const page = await openPage('/?start=check');
    const menu = await openPage('/');
    const menuIds = await enabledChoiceIds(menu);
    const ids = await enabledChoiceIds(page);
    expect((await botTexts(page)).length).toBeGreaterThan(0);
    expect(ids.length, 'the first check question should come with buttons').toBeGreaterThan(0);
    expect(ids).not.toEqual(menuIds);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
