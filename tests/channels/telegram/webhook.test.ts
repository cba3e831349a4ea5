/**
 * The Telegram channel end to end: updates posted to the real app with the secret header,
 * replies read from a fake Bot API on loopback that grammY talks to through `apiRoot`.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.js';
import { FIXTURE_CHAT_ID, loadUpdate } from './fixtures/load.js';

const TOKEN = '6100000001:AAtest-token_for-waspada';
const SECRET = 'test-webhook-secret';

let fake: FakeBotApi;
let app: FastifyInstance;
let updateId = 900_000_000;

beforeAll(async () => {
  fake = await startFakeBotApi({ token: TOKEN });
  app = await buildApp({
    config: parseConfig({
      HOTLINE: 'on',
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      // Faster than Telegram's one a second per chat, so the whole checks below stay quick;
      // the pacing itself is tested with the real default in tests/channels/telegram/pacing.test.ts.
      TELEGRAM_CHAT_MPS: '50',
    }),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const post = (body: string, secret: string | null = SECRET) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    payload: body,
  });

/** A private text message from `chat`, as Telegram sends it. */
function text(chat: number, body: string, lang = 'id'): string {
  const id = ++updateId;
  return JSON.stringify({
    update_id: id,
    message: { message_id: id % 100_000, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private', first_name: 'T' }, from: { id: chat, is_bot: false, first_name: 'T', language_code: lang }, text: body },
  });
}

/** A button press on the last keyboard sent to `chat`, choosing the option whose data ends with `|option`. */
function press(chat: number, option: string): string {
  const keyboard = fake.keyboardOf(chat) ?? [];
  const button = keyboard.flat().find((b) => b.callback_data?.endsWith(`|${option}`));
  if (!button?.callback_data) throw new Error(`no button "${option}" in ${JSON.stringify(keyboard)}`);
  const message = fake.messagesIn(chat).filter((m) => m.reply_markup).at(-1);
  return JSON.stringify({
    update_id: ++updateId,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: chat, is_bot: false, first_name: 'T' },
      chat_instance: '1',
      data: button.callback_data,
      message: { message_id: message?.message_id ?? 1, date: message?.date ?? 0, chat: { id: chat, type: 'private' } },
    },
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Posts and waits until the bot has sent at least one more message to the chat. */
async function exchange(chat: number, body: string): Promise<string[]> {
  const before = fake.textsTo(chat).length;
  expect((await post(body)).statusCode).toBe(200);
  await until(() => fake.textsTo(chat).length > before, 'a reply');
  await new Promise((r) => setTimeout(r, 60)); // the rest of a multi-message reply
  return fake.textsTo(chat).slice(before);
}

describe('POST /webhooks/telegram', () => {
  it('refuses a missing or wrong secret with 401 and stores nothing', async () => {
    for (const secret of [null, '', 'wrong-secret', `${SECRET}x`]) {
      const res = await post(loadUpdate('text'), secret);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_UNAUTHORIZED' } });
    }
    expect((await app.waspada.store.loadConversation({ channel: 'telegram', id: String(FIXTURE_CHAT_ID) })).version).toBe(0);
  });

  it('refuses a malformed update with 400', async () => {
    const res = await post(loadUpdate('malformed'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'WSP_BAD_REQUEST' } });
  });

  it('greets a first message with the welcome and a menu keyboard tagged with its question', async () => {
    const replies = await exchange(FIXTURE_CHAT_ID, loadUpdate('text'));
    expect(replies[0]).toMatch(/Waspada/);
    await until(() => (fake.keyboardOf(FIXTURE_CHAT_ID)?.length ?? 0) > 0, 'the menu');
    expect(fake.keyboardOf(FIXTURE_CHAT_ID)?.flat().map((b) => b.callback_data)).toEqual([
      'menu.choose|check', 'menu.choose|report', 'menu.choose|abroad', 'menu.choose|person', 'menu.choose|language',
    ]);
    expect(fake.callsOf('sendMessage').every((c) => c.params.parse_mode === undefined)).toBe(true);
  });

  it('handles the same update three times once', async () => {
    const body = text(700000100, 'halo');
    for (let i = 0; i < 3; i++) expect((await post(body)).statusCode).toBe(200);
    await until(() => fake.textsTo(700000100).length >= 2, 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.textsTo(700000100)).toHaveLength(2);
  });

  it.each([
    ['start-check', /negara mana/],
    ['start-report', /melapor/],
    ['start-abroad', /aman sekarang/],
    ['start-sos', /bahaya/],
    ['start-unknown', /Waspada/],
    ['start', /Waspada/],
  ])('starts the flow of the deep link %s', async (name, expected) => {
    // A chat of its own per deep link: a paced reply of one must not land in the next one's exchange.
    const chat = 700000200 + ['start-check', 'start-report', 'start-abroad', 'start-sos', 'start-unknown', 'start'].indexOf(name);
    const body = loadUpdate(name).replaceAll(String(FIXTURE_CHAT_ID), String(chat));
    const replies = await exchange(chat, body);
    expect(replies.join('\n')).toMatch(expected);
  });

  it.each(['photo', 'voice', 'video', 'document', 'sticker', 'location', 'contact', 'edited-message'])('gives a kind reply to %s', async (name) => {
    const chat = 700000300 + name.length * 7;
    await exchange(chat, text(chat, 'halo'));
    const replies = await exchange(chat, loadUpdate(name, { updateId: ++updateId }).replaceAll(String(FIXTURE_CHAT_ID), String(chat)));
    expect(replies[0]).toMatch(/Maaf|Terima kasih/);
  });

  it('ignores groups, channels and update types it does not handle', async () => {
    for (const name of ['group-message', 'channel-post', 'unknown-update']) expect((await post(loadUpdate(name))).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsOf('sendMessage')).toEqual([]);
  });

  it('runs a whole check by buttons to a high result, in Indonesian and in English, answering every press', async () => {
    for (const [chat, lang] of [[700000401, 'id'], [700000402, 'en']] as const) {
      await exchange(chat, text(chat, 'halo', lang));
      const path = ['check', 'saudi', 'domestic', 'private_household', 'individual', 'umrah', 'later', 'loan', 'yes', 'yes', 'none', 'no', 'secret'];
      for (const option of path) {
        // Wait for the question that offers this option (a reply can be several paced messages).
        await until(() => (fake.keyboardOf(chat) ?? []).flat().some((b) => b.callback_data?.endsWith(`|${option}`) ?? false), `the buttons for ${option}`);
        await exchange(chat, press(chat, option));
        // After "a calo" comes the one question typed, not pressed: the recruiter's number or agency.
        if (option === 'individual') {
          await until(() => fake.textsTo(chat).some((t) => /perekrut, atau apa nama agensinya|name of the agency/.test(t)), 'the question about the recruiter');
          await exchange(chat, text(chat, lang === 'id' ? 'tidak tahu' : "don't know", lang));
        }
      }
      await until(() => (fake.keyboardOf(chat) ?? []).flat().some((b) => b.callback_data === 'pending.consent|yes'), 'the offer of hotline staff (the consent question)');
      const all = fake.textsTo(chat).join('\n');
      expect(all).toMatch(lang === 'id' ? /Risiko TINGGI/ : /HIGH risk/);
      expect(all).toContain('0800-1000');
    }
    // Every press was answered, and every answered question lost its keyboard.
    expect(fake.callsOf('answerCallbackQuery').length).toBe(26);
    const pressed = fake.callsOf('answerCallbackQuery').length;
    const edited = new Set(fake.callsOf('editMessageReplyMarkup').map((c) => `${String(c.params.chat_id)}:${String(c.params.message_id)}`));
    expect(edited.size).toBeGreaterThanOrEqual(pressed);
    for (const chat of [700000401, 700000402]) {
      const withButtons = fake.messagesIn(chat).filter((m) => (m.reply_markup?.inline_keyboard.length ?? 0) > 0);
      expect(withButtons.map((m) => m.text?.slice(0, 30)), 'only the last question keeps buttons').toHaveLength(1);
    }
    expect(fake.calls.filter((c) => c.outcome.kind !== 'ok' && c.method !== 'editMessageReplyMarkup')).toEqual([]);
  });

  it('removes the buttons of a question answered by typing', async () => {
    const chat = 700000801;
    await exchange(chat, text(chat, 'halo'));
    await until(() => (fake.keyboardOf(chat) ?? []).flat().some((b) => b.callback_data === 'menu.choose|check'), 'the menu');
    const menuMessage = fake.messagesIn(chat).filter((m) => m.reply_markup).at(-1)?.message_id;
    await exchange(chat, text(chat, 'cek tawaran kerja'));
    await until(() => fake.callsOf('editMessageReplyMarkup').some((c) => c.params.message_id === menuMessage), 'the menu keyboard to go');
    // Only the current question keeps buttons.
    expect(fake.messagesIn(chat).filter((m) => (m.reply_markup?.inline_keyboard.length ?? 0) > 0).map((m) => m.message_id)).not.toContain(menuMessage);
  });

  it('tells a person who presses an old button that the question is closed', async () => {
    const chat = FIXTURE_CHAT_ID + 7;
    await exchange(chat, text(chat, 'halo'));
    await until(() => (fake.keyboardOf(chat) ?? []).flat().some((b) => b.callback_data === 'menu.choose|check'), 'the menu');
    await exchange(chat, press(chat, 'check'));
    await until(() => (fake.keyboardOf(chat) ?? []).flat().some((b) => b.callback_data === 'check.destination|mekong'), 'the first question');
    const oldPress = press(chat, 'mekong');
    await exchange(chat, oldPress.replace(/"update_id":\d+/, `"update_id":${++updateId}`));
    // The same button once more: the destination question is over.
    const replies = await exchange(chat, oldPress.replace(/"update_id":\d+/, `"update_id":${++updateId}`));
    expect(replies[0]).toMatch(/sudah lewat/);
    expect(replies.at(-1)).toMatch(/Pekerjaannya apa/);
  });

  it('sends nothing more to a person who blocked the bot, and again after they unblock it', async () => {
    const chat = FIXTURE_CHAT_ID;
    await exchange(chat, text(chat, 'menu'));
    expect((await post(loadUpdate('my-chat-member-blocked', { updateId: ++updateId }))).statusCode).toBe(200);
    fake.reset();
    await post(text(chat, 'menu'));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsOf('sendMessage')).toEqual([]);
    await post(loadUpdate('my-chat-member-unblocked', { updateId: ++updateId }));
    await exchange(chat, text(chat, 'menu'));
  });

  it('marks a person blocked when Telegram answers 403', async () => {
    const chat = 700000501;
    fake.failNext(1, 'blocked', { method: 'sendMessage' });
    await post(text(chat, 'halo'));
    await until(() => fake.callsOf('sendMessage').length >= 1, 'the refused send');
    await new Promise((r) => setTimeout(r, 200));
    expect(await app.waspada.store.get(app.waspada.store.layout.blocked({ channel: 'telegram', id: String(chat) }))).toBe('1');
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('waits out a 429 and delivers', async () => {
    const chat = 700000502;
    fake.failNext(1, 'too-many-requests', { method: 'sendMessage', retryAfter: 1 });
    await post(text(chat, 'halo'));
    await until(() => fake.textsTo(chat).length >= 2, 'delivery after the 429', 10_000);
  });

  it('does not send, after an erase, a reply that was still queued for the person', async () => {
    const chat = 700000701;
    await exchange(chat, text(chat, 'halo'));
    const queuedAt = Date.now();
    await exchange(chat, text(chat, 'hapus'));
    await post(text(chat, 'ya'));
    await until(() => fake.textsTo(chat).some((t) => /Selesai\./.test(t)), 'the erase summary', 10_000);
    const telegram = app.waspada.telegram;
    expect(telegram).toBeDefined();
    // A reply written before the erase (say, retried after a network failure) is dropped…
    await telegram?.send(String(chat), { text: 'Pekerjaannya apa?' }, { at: queuedAt });
    expect(fake.messagesIn(chat).filter((m) => m.sender === 'bot').map((m) => m.text?.slice(0, 8))).toEqual(['Selesai.']);
    // …while the conversation the person starts afterwards goes on normally.
    await telegram?.send(String(chat), { text: 'Halo lagi' }, { at: Date.now() + 1000 });
    expect(fake.textsTo(chat).at(-1)).toBe('Halo lagi');
  });

  it('erases on Telegram: deletes the conversation as far as allowed, then says what could not be deleted', async () => {
    const chat = 700000601;
    const personMessage = (id: number, body: string, date: number) =>
      JSON.stringify({ update_id: ++updateId, message: { message_id: id, date, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'T' }, text: body } });
    const now = Math.floor(Date.now() / 1000);
    // An old message from three days ago (Telegram no longer lets a bot delete it) and new ones.
    fake.recordUserMessage(chat, 5001, now - 3 * 24 * 3600, 'halo');
    await exchange(chat, personMessage(5001, 'halo', now - 3 * 24 * 3600));
    fake.recordUserMessage(chat, 5002, now, 'cek');
    await exchange(chat, personMessage(5002, 'cek', now));
    fake.recordUserMessage(chat, 5003, now, 'hapus');
    await exchange(chat, personMessage(5003, 'hapus', now));
    fake.recordUserMessage(chat, 5004, now, 'ya');
    await post(personMessage(5004, 'ya', now));
    await until(() => fake.textsTo(chat).some((t) => /Selesai\./.test(t)), 'the erase summary', 10_000);

    const left = fake.messagesIn(chat);
    // What is left: the old message the bot may not delete, and the summary.
    expect(left.map((m) => m.sender)).toEqual(['person', 'bot']);
    expect(left[0]?.message_id).toBe(5001);
    expect(left[1]?.text).toMatch(/^Selesai\. \d+ pesan di chat ini sudah dihapus\. 1 pesan lebih lama dari 48 jam tidak bisa dihapus oleh bot\. Pesan lama mungkin masih ada/);
    expect((await app.waspada.store.loadConversation({ channel: 'telegram', id: String(chat) })).session).toBeUndefined();
    expect(await app.waspada.store.listRead(app.waspada.store.layout.telegramMessages({ channel: 'telegram', id: String(chat) }))).toEqual([]);
  });
});
