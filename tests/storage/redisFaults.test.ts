/**
 * Faults with a real redis-server: an outage in the middle of a conversation, and a sender that
 * dies in the middle of a batch. Nothing is lost and nothing is handled twice.
 */
import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createOutboxWorker } from '../../src/conversation/outboxWorker.js';
import type { OutboxEntry } from '../../src/storage/store.js';
import { postTo, startHttpTarget } from '../support/httpTarget.js';
import { startRedis, untilReady, useRedisStore, type RedisServer } from '../support/redisServer.js';
import { TEST_DATA_KEY } from '../support/dataKey.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Redis outage in the middle of a conversation', () => {
  let redis: RedisServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    redis = await startRedis();
    app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', REDIS_URL: redis.url, DATA_KEY: TEST_DATA_KEY, REDIS_COMMAND_TIMEOUT_MS: '1000' }) });
    await untilReady(app);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  const post = (id: string, body: object) =>
    app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ session: 'outage-person', id, ...body }) });

  it('answers 503 while Redis is down, recovers by itself, and handles the retried message once', async () => {
    expect((await post('a1', { start: 'check' })).statusCode).toBe(200);
    expect((await post('a2', { text: 'kamboja' })).statusCode).toBe(200);
    expect((await post('a3', { text: 'admin' })).statusCode).toBe(200);

    await redis.kill();
    const during = await post('a4', { text: 'calo' });
    expect(during.statusCode).toBe(503);
    expect(during.json()).toEqual({ error: { code: 'WSP_UNAVAILABLE', message: 'The service is not ready; try again shortly.' } });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    await redis.restart();
    const recoveredInMs = await untilReady(app);
    console.log(`redis outage: /readyz recovered ${recoveredInMs} ms after redis-server was back`);

    // The provider retries the message it got a 503 for: handled now, and only now.
    const retried = await post('a4', { text: 'calo' });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).not.toHaveProperty('duplicate');
    expect(retried.json<{ messages: Array<{ text: string }> }>().messages.at(-1)?.text).toMatch(/nomor HP\/WhatsApp perekrut/);
    expect((await post('a4', { text: 'calo' })).json()).toEqual({ ...retried.json(), duplicate: true });

    // The answers from before the outage survived it (AOF), and each message counted once.
    const stored = await app.waspada.store.loadConversation({ channel: 'web', id: 'outage-person' });
    expect(stored.version).toBe(4);
    expect(JSON.parse(app.waspada.store.sealer.open(stored.session ?? '{}')).answers).toEqual({ destination: 'mekong', job: 'online_office', recruiter: 'individual' });
  });
});

describe('a sender that dies in the middle of a batch', () => {
  const redis = useRedisStore();

  it('leaves its claimed entries to be reclaimed and sent by another sender', async () => {
    const store = redis.store();
    const target = await startHttpTarget(100);
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i + 1}`);
    const outbox: OutboxEntry[] = texts.map((text) => ({ kind: 'message', channel: 'whatsapp', to: '6281200000003', message: { text } }));
    expect(await store.commitConversation({ person: { channel: 'whatsapp', id: '6281200000003' }, expectedVersion: 0, session: '{}', sessionTtlMs: 60_000, outbox })).toBe('ok');

    // The doomed sender claims the whole batch and is killed after a few deliveries.
    // Node itself (not npx, whose child would survive the kill) with tsx as the loader.
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/senderProcess.ts'], { env: { ...process.env, REDIS_URL: redis.server().url, DATA_KEY: TEST_DATA_KEY, TARGET_URL: target.url }, stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (target.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const beforeCrash = target.received.length;
    expect(beforeCrash).toBeGreaterThanOrEqual(3);
    expect(beforeCrash).toBeLessThan(20);

    // A second sender takes over what the dead one claimed but never acknowledged.
    const rescuer = createOutboxWorker({ store, consumer: 'rescuer', deliver: postTo(target.url), log: quiet, reclaimIdleMs: 300 });
    const until = Date.now() + 15_000;
    while ((await store.outboxDepth()) > 0 && Date.now() < until) {
      await rescuer.drainOnce();
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200)); // the target answers after its delay
    await target.close();

    const received = target.received.map((e) => (e as { message: { text: string } }).message.text);
    expect(new Set(received)).toEqual(new Set(texts));
    const duplicates = received.length - new Set(received).size;
    console.log(`sender crash: ${beforeCrash} delivered before the kill, ${received.length - beforeCrash} after; ${duplicates} delivered twice`);
    // At most the entry that was in flight at the moment of the kill is delivered again.
    expect(duplicates).toBeLessThanOrEqual(1);
    expect(await store.outboxDepth()).toBe(0);
  });
});
