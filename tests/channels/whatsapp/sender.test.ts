import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppSender, type DeliveryFailure } from '../../../src/channels/whatsapp/sender.js';
import { startFakeGraphApi, type FakeGraphApi } from '../../support/fakeGraphApi.js';

let fake: FakeGraphApi;
const failures: DeliveryFailure[] = [];
const quiet = { warn: () => undefined, error: () => undefined };
beforeAll(async () => {
  fake = await startFakeGraphApi({ token: 'good-token', phoneNumberId: '106540352242922' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  failures.length = 0;
});

const sender = (token = 'good-token') =>
  createWhatsAppSender({
    accessToken: token,
    phoneNumberId: '106540352242922',
    graphUrl: fake.url,
    graphVersion: 'v26.0',
    pace: async () => undefined,
    log: quiet,
    onFailure: (f) => {
      failures.push(f);
    },
    baseDelayMs: 5,
  });

describe('WhatsApp sender', () => {
  it.each(['server', 'unavailable', 'network', 'pair-rate-limit', 'rate-limit'] as const)('retries after %s and delivers', async (kind) => {
    fake.failNext(2, kind);
    await sender()('6281234567890', { text: 'halo' });
    expect(fake.textsTo('6281234567890')).toEqual(['halo']);
  });

  it('drops the rest of a message when the person erased their data during a backoff', async () => {
    fake.failNext(1, 'server');
    // What unlessErased (channelDelivery.ts) asks: here the erase lands once the first try failed.
    const stillWanted = async () => fake.requests.length === 0;
    expect(await sender()('6281234567890', { text: 'halo' }, { at: 1, stillWanted })).toEqual({ result: 'skipped' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.sent).toEqual([]);
  });

  it('asks again before a further part only after a long wait for the pace', async () => {
    let asked = 0;
    const stillWanted = async () => (asked++, true);
    const parts = (text: string) => createWhatsAppSender({ accessToken: 'good-token', phoneNumberId: '106540352242922', graphUrl: fake.url, graphVersion: 'v26.0', pace: async () => undefined, log: quiet })('6281234567890', { text }, { stillWanted });
    const long = Array.from({ length: 3 }, (_, i) => `${'kata '.repeat(800)}${i}`).join('\n\n');
    await parts(long);
    const sentAtOnce = fake.sent.length;
    expect(sentAtOnce).toBeGreaterThan(1);
    expect(asked).toBe(0);
    fake.reset();
    let paced = 0;
    const slow = createWhatsAppSender({ accessToken: 'good-token', phoneNumberId: '106540352242922', graphUrl: fake.url, graphVersion: 'v26.0', pace: () => new Promise((r) => setTimeout(r, paced++ === 1 ? 1_100 : 0)), log: quiet });
    expect(await slow('6281234567890', { text: long }, { stillWanted: async () => false })).toEqual({ result: 'skipped' });
    // The first part went before the long wait; the erase found after it kept the rest back.
    expect(fake.sent).toHaveLength(1);
  });

  it('gives the message back to the outbox when the retries run out', async () => {
    fake.failNext(10, 'server');
    await expect(sender()('6281234567890', { text: 'halo' })).rejects.toThrow();
    expect(fake.sent).toEqual([]);
  });

  it('keeps the message (throws) when the token is wrong: our fault, not the person’s', async () => {
    await expect(sender('expired-token')('6281234567890', { text: 'halo' })).rejects.toThrow();
    expect(failures).toEqual([]);
  });

  it.each([
    ['outside-window', 131047],
    ['ecosystem', 131049],
  ] as const)('reports %s as a delivery failure without retrying', async (kind, code) => {
    fake.failNext(1, kind);
    await sender()('6281234567890', { text: 'halo' });
    expect(fake.requests).toHaveLength(1);
    expect(failures).toEqual([{ channel: 'whatsapp', code, reason: expect.any(String) }]);
  });
});
