/**
 * TRUST_PROXY (src/http/trustProxy.ts) through the whole app. Behind a reverse proxy every
 * connection comes from the proxy: with the proxy named, two clients behind it have their own
 * per-address limits and their own sign-in locks, and one client's sign-in does not spare another
 * the name's pace; a client cannot choose its address by sending X-Forwarded-For itself, through
 * the proxy or around it; without the setting the header is ignored (and a warning says so once);
 * and /metrics still answers only a direct connection from this machine.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { LOCK_AFTER_FAILURES, NAME_FAILURE_BURST } from '../../src/console/auth.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { csrfOf, FORM, PASSWORD, setCookie } from '../console/support.js';

/** The proxy, on this machine, as the README's Deploy section puts it. */
const PROXY = '127.0.0.1';
const clock = Date.parse('2026-03-02T03:00:00Z');
let app: FastifyInstance | undefined;
const lines: string[] = [];

async function start(env: Record<string, string>): Promise<FastifyInstance> {
  lines.length = 0;
  app = await buildApp({
    // Low chat limits, so that a test floods in a few requests.
    config: parseConfig({ LOG_LEVEL: 'warn', HOTLINE: 'on', CHAT_RATE_BURST: '3', CHAT_RATE_PER_MINUTE: '6', ...env }),
    now: () => clock,
    senders: { web: async () => undefined },
    logStream: { write: (line) => void lines.push(line) },
  });
  await app.ready();
  await addStaff(app.waspada.store, { username: 'sari', password: PASSWORD }, { now: clock });
  return app;
}
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** How a request reaches the app: the connection's address, and the X-Forwarded-For it carries (a proxy's, or a client's own). */
interface From {
  socket: string;
  forwardedFor?: string;
}
/** A client behind the proxy: the proxy connects, and appends the client's address to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for). */
const behindProxy = (client: string, sent?: string): From => ({ socket: PROXY, forwardedFor: sent ? `${sent}, ${client}` : client });
const headersOf = (from: From) => (from.forwardedFor === undefined ? {} : { 'x-forwarded-for': from.forwardedFor });

const chat = (a: FastifyInstance, from: From, session: string) =>
  a.inject({ method: 'POST', url: '/api/v1/chat/messages', remoteAddress: from.socket, headers: { 'content-type': 'application/json', ...headersOf(from) }, payload: { session, text: 'halo' } });

/** Four chat messages from each of `froms`, in turns; the status codes by sender. */
async function chatCodes(a: FastifyInstance, froms: From[]): Promise<number[][]> {
  const codes = froms.map(() => [] as number[]);
  for (let i = 0; i < 4; i++) for (const [n, from] of froms.entries()) codes[n]!.push((await chat(a, from, `person-${n}-${i}-session`)).statusCode);
  return codes;
}

/** The sign-in form posted as `from`. */
async function signIn(a: FastifyInstance, from: From, password: string): Promise<number> {
  const form = await a.inject({ url: '/console/login', remoteAddress: from.socket, headers: headersOf(from) });
  const login = setCookie(form, 'wsp_console_login')?.value ?? '';
  const res = await a.inject({
    method: 'POST',
    url: '/console/login',
    remoteAddress: from.socket,
    headers: { ...FORM, ...headersOf(from), cookie: `wsp_console_login=${login}` },
    payload: new URLSearchParams({ csrf: csrfOf(form.body), username: 'sari', password }).toString(),
  });
  return res.statusCode;
}

describe('the setting', () => {
  it('takes addresses, CIDR ranges and range names, and refuses what would let a client pick its address', () => {
    expect(parseConfig({ TRUST_PROXY: '127.0.0.1' }).TRUST_PROXY).toEqual(['127.0.0.1']);
    expect(parseConfig({ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,fd00::/8,' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '::1', 'fd00::/8']);
    expect(parseConfig({ TRUST_PROXY: 'loopback,uniquelocal' }).TRUST_PROXY).toEqual(['loopback', 'uniquelocal']);
    expect(parseConfig({}).TRUST_PROXY).toBeUndefined();
    const refused: Array<[string, RegExp]> = [
      ['true', /TRUST_PROXY: "true" would trust every address/],
      ['*', /would trust every address/],
      ['1', /TRUST_PROXY: a number of hops is not accepted/],
      ['0.0.0.0/0', /the prefix must be 1 to 32/],
      ['::/0', /the prefix must be 1 to 128/],
      ['10.0.0.0/33', /the prefix must be 1 to 32/],
      ['proxy.example.org', /is not an address, a CIDR range/],
      ['10.0.0.1/8/8', /is not an address/],
      [',', /must name at least one proxy address/],
    ];
    for (const [value, message] of refused) expect(() => parseConfig({ TRUST_PROXY: value }), value).toThrow(message);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  it('gives two clients behind the proxy a limit each, and ignores what a client adds to X-Forwarded-For itself', async () => {
    const a = await start({ TRUST_PROXY: PROXY });
    const [first, second] = await chatCodes(a, [behindProxy('198.51.100.1'), behindProxy('198.51.100.2')]);
    expect(first).toEqual([200, 200, 200, 429]);
    expect(second).toEqual([200, 200, 200, 429]);
    // The first client, sending a new address of its own each time, is still the first client.
    expect((await chat(a, behindProxy('198.51.100.1', '203.0.113.77'), 'spoofing-session')).statusCode).toBe(429);
    // A client that reaches the app around the proxy is its connection's address, whatever it sends.
    const [direct] = await chatCodes(a, [{ socket: '203.0.113.9', forwardedFor: '198.51.100.50' }]);
    expect(direct).toEqual([200, 200, 200, 429]);
    expect((await chat(a, { socket: '203.0.113.9', forwardedFor: '198.51.100.51' }, 'direct-again-session')).statusCode).toBe(429);
    expect(lines.join('')).not.toContain('TRUST_PROXY is not set');
  });

  it('locks a name for the client that guessed, not for a colleague behind the same proxy', async () => {
    const a = await start({ TRUST_PROXY: PROXY });
    const stranger = behindProxy('198.51.100.7');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await signIn(a, stranger, `guess number ${i}`)).toBe(401);
    expect(await signIn(a, stranger, PASSWORD)).toBe(401);
    expect(await signIn(a, behindProxy('203.0.113.5'), PASSWORD)).toBe(303);
  });

  it("spares only the client that signed in before the name's pace, not everyone behind the proxy", async () => {
    // The per-address limit out of the way: this is about the name's own pace.
    const a = await start({ TRUST_PROXY: PROXY, CONSOLE_LOGIN_RATE_BURST: '1000' });
    const office = behindProxy('203.0.113.5');
    expect(await signIn(a, office, PASSWORD)).toBe(303);
    // A run of guesses from many addresses, all through the proxy, spends the name's pace.
    for (let i = 0; i < NAME_FAILURE_BURST; i++) expect(await signIn(a, behindProxy(`192.0.2.${i + 1}`), `guess number ${i}`)).toBe(401);
    // The office, known for the name, still gets in; a new address is refused, even with the right password.
    expect(await signIn(a, office, PASSWORD)).toBe(303);
    expect(await signIn(a, behindProxy('192.0.2.200'), PASSWORD)).toBe(401);
  });

  it('still serves /metrics only to a direct connection from this machine', async () => {
    const a = await start({ TRUST_PROXY: `${PROXY},10.0.0.0/8` });
    expect((await a.inject({ url: '/metrics', remoteAddress: PROXY })).statusCode).toBe(200);
    // Through the proxy on this machine: the socket is loopback, but the request was forwarded.
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect((await a.inject({ url: '/metrics', remoteAddress: PROXY, headers: { [header]: '127.0.0.1' } })).statusCode, header).toBe(403);
    }
    // A trusted proxy elsewhere that says the client is loopback: request.ip is 127.0.0.1, the socket is not.
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(403);
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
  });
});

describe('without TRUST_PROXY', () => {
  it('ignores X-Forwarded-For: a client cannot give itself a new address, and a warning says so once', async () => {
    const a = await start({});
    // Two "clients" that only differ in the header they send are one address.
    const [codes] = await chatCodes(a, [{ socket: '203.0.113.30' }]);
    expect(codes).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 3; i++) expect((await chat(a, { socket: '203.0.113.30', forwardedFor: `198.51.100.${i + 60}` }, `spoof-${i}-session`)).statusCode).toBe(429);
    // The sign-in lock holds too.
    const guesser = { socket: '203.0.113.31' };
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await signIn(a, guesser, `guess number ${i}`)).toBe(401);
    expect(await signIn(a, { ...guesser, forwardedFor: '198.51.100.99' }, PASSWORD)).toBe(401);
    const warnings = lines.filter((l) => l.includes('TRUST_PROXY is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('198.51.100');
  });
});
