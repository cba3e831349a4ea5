/**
 * The per-address limits of the public endpoints (src/http/ipLimits.ts) at their defaults,
 * through the whole app: the web chat (people typing, several behind one carrier address, never
 * refused; a flood refused), its updates (pages polling for staff replies never refused; a flood
 * refused), the console sign-in (an HTML page, before the password is even
 * checked), and on a real redis-server: one count for every instance, no address in any key,
 * and no limit rather than no answer while Redis is down.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { clientKey } from '../../src/http/clientRate.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { csrfOf, FORM, PASSWORD, setCookie } from '../console/support.js';
import { useRedisStore } from '../support/redisServer.js';

let clock = Date.parse('2026-03-01T08:00:00Z');
const store = createMemoryStore({ now: () => clock });
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), store, now: () => clock, senders: { web: async () => undefined } });
  await addStaff(store, { username: 'sari', password: PASSWORD }, { now: clock });
});
afterAll(() => app.close());

const chat = (a: FastifyInstance, ip: string, session: string, text: string) =>
  a.inject({ method: 'POST', url: '/api/v1/chat/messages', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { session, text } });

describe('the web chat, per address', () => {
  it('never refuses a person typing, even three of them behind one carrier address for ten minutes', async () => {
    const ip = '203.0.113.10';
    const codes = new Set<number>();
    // A message every 2 s each (a fast typist; people take longer to read the answers), so 90 a minute from the address.
    for (let t = 0; t < 10 * 60; t += 2) {
      for (const person of ['person-aaaa', 'person-bbbb', 'person-cccc']) codes.add((await chat(app, ip, person, t % 10 === 0 ? 'menu' : '1')).statusCode);
      clock += 2000;
    }
    expect([...codes]).toEqual([200]);
  });

  it('refuses a flood after its burst of 60, with the catalogue 429 and Retry-After, and lets one more in every half second', async () => {
    const ip = '203.0.113.20';
    const codes: number[] = [];
    for (let i = 0; i < 200; i++) codes.push((await chat(app, ip, `flood-${i}-session`, 'halo')).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(60);
    expect(codes.slice(0, 60).every((c) => c === 200)).toBe(true);
    const refused = await chat(app, ip, 'flood-last-session', 'halo');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toEqual({ error: { code: 'WSP_RATE_LIMITED', message: 'Too many requests; try again after the number of seconds in Retry-After.' } });
    // Only Retry-After: nothing that tells a client how close to the limit it runs.
    expect(Object.keys(refused.headers).filter((h) => h.includes('ratelimit'))).toEqual([]);
    // 120 a minute: one every 500 ms once the burst is spent, whatever the flood did meanwhile.
    clock += 500;
    expect((await chat(app, ip, 'flood-after-session', 'halo')).statusCode).toBe(200);
    expect((await chat(app, ip, 'flood-after-session', 'halo')).statusCode).toBe(429);
    // Another address is not affected, nor are the chat's updates.
    expect((await chat(app, '203.0.113.21', 'other-person', 'halo')).statusCode).toBe(200);
    const updates = await app.inject({ method: 'POST', url: '/api/v1/chat/updates', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { session: 'flood-0-session' } });
    expect(updates.statusCode).toBe(200);
    clock += 60_000;
  });

  it('keeps the count under a hash of the address, never the address', async () => {
    const ip = '203.0.113.30';
    await chat(app, ip, 'hash-person', 'halo');
    const key = store.layout.clientRate('chat', clientKey(ip));
    expect(await store.get(key)).toMatch(/^\d+(\.\d+)?$/);
    expect(key).not.toContain('203.0.113');
  });
});

/** How often the web chat page asks for staff replies, read from the page's script so that the test follows it. */
const POLL_MS = Number(/const POLL_MS = (\d+);/.exec(readFileSync(new URL('../../src/channels/web/public/chat.js', import.meta.url), 'utf8'))?.[1]);

const updates = (a: FastifyInstance, ip: string, session: string) =>
  a.inject({ method: 'POST', url: '/api/v1/chat/updates', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { session } });

describe("the web chat's updates, per address", () => {
  it('never refuses pages asking for staff replies: twenty behind one carrier address for ten minutes, each brought back to the front every minute', async () => {
    expect(POLL_MS).toBeGreaterThanOrEqual(1000);
    const ip = '203.0.113.40';
    const pages = Array.from({ length: 20 }, (_, i) => `polling-page-${i}`);
    const codes = new Map<number, number>();
    const count = (code: number) => codes.set(code, (codes.get(code) ?? 0) + 1);
    for (let t = 0; t < 10 * 60_000; t += POLL_MS) {
      for (const session of pages) count((await updates(app, ip, session)).statusCode);
      // A tab coming back to the front asks at once, besides its regular ask.
      if (t % 60_000 === 0) for (const session of pages) count((await updates(app, ip, session)).statusCode);
      clock += POLL_MS;
    }
    expect([...codes.keys()]).toEqual([200]);
    expect(codes.get(200)).toBeGreaterThan(4000);
  });

  it('refuses a flood after its burst of 120, with the catalogue 429 and Retry-After, and leaves the chat alone', async () => {
    const ip = '203.0.113.41';
    const codes: number[] = [];
    for (let i = 0; i < 400; i++) codes.push((await updates(app, ip, 'flooding-page')).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(120);
    expect(codes.slice(0, 120).every((c) => c === 200)).toBe(true);
    const refused = await updates(app, ip, 'flooding-page');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('WSP_RATE_LIMITED');
    // 600 a minute: one more every 100 ms.
    clock += 100;
    expect((await updates(app, ip, 'flooding-page')).statusCode).toBe(200);
    expect((await updates(app, ip, 'flooding-page')).statusCode).toBe(429);
    // The same address may still write in the chat, and another address may still ask.
    expect((await chat(app, ip, 'flooding-page', 'halo')).statusCode).toBe(200);
    expect((await updates(app, '203.0.113.42', 'other-page')).statusCode).toBe(200);
    clock += 60_000;
  });
});

/** The sign-in form posted from `ip`. */
async function signInFrom(a: FastifyInstance, ip: string, password: string) {
  const form = await a.inject({ url: '/console/login', remoteAddress: ip });
  const login = setCookie(form, 'wsp_console_login')?.value ?? '';
  return a.inject({
    method: 'POST',
    url: '/console/login',
    remoteAddress: ip,
    headers: { ...FORM, cookie: `wsp_console_login=${login}` },
    payload: new URLSearchParams({ csrf: csrfOf(form.body), username: 'sari', password }).toString(),
  });
}

describe('the console sign-in, per address', () => {
  it('takes 10 attempts at once, then refuses with a page before the password is checked', async () => {
    const ip = '198.51.100.40';
    // Different names, so that no name's own lock plays a part.
    for (let i = 0; i < 10; i++) {
      const form = await app.inject({ url: '/console/login', remoteAddress: ip });
      const login = setCookie(form, 'wsp_console_login')?.value ?? '';
      const res = await app.inject({
        method: 'POST',
        url: '/console/login',
        remoteAddress: ip,
        headers: { ...FORM, cookie: `wsp_console_login=${login}` },
        payload: new URLSearchParams({ csrf: csrfOf(form.body), username: `guess${i}`, password: 'not the password' }).toString(),
      });
      expect(res.statusCode).toBe(401);
    }
    // The right password no longer helps from this address...
    const refused = await signInFrom(app, ip, PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('6');
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.body).toContain('Too many sign-in attempts from your network. Wait 6 seconds, then try again.');
    expect(refused.headers['content-security-policy']).toContain("form-action 'self'");
    // ...while a colleague elsewhere signs in, and the page itself still loads.
    expect((await signInFrom(app, '198.51.100.41', PASSWORD)).statusCode).toBe(303);
    expect((await app.inject({ url: '/console/login', remoteAddress: ip })).statusCode).toBe(200);
    // 10 a minute: one more after 6 s.
    clock += 6000;
    expect((await signInFrom(app, ip, PASSWORD)).statusCode).toBe(303);
  });
});

describe('with several instances on one Redis', () => {
  const redis = useRedisStore();

  it('shares one count, keeps no address in a key, and answers without a limit while Redis is down', async () => {
    const config = parseConfig({ LOG_LEVEL: 'silent', CHAT_RATE_PER_MINUTE: '6', CHAT_RATE_BURST: '3', ASSESS_RATE_PER_MINUTE: '6', ASSESS_RATE_BURST: '3' });
    const apps = [await buildApp({ config, store: redis.store() }), await buildApp({ config, store: redis.store() })];
    try {
      const ip = '192.0.2.77';
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await chat(apps[i % 2]!, ip, 'redis-person', 'halo')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const keys = redis.server().cli('--scan', '--pattern', 'wsp:rl:ip:*').trim().split('\n');
      expect(keys).toEqual([redis.store().layout.clientRate('chat', clientKey(ip))]);
      expect(redis.server().cli('--scan').split('\n').filter((k) => k.includes('192.0.2'))).toEqual([]);

      // The ad check keeps nothing, so without Redis it answers rather than refuse for want of a count.
      await redis.server().kill();
      try {
        const assess = await apps[0]!.inject({ method: 'POST', url: '/api/v1/assess', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { text: 'gaji 15jt, paspor ditahan' } });
        expect(assess.statusCode).toBe(200);
      } finally {
        await redis.server().restart();
      }
    } finally {
      for (const a of apps) await a.close();
    }
  });
});
