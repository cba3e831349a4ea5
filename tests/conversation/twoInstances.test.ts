/**
 * Two app instances on one Redis, as behind a load balancer: 50 messages from one person,
 * sent at the same moment and split between the instances, are each handled once, one after
 * the other, and the session ends where handling them in sequence would leave it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { step } from '../../src/engine/step.js';
import type { Input, Session } from '../../src/engine/types.js';
import { startRedis, untilReady, type RedisServer } from '../support/redisServer.js';
import { realEngine } from '../support/content.js';
import { TEST_DATA_KEY } from '../support/dataKey.js';

let redis: RedisServer;
let apps: FastifyInstance[];
const NOW = Date.parse('2026-03-01T08:00:00Z');

beforeAll(async () => {
  redis = await startRedis();
  // No senders: the hotline desk would tell the person about their case (one more write of the
  // session) at a moment this comparison with the pure engine cannot predict.
  const config = parseConfig({ LOG_LEVEL: 'silent', REDIS_URL: redis.url, DATA_KEY: TEST_DATA_KEY, SENDERS: 'none' });
  apps = await Promise.all([buildApp({ config, now: () => NOW }), buildApp({ config, now: () => NOW })]);
  await Promise.all(apps.map((a) => untilReady(a)));
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await redis.stop();
});

type Answer = { messages: Array<{ text: string }>; duplicate?: boolean };
const post = (app: FastifyInstance, body: object) =>
  app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

describe('two instances sharing one Redis', () => {
  it('handles 50 simultaneous messages from one person once each, in an order consistent with the session', async () => {
    const session = 'two-instances-1';
    // "1" is a valid answer to every question of the check and to the menu, so in any order the
    // 50 messages walk the same path: checks that end high, an accepted handoff, a new check…
    const inputs: Input[] = [{ kind: 'start', payload: 'check' }, ...Array.from({ length: 49 }, () => ({ kind: 'text' as const, text: '1' }))];
    await post(apps[0] as FastifyInstance, { session, id: 'm0', start: 'check' });
    const answers = await Promise.all(
      inputs.slice(1).map((_, i) => post(apps[i % 2] as FastifyInstance, { session, id: `m${i + 1}`, text: '1' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(49).fill(200));
    const bodies = answers.map((a) => a.json<Answer>());
    expect(bodies.filter((b) => b.duplicate)).toEqual([]);

    // The same 50 inputs, one after the other, through the pure engine.
    const engine = realEngine();
    let s: Session | null = null;
    const expected: string[] = [];
    for (const [i, input] of inputs.entries()) {
      const r = step(engine, s, input, { channel: 'web', now: NOW });
      if (i > 0) expected.push(r.messages.map((m) => m.text).join('\n'));
      s = r.session;
    }
    // Each message saw its own state: the replies are exactly those of the sequence.
    expect(bodies.map((b) => b.messages.map((m) => m.text).join('\n')).sort()).toEqual(expected.sort());
    const stored = await apps[0]?.waspada.store.loadConversation({ channel: 'web', id: session });
    expect(stored?.version).toBe(50);
    // The instances really did race: some steps were recomputed after the other wrote first.
    const conflicts = apps.reduce((n, a) => n + a.waspada.pipeline.stats().conflicts, 0);
    console.log(`two instances: ${conflicts} write conflicts resolved by recomputing the step`);
    expect(conflicts).toBeGreaterThan(0);
    expect(JSON.parse(apps[0]?.waspada.store.sealer.open(stored?.session ?? '{}') ?? '{}')).toMatchObject({ at: s?.at, answers: s?.answers });
  });

  it('handles a message redelivered to both instances once', async () => {
    const session = 'two-instances-2';
    const body = { session, id: 'same-id', start: 'check' };
    const replies = await Promise.all([post(apps[0] as FastifyInstance, body), post(apps[1] as FastifyInstance, body), post(apps[0] as FastifyInstance, body)]);
    const handled = replies.map((r) => r.json<Answer>()).filter((b) => !b.duplicate);
    expect(handled).toHaveLength(1);
    expect((await apps[1]?.waspada.store.loadConversation({ channel: 'web', id: session }))?.version).toBe(1);
  });
});
