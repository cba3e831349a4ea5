/**
 * The per-person message limit end to end: signed WhatsApp webhooks into the real app (memory
 * store, its own sender), what went out read at a fake Graph API on loopback. A person who sends
 * 40 messages within a few seconds gets the replies to 30, one "slow down", and nothing for the
 * rest; every message is still acknowledged and recorded, so a provider's retry does nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createPipeline } from '../../src/conversation/pipeline.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { realContent, realEngine } from '../support/content.js';
import { signWebhook, textMessageBody } from '../channels/whatsapp/fixtures/load.js';

const SECRET = 'pace-app-secret';
const PHONE_ID = '106540352242922';
const t = realContent().translator;
const SLOW_DOWN = t.t('id', 'slow-down', { minutes: 1 });
const HELP = t.t('id', 'help');

let fake: FakeGraphApi;
let app: FastifyInstance;
/** The app's clock: real time, moved forward by the test to let a pause pass. */
let skew = 0;

beforeAll(async () => {
  fake = await startFakeGraphApi({ token: 'pace-access-token', phoneNumberId: PHONE_ID });
  const whatsapp = { WHATSAPP_ACCESS_TOKEN: fake.token, WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: 'pace-verify-token', WHATSAPP_GRAPH_URL: fake.url };
  app = await buildApp({ config: parseConfig({ HOTLINE: 'on', LOG_LEVEL: 'silent', ...whatsapp }), now: () => Date.now() + skew });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

/** Posts one text message from a person, signed as Meta signs it. */
async function send(userId: string, text: string, id: string): Promise<number> {
  const body = textMessageBody(PHONE_ID, userId, text, id, Math.floor((Date.now() + skew) / 1000));
  const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, SECRET) }, payload: body });
  return res.statusCode;
}

/** Waits until the person has received `count` messages, then a while longer to see that no more come. */
async function received(userId: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (fake.textsTo(userId).length < count) {
    if (Date.now() > deadline) throw new Error(`${userId} received ${fake.textsTo(userId).length} messages, expected ${count}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 300));
  return fake.textsTo(userId);
}

describe('more than 30 messages a minute from one person', () => {
  it('answers 30, sends one "slow down", drops the other 9, and acknowledges all 40', async () => {
    const user = 'ID.100000000000000401';
    const started = Date.now();
    expect(await send(user, 'halo', 'wamid.pace-0')).toBe(200);
    // The other 39 at once, as a person hammering the send button.
    const codes = await Promise.all(Array.from({ length: 39 }, (_, i) => send(user, '?', `wamid.pace-${i + 1}`)));
    expect(codes).toEqual(Array(39).fill(200));
    expect(Date.now() - started).toBeLessThan(30_000);
    // "halo": the welcome and the menu; each of the next 29 "?": the commands and the menu; the 31st: the warning.
    const texts = await received(user, 2 + 29 * 2 + 1);
    expect(texts).toHaveLength(61);
    expect(texts.filter((x) => x === SLOW_DOWN)).toHaveLength(1);
    expect(texts.at(-1)).toBe(SLOW_DOWN);
    expect(texts.filter((x) => x === HELP)).toHaveLength(29);

    // An emergency word during the pause is answered at once.
    expect(await send(user, 'tolong', 'wamid.pace-40')).toBe(200);
    const after = await received(user, 62);
    expect(after.slice(61).join('\n')).toContain('110');
    expect(after.slice(61)).not.toContain(HELP);
  });

  it('answers again once the pause has passed, but not a retry of a message it dropped', async () => {
    const user = 'ID.100000000000000402';
    await send(user, 'halo', 'wamid.pass-0');
    for (let i = 1; i < 35; i++) await send(user, '?', `wamid.pass-${i}`);
    expect(await received(user, 61)).toHaveLength(61);
    skew += 61_000;
    // A dropped message was recorded as handled: the provider's retry of it is not answered now.
    expect(await send(user, '?', 'wamid.pass-34')).toBe(200);
    expect(await send(user, '?', 'wamid.pass-35')).toBe(200);
    const texts = await received(user, 63);
    expect(texts.slice(61)).toEqual([HELP, expect.any(String)]);
  });
});

describe('the pipeline while a person is told to slow down', () => {
  it('looks up no recruiter for a message it will drop', async () => {
    let clock = Date.parse('2026-03-01T08:00:00Z');
    const lookups: string[] = [];
    const p = createPipeline({
      engine: { ...realEngine(), pace: { max: 4, windowMs: 60_000, quietMs: 60_000 } },
      store: createMemoryStore(),
      log: { info: () => undefined, warn: () => undefined },
      now: () => clock,
      sessionRetentionMs: 3_600_000,
      lookupRecruiter: (text) => {
        lookups.push(text);
        return Promise.resolve({});
      },
    });
    const say = (text: string) => p.handle({ channel: 'web', userId: 'u-pace', input: { kind: 'text', text } });
    await p.handle({ channel: 'web', userId: 'u-pace', input: { kind: 'start', payload: 'check' } });
    // Destination, job and who recruited: the next question asks for the recruiter's name or number.
    for (const answer of ['4', '6', '1']) await say(answer);
    expect((await say('PT Maju Jaya')).messages.map((m) => m.text)).toEqual([SLOW_DOWN]);
    for (let i = 0; i < 5; i++) expect((await say('PT Maju Jaya')).messages).toEqual([]);
    expect(lookups).toHaveLength(1);
    clock += 61_000;
    await say('PT Maju Jaya');
    expect(lookups).toHaveLength(2);
  });
});

describe('erasing while counted', () => {
  it('does not start the count again: hapus is no way around the limit', async () => {
    let clock = Date.parse('2026-03-01T08:00:00Z');
    const store = createMemoryStore({ now: () => clock });
    const p = createPipeline({
      engine: { ...realEngine(), pace: { max: 6, windowMs: 60_000, quietMs: 60_000 } },
      store,
      log: { info: () => undefined, warn: () => undefined },
      now: () => clock,
      sessionRetentionMs: 3_600_000,
    });
    const say = async (text: string) => (await p.handle({ channel: 'web', userId: 'u-erase-pace', input: { kind: 'text', text } })).messages.map((m) => m.text);
    for (let i = 0; i < 3; i++) expect(await say('?')).toContain(HELP);
    // The erase and its confirmation are messages 4 and 5; the fresh conversation after it goes on counting.
    await say('hapus');
    clock += 1_000;
    await say('ya');
    expect(await say('?')).toContain(HELP);
    expect(await say('?')).toEqual([SLOW_DOWN]);
    expect(await say('?')).toEqual([]);
    // The kept count holds only counts and times, and goes once the pause is over.
    const kept = await store.get(store.layout.erasePace({ channel: 'web', id: 'u-erase-pace' }));
    expect(Object.keys(JSON.parse(kept ?? '{}')).sort()).toEqual(['count', 'since']);
    clock += 61_000;
    expect(await say('?')).toContain(HELP);
  });
});
