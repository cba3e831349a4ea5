/**
 * The WhatsApp channel end to end: signed webhooks into the real app, replies read from a fake
 * Graph API on loopback that rejects whatever Meta would reject.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { startFakeGraphApi, type FakeGraphApi, type GraphMessageBody } from '../../support/fakeGraphApi.js';
import { fixtureNames, loadFixture, signWebhook } from './fixtures/load.js';

const SECRET = 'test-app-secret';
const VERIFY = 'test-verify-token';
const PHONE_ID = '106540352242922';
const BSUID = 'ID.1349120865530274191';

let fake: FakeGraphApi;
let app: FastifyInstance;

beforeAll(async () => {
  fake = await startFakeGraphApi({ token: 'test-access-token', phoneNumberId: PHONE_ID });
  app = await buildApp({
    config: parseConfig({
      HOTLINE: 'on',
      LOG_LEVEL: 'silent',
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY,
      WHATSAPP_GRAPH_URL: fake.url,
    }),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

/** Posts a webhook body, signed with the app secret unless another signature ('' for none) is given. */
const post = (body: string, signature: string = signWebhook(body, SECRET)) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/whatsapp',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
    payload: body,
  });

/** A text message from a person, as Meta sends it. */
function textFrom(userId: string, text: string, id: string, phone?: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
      contacts: [{ profile: { name: 'Test' }, user_id: userId, ...(phone ? { wa_id: phone } : {}) }],
      messages: [{ id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, from_user_id: userId, ...(phone ? { from: phone } : {}) }],
    } }] }],
  });
}

/** A button or list reply, with the id the bot put on it. */
function replyFrom(userId: string, buttonId: string, id: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      contacts: [{ profile: { name: 'Test' }, user_id: userId }],
      messages: [{ id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', from_user_id: userId, interactive: { type: 'list_reply', list_reply: { id: buttonId, title: 'x' } } }],
    } }] }],
  });
}

/** Waits until the fake has accepted `count` messages for the person (the sender works in the background). */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The button or row ids of the last interactive message a person received. */
function lastOptionIds(to: string): string[] {
  const last = fake.messagesTo(to).filter((m) => m.type === 'interactive').at(-1) as (GraphMessageBody & { interactive?: { action: { buttons?: Array<{ reply: { id: string } }>; sections?: Array<{ rows: Array<{ id: string }> }> } } }) | undefined;
  const action = last?.interactive?.action;
  return action?.buttons?.map((b) => b.reply.id) ?? action?.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [];
}

const rejected = () => fake.requests.filter((r) => r.outcome.kind !== 'accepted');

describe('GET /webhooks/whatsapp (verification)', () => {
  it('answers the challenge as plain text with the right token', async () => {
    const res = await app.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('1158201444');
  });

  it.each([
    ['a wrong token', `hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`],
    ['another mode', `hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`],
    ['no challenge', `hub.mode=subscribe&hub.verify_token=${VERIFY}`],
    ['nothing', ''],
    ['a repeated token', `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.verify_token=${VERIFY}&hub.challenge=1`],
    ['a repeated challenge', `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1&hub.challenge=2`],
  ])('refuses %s with 403', async (_name, query) => {
    const res = await app.inject({ method: 'GET', url: `/webhooks/whatsapp?${query}` });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'WSP_FORBIDDEN' } });
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const body = textFrom('ID.100000000000000001', 'halo', 'wamid.sig1');
    for (const sig of [undefined, 'sha256=00', signWebhook(body, 'another-secret'), `sha1=${'0'.repeat(40)}`]) {
      const res = await post(body, sig ?? '');
      expect(res.statusCode, `signature ${String(sig)}`).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_UNAUTHORIZED' } });
    }
    const tampered = body.replace('halo', 'hapus');
    expect((await post(tampered, signWebhook(body, SECRET))).statusCode).toBe(401);
    expect(await app.waspada.store.loadConversation({ channel: 'whatsapp', id: 'ID.100000000000000001' }, 'wamid.sig1')).toEqual({ session: undefined, version: 0, seen: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests).toEqual([]);
  });

  it('refuses a malformed envelope with 400 and stores nothing', async () => {
    const depth = await app.waspada.store.outboxDepth();
    const res = await post(loadFixture('malformed-envelope'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'WSP_BAD_REQUEST' } });
    const notJson = '{"object": "whatsapp_business_account", ';
    expect((await post(notJson)).statusCode).toBe(400);
    expect(await app.waspada.store.outboxDepth()).toBe(depth);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests).toEqual([]);
  });

  it('answers a first "halo" with the welcome and the menu, within Meta limits', async () => {
    // This sender has a phone number and no business-scoped id: keyed on the number, sent to it.
    const phone = '6281234567890';
    expect((await post(loadFixture('text'))).statusCode).toBe(200);
    await until(() => fake.messagesTo(phone).length >= 2, 'the welcome and the menu');
    expect(fake.textsTo(phone)[0]).toMatch(/Waspada/);
    expect(lastOptionIds(phone)).toEqual(['menu.choose|check', 'menu.choose|report', 'menu.choose|abroad', 'menu.choose|person', 'menu.choose|language']);
    expect(fake.messagesTo(phone)[0]).toMatchObject({ to: phone });
    expect(fake.messagesTo(phone)[0]).not.toHaveProperty('recipient');
    expect(rejected()).toEqual([]);
  });

  it('sends to the business-scoped id of a person who has no phone number in the webhook', async () => {
    expect((await post(loadFixture('text-bsuid-only'))).statusCode).toBe(200);
    const user = JSON.parse(loadFixture('text-bsuid-only')).entry[0].changes[0].value.messages[0].from_user_id as string;
    await until(() => fake.messagesTo(user).length >= 2, 'the welcome and the menu');
    expect(fake.messagesTo(user)[0]).toMatchObject({ recipient: user });
    expect(fake.messagesTo(user)[0]).not.toHaveProperty('to');
  });

  it('handles the same delivery three times once', async () => {
    const body = textFrom('ID.100000000000000002', 'halo', 'wamid.dup1');
    for (let i = 0; i < 3; i++) expect((await post(body)).statusCode).toBe(200);
    await until(() => fake.messagesTo('ID.100000000000000002').length >= 2, 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messagesTo('ID.100000000000000002')).toHaveLength(2);
  });

  it('keeps a person the same when a later message carries both the user id and the phone number', async () => {
    await post(textFrom('ID.100000000000000003', 'halo', 'wamid.both0'));
    await post(textFrom('ID.100000000000000003', 'cek', 'wamid.both1'));
    await post(textFrom('ID.100000000000000003', 'kamboja', 'wamid.both2', '6281299990003'));
    await until(() => fake.textsTo('ID.100000000000000003').some((t) => t.includes('Pekerjaannya apa?')), 'the second question');
    const stored = await app.waspada.store.loadConversation({ channel: 'whatsapp', id: 'ID.100000000000000003' });
    expect(JSON.parse(app.waspada.store.sealer.open(stored.session ?? '{}')).answers).toEqual({ menu: 'check', destination: 'mekong' });
  });

  it('answers several messages of several people in one delivery', async () => {
    const res = await post(loadFixture('several-messages'));
    expect(res.statusCode).toBe(200);
    expect(res.json<{ received: number }>().received).toBeGreaterThanOrEqual(2);
    await until(() => new Set(fake.sent.map((m) => m.recipient ?? m.to)).size >= 2, 'replies to two people');
  });

  it.each(['image-with-caption', 'audio-voice', 'video', 'document', 'sticker', 'location', 'contacts', 'reaction', 'unsupported'])(
    'gives a kind reply to a %s message',
    async (name) => {
      // Start a check first so that the media arrives in the middle of a question.
      const user = `ID.2000000000000000${String(fixtureNames().indexOf(name)).padStart(2, '0')}`;
      await post(textFrom(user, 'halo', `wamid.${name}.0`));
      await post(textFrom(user, 'cek', `wamid.${name}.1`));
      await until(() => fake.textsTo(user).some((t) => t.includes('negara mana')), 'the first question');
      const before = fake.messagesTo(user).length;
      const body = loadFixture(name).replaceAll(BSUID, user).replace(/"id": "wamid\.[^"]+"/, `"id": "wamid.${name}.2"`);
      expect((await post(body)).statusCode).toBe(200);
      if (name === 'image-with-caption') {
        // The caption ("Lowongan kerja di Kamboja…") answers the question: the check goes on.
        await until(() => fake.textsTo(user).at(-1)?.includes('Pekerjaannya apa?') ?? false, 'the next question');
      } else {
        await until(() => fake.messagesTo(user).length >= before + 2, 'the kind reply and the question again');
        expect(fake.textsTo(user).at(-2)).toMatch(/Maaf|Terima kasih/);
        expect(fake.textsTo(user).at(-1)).toContain('negara mana');
      }
      expect(rejected()).toEqual([]);
    },
  );

  it('sends nothing for statuses, group messages and unknown types, and answers 200', async () => {
    for (const name of ['statuses-failed', 'group-message', 'unknown-type']) {
      const res = await post(loadFixture(name));
      expect(res.statusCode).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests).toEqual([]);
  });

  it('does not take a message that arrived hours late as an answer', async () => {
    await post(textFrom(BSUID, 'cek', 'wamid.late0'));
    await until(() => fake.textsTo(BSUID).some((t) => t.includes('negara mana')), 'the first question');
    fake.reset();
    expect((await post(loadFixture('stale-text'))).statusCode).toBe(200);
    await until(() => fake.messagesTo(BSUID).length >= 2, 'the late reply');
    expect(fake.textsTo(BSUID)[0]).toMatch(/baru sampai/);
  });

  it('runs a whole check to a high result by tapping buttons, in Indonesian and in English', async () => {
    for (const [user, lang] of [['ID.300000000000000001', 'id'], ['ID.300000000000000002', 'en']] as const) {
      let n = 0;
      const send = async (body: string) => expect((await post(body)).statusCode).toBe(200);
      await send(textFrom(user, 'halo', `wamid.${user}.${n++}`));
      await until(() => lastOptionIds(user).length > 0, 'the menu');
      if (lang === 'en') {
        let before = JSON.stringify(lastOptionIds(user));
        await send(textFrom(user, 'language', `wamid.${user}.${n++}`));
        await until(() => JSON.stringify(lastOptionIds(user)) !== before, 'the language question');
        before = JSON.stringify(lastOptionIds(user));
        await send(replyFrom(user, lastOptionIds(user).find((id) => id.endsWith('|en')) ?? '', `wamid.${user}.${n++}`));
        await until(() => JSON.stringify(lastOptionIds(user)) !== before, 'the menu in English');
      }
      // Saudi Arabia, household work, a private household, a calo, umrah visa: high.
      const path = ['check', 'saudi', 'domestic', 'private_household', 'individual', 'umrah', 'later', 'loan', 'yes', 'yes', 'none', 'no', 'secret'];
      for (const option of path) {
        const before = JSON.stringify(lastOptionIds(user));
        const id = lastOptionIds(user).find((x) => x.endsWith(`|${option}`));
        expect(id, `an option "${option}" in the last question`).toBeDefined();
        await send(replyFrom(user, id ?? '', `wamid.${user}.${n++}`));
        // After "a calo" comes the one question typed, not pressed: the recruiter's number or agency.
        if (option === 'individual') {
          await until(() => fake.textsTo(user).some((t) => /perekrut, atau apa nama agensinya|name of the agency/.test(t)), 'the question about the recruiter');
          await send(textFrom(user, lang === 'id' ? 'tidak tahu' : "don't know", `wamid.${user}.${n++}`));
        }
        // The next question has arrived when the buttons on screen are those of another question.
        await until(() => JSON.stringify(lastOptionIds(user)) !== before, `the question after ${option}`);
      }
      const texts = fake.textsTo(user).join('\n');
      expect(texts).toMatch(lang === 'id' ? /Risiko TINGGI/ : /HIGH risk/);
      expect(texts).toContain('0800-1000');
      expect(lastOptionIds(user)).toEqual(['pending.consent|yes', 'pending.consent|no']);
    }
    expect(rejected()).toEqual([]);
  });

  it('retries when Meta throttles, and reports a closed 24-hour window without retrying', async () => {
    fake.failNext(2, 'rate-limit');
    await post(textFrom('ID.400000000000000001', 'halo', 'wamid.rl1'));
    await until(() => fake.messagesTo('ID.400000000000000001').length >= 2, 'delivery after the throttling', 15_000);
    expect(fake.requests.filter((r) => r.outcome.kind === 'rejected' && r.outcome.code === 130429)).toHaveLength(2);

    fake.reset();
    fake.failNext(1, 'outside-window');
    await post(textFrom('ID.400000000000000002', 'halo', 'wamid.ow1'));
    await until(() => fake.requests.length >= 2, 'the next message');
    await new Promise((r) => setTimeout(r, 1000));
    // The refused message was not retried; the next one (the menu) went out normally.
    expect(fake.requests.map((r) => r.outcome.kind)).toEqual(['rejected', 'accepted']);
    expect(fake.requests[0]?.outcome).toMatchObject({ kind: 'rejected', code: 131047 });
    expect(fake.requests[1]?.body).not.toEqual(fake.requests[0]?.body);
    expect(await app.waspada.store.outboxDepth()).toBe(0);
  });
});
