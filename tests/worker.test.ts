/**
 * The separate sender (src/worker.ts) stops like the service: on SIGTERM it stops claiming,
 * delivers what it holds within SHUTDOWN_TIMEOUT_SECONDS (less a second for Redis), and exits 0;
 * a provider that does not answer does not keep it longer, and what it could not send it gives
 * back, so that the next sender takes it over within seconds (not OUTBOX_RECLAIM_SECONDS) and
 * sends it, once and in order. A sender answers /healthz, /readyz and /metrics on its port, where
 * the sends it delivered are counted.
 */
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { signWebhook, textMessageBody } from './channels/whatsapp/fixtures/load.js';
import { untilReady } from './support/redisServer.js';
import { APP_SECRET, PHONE_ID, startProcess, useProcessFixtures } from './support/serviceProcess.js';
import { until } from './support/until.js';

const PEOPLE = 30;

const fixtures = useProcessFixtures();
/** Both senders (and the app that fills the outbox) send through the proxy, which can hang. */
const env = () => fixtures.env(fixtures.proxy().url);
const person = (i: number) => `ID.worker${i}`;

describe('a separate sender on SIGTERM', () => {
  it('stops within the bound while the provider hangs, and the next sender sends what it held, once', async () => {
    // An instance that only answers webhooks (SENDERS=none) fills the outbox.
    const app = await buildApp({ config: parseConfig({ ...env(), LOG_LEVEL: 'silent', SENDERS: 'none' }) });
    await app.ready();
    await untilReady(app);
    for (let i = 1; i <= PEOPLE; i++) {
      const body = textMessageBody(PHONE_ID, person(i), 'halo', `wamid.worker-${i}`, Math.floor(Date.now() / 1000));
      const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, APP_SECRET) }, payload: body });
      expect(res.statusCode).toBe(200);
    }
    const queued = await app.waspada.store.outboxDepth();
    expect(queued).toBeGreaterThanOrEqual(PEOPLE);

    fixtures.proxy().hang(true);
    // The first sender meets its port taken (another process on the same machine and PORT): it
    // says so and goes on sending, unwatched.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const first = await startProcess('src/worker.ts', { ...env(), SHUTDOWN_TIMEOUT_SECONDS: '3', PORT: String((taken.address() as AddressInfo).port) });
    expect(first.output()).toMatch(/HOST:PORT is taken/);
    await new Promise((r) => setTimeout(r, 1_000));
    const sigtermAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    console.info(`separate sender, provider hanging: exit ${exit.code} after ${exit.at - sigtermAt} ms`);
    expect(exit.code, first.output()).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(3_000);
    expect(first.output()).toMatch(/"msg":"stopped"/);
    expect(fixtures.graph().sent).toEqual([]);

    fixtures.proxy().hang(false);
    const second = await startProcess('src/worker.ts', env());
    const everyone = Array.from({ length: PEOPLE }, (_, k) => person(k + 1));
    await until(() => everyone.every((p) => fixtures.graph().textsTo(p).length >= 2), 'every reply after the takeover', 30_000);
    await until(async () => (await app.waspada.store.outboxDepth()) === 0, 'an empty outbox', 10_000);
    const reference = fixtures.graph().textsTo(person(1));
    expect(everyone.filter((p) => JSON.stringify(fixtures.graph().textsTo(p)) !== JSON.stringify(reference))).toEqual([]);
    expect(fixtures.graph().sent).toHaveLength(queued);
    taken.close();

    // What it sent is counted where it was sent: the apps (SENDERS=none) never see the sends.
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    const scrape = await (await fetch(`${second.url}/metrics`)).text();
    const sample = (series: string) => Number(scrape.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1));
    expect(sample('waspada_sends_total{kind="message",channel="whatsapp",result="sent",code="none"}')).toBe(queued);
    expect(sample('waspada_outbox_depth')).toBe(0);
    expect(sample('waspada_outbox_oldest_age_seconds')).toBe(0);
    expect(sample('waspada_store_up')).toBe(1);
    expect((await fetch(`${second.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    expect((await fetch(`${second.url}/anything`)).status).toBe(404);

    const idleAt = Date.now();
    second.child.kill('SIGTERM');
    const idle = await second.exited;
    console.info(`separate sender, idle: exit ${idle.code} after ${idle.at - idleAt} ms`);
    expect(idle.code).toBe(0);
    await app.close();
  }, 60_000);

  it('gives back what it could not send, so that the next sender sends it within seconds, not OUTBOX_RECLAIM_SECONDS', async () => {
    // The default takeover after 30 s, as deployed: only the stopped sender giving back makes it sooner.
    const deployed = { ...env(), OUTBOX_RECLAIM_SECONDS: '30' };
    const app = await buildApp({ config: parseConfig({ ...deployed, LOG_LEVEL: 'silent', SENDERS: 'none' }) });
    await app.ready();
    await untilReady(app);
    const write = async (who: string, id: string) => {
      const body = textMessageBody(PHONE_ID, who, 'halo', id, Math.floor(Date.now() / 1000));
      const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, APP_SECRET) }, payload: body });
      expect(res.statusCode).toBe(200);
    };
    const everyone = Array.from({ length: 10 }, (_, k) => `ID.release${k + 1}`);
    for (const who of everyone) await write(who, `wamid.${who}`);
    const queued = await app.waspada.store.outboxDepth();
    const sentBefore = fixtures.graph().sent.length;

    // Each person's first reply hangs at the provider; the ones behind it wait in the sender's hands.
    fixtures.proxy().hang(true);
    const first = await startProcess('src/worker.ts', { ...deployed, SHUTDOWN_TIMEOUT_SECONDS: '3' });
    await new Promise((r) => setTimeout(r, 1_000));
    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).toBe(0);
    expect(first.output()).toMatch(/given back/);
    fixtures.proxy().hang(false);

    const spawnedAt = Date.now();
    const second = await startProcess('src/worker.ts', deployed);
    const startedAt = Date.now();
    await until(() => everyone.every((p) => fixtures.graph().textsTo(p).length >= 2), 'every reply from the next sender within 10 s', 10_000);
    const at = Date.now();
    console.info(`next sender after a stop (reclaim 30 s): every reply ${at - startedAt} ms after it started (${at - spawnedAt} ms after it was spawned)`);
    await until(async () => (await app.waspada.store.outboxDepth()) === 0, 'an empty outbox', 10_000);
    // Once each, and in order: as a person gets them from a sender that never stopped.
    await write('ID.release-control', 'wamid.release-control');
    await until(() => fixtures.graph().textsTo('ID.release-control').length >= 2, 'the replies to someone who writes now', 10_000);
    const reference = fixtures.graph().textsTo('ID.release-control');
    expect(everyone.filter((p) => JSON.stringify(fixtures.graph().textsTo(p)) !== JSON.stringify(reference))).toEqual([]);
    expect(fixtures.graph().sent.length - sentBefore).toBe(queued + reference.length);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await app.close();
  }, 60_000);
});
