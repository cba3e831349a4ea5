/**
 * Telegram pacing with its real defaults, across two app instances sharing one Redis: about one
 * message a second per chat, whichever instance sends.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.js';
import { startRedis, untilReady, type RedisServer } from '../../support/redisServer.js';
import { TEST_DATA_KEY } from '../../support/dataKey.js';

const TOKEN = '6100000001:AAtest-token_for-waspada';
let fake: FakeBotApi;
let redis: RedisServer;
let apps: FastifyInstance[];

beforeAll(async () => {
  fake = await startFakeBotApi({ token: TOKEN });
  redis = await startRedis();
  const config = parseConfig({ LOG_LEVEL: 'silent', REDIS_URL: redis.url, DATA_KEY: TEST_DATA_KEY, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_API_ROOT: fake.url });
  apps = await Promise.all([buildApp({ config }), buildApp({ config })]);
  await Promise.all(apps.map((a) => untilReady(a)));
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await redis.stop();
  await fake.close();
});

it('sends about one message a second to a chat, across instances', async () => {
  const chat = 700000901;
  const times: number[] = [];
  const bodies = ['halo', 'bantuan', 'menu'].map((text, i) =>
    JSON.stringify({ update_id: 990000 + i, message: { message_id: 10 + i, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'T' }, text } }),
  );
  // Three messages, through both instances: five replies in all (welcome + menu, help + menu, menu).
  for (const [i, body] of bodies.entries()) {
    const res = await apps[i % 2]?.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 's' }, payload: body });
    expect(res?.statusCode).toBe(200);
  }
  const deadline = Date.now() + 15_000;
  let seen = 0;
  while (seen < 5 && Date.now() < deadline) {
    const n = fake.callsOf('sendMessage').length;
    for (; seen < n; seen++) times.push(Date.now());
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(times).toHaveLength(5);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  console.log(`telegram pacing: gaps between sends to one chat ${gaps.join(', ')} ms`);
  // Up to three at once, then one second apart, whichever instance sends (polling slack allowed).
  expect(gaps.slice(2).every((g) => g > 900)).toBe(true);
  expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1800);
});
