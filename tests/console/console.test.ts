/**
 * The staff console through the whole app (app.inject, the in-memory store): signing in and
 * out, the cookie, the lock after failed passwords, CSRF and origin checks, access without a
 * session, the queue and its overdue cases, the staff actions on a case and their audit, and
 * what bad input gets (a 4xx page, never a 500).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff, removeStaff } from '../../src/console/staffAccounts.js';
import { csrfOf, FORM, openCase, PASSWORD, say, setCookie, signIn, waitFor } from './support.js';

let app: FastifyInstance;
let clock: number;
let received: Array<{ to: string; text: string }>;

async function start(env: Record<string, string> = {}): Promise<void> {
  app = await buildApp({
    config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on', ...env }),
    now: () => clock,
    senders: {
      web: async (to, message) => {
        received.push({ to, text: message.text });
      },
    },
  });
  await app.ready();
  await addStaff(app.waspada.store, { username: 'sari', displayName: 'Sari W', password: PASSWORD }, { now: clock });
}

beforeEach(async () => {
  clock = Date.parse('2026-03-02T03:00:00Z');
  received = [];
  await start();
});
afterEach(() => app.close());

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { ...FORM, ...headers }, payload: new URLSearchParams(fields).toString() });

/** Posts the sign-in form with a valid form token; returns the response. */
async function tryPassword(username: string, password: string) {
  const form = await app.inject({ url: '/console/login' });
  const login = setCookie(form, 'wsp_console_login')?.value ?? '';
  return post('/console/login', { csrf: csrfOf(form.body), username, password }, { cookie: `wsp_console_login=${login}` });
}

const GENERIC = /username or password is not right/;

describe('signing in', () => {
  it('signs in with the right password: a session cookie with every flag, and only its hash in the store', async () => {
    const res = await tryPassword('sari', PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console');
    const session = setCookie(res, 'wsp_console');
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session?.attributes.split('; ').sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/console', 'SameSite=Strict', 'Secure']);
    // The form token cookie is removed once it served.
    expect(setCookie(res, 'wsp_console_login')?.attributes).toContain('Max-Age=0');

    const token = session?.value ?? '';
    const layout = app.waspada.store.layout;
    expect(await app.waspada.store.get(layout.consoleSession(token))).toBeUndefined();
    const stored = await app.waspada.store.get(layout.consoleSession(createHash('sha256').update(token).digest('hex')));
    expect(stored).toBeDefined();
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ username: 'sari', name: 'Sari W (sari)' });

    const queue = await app.inject({ url: '/console', headers: { cookie: `wsp_console=${token}` } });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('Signed in as Sari W (sari)');
  });

  it('leaves out the Secure flag only when CONSOLE_COOKIES=insecure', async () => {
    await app.close();
    await start({ CONSOLE_COOKIES: 'insecure' });
    const res = await tryPassword('sari', PASSWORD);
    expect(setCookie(res, 'wsp_console')?.attributes).not.toContain('Secure');
    expect(setCookie(res, 'wsp_console')?.attributes).toContain('HttpOnly');
  });

  it('refuses a wrong password and an unknown name with the same words', async () => {
    const wrong = await tryPassword('sari', 'not the password at all');
    const unknown = await tryPassword('budi', PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toMatch(GENERIC);
      expect(setCookie(res, 'wsp_console')).toBeUndefined();
    }
    // The name typed is kept, the password never comes back.
    expect(wrong.body).toContain('value="sari"');
    expect(wrong.body).not.toContain('not the password at all');
  });

  it('locks a name for 15 minutes after five failures, answering like a wrong password', async () => {
    for (let i = 0; i < 5; i++) expect((await tryPassword('sari', `wrong password ${i}`)).statusCode).toBe(401);
    const locked = await tryPassword('sari', PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toMatch(GENERIC);
    clock += 14 * 60_000;
    expect((await tryPassword('sari', PASSWORD)).statusCode).toBe(401);
    clock += 2 * 60_000;
    expect((await tryPassword('sari', PASSWORD)).statusCode).toBe(303);
  });

  it('counts only failures within the lock time, and a success starts the count again', async () => {
    for (let i = 0; i < 4; i++) await tryPassword('sari', 'wrong password again');
    expect((await tryPassword('sari', PASSWORD)).statusCode).toBe(303);
    for (let i = 0; i < 4; i++) await tryPassword('sari', 'wrong password again');
    clock += 16 * 60_000;
    await tryPassword('sari', 'wrong password again');
    expect((await tryPassword('sari', PASSWORD)).statusCode).toBe(303);
  });

  it('refuses a sign-in form without its form token (login CSRF)', async () => {
    const res = await post('/console/login', { csrf: 'x'.repeat(43), username: 'sari', password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body).toMatch(/sign-in form expired/);
    expect(setCookie(res, 'wsp_console')).toBeUndefined();
  });

  it('goes on to the case that was asked for before signing in, and nowhere else', async () => {
    const c = await openCase(app, 'web-console-next');
    const asked = await app.inject({ url: `/console/cases/${c.id}` });
    expect(asked.headers.location).toBe(`/console/login?next=${encodeURIComponent(`/console/cases/${c.id}`)}`);
    const form = await app.inject({ url: asked.headers.location ?? '' });
    expect(form.body).toContain(`name="next" value="/console/cases/${c.id}"`);
    const login = setCookie(form, 'wsp_console_login')?.value ?? '';
    const res = await post('/console/login', { csrf: csrfOf(form.body), username: 'sari', password: PASSWORD, next: `/console/cases/${c.id}` }, { cookie: `wsp_console_login=${login}` });
    expect(res.headers.location).toBe(`/console/cases/${c.id}`);

    const evil = await app.inject({ url: '/console/login?next=https://evil.example/' });
    expect(evil.body).not.toContain('evil.example');
  });

  it('signs out: the session is deleted and the cookie no longer works', async () => {
    const { cookie, csrf } = await signIn(app, 'sari');
    const res = await post('/console/logout', { csrf }, { cookie });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/login?out=1');
    expect(setCookie(res, 'wsp_console')?.attributes).toContain('Max-Age=0');
    expect((await app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
    expect((await app.inject({ url: '/console/login?out=1' })).body).toContain('You are signed out.');
  });

  it('ends the sessions of a removed account and of a replaced password', async () => {
    const first = await signIn(app, 'sari');
    await addStaff(app.waspada.store, { username: 'sari', password: 'a brand new long password' }, { now: clock, replace: true });
    expect((await app.inject({ url: '/console', headers: { cookie: first.cookie } })).statusCode).toBe(303);
    const second = await signIn(app, 'sari', 'a brand new long password');
    await removeStaff(app.waspada.store, 'sari');
    expect((await app.inject({ url: '/console', headers: { cookie: second.cookie } })).statusCode).toBe(303);
  });

  it('ends a session after 12 hours', async () => {
    const { cookie } = await signIn(app, 'sari');
    clock += 12 * 60 * 60_000 + 1000;
    expect((await app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
  });
});

describe('without a session', () => {
  it('sends pages to the sign-in, answers 401 to the JSON timeline, and acts on nothing', async () => {
    const c = await openCase(app, 'web-console-anon');
    for (const url of ['/console', '/console/', `/console/cases/${c.id}`, '/console/nothing-here']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toMatch(/^\/console\/login/);
    }
    const timeline = await app.inject({ url: `/console/cases/${c.id}/timeline?after=0` });
    expect(timeline.statusCode).toBe(401);
    expect(timeline.json()).toEqual({ error: { code: 'WSP_UNAUTHORIZED', message: expect.any(String) } });
    const claim = await post(`/console/cases/${c.id}/claim`, { csrf: 'x' });
    expect(claim.statusCode).toBe(303);
    expect((await app.waspada.hotline.cases.get(c.id))?.status).toBe('open');
    // A made-up cookie is no session.
    expect((await app.inject({ url: '/console', headers: { cookie: `wsp_console=${'A'.repeat(43)}` } })).statusCode).toBe(303);
  });

  it('serves the sign-in page and the assets with a strict CSP and no caching of pages', async () => {
    const page = await app.inject({ url: '/console/login' });
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self';connect-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'self'",
    );
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).not.toMatch(/<script>|<style|style="|\son\w+="/);
    const css = await app.inject({ url: '/console/assets/console.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const js = await app.inject({ url: '/console/assets/console.js' });
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
  });
});

describe('forms from elsewhere', () => {
  it('refuses a post without the right CSRF token, from another origin, or sent cross-site', async () => {
    const c = await openCase(app, 'web-console-csrf');
    const { cookie, csrf } = await signIn(app, 'sari');
    const url = `/console/cases/${c.id}/claim`;
    const refusals = [
      await post(url, {}, { cookie }),
      await post(url, { csrf: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') }, { cookie }),
      await post(url, { csrf }, { cookie, origin: 'https://evil.example' }),
      await post(url, { csrf }, { cookie, 'sec-fetch-site': 'cross-site' }),
      await post(url, { csrf }, { cookie, origin: 'null' }),
    ];
    for (const res of refusals) {
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    expect(refusals[0]?.body).toMatch(/form has expired/);
    expect(refusals[2]?.body).toMatch(/sent from another site/);
    expect((await app.waspada.hotline.cases.get(c.id))?.status).toBe('open');

    // The same form from this origin goes through.
    const ok = await post(url, { csrf }, { cookie, origin: 'https://hotline.test', host: 'hotline.test', 'sec-fetch-site': 'same-origin' });
    expect(ok.statusCode).toBe(303);
  });

  it('checks the Origin against CONSOLE_ORIGIN when it is set', async () => {
    await app.close();
    await start({ CONSOLE_ORIGIN: 'https://hotline.example.org/' });
    const c = await openCase(app, 'web-console-origin');
    const { cookie, csrf } = await signIn(app, 'sari');
    expect((await post(`/console/cases/${c.id}/claim`, { csrf }, { cookie, origin: 'http://localhost:80' })).statusCode).toBe(403);
    expect((await post(`/console/cases/${c.id}/claim`, { csrf }, { cookie, origin: 'https://hotline.example.org' })).statusCode).toBe(303);
  });
});

describe('the queue', () => {
  it('lists cases urgent first, then the longest waiting, with their summary columns', async () => {
    const normal = await openCase(app, 'web-console-q1');
    clock += 60_000;
    const urgent = await openCase(app, 'web-console-q2', 'sos');
    const { cookie } = await signIn(app, 'sari');
    const page = await app.inject({ url: '/console', headers: { cookie } });
    const body = page.body;
    expect(body.indexOf(`#${urgent.id}`)).toBeGreaterThan(0);
    expect(body.indexOf(`#${urgent.id}`)).toBeLessThan(body.indexOf(`#${normal.id}`));
    expect(body).toContain('Asked for a person');
    expect(body).toContain('Emergency');
    expect(body).toContain('Web chat');
    expect(body).toContain('waiting 1 min');

    const urgentOnly = await app.inject({ url: '/console?status=open&priority=urgent', headers: { cookie } });
    expect(urgentOnly.body).toContain(`#${urgent.id}`);
    expect(urgentOnly.body).not.toContain(`#${normal.id}`);
    const closed = await app.inject({ url: '/console?status=closed', headers: { cookie } });
    expect(closed.body).toContain('No cases match these filters.');
  });

  it('highlights and announces an urgent case nobody claimed within the claim time', async () => {
    const urgent = await openCase(app, 'web-console-late', 'sos');
    const { cookie } = await signIn(app, 'sari');
    expect((await app.inject({ url: '/console', headers: { cookie } })).body).not.toContain('row--overdue');
    clock += 14 * 60_000;
    const page = await app.inject({ url: '/console', headers: { cookie } });
    expect(page.body).toContain('waiting 14 min — overdue');
    expect(page.body).toContain('row--overdue');
    expect(page.body).toMatch(/<p id="queue-alert" class="alert" role="status" aria-live="polite">1 urgent or high case has waited more than 10 min without a claim.<\/p>/);
    expect(page.body).toContain('<title>(1 overdue) Cases');
    // The count stays whatever the filter shows.
    expect((await app.inject({ url: '/console?status=closed', headers: { cookie } })).body).toContain('1 urgent or high case has waited');
    const casePage = await app.inject({ url: `/console/cases/${urgent.id}`, headers: { cookie } });
    expect(casePage.body).toMatch(/Waiting 14 min without a claim — overdue/);
  });

  it('answers 400 to a filter that does not exist', async () => {
    const { cookie } = await signIn(app, 'sari');
    const res = await app.inject({ url: '/console?status=lost', headers: { cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/filter does not exist/);
  });
});

describe('a case', () => {
  it('is claimed, answered, muted, unmuted and closed from the console; each action is in the audit', async () => {
    const c = await openCase(app, 'web-console-case');
    await say(app, 'web-console-case', { text: 'Saya ditawari kerja di <b>Kamboja</b>' });
    const { cookie, csrf } = await signIn(app, 'sari');
    const page = await app.inject({ url: `/console/cases/${c.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    await waitFor(async () => ((await app.waspada.hotline.cases.timeline(c.id)).length >= 2 ? true : undefined), 'the message in the timeline');
    const withMessage = await app.inject({ url: `/console/cases/${c.id}`, headers: { cookie } });
    // What the person wrote is shown as text, never as markup.
    expect(withMessage.body).toContain('Saya ditawari kerja di &lt;b&gt;Kamboja&lt;/b&gt;');
    expect(withMessage.body).toContain('Asked for a person');

    const claimed = await post(`/console/cases/${c.id}/claim`, { csrf }, { cookie });
    expect(claimed.statusCode).toBe(303);
    expect(claimed.headers.location).toBe(`/console/cases/${c.id}?done=claimed`);
    expect((await app.inject({ url: claimed.headers.location ?? '', headers: { cookie } })).body).toContain('You claimed the case.');

    received = [];
    const replied = await post(`/console/cases/${c.id}/reply`, { csrf, text: 'Halo, saya Sari.\r\nBoleh cerita?' }, { cookie });
    expect(replied.statusCode).toBe(303);
    await waitFor(async () => (received.some((r) => /Halo, saya Sari\.\nBoleh cerita\?/.test(r.text)) ? true : undefined), 'the reply on the web chat');
    expect(received.every((r) => r.to === 'web-console-case')).toBe(true);

    expect((await post(`/console/cases/${c.id}/mute`, { csrf, muted: '0' }, { cookie })).headers.location).toContain('done=unmuted');
    expect((await post(`/console/cases/${c.id}/mute`, { csrf, muted: '1' }, { cookie })).headers.location).toContain('done=muted');
    expect((await post(`/console/cases/${c.id}/close`, { csrf, outcome: 'referred' }, { cookie })).headers.location).toContain('done=closed');
    expect(await app.waspada.hotline.cases.get(c.id)).toMatchObject({ status: 'closed', outcome: 'referred', claimedBy: 'Sari W (sari)' });

    const audit = (await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.by.kind === 'staff');
    expect(audit.map((e) => e.type)).toEqual(['claimed', 'message', 'unmuted', 'muted', 'closed']);
    expect(audit.every((e) => e.by.kind === 'staff' && e.by.name === 'Sari W (sari)' && e.by.via === 'console')).toBe(true);

    const closedPage = await app.inject({ url: `/console/cases/${c.id}`, headers: { cookie } });
    expect(closedPage.body).toContain('Sari W (sari) (console)</strong> <span class="what">claimed the case</span>');
    expect(closedPage.body).toContain('closed the case: Referred');
    expect(closedPage.body).toContain('This case is closed');
    expect(closedPage.body).not.toContain('/reply"');
  });

  it('gives the live timeline as JSON after a position, with the current status', async () => {
    const c = await openCase(app, 'web-console-live');
    const { cookie, csrf } = await signIn(app, 'sari');
    const all = (await app.inject({ url: `/console/cases/${c.id}/timeline?after=0`, headers: { cookie } })).json<{ entries: Array<{ n: number; who: string; what: string }>; last: number; status: string }>();
    expect(all.entries[0]).toMatchObject({ n: 1, who: 'Waspada', what: 'opened the case: Asked for a person' });
    expect(all.status).toBe('Waiting for a staff member to claim it');

    await post(`/console/cases/${c.id}/claim`, { csrf }, { cookie });
    await say(app, 'web-console-live', { text: 'Masih di sini' });
    const later = await waitFor(async () => {
      const res = (await app.inject({ url: `/console/cases/${c.id}/timeline?after=${all.last}`, headers: { cookie } })).json<{ entries: Array<{ kind: string; text?: string }>; status: string; state: string }>();
      return res.entries.some((e) => e.text === 'Masih di sini') ? res : undefined;
    }, 'the new message in the live timeline');
    expect(later.entries.map((e) => e.kind)).toEqual(['staff', 'person']);
    expect(later.status).toBe('Claimed by Sari W (sari)');
    expect(later.state).toBe('claimed:m:p');

    const bad = await app.inject({ url: `/console/cases/${c.id}/timeline?after=-1`, headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { message: expect.stringMatching(/after/) } });
    expect((await app.inject({ url: '/console/cases/ZZZZZZ/timeline', headers: { cookie } })).statusCode).toBe(404);
  });

  it('shows what the desk refuses on the case page with 409, keeping an unsent reply', async () => {
    const c = await openCase(app, 'web-console-409');
    const { cookie, csrf } = await signIn(app, 'sari');
    await app.waspada.hotline.claim(c.id, { name: 'Budi', via: 'telegram' });
    const again = await post(`/console/cases/${c.id}/claim`, { csrf }, { cookie });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`Case #${c.id} is already claimed by Budi.`);
    expect(again.body).toContain('role="alert"');

    await say(app, 'web-console-409', { text: 'selesai' });
    await waitFor(async () => ((await app.waspada.hotline.cases.get(c.id))?.personPresent === false ? true : undefined), 'the person to leave');
    // The page was loaded before the person left; the reply is refused and kept in the box.
    const reply = await post(`/console/cases/${c.id}/reply`, { csrf, text: 'Masih ada?' }, { cookie });
    expect(reply.statusCode).toBe(409);
    expect(reply.body).toMatch(/left the conversation/);
  });
});

describe('bad input', () => {
  it('answers 4xx pages, never a 500', async () => {
    const c = await openCase(app, 'web-console-bad');
    const { cookie, csrf } = await signIn(app, 'sari');
    const base = `/console/cases/${c.id}`;

    const json = await app.inject({ method: 'POST', url: `${base}/claim`, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ csrf }) });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toMatch(/text\/html/);
    expect(json.body).toMatch(/application\/x-www-form-urlencoded/);

    const twice = await app.inject({ method: 'POST', url: `${base}/claim`, headers: { ...FORM, cookie }, payload: `csrf=${csrf}&csrf=${csrf}` });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toMatch(/sent more than once/);

    const huge = await post(`${base}/reply`, { csrf, text: 'x'.repeat(70_000) }, { cookie });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toMatch(/text\/html/);

    const noOutcome = await post(`${base}/close`, { csrf }, { cookie });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toMatch(/Choose an outcome/);
    const madeUp = await post(`${base}/close`, { csrf, outcome: 'erased' }, { cookie });
    expect(madeUp.statusCode).toBe(400);

    const empty = await post(`${base}/reply`, { csrf, text: '   ' }, { cookie });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/Write a message/);
    const tooLong = await post(`${base}/reply`, { csrf, text: 'y'.repeat(5000) }, { cookie });
    expect(tooLong.statusCode).toBe(409);
    expect(tooLong.body).toMatch(/at most 4096 characters/);

    const mute = await post(`${base}/mute`, { csrf, muted: 'maybe' }, { cookie });
    expect(mute.statusCode).toBe(400);

    for (const url of ['/console/cases/ZZZZZZ', '/console/cases/abc', '/console/cases/%3Cscript%3E', `/console/cases/${c.id.toLowerCase()}`]) {
      const res = await app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).not.toContain('<script>');
    }
    expect((await post('/console/cases/ZZZZZZ/claim', { csrf }, { cookie })).statusCode).toBe(404);
    const unknownPage = await app.inject({ url: '/console/settings', headers: { cookie } });
    expect(unknownPage.statusCode).toBe(404);
    expect(unknownPage.body).toContain('Signed in as');

    const badLogin = await app.inject({ method: 'POST', url: '/console/login', headers: FORM, payload: 'username=sari' });
    expect(badLogin.statusCode).toBe(400);
    expect(badLogin.body).toMatch(/Fill in the username and the password/);
    expect((await app.waspada.hotline.cases.get(c.id))?.status).toBe('open');
  });
});
