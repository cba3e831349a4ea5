/**
 * GET /metrics: who may read it (METRICS_TOKEN as a bearer token; without it only a direct
 * connection from this machine), the Prometheus text format, a registry per app, scrapes that are
 * neither logged at info nor rate-limited, and request timings labelled by route pattern.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { isLoopback } from '../../src/http/metricsRoutes.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const TOKEN = 'metrics-token-5f1c9a7e2b';
const lines: string[] = [];
let open: FastifyInstance;
let guarded: FastifyInstance;

beforeAll(async () => {
  // Rate limits as low as they go: a scrape must never meet one.
  const low = { CHAT_RATE_PER_MINUTE: '1', CHAT_RATE_BURST: '1', ASSESS_RATE_PER_MINUTE: '1', ASSESS_RATE_BURST: '1' };
  open = await buildApp({ config: parseConfig({ LOG_LEVEL: 'info', ...low }), logStream: { write: (line) => void lines.push(line) } });
  guarded = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: TOKEN }) });
  await Promise.all([open.ready(), guarded.ready()]);
});
afterAll(async () => {
  await Promise.all([open.close(), guarded.close()]);
});

/** The value of one sample line (`name{labels} value`), or undefined when there is none. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('who may read /metrics', () => {
  it('with METRICS_TOKEN: only the bearer token, whatever the address', async () => {
    const none = await guarded.inject({ url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.json()).toEqual({ error: { code: 'WSP_UNAUTHORIZED', message: expect.any(String) } });
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`, 'Bearer ']) {
      expect((await guarded.inject({ url: '/metrics', headers: { authorization } })).statusCode, authorization).toBe(401);
    }
    const ok = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` }, remoteAddress: '203.0.113.9' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('waspada_store_up 1');
  });

  it('without it: a direct connection from this machine only, never through a proxy', async () => {
    expect((await open.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await open.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    expect((await open.inject({ url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
    const away = await open.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(away.statusCode).toBe(403);
    expect(away.json<{ error: { message: string } }>().error.message).toMatch(/METRICS_TOKEN/);
    // A reverse proxy on the same machine connects from loopback on every visitor's behalf.
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect((await open.inject({ url: '/metrics', headers: { [header]: '127.0.0.1' } })).statusCode, header).toBe(403);
    }
  });

  it('tells loopback addresses apart', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '1.127.0.0', '::2', '', undefined].map(isLoopback)).toEqual([false, false, false, false, false, false]);
  });

  it('refuses METRICS_TOKEN shorter than 16 characters, without echoing it', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => parseConfig({ METRICS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });
});

describe('the scrape', () => {
  it('is Prometheus text with the process metrics and the metrics of this app alone', async () => {
    await open.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: 'metrics-test-session-1', start: '' } });
    const res = await open.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/^# HELP process_cpu_user_seconds_total /m);
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(sample(res.body, 'waspada_inbound_messages_total{channel="web",type="start",outcome="handled"}')).toBe(1);
    expect(sample(res.body, 'waspada_outbox_depth')).toBe(0);
    // The other app counted nothing: each app has its own registry.
    const other = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(other.body).not.toContain('waspada_inbound_messages_total{');
  });

  it('is neither rate-limited nor logged at info', async () => {
    const before = lines.length;
    const codes = await Promise.all(Array.from({ length: 50 }, () => open.inject({ url: '/metrics' }).then((r) => r.statusCode)));
    expect(codes).toEqual(Array(50).fill(200));
    expect(lines.slice(before).filter((l) => l.includes('/metrics'))).toEqual([]);
    // The chat, limited to one message at once here, is refused on the second (the limit is on).
    await open.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: 'metrics-test-session-2', start: '' } });
    expect((await open.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: 'metrics-test-session-2', text: 'menu' } })).statusCode).toBe(429);
  });

  it('times requests by route pattern and status class, never by the URL', async () => {
    await open.inject({ url: '/console/cases/K7M4QX' });
    await open.inject({ url: '/console/reports/recruiters/phone:6281311224455' });
    await open.inject({ url: '/wa.me/6281311224455' });
    await open.inject({ method: 'PROPFIND', url: '/' });
    const body = (await open.inject({ url: '/metrics' })).body;
    expect(body).not.toContain('K7M4QX');
    expect(body).not.toContain('6281311224455');
    const routes = new Set([...body.matchAll(/^waspada_http_request_duration_seconds_count\{method="([^"]*)",route="([^"]*)",status_class="([^"]*)"\}/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`));
    expect(routes).toContain('GET /console/cases/:id 3xx');
    expect([...routes].some((r) => r.startsWith('GET /console/reports/recruiters/:'))).toBe(true);
    expect(routes).toContain('GET unmatched 4xx');
    expect([...routes].filter((r) => r.startsWith('other '))).not.toEqual([]);
    expect(routes).toContain('POST /api/v1/chat/messages 4xx');
  });
});

describe('the age of the oldest undelivered outbox entry', () => {
  it('is 0 with an empty outbox and grows while nobody delivers', async () => {
    let clock = Date.UTC(2026, 10, 28, 3, 0, 0);
    // No sender drains this store: what is queued stays queued, as when every sender is down.
    const store = createMemoryStore({ now: () => clock });
    const metrics = createMetrics({ store: () => store, now: () => clock, signs: [] });
    const age = async () => sample(await metrics.registry.metrics(), 'waspada_outbox_oldest_age_seconds');
    try {
      expect(await age()).toBe(0);
      await store.appendOutbox(0, [{ kind: 'event', channel: 'web', to: 'metrics-age', event: { type: 'case_closed' } }]);
      clock += 90_000;
      expect(await age()).toBe(90);
      clock += 30_000;
      expect(await age()).toBe(120);
      await store.ackOutbox(await store.claimOutbox('s', 10));
      expect(await age()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
