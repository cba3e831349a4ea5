/**
 * HTTP hygiene over every route of the whole app (both webhooks on): each body limit, no body on
 * GET, exact content types (JSON routes JSON only, console forms forms only, anything else the
 * catalogue's 415), helmet's headers and a strict CSP on every kind of answer (no
 * 'unsafe-inline' anywhere), and error answers without a stack trace or a file path, in
 * production and in development.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

const TELEGRAM_SECRET = 'hygiene-webhook-secret';
/** Nothing is sent in these tests; the channels' APIs point at a closed loopback port all the same. */
const NOWHERE = 'http://127.0.0.1:9';
const ENV = {
  LOG_LEVEL: 'silent',
  HOTLINE: 'on',
  WHATSAPP_ACCESS_TOKEN: 'test-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
  WHATSAPP_APP_SECRET: 'test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
  WHATSAPP_GRAPH_URL: NOWHERE,
  TELEGRAM_BOT_TOKEN: '6100000001:AAtest-token_for-waspada',
  TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
  TELEGRAM_API_ROOT: NOWHERE,
};

let app: FastifyInstance;
let nextIp = 1;
/** Every request from its own address, so that no per-address limit plays a part here. */
const ip = () => `192.0.2.${nextIp++ % 250}`;

beforeAll(async () => {
  app = await buildApp({ config: parseConfig(ENV) });
  await app.ready();
});
afterAll(() => app.close());

/** Every route that takes a body, with its limit and what it needs to get as far as its body. */
const BODY_ROUTES: Array<{ url: string; method?: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; limit: number; headers?: Record<string, string> }> = [
  { url: '/api/v1/chat/messages', limit: 16 * 1024 },
  { url: '/api/v1/chat/updates', limit: 16 * 1024 },
  { url: '/api/v1/assess', limit: 64 * 1024 },
  { url: '/api/v1/assess', method: 'PUT', limit: 64 * 1024 },
  { url: '/webhooks/whatsapp', limit: 1024 * 1024 },
  { url: '/webhooks/telegram', limit: 64 * 1024, headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET } },
];
const JSON_ROUTES = BODY_ROUTES.filter((r) => !r.method);

const send = (url: string, contentType: string | undefined, payload: string, o: { method?: string; headers?: Record<string, string> } = {}) =>
  app.inject({
    method: (o.method ?? 'POST') as 'POST',
    url,
    remoteAddress: ip(),
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...o.headers },
    payload,
  });

const errorOf = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;

describe('body limits', () => {
  it.each(BODY_ROUTES)('$method $url refuses a body over $limit bytes with 413 and takes one just under', async ({ url, method, limit, headers }) => {
    const over = `{"x":"${'a'.repeat(limit)}"}`;
    const res = await send(url, 'application/json', over, { ...(method ? { method } : {}), ...(headers ? { headers } : {}) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'WSP_BODY_TOO_LARGE', message: 'The request body is too large.' } });
    const under = `{"x":"${'a'.repeat(limit - 16)}"}`;
    expect((await send(url, 'application/json', under, { ...(method ? { method } : {}), ...(headers ? { headers } : {}) })).statusCode).not.toBe(413);
  });

  it('refuses a console form over 64 KiB', async () => {
    const res = await send('/console/login', 'application/x-www-form-urlencoded', `password=${'a'.repeat(64 * 1024)}`);
    expect(res.statusCode).toBe(413);
  });

  it.each(['/', '/cek', '/healthz', '/console/login', '/webhooks/whatsapp', '/nothing-here'])('GET %s with a body: 413, and the connection closes', async (url) => {
    for (const headers of [{ 'content-length': '5' }, { 'transfer-encoding': 'chunked' }]) {
      const res = await app.inject({ method: 'GET', url, remoteAddress: ip(), headers, payload: 'hello' });
      expect(res.statusCode).toBe(413);
      expect(res.headers.connection).toBe('close');
      // The console answers with its pages, the rest with the catalogue's JSON.
      if (url.startsWith('/console')) expect(res.body).toContain('A GET or HEAD request carries no body.');
      else expect(errorOf(res)).toBe('WSP_BODY_TOO_LARGE');
    }
    expect((await app.inject({ method: 'GET', url: '/healthz', headers: { 'content-length': '0' } })).statusCode).toBe(200);
  });
});

describe('content types', () => {
  const NOT_JSON = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonp', 'application/vnd.api+json', undefined];

  it.each(JSON_ROUTES)('$url takes application/json only (with an optional UTF-8 charset)', async ({ url, headers }) => {
    for (const type of NOT_JSON) {
      const res = await send(url, type, '{"session":"abcdefgh"}', headers ? { headers } : {});
      expect(res.statusCode, String(type)).toBe(415);
      expect(res.json()).toEqual({ error: { code: 'WSP_UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' } });
    }
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      expect((await send(url, type, '{"session":"abcdefgh"}', headers ? { headers } : {})).statusCode, type).not.toBe(415);
    }
  });

  it("console forms take application/x-www-form-urlencoded only; anything else gets 415 as the console's page", async () => {
    for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=latin1', undefined]) {
      const res = await send('/console/login', type, 'username=sari');
      expect(res.statusCode, String(type)).toBe(415);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('Send the form as application/x-www-form-urlencoded.');
    }
    // A real form gets as far as its own checks (here: no form token, so 403).
    expect((await send('/console/login', 'application/x-www-form-urlencoded;charset=UTF-8', 'csrf=x&username=sari&password=y')).statusCode).toBe(403);
  });

  it('another method with a body of no JSON type is refused as well', async () => {
    const res = await send('/api/v1/assess', 'text/plain', 'hello', { method: 'PATCH' });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res)).toBe('WSP_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('security headers', () => {
  const API = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";
  const PAGE = "default-src 'none';script-src 'self';style-src 'self';img-src 'self';connect-src 'self';frame-ancestors 'self';base-uri 'none';form-action 'none'";
  const CONSOLE = "default-src 'none';script-src 'self';style-src 'self';img-src 'self';connect-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'self'";

  it.each([
    ['GET', '/healthz', 200, API, 'DENY'],
    ['POST', '/api/v1/assess', 200, API, 'DENY'],
    ['POST', '/api/v1/chat/messages', 415, API, 'DENY'],
    ['GET', '/nothing-here', 404, API, 'DENY'],
    ['GET', '/', 200, PAGE, 'SAMEORIGIN'],
    ['GET', '/cek', 200, PAGE, 'SAMEORIGIN'],
    ['GET', '/chat.js', 200, PAGE, 'SAMEORIGIN'],
    ['GET', '/console/login', 200, CONSOLE, 'DENY'],
    ['GET', '/console/assets/console.css', 200, CONSOLE, 'DENY'],
    // Without a session, the console's not-found sends to the sign-in first.
    ['GET', '/console/nothing-here', 303, CONSOLE, 'DENY'],
    ['GET', '/console/cases/ABC123/timeline', 401, CONSOLE, 'DENY'],
  ] as const)('%s %s (%i): its CSP and the rest of helmet', async (method, url, status, csp, frame) => {
    const res = await app.inject({ method, url, remoteAddress: ip(), ...(method === 'POST' ? { headers: { 'content-type': url.includes('assess') ? 'application/json' : 'text/plain' }, payload: '{"text":"gaji 15jt"}' } : {}) });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-security-policy']).toBe(csp);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-|\*/);
    expect(res.headers['x-frame-options']).toBe(frame);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(res.headers['referrer-policy']).toBe(url.startsWith('/console') ? 'same-origin' : 'no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });
});

/** What no error answer may hold: a stack, a source path, a frame. */
function expectNoStack(res: LightMyRequestResponse): void {
  // (`class="stack"` is a layout class of the console's pages; a JSON stack would be `"stack":`.)
  expect(res.body).not.toMatch(/"stack":|\.ts\b|\.js:\d|node_modules|\/work\/|\/src\/|\n\s+at \S/i);
}

describe.each(['production', 'development'] as const)('error answers in NODE_ENV=%s', (NODE_ENV) => {
  let env: FastifyInstance;
  beforeAll(async () => {
    env = await buildApp({ config: parseConfig({ ...ENV, NODE_ENV }) });
    // A route of this test that fails the way a bug would, with a message naming a file.
    env.get('/test-only/fails', async () => {
      throw new TypeError(`Cannot read properties of undefined (reading 'x') at ${import.meta.filename}:1:1`);
    });
    await env.ready();
  });
  afterAll(() => env.close());

  it('an internal error is the catalogue 500, nothing more', async () => {
    const res = await env.inject({ url: '/test-only/fails' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'WSP_INTERNAL', message: 'Something went wrong on our side.' } });
    expectNoStack(res);
  });

  it("an internal error in the console (a session record that cannot be read) is the console's page, without a stack", async () => {
    const token = randomBytes(32).toString('base64url');
    await env.waspada.store.set(env.waspada.store.layout.consoleSession(createHash('sha256').update(token).digest('hex')), '{not json', 60_000);
    const res = await env.inject({ url: '/console', headers: { cookie: `wsp_console=${token}` } });
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Something went wrong on our side.');
    expectNoStack(res);
  });

  it.each([
    ['bad JSON', { method: 'POST', url: '/api/v1/assess', headers: { 'content-type': 'application/json' }, payload: '{"text": ' }, 400],
    ['a wrong schema', { method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: '{"session": 1}' }, 400],
    ['no such route', { method: 'GET', url: '/etc/passwd' }, 404],
    ['another method', { method: 'DELETE', url: '/api/v1/assess' }, 405],
    ['a body too large', { method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: `"${'a'.repeat(20_000)}"` }, 413],
    ['a wrong type', { method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'text/xml' }, payload: '<a/>' }, 415],
    ['a broken URL', { method: 'GET', url: '/api/v1/%E0%A4%A' }, 400],
    ['a broken URL in the console', { method: 'GET', url: '/console/%E0%A4%A' }, 400],
    ['a wrong webhook secret', { method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json' }, payload: '{}' }, 401],
    ['a wrong WhatsApp signature', { method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, payload: '{}' }, 401],
    ['a console form without its token', { method: 'POST', url: '/console/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=a&password=b&csrf=c' }, 403],
  ] as const)('%s: %i, without a stack', async (_name, request, status) => {
    const res = await env.inject({ ...request, remoteAddress: ip() } as InjectOptions);
    expect(res.statusCode).toBe(status);
    expectNoStack(res);
    if (!request.url.startsWith('/console')) expect(Object.keys(res.json<object>())).toEqual(['error']);
  });

  it('a request that is not HTTP gets a bare 400 from a real listener', async () => {
    const address = await env.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).not.toMatch(/stack|\.ts\b|node_modules|\n\s+at /i);
  });
});
