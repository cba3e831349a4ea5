/**
 * `POST /api/v1/assess`, the public ad check, through the whole app: the answer, bad input, the
 * rate limit (on the in-memory store, and shared by two instances on a real redis-server), CORS,
 * and that it keeps nothing — no store key but the client's pace, no text in the log.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { clientKey } from '../../src/http/clientRate.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { useRedisStore } from '../support/redisServer.js';

/** A scam-compound offer as they are forwarded: caps, emojis, slang, a phone number. */
const SCAM_AD = [
  '🔥🔥 LOWONGAN KERJA KAMBOJA 🔥🔥',
  'Dibutuhkan admin customer service online, gaji 15jt/bulan!!',
  'Tanpa pengalaman, paspor dibantu, tidak perlu visa kerja, berangkat cepat. Tiket PP free.',
  'Hub WA 0812-3456-7890 (kak Rina)',
].join('\n');

const LEGIT_AD =
  'PT Sinar Jaya Abadi (P3MI berizin, terdaftar di SISKOP2MI) membuka lowongan caregiver di Taiwan. ' +
  'Gaji NT$ 20.000 per bulan sesuai kontrak. Proses resmi melalui Disnaker dan BP3MI, pelatihan 3 bulan, ' +
  'visa kerja, perjanjian kerja ditandatangani sebelum berangkat.';

type Answer = { level: string; signs: Array<{ id: string; severity: string; evidence: string }>; advice: string[] };

let clock = Date.parse('2026-03-01T08:00:00Z');
const lines: string[] = [];
const store = createMemoryStore({ now: () => clock });
let app: FastifyInstance;

beforeAll(async () => {
  // Log lines are read here: `info`, so that the route's own line is written.
  app = await buildApp({
    config: parseConfig({ LOG_LEVEL: 'info', ASSESS_RATE_PER_MINUTE: '30', ASSESS_RATE_BURST: '10' }),
    store,
    now: () => clock,
    logStream: { write: (line) => void lines.push(line) },
  });
});
afterAll(() => app.close());

let nextAddress = 1;
/** Each test its own client address, so that the rate limit of one does not reach another. */
const newClient = (): string => `192.0.2.${nextAddress++}`;

const post = (payload: unknown, o: { ip?: string; headers?: Record<string, string> } = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/assess',
    remoteAddress: o.ip ?? newClient(),
    headers: { 'content-type': 'application/json', ...o.headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('POST /api/v1/assess', () => {
  it('finds the signs of a scam-hub ad, each quoting the ad, with the advice of the chat', async () => {
    const res = await post({ text: SCAM_AD });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Answer>();
    expect(body.level).toBe('high');
    expect(body.signs.map((s) => s.id)).toEqual(expect.arrayContaining(['scam_hub_offer', 'visa_not_work']));
    expect(body.signs.find((s) => s.id === 'scam_hub_offer')).toEqual({ id: 'scam_hub_offer', severity: 'critical', evidence: 'KAMBOJA' });
    expect(body.signs.find((s) => s.id === 'visa_not_work')?.evidence).toBe('tidak perlu visa kerja');
    for (const s of body.signs) {
      expect(Object.keys(s)).toEqual(['id', 'severity', 'evidence']);
      expect(SCAM_AD).toContain(s.evidence);
    }
    // The line for the level, then one per sign in the order of the signs; Indonesian by default.
    expect(body.advice).toHaveLength(body.signs.length + 1);
    expect(body.advice[0]).toMatch(/^🔴 Risiko TINGGI\. Tawaran ini punya \d+ tanda bahaya/);
    const scamIndex = body.signs.findIndex((s) => s.id === 'scam_hub_offer');
    expect(body.advice[scamIndex + 1]).toMatch(/Asia Tenggara\nKenapa berbahaya: .+\nCara yang aman: Jangan berangkat\./);
  });

  it('answers in English when asked', async () => {
    const text = 'Hiring now! Customer service job in Sihanoukville, Cambodia. Salary USD 1,200/month. No experience needed, visa on arrival. Leave within 3 days.';
    const body = (await post({ text, lang: 'en' })).json<Answer>();
    expect(body.level).toBe('high');
    expect(body.signs.find((s) => s.id === 'scam_hub_offer')?.evidence).toBe('Sihanoukville');
    expect(body.advice[0]).toMatch(/^🔴 HIGH risk\./);
    expect(body.advice.slice(1).every((a) => /\nWhy it matters: .+\nThe safe way: /.test(a))).toBe(true);
  });

  it('says that no check is a guarantee when an ad shows no sign', async () => {
    const body = (await post({ text: LEGIT_AD })).json<Answer>();
    expect(body).toEqual({ level: 'low', signs: [], advice: [expect.stringMatching(/^🟢 Risiko RENDAH menurut teks ini\. .*bukan jaminan/)] });
    const en = (await post({ text: LEGIT_AD, lang: 'en' })).json<Answer>();
    expect(en.advice).toEqual([expect.stringMatching(/^🟢 LOW risk in this text\. That is not a guarantee/)]);
  });

  it('checks a text of exactly 10,000 characters, even with every character escaped', async () => {
    const text = `${SCAM_AD}\n${'x'.repeat(10_000 - SCAM_AD.length - 1)}`;
    expect(text).toHaveLength(10_000);
    // Every UTF-16 code unit as \uXXXX (an emoji as its two surrogates), as Python's json.dumps sends it.
    const escaped = `{"text":"${text.replace(/[\s\S]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"}`;
    expect(escaped.length).toBeGreaterThan(60_000);
    for (const payload of [{ text }, escaped]) {
      const res = await post(payload);
      expect(res.statusCode).toBe(200);
      expect(res.json<Answer>().level).toBe('high');
    }
  });

  describe('bad input gets a 4xx with a catalogue code', () => {
    it.each([
      ['no text', {}, 'text: expected string'],
      ['empty text', { text: '' }, 'text: must not be empty'],
      ['only spaces and line breaks', { text: '  \n\t ' }, 'text: must not be empty'],
      ['text over 10,000 characters', { text: 'a'.repeat(10_001) }, 'text: must be at most 10000 characters'],
      ['a number as text', { text: 42 }, 'text: expected string'],
      ['text as a list', { text: ['gaji 15jt'] }, 'text: expected string'],
      ['null text', { text: null }, 'text: expected string'],
      ['an unknown language', { text: 'gaji 15jt', lang: 'fr' }, 'lang: must be one of id, en'],
      ['a language that is no string', { text: 'gaji 15jt', lang: 1 }, 'lang: expected string'],
      ['an array body', [SCAM_AD], 'expected object'],
      ['a string body', JSON.stringify(SCAM_AD), 'expected object'],
    ])('%s', async (_name, payload, message) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message } });
    });

    it('invalid JSON', async () => {
      const res = await post('{"text": "gaji 15jt');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message: 'The body is not valid JSON.' } });
    });

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/json-patch+json'], ['application/json; charset=latin1']])('content type %s', async (type) => {
      const res = await post('{"text":"gaji 15jt"}', { headers: { 'content-type': type } });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({ error: { code: 'WSP_UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' } });
    });

    it('a body over 64 KiB', async () => {
      const res = await post({ text: 'a'.repeat(70_000) });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_BODY_TOO_LARGE' } });
    });

    it('another method', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/assess' });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST, OPTIONS');
      expect(res.json()).toMatchObject({ error: { code: 'WSP_METHOD_NOT_ALLOWED' } });
    });
  });

  describe('rate limit per client address', () => {
    it('lets the burst through, then answers 429 with Retry-After until the pace allows one more', async () => {
      const ip = newClient();
      for (let i = 0; i < 10; i++) expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(200);
      const refused = await post({ text: SCAM_AD }, { ip });
      expect(refused.statusCode).toBe(429);
      // 30 a minute: one every 2 s.
      expect(refused.headers['retry-after']).toBe('2');
      expect(refused.json()).toEqual({ error: { code: 'WSP_RATE_LIMITED', message: 'Too many requests; try again after the number of seconds in Retry-After.' } });
      // Another address is not affected.
      expect((await post({ text: SCAM_AD })).statusCode).toBe(200);

      // Knocking on while refused does not push the wait further out...
      for (let i = 0; i < 20; i++) expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(429);
      clock += 1000;
      expect((await post({ text: SCAM_AD }, { ip })).headers['retry-after']).toBe('1');
      // ...after Retry-After, one more gets through, and the next has to wait again.
      clock += 1000;
      expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(200);
      expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(429);
      // A quiet minute gives the whole burst back.
      clock += 60_000;
      for (let i = 0; i < 10; i++) expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(200);
    });

    it('counts bad requests too, and answers 429 before reading the body', async () => {
      const ip = newClient();
      for (let i = 0; i < 10; i++) expect((await post({ text: '' }, { ip })).statusCode).toBe(400);
      expect((await post('not json at all', { ip, headers: { 'content-type': 'text/plain' } })).statusCode).toBe(429);
      clock += 2000;
    });

    it('treats an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 address', () => {
      expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
      expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
      expect(clientKey('::ffff:192.0.2.1')).toBe(clientKey('192.0.2.1'));
      expect(clientKey('192.0.2.1')).not.toBe(clientKey('192.0.2.2'));
      expect(clientKey('192.0.2.1')).not.toContain('192');
    });
  });

  describe('CORS for partner sites', () => {
    it('answers a preflight from any origin by default, without credentials', async () => {
      const res = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/assess',
        headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'Content-Type',
        'access-control-max-age': '7200',
      });
      expect(res.headers).not.toHaveProperty('access-control-allow-credentials');
    });

    it('sets the origin on answers, errors and 429s included, and lets the page read Retry-After', async () => {
      const ip = newClient();
      const headers = { origin: 'https://partner.example' };
      const ok = await post({ text: SCAM_AD }, { ip, headers });
      expect(ok.headers['access-control-allow-origin']).toBe('*');
      expect(ok.headers['access-control-expose-headers']).toBe('Retry-After');
      expect(ok.headers).not.toHaveProperty('access-control-allow-credentials');
      expect((await post({ text: '' }, { ip, headers })).headers['access-control-allow-origin']).toBe('*');
      expect((await post('x', { ip, headers: { ...headers, 'content-type': 'text/plain' } })).headers['access-control-allow-origin']).toBe('*');
      for (let i = 0; i < 7; i++) await post({ text: 'x' }, { ip, headers });
      const refused = await post({ text: SCAM_AD }, { ip, headers });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['access-control-allow-origin']).toBe('*');
      clock += 2000;
    });

    it('with a list, echoes a listed origin and gives nothing to others', async () => {
      const listed = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', ASSESS_CORS_ORIGINS: 'https://partner.example, https://ngo.example:8443/' }) });
      try {
        const preflight = (origin: string) =>
          listed.inject({ method: 'OPTIONS', url: '/api/v1/assess', headers: { origin, 'access-control-request-method': 'POST' } });
        const yes = await preflight('https://ngo.example:8443');
        expect(yes.statusCode).toBe(204);
        expect(yes.headers).toMatchObject({ 'access-control-allow-origin': 'https://ngo.example:8443', 'access-control-allow-methods': 'POST', vary: 'Origin' });
        const no = await preflight('https://evil.example');
        expect(no.statusCode).toBe(204);
        expect(no.headers).not.toHaveProperty('access-control-allow-origin');
        expect(no.headers).not.toHaveProperty('access-control-allow-methods');

        const send = (origin: string) =>
          listed.inject({ method: 'POST', url: '/api/v1/assess', headers: { origin, 'content-type': 'application/json' }, payload: { text: SCAM_AD } });
        const fromPartner = await send('https://partner.example');
        expect(fromPartner.headers['access-control-allow-origin']).toBe('https://partner.example');
        expect(fromPartner.headers.vary).toBe('Origin');
        const fromOther = await send('https://evil.example');
        // The server still answers (CORS is the browser's rule), but the other page cannot read it.
        expect(fromOther.statusCode).toBe(200);
        expect(fromOther.headers).not.toHaveProperty('access-control-allow-origin');
      } finally {
        await listed.close();
      }
    });

    it('refuses a bad origin list at start', () => {
      expect(() => parseConfig({ ASSESS_CORS_ORIGINS: 'partner.example' })).toThrow(/^Invalid configuration: ASSESS_CORS_ORIGINS: /);
      expect(() => parseConfig({ ASSESS_CORS_ORIGINS: '*, https://partner.example' })).toThrow(/^Invalid configuration: ASSESS_CORS_ORIGINS: /);
    });
  });

  describe('keeps nothing', () => {
    it('stores only the pace of the client address: one key holding a time, gone after its life', async () => {
      const ip = newClient();
      const before = store.size();
      const depth = await store.outboxDepth();
      for (let i = 0; i < 3; i++) expect((await post({ text: SCAM_AD }, { ip })).statusCode).toBe(200);
      await post({ text: '' }, { ip });
      expect(store.size()).toBe(before + 1);
      expect(await store.outboxDepth()).toBe(depth);
      const key = store.layout.clientRate('assess', clientKey(ip));
      const pace = await store.get(key);
      expect(pace).toMatch(/^\d+(\.\d+)?$/);
      expect(key).not.toContain(ip);
      // Its life ends a second after the pace is back at rest.
      clock += 10_000;
      expect(await store.get(key)).toBeUndefined();
      expect(store.size()).toBe(before);
    });

    it('logs no text: only a length bucket and the level', async () => {
      const marker = 'Kak-Rina-0812-3456-7890';
      const text = `${SCAM_AD}\n${marker}`;
      lines.length = 0;
      await post({ text }, { headers: { 'x-note': 'log test' } });
      await post({ text: `${marker} ${'z'.repeat(10_001)}` });
      await post({ text, lang: 'fr' });
      await post({ text: `${marker}${'z'.repeat(70_000)}` });
      await post(`{"text": "${marker}`);
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(5);
      expect(log).not.toContain(marker);
      expect(log).not.toContain('KAMBOJA');
      expect(log).not.toContain('visa kerja');
      const checked = lines.filter((l) => l.includes('"msg":"ad checked"'));
      expect(checked).toHaveLength(1);
      expect(JSON.parse(checked[0] ?? '{}')).toMatchObject({ level: 30, chars: '200-999', risk: 'high', signs: expect.any(Number) });
      // Exactly these fields, each once (a second "level" would overwrite pino's).
      expect([...(checked[0] ?? '').matchAll(/"(\w+)":/g)].map((m) => m[1])).toEqual(['level', 'time', 'pid', 'hostname', 'reqId', 'chars', 'risk', 'signs', 'msg']);
    });
  });
});

describe('the rate limit with several instances on one Redis', () => {
  const redis = useRedisStore();

  it('is shared: two instances let one burst through between them', async () => {
    const config = parseConfig({ LOG_LEVEL: 'silent', ASSESS_RATE_PER_MINUTE: '6', ASSESS_RATE_BURST: '4' });
    const apps = [await buildApp({ config, store: redis.store() }), await buildApp({ config, store: redis.store() })];
    try {
      const send = (i: number) =>
        apps[i % 2]!.inject({ method: 'POST', url: '/api/v1/assess', remoteAddress: '198.51.100.7', headers: { 'content-type': 'application/json' }, payload: { text: SCAM_AD } });
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await send(i)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
      // 6 a minute: 10 s apart, less the few ms these requests took.
      expect(Number((await send(0)).headers['retry-after'])).toBeGreaterThanOrEqual(9);
      expect(Number((await send(1)).headers['retry-after'])).toBeLessThanOrEqual(10);
    } finally {
      for (const a of apps) await a.close();
    }
  });
});
