/**
 * The graceful stop of the real service (src/main.ts), as a process: `node --import tsx
 * src/main.ts` on a real redis-server, WhatsApp configured against the fake Graph API on
 * loopback. Hundreds of people write at once (signed webhooks, 16 at a time over keep-alive
 * connections); in the middle the process gets SIGTERM. Then:
 *
 * - it exits 0 within SHUTDOWN_TIMEOUT_SECONDS;
 * - every request got a 200 or was refused (503 while closing, or no connection): never anything else;
 * - every person whose message got a 200 receives the bot's replies, from this process or from a
 *   second one started afterwards on the same Redis (how production recovers), before any retry;
 * - the refused ones, posted again as WhatsApp would, are answered by the second process;
 * - a 200'd message WhatsApp delivers again is not answered again, and nobody gets anything twice;
 * - a request under way at SIGTERM (half its body sent) is finished: 200, and its replies sent.
 *
 * And at the edges: a provider that stops answering does not keep the process from stopping in
 * time (what it could not send, the next process sends, once); a request that never ends makes
 * it exit 1 at the bound.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { signWebhook, textMessageBody } from './channels/whatsapp/fixtures/load.js';
import { APP_SECRET, PHONE_ID, startProcess, useProcessFixtures, type WaspadaProcess } from './support/serviceProcess.js';
import { until } from './support/until.js';

const SHUTDOWN_TIMEOUT_SECONDS = 10;
/** People writing during the load, one message each; SIGTERM goes after this many answers. */
const PEOPLE = 600;
const SIGTERM_AFTER = 150;
const CONCURRENCY = 16;

const fixtures = useProcessFixtures();
/** What one "halo" from a new person brings (the first test records it). */
let reference: string[] = [];

/** Starts the service against the fake Graph API (or `graphUrl`), with the test's stop bound unless `env` says otherwise. */
function startService(env: Record<string, string> = {}): Promise<WaspadaProcess> {
  return startProcess('src/main.ts', {
    ...fixtures.env(),
    SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
    // SHUTDOWN_LOG=info prints the service's own account of the stop (its "stopped" line has the time).
    ...(process.env.SHUTDOWN_LOG ? { LOG_LEVEL: process.env.SHUTDOWN_LOG } : {}),
    ...env,
  });
}

const person = (i: number, group = 'shutdown') => `ID.${group}${i}`;

/** Posts one person's message as WhatsApp does; answers the status, or `refused` when there was no answer at all. */
async function post(url: string, i: number, group = 'shutdown'): Promise<number | 'refused'> {
  const body = textMessageBody(PHONE_ID, person(i, group), 'halo', `wamid.${group}-${i}`, Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, APP_SECRET) }, body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'refused';
  }
}

describe('SIGTERM under load', () => {
  it('stops within the bound, loses no acknowledged message and sends nothing twice', async () => {
    const first = await startService();
    // What one "halo" brings: the reference for everybody.
    expect(await post(first.url, 0)).toBe(200);
    await until(() => fixtures.graph().textsTo(person(0)).length >= 2, 'the replies to the first message', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    reference = fixtures.graph().textsTo(person(0));

    // The load: 16 at a time; SIGTERM once SIGTERM_AFTER of them have been answered.
    const results = new Map<number, number | 'refused'>();
    let next = 1;
    let sigtermAt = 0;
    let inFlightAtSigterm = 0;
    let inFlight = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next <= PEOPLE) {
          const i = next++;
          inFlight += 1;
          const status = await post(first.url, i);
          inFlight -= 1;
          results.set(i, status);
          if (results.size === SIGTERM_AFTER && sigtermAt === 0) {
            sigtermAt = Date.now();
            inFlightAtSigterm = inFlight;
            first.child.kill('SIGTERM');
          }
        }
      }),
    );
    const exit = await first.exited;
    const stopMs = exit.at - sigtermAt;
    const ok = [...results].filter(([, s]) => s === 200).map(([i]) => i);
    const refused = [...results].filter(([, s]) => s !== 200).map(([i]) => i);
    const deliveredByFirst = ok.filter((i) => fixtures.graph().textsTo(person(i)).length > 0).length;
    console.info(
      `graceful stop: exit ${exit.code} after ${stopMs} ms (SIGTERM with ${inFlightAtSigterm} requests in flight); ` +
        `${ok.length} answered 200, ${refused.length} refused (${[...new Set(refused.map((i) => results.get(i)))].join(', ')}); ` +
        `${deliveredByFirst} of the 200s had their replies from the stopping process`,
    );
    if (process.env.SHUTDOWN_LOG) console.info(first.output().split('\n').filter((l) => /shutdown|stop/.test(l)).join('\n'));
    expect(exit.code, first.output()).toBe(0);
    expect(stopMs).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS * 1000);
    // The SIGTERM came while requests were under way (that they finish is the test below).
    expect(inFlightAtSigterm).toBeGreaterThan(0);
    expect(ok.length).toBeGreaterThanOrEqual(SIGTERM_AFTER);
    expect(refused.length).toBeGreaterThan(0);
    // Nothing but a 200, a 503 while closing, or no connection at all.
    expect(refused.every((i) => results.get(i) === 503 || results.get(i) === 'refused')).toBe(true);

    // A second process on the same Redis: every 200 is answered, before any retry of WhatsApp's.
    const second = await startService();
    await until(() => ok.every((i) => fixtures.graph().textsTo(person(i)).length >= reference.length), 'the replies to every acknowledged message', 30_000);
    // WhatsApp retries what got no 200, and delivers some 200'd messages again.
    const again = [...refused, ...ok.slice(0, 50)];
    const statuses: Array<number | 'refused'> = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = again.shift(); i !== undefined; i = again.shift()) statuses.push(await post(second.url, i));
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    await until(() => refused.every((i) => fixtures.graph().textsTo(person(i)).length >= reference.length), 'the replies to the retried messages', 30_000);
    // Anything sent twice (a redelivered message, an entry reclaimed after it was sent) would show up by now.
    await new Promise((r) => setTimeout(r, 4_000));
    const wrong = Array.from({ length: PEOPLE }, (_, k) => k + 1).filter((i) => JSON.stringify(fixtures.graph().textsTo(person(i))) !== JSON.stringify(reference));
    expect(wrong.map((i) => `${person(i)}: ${fixtures.graph().textsTo(person(i)).length} messages`)).toEqual([]);

    const secondStarted = Date.now();
    second.child.kill('SIGTERM');
    const secondExit = await second.exited;
    console.info(`graceful stop when idle: exit ${secondExit.code} after ${secondExit.at - secondStarted} ms`);
    expect(secondExit.code, second.output()).toBe(0);
  }, 120_000);

  it('finishes a request that was under way at SIGTERM: 200, and the person gets the replies', async () => {
    const service = await startService();
    const who = person(1, 'inflight');
    const body = Buffer.from(textMessageBody(PHONE_ID, who, 'halo', 'wamid.inflight-1', Math.floor(Date.now() / 1000)));
    const half = Math.floor(body.length / 2);
    const socket = connect(Number(new URL(service.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // WhatsApp's request has begun: the headers and half the body are there, the rest is on its way.
    socket.write(
      `POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `X-Hub-Signature-256: ${signWebhook(body, APP_SECRET)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.subarray(0, half));
    await new Promise((r) => setTimeout(r, 300));
    service.child.kill('SIGTERM');
    // The stop is under way once the service refuses new connections; only then the rest of the body.
    await until(() => fetch(`${service.url}/healthz`).then(() => false, () => true), 'the service to stop listening', 5_000);
    // Long enough into the stop for any cut of open connections (the sweep of idle ones runs every 100 ms).
    await new Promise((r) => setTimeout(r, 500));
    expect(answer).toBe('');
    socket.write(body.subarray(half));
    await closed;
    // Cut off (the connection closed without an answer) or refused (503), WhatsApp would retry
    // later; finished, the person's message is answered by the process that is stopping.
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    await until(() => fixtures.graph().textsTo(who).length >= Math.max(2, reference.length), 'the replies to the message under way at SIGTERM', 10_000);
    if (reference.length > 0) expect(fixtures.graph().textsTo(who)).toEqual(reference);
    const exit = await service.exited;
    expect(exit.code, service.output()).toBe(0);
  }, 30_000);

  it('leaves what it could not send for the next process when the provider hangs, and still stops within the bound', async () => {
    const group = 'hang';
    const people = 40;
    fixtures.proxy().hang(true);
    const first = await startService({ WHATSAPP_GRAPH_URL: fixtures.proxy().url, SHUTDOWN_TIMEOUT_SECONDS: '3' });
    const statuses = await Promise.all(Array.from({ length: people }, (_, k) => post(first.url, k + 1, group)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    // The sender holds sends that get no answer (and the rest of what it claimed).
    await new Promise((r) => setTimeout(r, 500));
    const sigtermAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    console.info(`graceful stop with a hanging provider: exit ${exit.code} after ${exit.at - sigtermAt} ms`);
    expect(exit.code, first.output()).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(3_000);
    const everyone = Array.from({ length: people }, (_, k) => person(k + 1, group));
    expect(everyone.filter((p) => fixtures.graph().textsTo(p).length > 0)).toEqual([]);

    // The provider answers again; the next process takes over what the first had claimed.
    fixtures.proxy().hang(false);
    const second = await startService({ WHATSAPP_GRAPH_URL: fixtures.proxy().url });
    await until(() => everyone.every((p) => fixtures.graph().textsTo(p).length >= reference.length), 'the replies after the takeover', 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(everyone.filter((p) => JSON.stringify(fixtures.graph().textsTo(p)) !== JSON.stringify(reference)).map((p) => `${p}: ${fixtures.graph().textsTo(p).length} messages`)).toEqual([]);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 60_000);

  it('exits 1 when a request is still unfinished at the bound', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    // A client that sends half a body and then nothing: its request never ends.
    const socket = connect(Number(new URL(service.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"object":');
    await new Promise((r) => setTimeout(r, 200));
    const sigtermAt = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    socket.destroy();
    expect(exit.code).toBe(1);
    expect(exit.at - sigtermAt).toBeGreaterThanOrEqual(1_000);
    expect(exit.at - sigtermAt).toBeLessThan(3_000);
    expect(service.output()).toMatch(/not stopped within SHUTDOWN_TIMEOUT_SECONDS/);
  }, 30_000);
});
