/** The webhook hot path stays lean: one inbound message costs two Redis round trips. */
import { expect, it } from 'vitest';
import { createPipeline } from '../../src/conversation/pipeline.js';
import { realEngine } from '../support/content.js';
import { useRedisStore } from '../support/redisServer.js';

const redis = useRedisStore();

it('makes exactly two round trips per inbound message, for new and returning people, on every channel', async () => {
  const store = redis.store();
  const pipeline = createPipeline({ engine: realEngine(), store, log: { info: () => undefined, warn: () => undefined }, now: Date.now, sessionRetentionMs: 3_600_000 });
  const inputs = ['halo', '1', 'kamboja', 'admin', 'calo'];
  const before = store.roundTrips();
  let messages = 0;
  for (let person = 0; person < 20; person++) {
    const channel = person % 2 === 0 ? 'web' : 'whatsapp';
    for (const [i, text] of inputs.entries()) {
      await pipeline.handle({ channel, userId: `rt-${person}`, messageId: `rt-${person}-${i}`, input: { kind: 'text', text } });
      messages += 1;
    }
  }
  const perMessage = (store.roundTrips() - before) / messages;
  console.log(`redis round trips per inbound message: ${perMessage.toFixed(2)} over ${messages} messages`);
  expect(perMessage).toBe(2);
});
