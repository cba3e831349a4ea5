/**
 * Shared by the console tests: a person reaching staff through the web chat API, signing in to
 * the console with app.inject, and reading what a page holds.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Case } from '../../src/handoff/case.js';

/** A password long enough for the console (none is built in anywhere: each test creates its account). */
export const PASSWORD = 'kopi tubruk di pagi hari';
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** One web chat message from a person. */
export async function say(app: FastifyInstance, session: string, body: Record<string, unknown>): Promise<Array<{ text: string }>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session, ...body } });
  expect(res.statusCode).toBe(200);
  return res.json<{ messages: Array<{ text: string }> }>().messages;
}

/** Waits until `probe` gives a value (the app's own sender drains the outbox in the background). */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A whole job-offer check in English with a high result, answered by typing, then agreeing to
 * talk with staff (the inputs of tests/golden/check.high-en.json): household work in Saudi
 * Arabia through a sponsor on an umrah visa, with a loan.
 */
const HIGH_RISK_CHECK_EN = ['Hello', '1', 'Saudi Arabia', 'household', 'A private household', 'sponsor', "don't know", 'umrah', 'promised later', 'loan', 'no', 'yes', 'idk', 'no', 'none of these', 'yes please'];

/**
 * A person opens a case: `person` asks for staff from the menu and agrees to what is shared
 * (a normal case); `sos` writes an emergency word (an urgent case at once); `high` does a whole
 * check in English and accepts the offer of staff (a high case with its signs and answers).
 */
export async function openCase(app: FastifyInstance, session: string, how: 'person' | 'sos' | 'high' = 'person'): Promise<Case> {
  if (how === 'sos') await say(app, session, { text: 'sos' });
  else if (how === 'high') {
    for (const text of HIGH_RISK_CHECK_EN) await say(app, session, { text });
  } else {
    await say(app, session, { start: '' });
    await say(app, session, { choice: 'person' });
    await say(app, session, { text: 'ya' });
  }
  return waitFor(async () => {
    const cases = await app.waspada.hotline.cases.list({});
    return cases.find((c) => c.person?.id === session);
  }, `the case of ${session}`);
}

/** The value of a cookie the response sets. */
export function setCookie(res: LightMyRequestResponse, name: string): { value: string; attributes: string } | undefined {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  const line = all.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split('; ');
  return { value: pair.slice(name.length + 1), attributes: attributes.join('; ') };
}

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF field on the page');
  return m[1];
}

/** Signs in through the form, as a browser would; returns the cookie header and the session's CSRF token. */
export async function signIn(app: FastifyInstance, username: string, password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const form = await app.inject({ url: '/console/login' });
  const login = setCookie(form, 'wsp_console_login');
  const res = await app.inject({
    method: 'POST',
    url: '/console/login',
    headers: { ...FORM, cookie: `wsp_console_login=${login?.value ?? ''}` },
    payload: new URLSearchParams({ csrf: csrfOf(form.body), username, password }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  const cookie = `wsp_console=${setCookie(res, 'wsp_console')?.value ?? ''}`;
  const queue = await app.inject({ url: '/console', headers: { cookie } });
  expect(queue.statusCode).toBe(200);
  return { cookie, csrf: csrfOf(queue.body) };
}
