import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliver } from '../../src/conversation/deliver.js';
import { createOutboxWorker } from '../../src/conversation/outboxWorker.js';
import { openCase } from '../../src/handoff/case.js';
import { publicCase, type CaseEvent } from '../../src/handoff/caseEvents.js';
import { createWebhookSender, signBody, webhookPayload } from '../../src/handoff/webhookSender.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { OutboxEntry } from '../../src/storage/store.js';

const SECRET = 'a-shared-secret';
const OPENED = Date.parse('2026-03-01T08:00:00Z');

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; delayMs?: number };

/** A case-management system on loopback: records each request raw, answers as `answer(n)` says (n from 1). */
async function startReceiver(answer: (n: number) => Answer) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answer(received.length);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(a.status, a.headers).end('{"detail":"receiver body, never logged"}');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const receiver = {
    url: `http://127.0.0.1:${port}/hooks/waspada`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  receivers.push(receiver);
  return receiver;
}
const receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The receiver's side: the README's verification, over the raw body. */
function verifies(body: string, signature: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(signature ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function openedEvent(delivery = 'd-1'): CaseEvent {
  const c = openCase(
    'K7M4QX',
    OPENED,
    'urgent',
    { reason: 'high_risk', level: 'high', signs: ['passport_held', 'placement_fee'], answers: { destination: 'Malaysia', paid_fee: true }, lang: 'id', channel: 'whatsapp' },
    { channel: 'whatsapp', id: '6281234567890' },
  );
  return {
    type: 'case.opened',
    delivery,
    at: OPENED,
    // As caseService writes it (without the address), plus the address, to show the payload drops it anyway.
    case: { ...publicCase(c), person: c.person } as CaseEvent['case'],
    entry: { n: 1, at: OPENED, by: { kind: 'bot' }, type: 'opened' },
  };
}
const eventEntry = (e: CaseEvent): Extract<OutboxEntry, { kind: 'event' }> => ({ kind: 'event', channel: 'hotline-webhook', to: e.case.id, at: e.at, event: { ...e } });

function recordingLog() {
  const lines: Array<{ level: string; obj: object; msg?: string }> = [];
  return {
    lines,
    info: (obj: object, msg?: string) => void lines.push({ level: 'info', obj, ...(msg !== undefined ? { msg } : {}) }),
    warn: (obj: object, msg?: string) => void lines.push({ level: 'warn', obj, ...(msg !== undefined ? { msg } : {}) }),
    error: (obj: object, msg?: string) => void lines.push({ level: 'error', obj, ...(msg !== undefined ? { msg } : {}) }),
  };
}

describe('webhookPayload', () => {
  it('gives times as ISO 8601 strings and never the person’s address', () => {
    const payload = webhookPayload(openedEvent());
    expect(payload).toEqual({
      id: 'd-1',
      type: 'case.opened',
      occurredAt: '2026-03-01T08:00:00.000Z',
      case: {
        id: 'K7M4QX',
        status: 'open',
        priority: 'urgent',
        openedAt: '2026-03-01T08:00:00.000Z',
        botMuted: true,
        personPresent: true,
        summary: { reason: 'high_risk', level: 'high', signs: ['passport_held', 'placement_fee'], answers: { destination: 'Malaysia', paid_fee: true }, lang: 'id', channel: 'whatsapp' },
      },
      entry: { n: 1, at: '2026-03-01T08:00:00.000Z', by: { kind: 'bot' }, type: 'opened' },
    });
    expect(JSON.stringify(payload)).not.toContain('person"');
    expect(JSON.stringify(payload)).not.toContain('6281234567890');
  });
});

describe('case webhook sender', () => {
  it('posts the payload with headers, signed over the exact bytes sent', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    const log = recordingLog();
    await createWebhookSender({ url: receiver.url, secret: SECRET, log })(eventEntry(openedEvent('d-42')));

    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    expect(req?.path).toBe('/hooks/waspada');
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-waspada-delivery': 'd-42',
      'x-waspada-event': 'case.opened',
      'user-agent': 'Waspada-Webhook',
    });
    expect(verifies(req?.body ?? '', req?.headers['x-waspada-signature'], SECRET)).toBe(true);
    expect(verifies(req?.body ?? '', req?.headers['x-waspada-signature'], 'another secret')).toBe(false);
    expect(req?.headers['x-waspada-signature']).toBe(signBody(req?.body ?? '', SECRET));
    const body = JSON.parse(req?.body ?? '{}') as Record<string, unknown>;
    expect(body).toEqual(webhookPayload(openedEvent('d-42')));
    expect(body).not.toHaveProperty('person');
    expect(body.case).not.toHaveProperty('person');
  });

  it('retries through the outbox after a 500, with the same delivery id on both attempts', async () => {
    const receiver = await startReceiver((n) => ({ status: n === 1 ? 500 : 200 }));
    const log = recordingLog();
    const store = createMemoryStore({ shards: 1 });
    const worker = createOutboxWorker({
      store,
      consumer: 'w',
      log,
      pollMs: 5,
      reclaimIdleMs: 50,
      deliver: createDeliver({ senders: {}, eventHandlers: { 'hotline-webhook': createWebhookSender({ url: receiver.url, secret: SECRET, log }) }, log }),
    });
    await store.appendOutbox(0, [eventEntry(openedEvent('d-7'))]);
    worker.start();
    for (let i = 0; i < 200 && ((await store.outboxDepth()) > 0 || receiver.received.length < 2); i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers['x-waspada-delivery'])).toEqual(['d-7', 'd-7']);
    expect(receiver.received.every((r) => verifies(r.body, r.headers['x-waspada-signature'], SECRET))).toBe(true);
    expect(await store.outboxDepth()).toBe(0);
    expect(await store.deadLetterDepth()).toBe(0);
    // The refusal is logged with its status, never with the receiver's body or the case.
    const refusal = log.lines.find((l) => l.level === 'warn' && 'status' in l.obj);
    expect(refusal?.obj).toEqual({ event: 'case.opened', delivery: 'd-7', status: 500 });
    expect(JSON.stringify(log.lines)).not.toMatch(/never logged|Malaysia|passport_held/);
  });

  it('counts a receiver slower than the timeout as a failure', async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 1_000 }));
    const log = recordingLog();
    const send = createWebhookSender({ url: receiver.url, secret: SECRET, log, timeoutMs: 100 });
    await expect(send(eventEntry(openedEvent()))).rejects.toThrow('case webhook not delivered (timeout)');
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn', obj: { reason: 'timeout' } });
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    const receiver = await startReceiver((n) => (n === 1 ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 }));
    const send = createWebhookSender({ url: receiver.url, secret: SECRET, log: recordingLog() });
    await expect(send(eventEntry(openedEvent()))).rejects.toThrow('case webhook answered 302');
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks/waspada']);
  });

  it('counts a refused connection as a failure', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    await receiver.close();
    const send = createWebhookSender({ url: receiver.url, secret: SECRET, log: recordingLog() });
    await expect(send(eventEntry(openedEvent()))).rejects.toThrow('case webhook not delivered (network)');
  });
});

describe('the case webhook in the app', () => {
  it('posts every case event of a whole case, signed, in order, without the person', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { parseConfig } = await import('../../src/config.js');
    const receiver = await startReceiver(() => ({ status: 204 }));
    const app = await buildApp({
      config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE_WEBHOOK_URL: receiver.url, HOTLINE_WEBHOOK_SECRET: 'a-longer-shared-secret' }),
      senders: { web: async () => undefined },
    });
    await app.ready();
    try {
      const say = (text: string) => app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: 'webhook-person-1', text } });
      // The app's own running sender delivers (one lane per case keeps the events in order).
      const drain = async () => {
        for (let i = 0; i < 200 && (await app.waspada.store.outboxDepth()) > 0; i++) await new Promise((r) => setTimeout(r, 25));
      };
      await say('sos');
      await say('Paspor saya diambil majikan');
      await drain();
      const [c] = await app.waspada.hotline.cases.list({});
      if (!c) throw new Error('no case');
      await app.waspada.hotline.claim(c.id, { name: 'Sari', via: 'console' });
      await app.waspada.hotline.close(c.id, 'referred', { name: 'Sari', via: 'console' });
      await drain();
      const types = receiver.received.map((r) => String(r.headers['x-waspada-event']));
      // The alarm word itself, then what the person wrote next, reach the case as messages.
      expect(types).toEqual(['case.opened', 'case.message', 'case.message', 'case.claimed', 'case.closed']);
      for (const r of receiver.received) expect(verifies(r.body, r.headers['x-waspada-signature'], 'a-longer-shared-secret')).toBe(true);
      const bodies = receiver.received.map((r) => JSON.parse(r.body) as { id: string; case: { id: string; priority: string } });
      expect(new Set(bodies.map((b) => b.id)).size).toBe(5);
      expect(bodies.every((b) => b.case.id === c.id && b.case.priority === 'urgent')).toBe(true);
      expect(receiver.received.map((r) => r.body).join('')).not.toContain('webhook-person-1');
    } finally {
      await app.close();
    }
  });
});
