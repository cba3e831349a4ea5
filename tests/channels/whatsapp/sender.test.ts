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
