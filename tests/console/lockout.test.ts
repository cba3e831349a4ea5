/**
 * The console's answer to password guessing (src/console/auth.ts) through the whole app: a name
 * is locked per address, so a stranger cannot lock its owner out; a guess spread over many
 * addresses is slowed, not locked, and an address the name signed in from before is spared; a
 * lock answers like a wrong password, for a name that exists or not, and takes as long; and on
 * a real redis-server no key holds the name or an address.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { LOCK_AFTER_FAILURES, NAME_FAILURE_BURST, NAME_FAILURE_INTERVAL_MS } from '../../src/console/auth.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import type { Store } from '../../src/storage/store.js';
import { useRedisStore } from '../support/redisServer.js';
import { csrfOf, FORM, PASSWORD, setCookie } from './support.js';

let app: FastifyInstance;
let clock: number;

async function start(store?: Store): Promise<void> {
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), now: () => clock, ...(store ? { store } : {}), senders: { web: async () => undefined } });
  await app.ready();
  await addStaff(app.waspada.store, { username: 'sari', password: PASSWORD }, { now: clock });
}

beforeEach(() => {
  clock = Date.parse('2026-03-02T03:00:00Z');
});
afterEach(() => app.close());

/** The sign-in form as a browser at `ip` has it: its form token and the cookie that goes with it. */
async function formAt(ip: string, a = app) {
  const form = await a.inject({ url: '/console/login', remoteAddress: ip });
  return { ip, login: setCookie(form, 'wsp_console_login')?.value ?? '', csrf: csrfOf(form.body) };
}

/** Posts a form fetched with formAt. */
const post = (form: Awaited<ReturnType<typeof formAt>>, username: string, password: string, a = app) =>
  a.inject({
    method: 'POST',
    url: '/console/login',
    remoteAddress: form.ip,
    headers: { ...FORM, cookie: `wsp_console_login=${form.login}` },
    payload: new URLSearchParams({ csrf: form.csrf, username, password }).toString(),
  });

/** Posts the sign-in form from `ip`; the answer and how long it took (ms). */
async function attempt(ip: string, username: string, password: string) {
  const form = await formAt(ip);
  const started = performance.now();
  const res = await post(form, username, password);
  return { res, ms: performance.now() - started };
}

const status = async (ip: string, username: string, password: string) => (await attempt(ip, username, password)).res.statusCode;
/** The page without what differs from one answer to the next: the form token and the name typed. */
const page = (body: string, username: string) => body.replace(/name="csrf" value="[^"]+"/g, '').replaceAll(`value="${username}"`, 'value="NAME"');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

describe('the lock is per name and address', () => {
  beforeEach(() => start());

  it('locks sari for the address that guessed, for 15 minutes, and not for sari elsewhere', async () => {
    const stranger = '198.51.100.7';
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await status(stranger, 'sari', `guess number ${i}`)).toBe(401);
    expect(await status(stranger, 'sari', PASSWORD)).toBe(401);
    // Sari, in the office, is not locked out by the stranger.
    expect(await status('203.0.113.5', 'sari', PASSWORD)).toBe(303);
    // The stranger's lock ends after 15 minutes.
    clock += 14 * 60_000;
    expect(await status(stranger, 'sari', PASSWORD)).toBe(401);
    clock += 2 * 60_000;
    expect(await status(stranger, 'sari', PASSWORD)).toBe(303);
  });

  it('counts an IPv6 household as one address (its /64)', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await status(`2001:db8:5:6::${i + 1}`, 'sari', `guess number ${i}`)).toBe(401);
    expect(await status('2001:db8:5:6::99', 'sari', PASSWORD)).toBe(401);
    expect(await status('2001:db8:5:7::1', 'sari', PASSWORD)).toBe(303);
  });
});

describe('a guess from many addresses is slowed, not locked', () => {
  beforeEach(() => start());

  it(`lets ${NAME_FAILURE_BURST} failures through, then one every ${NAME_FAILURE_INTERVAL_MS / 1000} s, while the name's known address gets in at once`, async () => {
    const office = '203.0.113.5';
    expect(await status(office, 'sari', PASSWORD)).toBe(303);
    // A botnet: each address guesses once.
    for (let i = 0; i < NAME_FAILURE_BURST; i++) expect(await status(`192.0.2.${i + 1}`, 'sari', `guess number ${i}`)).toBe(401);
    // The next guess, from a new address, is refused unchecked: even the right password.
    expect(await status('192.0.2.100', 'sari', PASSWORD)).toBe(401);
    // Sari signs in from the office, where she signed in before.
    expect(await status(office, 'sari', PASSWORD)).toBe(303);
    // Slowed, not locked: after each interval, one more attempt from anywhere is checked...
    clock += NAME_FAILURE_INTERVAL_MS;
    expect(await status('192.0.2.101', 'sari', 'another guess')).toBe(401);
    expect(await status('192.0.2.102', 'sari', PASSWORD)).toBe(401);
    // ...so sari gets in from a new address too, at the latest one interval after a guess.
    clock += NAME_FAILURE_INTERVAL_MS;
    expect(await status('192.0.2.103', 'sari', PASSWORD)).toBe(303);
  });
});

describe('a run of attempts at once', () => {
  beforeEach(() => start());
  const RUN = 2 * NAME_FAILURE_BURST;
  const addresses = Array.from({ length: RUN }, (_, i) => `192.0.2.${i + 1}`);

  it(`checks ${NAME_FAILURE_BURST} of them, and the right password after them fails like the rest`, async () => {
    const office = '203.0.113.5';
    expect(await status(office, 'sari', PASSWORD)).toBe(303);
    // Every address has its form ready, then all post at once: guesses first, the password last.
    const forms = await Promise.all(addresses.map((ip) => formAt(ip)));
    const answers = await Promise.all(forms.map((form, i) => post(form, 'sari', i < NAME_FAILURE_BURST ? `guess number ${i}` : PASSWORD)));
    expect(answers.map((r) => r.statusCode)).toEqual(addresses.map(() => 401));
    // One page for a wrong password and for a refusal by the pace.
    expect(new Set(answers.map((r) => page(r.body, 'sari'))).size).toBe(1);
    // The office, where sari signed in before, is spared the pace.
    expect(await status(office, 'sari', PASSWORD)).toBe(303);
  });

  it(`lets exactly ${NAME_FAILURE_BURST} in when every one of them has the password`, async () => {
    const forms = await Promise.all(addresses.map((ip) => formAt(ip)));
    const answers = await Promise.all(forms.map((form) => post(form, 'sari', PASSWORD)));
    expect(answers.filter((r) => r.statusCode === 303)).toHaveLength(NAME_FAILURE_BURST);
    expect(answers.filter((r) => r.statusCode === 401)).toHaveLength(RUN - NAME_FAILURE_BURST);
  });
});

describe('a refusal tells nothing', () => {
  beforeEach(() => start());

  it('answers a lock like a wrong password, for a name that exists and one that does not, in the time of a password check', async () => {
    // Locked: sari (who exists) and budi (who does not), each for the address that guessed.
    const lockedIp = { sari: '198.51.100.50', budi: '198.51.100.51' };
    for (const name of ['sari', 'budi'] as const) for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await attempt(lockedIp[name], name, `guess ${i}`);
    const times = { wrong: [] as number[], unknown: [] as number[], locked: [] as number[] };
    const bodies = new Set<string>();
    // Measured in turns, so that whatever else the machine does weighs on each kind alike.
    for (let i = 0; i < 4; i++) {
      const runs = [
        ['wrong', 'sari', `198.51.100.${10 + i}`, 'not the password'],
        ['unknown', 'budi', `198.51.100.${20 + i}`, 'not the password'],
        ['locked', 'sari', lockedIp.sari, PASSWORD],
        ['locked', 'budi', lockedIp.budi, 'not the password'],
      ] as const;
      for (const [kind, name, from, password] of runs) {
        const x = await attempt(from, name, password);
        expect(x.res.statusCode).toBe(401);
        bodies.add(page(x.res.body, name));
        times[kind].push(x.ms);
      }
    }
    // One page for all of them.
    expect(bodies.size).toBe(1);
    // A lock costs a password check too (before, it answered at once: a few ms against scrypt's tens).
    const base = median(times.wrong);
    expect(median(times.unknown)).toBeGreaterThan(base * 0.4);
    expect(median(times.locked)).toBeGreaterThan(base * 0.4);
    expect(median(times.locked)).toBeLessThan(base * 3);
  });
});

describe('on Redis', () => {
  const redis = useRedisStore();
  beforeEach(() => {
    redis.server().cli('FLUSHALL');
    return start(redis.store());
  });

  it('keeps no name and no address in a key', async () => {
    redis.server().cli('FLUSHALL');
    await addStaff(app.waspada.store, { username: 'sari', password: PASSWORD }, { now: clock });
    const ip = '198.51.100.77';
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await attempt(ip, 'sari', `guess ${i}`);
    await attempt(ip, 'budiman', 'a guess');
    expect(await status('203.0.113.9', 'sari', PASSWORD)).toBe(303);
    const keys = redis.server().cli('--scan').trim().split('\n');
    const login = keys.filter((k) => /^wsp:(login|rl:login-name|rl:ip:login):/.test(k));
    // The lock and the failures of sari from ip, budiman's failure, both names' paces, sari's known office, the addresses' counts.
    expect(login.length).toBeGreaterThanOrEqual(6);
    for (const k of login) {
      expect(k).not.toMatch(/sari|budiman|198\.51|203\.0/);
    }
  });

  it(`checks ${NAME_FAILURE_BURST} of a run at once spread over two instances, and the refused ones leave the pace where it was`, async () => {
    const other = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), now: () => clock, store: redis.store(), senders: { web: async () => undefined } });
    try {
      const instances = [app, other];
      const forms = await Promise.all(Array.from({ length: 2 * NAME_FAILURE_BURST }, (_, i) => formAt(`192.0.2.${i + 1}`, instances[i % 2])));
      const answers = await Promise.all(forms.map((form, i) => post(form, 'sari', PASSWORD, instances[i % 2])));
      expect(answers.filter((r) => r.statusCode === 303)).toHaveLength(NAME_FAILURE_BURST);
      // The refused half did not push the pace further ahead: one interval on, the owner gets in
      // from a new address (before, a refusal that raced the last free slot reserved one of its own).
      clock += NAME_FAILURE_INTERVAL_MS;
      expect(await status('198.51.100.200', 'sari', PASSWORD)).toBe(303);
    } finally {
      await other.close();
    }
  });
});
