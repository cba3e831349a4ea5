/**
 * The hotline staff group on Telegram, end to end: people write on WhatsApp (signed webhooks into
 * the real app, replies read from the fake Graph API), staff work in a forum supergroup of the
 * fake Bot API (topics, cards, buttons, getChatMember), and the app's own outbox worker carries
 * everything between them. One run on the in-memory store, the whole path once more on Redis.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Store } from '../../src/storage/store.js';
import { signWebhook } from '../channels/whatsapp/fixtures/load.js';
import { startFakeBotApi, type FakeBotApi, type FakeMessage, type FakeUser } from '../support/fakeBotApi.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { startRedis, type RedisServer } from '../support/redisServer.js';
import { Api } from 'grammy';
import { createTelegramStaffGroup } from '../../src/handoff/telegramStaffGroup.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createRedisStore } from '../../src/storage/redis.js';
import { realEngine } from '../support/content.js';
import { testDataKeys } from '../support/dataKey.js';

const TOKEN = '6100000001:AAtest-token_for-waspada';
const TG_SECRET = 'test-webhook-secret';
const WA_SECRET = 'test-app-secret';
const PHONE_ID = '106540352242922';
const GROUP = -1001555000111;
const OTHER_GROUP = -1001987654321;
const TEMPLATE = 'kembali_hubungi';

const sari: FakeUser = { id: 5001, first_name: 'Sari', last_name: 'Wulandari' };
const budi: FakeUser = { id: 5002, first_name: 'Budi', username: 'budi_hotline' };
const stranger: FakeUser = { id: 5003, first_name: 'Orang', last_name: 'Asing' };

let bot: FakeBotApi;
let graph: FakeGraphApi;
let app: FastifyInstance;
let clock = Date.now();
let updateId = 700_000;
let messageCounter = 0;

beforeAll(async () => {
  bot = await startFakeBotApi({ token: TOKEN });
  graph = await startFakeGraphApi({ token: 'test-access-token', phoneNumberId: PHONE_ID, templates: [{ name: TEMPLATE, language: 'id' }] });
});
afterAll(async () => {
  await bot.close();
  await graph.close();
});

/** Builds the app with WhatsApp, Telegram and the staff group, on the given store (memory by default). */
async function start(store?: Store): Promise<void> {
  clock = Date.now();
  bot.reset();
  graph.reset();
  bot.addForum(GROUP);
  bot.setChatMember(GROUP, sari, 'administrator');
  bot.setChatMember(GROUP, budi, 'member');
  app = await buildApp({
    config: parseConfig({
      LOG_LEVEL: 'silent',
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
      WHATSAPP_GRAPH_URL: graph.url,
      WHATSAPP_REOPEN_TEMPLATE: TEMPLATE,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: bot.url,
      // A group gets a third of this: 20 posts a second, so the tests stay quick.
      TELEGRAM_CHAT_MPS: '60',
      HOTLINE_TELEGRAM_CHAT_ID: String(GROUP),
      HOTLINE_CLAIM_MINUTES: '10',
    }),
    now: () => clock,
    ...(store ? { store } : {}),
  });
  await app.ready();
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(bot.calls.filter((c) => c.outcome.kind !== 'ok' || /sendMessage|editMessage/.test(c.method)).map((c) => [c.method, c.params.text, c.outcome.kind === 'error' ? c.outcome.description : '']))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A person writes on WhatsApp (a signed webhook, as Meta sends it). */
async function wa(userId: string, text: string): Promise<void> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
      contacts: [{ profile: { name: 'Test' }, user_id: userId }],
      messages: [{ id: `wamid.staff-test-${++messageCounter}`, timestamp: String(Math.floor(clock / 1000)), type: 'text', text: { body: text }, from_user_id: userId }],
    } }] }],
  });
  const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, WA_SECRET) }, payload: body });
  expect(res.statusCode).toBe(200);
}

/** Posts a Telegram update; the webhook always answers 200. */
async function tg(update: Record<string, unknown>): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: JSON.stringify({ update_id: ++updateId, ...update }) });
  expect(res.statusCode).toBe(200);
}

/** A staff member writes in a topic of a group (or in General without a topic). */
const say = (from: FakeUser, text: string, topic?: number, chat = GROUP) =>
  tg({
    message: {
      message_id: 90_000 + updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'supergroup', title: 'Hotline', is_forum: true },
      from: { is_bot: false, ...from },
      ...(topic !== undefined ? { message_thread_id: topic, is_topic_message: true } : {}),
      text,
    },
  });

/** The case's card in its topic: the bot's message with the case's buttons (or its first message). */
function card(topic: number): FakeMessage {
  const inTopic = bot.messagesIn(GROUP).filter((m) => m.message_thread_id === topic && m.sender === 'bot' && m.text !== undefined);
  const found = inTopic.find((m) => m.text?.startsWith('📋'));
  if (!found) throw new Error(`no card in topic ${topic}`);
  return found;
}

/** A staff member presses the card's button whose data ends with `|<action>`. */
async function press(from: FakeUser, topic: number, action: string): Promise<void> {
  const c = card(topic);
  const button = (c.reply_markup?.inline_keyboard ?? []).flat().map((b) => b as { callback_data?: string }).find((b) => b.callback_data?.endsWith(`|${action}`));
  if (!button?.callback_data) throw new Error(`no "${action}" button on the card: ${JSON.stringify(c.reply_markup)}`);
  await tg({
    callback_query: {
      id: `cb${updateId}`,
      from: { is_bot: false, ...from },
      chat_instance: '42',
      data: button.callback_data,
      message: { message_id: c.message_id, date: c.date, chat: { id: GROUP, type: 'supergroup' }, message_thread_id: topic, is_topic_message: true },
    },
  });
}

/** The one topic whose name starts with the case id, once it exists. */
async function topicOf(caseId: string): Promise<number> {
  await until(() => bot.topicsOf(GROUP).some((t) => t.name.startsWith(`#${caseId}`)), `the topic of #${caseId}`);
  await until(() => bot.messagesIn(GROUP).some((m) => m.text?.startsWith('📋')), 'the card');
  const topics = bot.topicsOf(GROUP).filter((t) => t.name.startsWith(`#${caseId}`));
  expect(topics).toHaveLength(1);
  return topics[0]?.message_thread_id ?? 0;
}

const topicTexts = (topic: number) => bot.textsInTopic(GROUP, topic);
const answers = () => bot.callsOf('answerCallbackQuery').map((c) => c.params.text as string | undefined);

async function onlyCase(status?: 'open' | 'claimed'): Promise<{ id: string; priority: string }> {
  await until(async () => (await app.waspada.hotline.cases.list(status ? { status } : {})).length > 0, 'a case');
  const [c] = await app.waspada.hotline.cases.list(status ? { status } : {});
  if (!c) throw new Error('no case');
  return c;
}

/** A person writes "sos" on WhatsApp: an urgent case and its topic. */
async function urgentCase(person: string): Promise<{ id: string; topic: number }> {
  await wa(person, 'sos');
  const c = await onlyCase();
  return { id: c.id, topic: await topicOf(c.id) };
}

/** A whole high-risk check on WhatsApp ("admin" work in Cambodia), and "ya" to the offer of staff. */
async function highRiskCheckAndConsent(person: string): Promise<void> {
  for (const text of ['halo', '1', 'kamboja', 'admin', 'Perusahaan, sudah dicek', 'tidak tahu', 'visa kerja', 'ya sudah', 'tidak', 'gak', 'Tidak.', 'iya', 'tidak', 'tidak ada']) await wa(person, text);
  await until(() => graph.textsTo(person).some((t) => /tidak melihat nomor HP/.test(t)), 'the consent question');
  await wa(person, 'ya');
}

/** The path of issue 6: check → consent → topic → claim → both ways → close. */
async function wholePath(person: string): Promise<void> {
  await highRiskCheckAndConsent(person);
  const c = await onlyCase();
  expect(c.priority).toBe('high');
  const topic = await topicOf(c.id);
  expect(bot.topicsOf(GROUP).find((t) => t.message_thread_id === topic)?.name).toBe(`#${c.id} high high`);

  // The card: why, how serious, signs, answers, language, channel, when; never the person's address.
  const first = card(topic);
  expect(first.text).toContain(`Kasus #${c.id}`);
  expect(first.text).toMatch(/cek tawaran kerja berisiko tinggi/);
  expect(first.text).toContain('scam_hub_offer');
  expect(first.text).toMatch(/destination: mekong/);
  expect(first.text).toMatch(/Bahasa: Bahasa Indonesia \(id\)/);
  expect(first.text).toMatch(/Saluran: WhatsApp/);
  expect(first.text).toMatch(/Dibuka: \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Jakarta\)/);
  expect(first.text).not.toContain(person);
  const buttons = (first.reply_markup?.inline_keyboard ?? []).flat().map((b) => (b as { callback_data: string }).callback_data);
  expect(buttons).toEqual([`c|${c.id}|claim`, `c|${c.id}|close`, `c|${c.id}|unmute`]);
  expect(buttons.every((d) => Buffer.byteLength(d) <= 64)).toBe(true);

  // Budi claims: the person hears it, the card says who, the topic gets a line.
  await press(budi, topic, 'claim');
  await until(() => graph.textsTo(person).some((t) => /sedang menangani kasus Anda/.test(t)), 'the claim told to the person');
  await until(() => topicTexts(topic).some((t) => t.includes('Ditangani oleh Budi (@budi_hotline)')), 'the claim in the topic');
  expect(answers()).toContain(`Anda menangani kasus #${c.id}.`);
  expect(card(topic).text).toContain('Status: ditangani oleh Budi (@budi_hotline)');
  expect((card(topic).reply_markup?.inline_keyboard ?? []).flat().map((b) => (b as { callback_data: string }).callback_data)).not.toContain(`c|${c.id}|claim`);

  // Sari cannot claim it again: the refusal is shown to her.
  await press(sari, topic, 'close'); // the card now shows the outcomes
  await tg({ callback_query: { id: 'cb-again', from: { is_bot: false, ...sari }, chat_instance: '42', data: `c|${c.id}|claim`, message: { message_id: card(topic).message_id, date: 0, chat: { id: GROUP, type: 'supergroup' } } } });
  await until(() => answers().some((a) => a?.includes('already claimed by Budi (@budi_hotline)')), 'the refusal');
  await press(sari, topic, 'back');
  await until(() => (card(topic).reply_markup?.inline_keyboard ?? []).flat().some((b) => (b as { callback_data: string }).callback_data.endsWith('|unmute')), 'the card buttons back');

  // The person writes: the topic gets it.
  await wa(person, 'Saya takut, paspor saya ditahan agen');
  await until(() => topicTexts(topic).some((t) => t.includes('Saya takut, paspor saya ditahan agen')), 'the person in the topic');

  // Sari writes in the topic: the person receives it; the topic does not echo it.
  await say(sari, 'Halo, saya Sari dari hotline. Anda di kota mana?', topic);
  await until(() => graph.textsTo(person).some((t) => t.includes('Halo, saya Sari dari hotline')), 'the staff reply on WhatsApp');
  expect(topicTexts(topic).filter((t) => t.includes('Halo, saya Sari'))).toEqual([]);

  // A reply from the console is shown in the topic, with the name.
  await app.waspada.hotline.reply(c.id, 'Kami akan menghubungi KBRI.', { name: 'Rina', via: 'console' });
  await until(() => topicTexts(topic).some((t) => t.includes('Rina (konsol):\nKami akan menghubungi KBRI.')), 'the console reply in the topic');

  // Close → referred: the person is back with the bot and the menu, the topic is closed.
  await press(sari, topic, 'close');
  await until(() => (card(topic).reply_markup?.inline_keyboard ?? []).flat().some((b) => (b as { callback_data: string }).callback_data.endsWith('|x:referred')), 'the outcomes');
  await press(sari, topic, 'x:referred');
  await until(() => graph.textsTo(person).some((t) => /sudah menutup kasus Anda/.test(t)), 'the closed message');
  await until(() => bot.topicsOf(GROUP).find((t) => t.message_thread_id === topic)?.closed === true, 'the topic closed');
  expect(graph.textsTo(person).at(-1)).toMatch(/Pilih salah satu|pilih/i);
  expect(topicTexts(topic).some((t) => t.includes('Sari Wulandari menutup kasus: dirujuk'))).toBe(true);
  expect(card(topic).text).toContain('Status: ditutup (dirujuk)');
  expect(card(topic).reply_markup).toBeUndefined();

  const closed = await app.waspada.hotline.cases.get(c.id);
  expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', claimedBy: 'Budi (@budi_hotline)' });
  const audit = (await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.by.kind === 'staff').map((e) => [e.type, e.by]);
  expect(audit).toEqual([
    ['claimed', { kind: 'staff', name: 'Budi (@budi_hotline)', via: 'telegram' }],
    ['message', { kind: 'staff', name: 'Sari Wulandari', via: 'telegram' }],
    ['message', { kind: 'staff', name: 'Rina', via: 'console' }],
    ['closed', { kind: 'staff', name: 'Sari Wulandari', via: 'telegram' }],
  ]);
  // One topic, one card: no retry opened a second one.
  expect(bot.callsOf('createForumTopic')).toHaveLength(1);
}

describe('the staff group (in-memory store)', () => {
  beforeEach(() => start());
  afterEach(() => app.close());

  it('a high-risk WhatsApp check becomes a topic; staff claim, talk both ways and close it', async () => {
    await wholePath('ID.1000000000000000001');
  });

  it('an emergency word opens an urgent case and topic without asking consent', async () => {
    const person = 'ID.1000000000000000002';
    await wa(person, 'halo');
    await wa(person, 'tolong saya dikurung');
    const c = await onlyCase();
    expect(c.priority).toBe('urgent');
    const topic = await topicOf(c.id);
    expect(bot.topicsOf(GROUP).find((t) => t.message_thread_id === topic)).toMatchObject({ name: `#${c.id} urgent`, icon_color: 0xfb6f5f });
    expect(card(topic).text).toMatch(/DARURAT/);
    expect(graph.textsTo(person).some((t) => /tidak melihat nomor HP/.test(t))).toBe(false);
  });

  it('announces an unclaimed urgent case again in its topic after HOTLINE_CLAIM_MINUTES', async () => {
    const { topic, ...c } = await urgentCase('ID.1000000000000000003');
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(0);
    clock += 11 * 60_000;
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(1);
    await until(() => topicTexts(topic).some((t) => t.startsWith('🚨 MENDESAK: sudah 11 menit')), 'the reminder');
    // Claimed, it is not announced again.
    await press(sari, topic, 'claim');
    await until(async () => (await app.waspada.hotline.cases.get(c.id))?.status === 'claimed', 'the claim');
    clock += 11 * 60_000;
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(0);
  });

  it('tells staff at once when a reply cannot go out because the WhatsApp window closed, and invites the person back once', async () => {
    const person = 'ID.1000000000000000004';
    await wa(person, 'halo');
    await wa(person, '4'); // talk to a person
    await until(() => graph.textsTo(person).some((t) => /tidak melihat nomor HP/.test(t)), 'the consent question');
    await wa(person, 'ya');
    const c = await onlyCase();
    const topic = await topicOf(c.id);
    await until(() => graph.textsTo(person).some((t) => t.includes(`#${c.id}`)), 'the case number on WhatsApp');

    graph.closeWindow(person);
    await say(budi, 'Apakah Anda masih di sana?', topic);
    await until(() => topicTexts(topic).some((t) => t.startsWith('⚠️ Tidak terkirim: jendela 24 jam WhatsApp')), 'the notice in the topic');
    expect(topicTexts(topic).find((t) => t.startsWith('⚠️ Tidak terkirim: jendela 24 jam'))).toMatch(/template WhatsApp/);
    const failed = (await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.type === 'delivery_failed');
    expect(failed).toEqual([expect.objectContaining({ by: { kind: 'bot' }, text: 'whatsapp_window_closed' })]);
    await until(() => graph.messagesTo(person).some((m) => m.type === 'template'), 'the template');
    expect(graph.messagesTo(person).filter((m) => m.type === 'template')).toEqual([
      expect.objectContaining({ type: 'template', template: { name: TEMPLATE, language: { code: 'id' } } }),
    ]);

    // A second refused reply: staff are told again, the person is not invited twice.
    await say(budi, 'Halo?', topic);
    await until(() => topicTexts(topic).filter((t) => t.startsWith('⚠️ Tidak terkirim: jendela 24 jam')).length === 2, 'the second notice');
    expect(graph.messagesTo(person).filter((m) => m.type === 'template')).toHaveLength(1);
  });

  it('also tells staff when WhatsApp accepts a reply and refuses it later, in a failed status', async () => {
    const person = 'ID.1000000000000000009';
    const { topic, ...c } = await urgentCase(person);
    await say(sari, 'Apakah Anda aman sekarang?', topic);
    await until(() => graph.textsTo(person).some((t) => t.includes('Apakah Anda aman sekarang?')), 'the reply accepted');
    const wamid = graph.sentWithIds.find((m) => graph.messagesTo(person).includes(m.body) && JSON.stringify(m.body).includes('Apakah Anda aman'))?.id ?? '';
    const failed = (id: string) => JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
        statuses: [{ id, status: 'failed', timestamp: String(Math.floor(clock / 1000)), recipient_id: person, errors: [{ code: 131047, title: 'Re-engagement message' }] }],
      } }] }],
    });
    // Meta may send the same status twice; a message that is not a case's is only logged.
    for (const id of [wamid, wamid, 'wamid.not-a-case-message']) {
      const body = failed(id);
      const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, WA_SECRET) }, payload: body });
      expect(res.statusCode).toBe(200);
    }
    await until(() => topicTexts(topic).some((t) => t.startsWith('⚠️ Tidak terkirim: jendela 24 jam WhatsApp')), 'the notice in the topic');
    await until(() => graph.messagesTo(person).some((m) => m.type === 'template'), 'the template');
    await new Promise((r) => setTimeout(r, 100));
    expect((await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.type === 'delivery_failed')).toHaveLength(1);
    expect(graph.messagesTo(person).filter((m) => m.type === 'template')).toHaveLength(1);
  });

  it('ignores a non-member’s button, bots, the General topic and other groups', async () => {
    const person = 'ID.1000000000000000005';
    const { topic, ...c } = await urgentCase(person);
    const received = graph.textsTo(person).length;

    await press(stranger, topic, 'claim');
    await until(() => bot.callsOf('answerCallbackQuery').length === 1, 'the press answered');
    expect(answers()).toEqual([undefined]);
    expect(bot.callsOf('getChatMember').map((call) => call.params.user_id)).toEqual([stranger.id]);

    await say(stranger, 'Saya bukan petugas', topic);
    await say({ id: 6200000001, first_name: 'Another bot', is_bot: true }, 'otomatis', topic);
    await say(sari, 'Catatan di General', undefined);
    await say(sari, 'Di grup lain', topic, OTHER_GROUP);
    await tg({ message: { message_id: 5, date: Math.floor(Date.now() / 1000), chat: { id: OTHER_GROUP, type: 'supergroup' }, from: { id: sari.id, is_bot: false, first_name: 'Sari' }, text: 'halo' } });
    await tg({ callback_query: { id: 'cb-other', from: { is_bot: false, ...sari }, chat_instance: '1', data: `c|${c.id}|claim`, message: { message_id: 1, date: 0, chat: { id: OTHER_GROUP, type: 'supergroup' } } } });
    await new Promise((r) => setTimeout(r, 150));

    expect((await app.waspada.hotline.cases.get(c.id))?.status).toBe('open');
    const staffEntries = (await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.by.kind === 'staff');
    expect(staffEntries).toEqual([]);
    expect(graph.textsTo(person)).toHaveLength(received);
    // The same update delivered twice is relayed once.
    const again = { message: { message_id: 77, date: Math.floor(Date.now() / 1000), chat: { id: GROUP, type: 'supergroup' }, from: { is_bot: false, ...sari }, message_thread_id: topic, is_topic_message: true, text: 'Sekali saja' } };
    const body = JSON.stringify({ update_id: 123_456_789, ...again });
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: body });
      expect(res.statusCode).toBe(200);
    }
    await until(() => graph.textsTo(person).some((t) => t.includes('Sekali saja')), 'the reply');
    await new Promise((r) => setTimeout(r, 100));
    expect(graph.textsTo(person).filter((t) => t.includes('Sekali saja'))).toHaveLength(1);
  });

  it('explains in the topic a reply that cannot reach the person, and media that cannot be relayed', async () => {
    const person = 'ID.1000000000000000006';
    const { topic } = await urgentCase(person);
    await wa(person, 'selesai');
    await until(() => topicTexts(topic).some((t) => t.startsWith('🚪')), 'the person left');
    await say(sari, 'Halo?', topic);
    await until(() => topicTexts(topic).some((t) => t.startsWith('⚠️ Tidak terkirim:') && t.includes('left the conversation')), 'the refusal in the topic');
    await tg({ message: { message_id: 9, date: Math.floor(Date.now() / 1000), chat: { id: GROUP, type: 'supergroup' }, from: { is_bot: false, ...sari }, message_thread_id: topic, is_topic_message: true, photo: [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }] } });
    await until(() => topicTexts(topic).some((t) => t.includes('hanya teks')), 'the media notice');
  });
});

describe('the staff group keeps one topic per case', () => {
  beforeEach(() => start());
  afterEach(() => app.close());

  it('a retried case.opened posts the card in the topic it already opened', async () => {
    const group = createTelegramStaffGroup({ api: new Api(TOKEN, { apiRoot: bot.url }), pace: async () => undefined, chatId: String(GROUP), store: createMemoryStore(), t: realEngine().t, lang: 'en', reopenTemplate: false, log: { info: () => undefined, warn: () => undefined } });
    const opened = { kind: 'event' as const, channel: 'hotline-telegram', to: 'K7M4QX', event: { type: 'case.opened', delivery: 'd1', at: 1, case: { id: 'K7M4QX', status: 'open', priority: 'normal', summary: { reason: 'asked_for_person', signs: [], answers: {}, lang: 'id', channel: 'web' }, openedAt: 1, botMuted: true, personPresent: true } } };
    bot.failNext(1, 'network', { method: 'sendMessage' });
    await expect(group.onEvent(opened)).rejects.toThrow();
    await group.onEvent(opened);
    await group.onEvent(opened);
    expect(bot.topicsOf(GROUP).map((t) => t.name)).toEqual(['#K7M4QX normal']);
    expect(bot.messagesIn(GROUP).filter((m) => m.text?.startsWith('📋'))).toHaveLength(1);
    expect(await group.caseOfTopic(bot.topicsOf(GROUP)[0]?.message_thread_id ?? 0)).toBe('K7M4QX');
  });

  it('opens a new topic, with its card, when staff deleted the case’s topic', async () => {
    const person = 'ID.1000000000000000007';
    const { topic, ...c } = await urgentCase(person);
    await fetch(`${bot.url}/bot${TOKEN}/deleteForumTopic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: GROUP, message_thread_id: topic }) });
    await wa(person, 'Saya di Phnom Penh');
    await until(() => bot.topicsOf(GROUP).some((t) => t.message_thread_id !== topic && t.name.startsWith(`#${c.id}`)), 'a new topic');
    const again = bot.topicsOf(GROUP).find((t) => t.name.startsWith(`#${c.id}`))?.message_thread_id ?? 0;
    await until(() => topicTexts(again).some((t) => t.includes('Saya di Phnom Penh')), 'the message in the new topic');
    expect(card(again).text).toContain(`#${c.id}`);
  });

  it('deletes the topic with everything the person wrote when they erase their data', async () => {
    const person = 'ID.1000000000000000008';
    const { topic, ...c } = await urgentCase(person);
    await wa(person, 'Nama agen saya Pak Joko');
    await until(() => topicTexts(topic).some((t) => t.includes('Pak Joko')), 'the message in the topic');
    await wa(person, 'hapus');
    await wa(person, 'ya');
    await until(() => bot.topicsOf(GROUP).length === 0, 'the topic deleted');
    expect(bot.messagesIn(GROUP).some((m) => m.text?.includes('Joko'))).toBe(false);
    await until(() => bot.messagesIn(GROUP).some((m) => m.message_thread_id === undefined && m.text === `🗑 Orang tersebut menghapus datanya: kasus #${c.id} ditutup dan isinya dihapus.`), 'the notice in General');
  });
});

describe('the staff group on Redis', () => {
  let redis: RedisServer;
  let store: ReturnType<typeof createRedisStore>;
  beforeAll(async () => {
    redis = await startRedis();
    store = createRedisStore({ url: redis.url, dataKeys: testDataKeys });
    await store.ready();
  });
  afterAll(async () => {
    await store.close();
    await redis.stop();
  });
  afterEach(() => app.close());

  it('runs the whole path with cases, topics and the outbox in Redis', async () => {
    await start(store);
    await wholePath('ID.1000000000000000011');
  });
});
