// Proves the fake Bot API itself: it accepts what Telegram accepts, rejects what Telegram rejects
// with Telegram's codes and bodies, injects failures on demand, records, and works with grammY's
// real `Api` and `@grammyjs/auto-retry`. The Telegram channel tests trust it.
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, GrammyError, HttpError } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOT_API_LIMITS, startFakeBotApi, type BotApiErrorBody, type FakeBotApi } from './fakeBotApi.js';

const TOKEN = '6100000001:AAFakeTokenForTests_0123456789abcdef';
const CHAT = 700000001;
const OTHER_CHAT = 700000002;
const T0 = 1_760_000_000;

let fake: FakeBotApi;
let clock = T0;

beforeAll(async () => {
  fake = await startFakeBotApi({ token: TOKEN, clock: () => clock });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  clock = T0;
});

type Answer = { status: number; json: Record<string, unknown> };

/** Calls the fake the way any HTTP client would, and returns status and parsed JSON. */
async function call(method: string, params: Record<string, unknown> = {}, init: { token?: string; encoding?: 'json' | 'form' | 'multipart' } = {}): Promise<Answer> {
  const url = `${fake.url}/bot${init.token ?? TOKEN}/${method}`;
  const encoding = init.encoding ?? 'json';
  const asStrings = () =>
    Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as [string, string]);
  let res: Response;
  if (encoding === 'json') {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  } else if (encoding === 'form') {
    res = await fetch(url, { method: 'POST', body: new URLSearchParams(asStrings()) });
  } else {
    const form = new FormData();
    for (const [k, v] of asStrings()) form.append(k, v);
    res = await fetch(url, { method: 'POST', body: form });
  }
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Expects Telegram's error answer: HTTP status = error_code, and the exact description. */
function expectError(answer: Answer, code: number, description: string | RegExp) {
  expect(answer.status).toBe(code);
  expect(answer.json.ok).toBe(false);
  expect(answer.json.error_code).toBe(code);
  if (typeof description === 'string') expect(answer.json.description).toBe(description);
  else expect(answer.json.description).toMatch(description);
}

const keyboard = (...data: string[]) => ({ inline_keyboard: data.map((d, i) => [{ text: `Pilihan ${i + 1}`, callback_data: d }]) });

/** A grammY Api pointed at the fake, as the channel builds it. */
function grammyApi(withRetry = false): Api {
  const api = new Api(TOKEN, { apiRoot: fake.url });
  if (withRetry) api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 2 }));
  return api;
}

describe('accepts what Telegram accepts', () => {
  it('answers getMe with the bot whose id is the token prefix', async () => {
    const me = await grammyApi().getMe();
    expect(me).toMatchObject({ id: 6100000001, is_bot: true, username: 'WaspadaTestBot' });
    expect(fake.calls[0]).toMatchObject({ method: 'getMe', httpMethod: 'POST', path: `/bot${TOKEN}/getMe`, outcome: { kind: 'ok' } });
  });

  it('sends messages numbered per chat, dated by its clock, with the inline keyboard echoed', async () => {
    const api = grammyApi();
    const first = await api.sendMessage(CHAT, 'Halo Siti', { reply_markup: keyboard('check.destination|mekong') });
    const second = await api.sendMessage(CHAT, 'Kedua');
    const elsewhere = await api.sendMessage(OTHER_CHAT, 'Halo');
    expect(first).toMatchObject({
      message_id: 1,
      date: T0,
      chat: { id: CHAT, type: 'private' },
      from: { id: 6100000001, is_bot: true },
      text: 'Halo Siti',
      reply_markup: keyboard('check.destination|mekong'),
    });
    expect(second.message_id).toBe(2);
    expect(second).not.toHaveProperty('reply_markup');
    expect(elsewhere.message_id).toBe(1);
    expect(fake.textsTo(CHAT)).toEqual(['Halo Siti', 'Kedua']);
    expect(fake.keyboardOf(CHAT)).toEqual([[{ text: 'Pilihan 1', callback_data: 'check.destination|mekong' }]]);
    expect(fake.keyboardOf(OTHER_CHAT)).toBeUndefined();
    expect(fake.callsOf('SENDMESSAGE')).toHaveLength(3);
    expect(fake.callsOf('sendMessage')[0]?.encoding).toBe('json');
  });

  it('accepts text at exactly 4096 characters, and counts characters, not UTF-16 units', async () => {
    const api = grammyApi();
    await expect(api.sendMessage(CHAT, 'a'.repeat(BOT_API_LIMITS.text))).resolves.toMatchObject({ message_id: 1 });
    // 4096 emoji are 8192 UTF-16 units; see the README for why the channel should still split at 4096 units.
    await expect(api.sendMessage(CHAT, '🙏'.repeat(BOT_API_LIMITS.text))).resolves.toMatchObject({ message_id: 2 });
  });

  it('accepts callback_data of exactly 64 bytes', async () => {
    const data = `check.destination|${'x'.repeat(64 - 'check.destination|'.length)}`;
    expect(Buffer.byteLength(data)).toBe(64);
    await expect(grammyApi().sendMessage(CHAT, 'Pilih', { reply_markup: keyboard(data) })).resolves.toBeTruthy();
  });

  it('renders escaped MarkdownV2, HTML and Markdown to the text the person reads', async () => {
    const api = grammyApi();
    await api.sendMessage(CHAT, '*Hati\\-hati\\!* Gaji 15\\.000\\.000 \\(tanpa biaya\\) _[tautan](https://example.org/a\\)b)_', { parse_mode: 'MarkdownV2' });
    await api.sendMessage(CHAT, '<b>Awas</b> &lt;agen&gt; &amp; <a href="https://example.org">info</a>', { parse_mode: 'HTML' });
    await api.sendMessage(CHAT, '*Awas* _agen_ `kode`', { parse_mode: 'Markdown' });
    expect(fake.textsTo(CHAT)).toEqual(['Hati-hati! Gaji 15.000.000 (tanpa biaya) tautan', 'Awas <agen> & info', 'Awas agen kode']);
  });

  it('removes a keyboard with editMessageReplyMarkup and says "not modified" the second time', async () => {
    const api = grammyApi();
    const sent = await api.sendMessage(CHAT, 'Pilih', { reply_markup: keyboard('a|1', 'a|2') });
    clock += 5;
    const edited = await api.editMessageReplyMarkup(CHAT, sent.message_id);
    expect(edited).toMatchObject({ message_id: sent.message_id, edit_date: T0 + 5 });
    expect(edited).not.toHaveProperty('reply_markup');
    expect(fake.keyboardOf(CHAT)).toBeUndefined();
    const again = await call('editMessageReplyMarkup', { chat_id: CHAT, message_id: sent.message_id });
    expectError(again, 400, /^Bad Request: message is not modified/);
  });

  it('edits text with editMessageText, which drops the keyboard unless it is sent again', async () => {
    const api = grammyApi();
    const sent = await api.sendMessage(CHAT, 'Pilih', { reply_markup: keyboard('a|1') });
    await api.editMessageText(CHAT, sent.message_id, 'Pilih (dijawab)', { reply_markup: keyboard('a|1') });
    expect(fake.messagesIn(CHAT)[0]).toMatchObject({ text: 'Pilih (dijawab)', reply_markup: keyboard('a|1') });
    await api.editMessageText(CHAT, sent.message_id, 'Pertanyaan ini sudah ditutup.');
    expect(fake.messagesIn(CHAT)[0]).toMatchObject({ text: 'Pertanyaan ini sudah ditutup.', edit_date: T0 });
    expect(fake.messagesIn(CHAT)[0]).not.toHaveProperty('reply_markup');
  });

  it('answers a callback query once; a second answer finds the query gone', async () => {
    const api = grammyApi();
    await expect(api.answerCallbackQuery('3006355932156475201', { text: 'x'.repeat(BOT_API_LIMITS.callbackAnswerText) })).resolves.toBe(true);
    const again = await call('answerCallbackQuery', { callback_query_id: '3006355932156475201' });
    expectError(again, 400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
  });

  it("deletes the bot's and the person's messages, and refuses unknown or already deleted ones", async () => {
    const api = grammyApi();
    fake.recordUserMessage(CHAT, 10, T0 - 60, 'halo');
    const reply = await api.sendMessage(CHAT, 'Halo Siti');
    // One numbering for both sides of a private chat.
    expect(reply.message_id).toBe(11);
    await expect(api.deleteMessage(CHAT, 10)).resolves.toBe(true);
    await expect(api.deleteMessage(CHAT, 11)).resolves.toBe(true);
    expect(fake.messagesIn(CHAT)).toEqual([]);
    expectError(await call('deleteMessage', { chat_id: CHAT, message_id: 11 }), 400, 'Bad Request: message to delete not found');
    expectError(await call('deleteMessage', { chat_id: CHAT, message_id: 999 }), 400, 'Bad Request: message to delete not found');
  });

  it('refuses to delete a message 48 hours old or older, and deletes one just younger', async () => {
    const api = grammyApi();
    fake.recordUserMessage(CHAT, 1, T0 - BOT_API_LIMITS.deleteWindowSeconds, 'lama');
    fake.recordUserMessage(CHAT, 2, T0 - BOT_API_LIMITS.deleteWindowSeconds + 1, 'baru');
    const sent = await api.sendMessage(CHAT, 'Balasan');
    fake.advanceClock(BOT_API_LIMITS.deleteWindowSeconds);
    expect(fake.now()).toBe(T0 + BOT_API_LIMITS.deleteWindowSeconds);
    expectError(await call('deleteMessage', { chat_id: CHAT, message_id: 1 }), 400, "Bad Request: message can't be deleted for everyone");
    expectError(await call('deleteMessage', { chat_id: CHAT, message_id: sent.message_id }), 400, "Bad Request: message can't be deleted for everyone");
    fake.setMessageDate(CHAT, sent.message_id, fake.now() - 10);
    await expect(api.deleteMessage(CHAT, sent.message_id)).resolves.toBe(true);
    expect(fake.messagesIn(CHAT).map((m) => [m.message_id, m.sender])).toEqual([
      [1, 'person'],
      [2, 'person'],
    ]);
  });

  it('deletes in batches with deleteMessages, skipping what cannot be deleted, and records which', async () => {
    const api = grammyApi();
    fake.recordUserMessage(CHAT, 1, T0 - 3 * 24 * 3600);
    fake.recordUserMessage(CHAT, 2, T0 - 60);
    await api.sendMessage(CHAT, 'tiga');
    await expect(api.deleteMessages(CHAT, [1, 2, 3, 4])).resolves.toBe(true);
    expect(fake.messagesIn(CHAT).map((m) => m.message_id)).toEqual([1]);
    expect(fake.callsOf('deleteMessages')[0]?.outcome).toMatchObject({
      kind: 'ok',
      result: true,
      detail: {
        deleted: [2, 3],
        skipped: [
          { message_id: 1, reason: "Bad Request: message can't be deleted for everyone" },
          { message_id: 4, reason: 'Bad Request: message to delete not found' },
        ],
      },
    });
  });

  it('sets, reports and deletes the webhook like Telegram, keeping allowed_updates when not given', async () => {
    const api = grammyApi();
    await api.setWebhook('https://waspada.example.org/webhooks/telegram', {
      secret_token: 'abc_DEF-123',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: true,
    });
    expect(fake.webhook).toEqual({
      url: 'https://waspada.example.org/webhooks/telegram',
      secret_token: 'abc_DEF-123',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: true,
    });
    expect(fake.callsOf('setWebhook')[0]?.outcome).toMatchObject({ kind: 'ok', description: 'Webhook was set' });
    await api.setWebhook('https://waspada.example.org:8443/webhooks/telegram', { secret_token: 'other' });
    expect(fake.webhook?.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    const info = await api.getWebhookInfo();
    expect(info).toMatchObject({ url: 'https://waspada.example.org:8443/webhooks/telegram', pending_update_count: 0 });
    expect(info).not.toHaveProperty('secret_token');
    await expect(api.deleteWebhook()).resolves.toBe(true);
    expect(fake.webhook).toBeNull();
    expect((await call('deleteWebhook')).json).toEqual({ ok: true, result: true, description: 'Webhook is already deleted' });
  });

  it('stores bot commands per language and scope', async () => {
    const api = grammyApi();
    await api.setMyCommands([{ command: 'cek', description: 'Cek tawaran kerja' }, { command: 'hapus', description: 'Hapus data saya' }], { language_code: 'id' });
    await api.setMyCommands([{ command: 'cek', description: 'Check a job offer' }]);
    expect(await api.getMyCommands({ language_code: 'id' })).toEqual([
      { command: 'cek', description: 'Cek tawaran kerja' },
      { command: 'hapus', description: 'Hapus data saya' },
    ]);
    expect(await api.getMyCommands()).toEqual([{ command: 'cek', description: 'Check a job offer' }]);
    expect(await api.getMyCommands({ language_code: 'ms' })).toEqual([]);
    expect(fake.commandsFor('id')).toHaveLength(2);
  });

  it('reads form-encoded and multipart bodies, with JSON fields and numbers decoded', async () => {
    const markup = keyboard('a|1');
    expect((await call('sendMessage', { chat_id: CHAT, text: 'form', reply_markup: markup }, { encoding: 'form' })).json.ok).toBe(true);
    expect((await call('sendMessage', { chat_id: CHAT, text: 'multi', reply_markup: markup }, { encoding: 'multipart' })).json.ok).toBe(true);
    expect(fake.textsTo(CHAT)).toEqual(['form', 'multi']);
    expect(fake.callsOf('sendMessage').map((c) => c.encoding)).toEqual(['form', 'multipart']);
    expect(fake.callsOf('sendMessage')[1]?.params).toEqual({ chat_id: CHAT, text: 'multi', reply_markup: markup });
    expectError(await call('sendMessage', { chat_id: CHAT, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y'.repeat(65) }]] } }, { encoding: 'form' }), 400, 'Bad Request: BUTTON_DATA_INVALID');
  });
});

describe('rejects what Telegram rejects', () => {
  it('answers a wrong token with 401 Unauthorized, before anything else', async () => {
    const answer = await call('sendMessage', { chat_id: CHAT, text: 'halo' }, { token: '6100000001:wrong' });
    expect(answer).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(fake.textsTo(CHAT)).toEqual([]);
  });

  it('answers an unknown method with 404, and a path without /bot<token>/ with 404', async () => {
    expectError(await call('sendRocket', { chat_id: CHAT }), 404, 'Not Found: method not found');
    const res = await fetch(`${fake.url}/sendMessage`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['only whitespace', ' \n '],
  ])('refuses a %s text: message text is empty', async (_, text) => {
    expectError(await call('sendMessage', { chat_id: CHAT, ...(text !== undefined ? { text } : {}) }), 400, 'Bad Request: message text is empty');
  });

  it('refuses 4097 characters, counting the text after entity parsing', async () => {
    expectError(await call('sendMessage', { chat_id: CHAT, text: 'a'.repeat(4097) }), 400, 'Bad Request: message is too long');
    // 4096 shown characters plus markup is fine: the limit applies after parsing.
    const marked = `*${'a'.repeat(4096)}*`;
    expect((await call('sendMessage', { chat_id: CHAT, text: marked, parse_mode: 'MarkdownV2' })).json.ok).toBe(true);
    expectError(await call('editMessageText', { chat_id: CHAT, message_id: 1, text: 'b'.repeat(4097) }), 400, 'Bad Request: message is too long');
  });

  it('refuses a missing chat_id', async () => {
    expectError(await call('sendMessage', { text: 'halo' }), 400, 'Bad Request: chat_id is empty');
  });

  it.each([
    ['65 ASCII bytes', 'x'.repeat(65)],
    ['33 two-byte characters (66 bytes, 33 characters)', 'é'.repeat(33)],
    ['17 emoji (68 bytes)', '🙏'.repeat(17)],
    ['empty', ''],
  ])('refuses callback_data of %s: BUTTON_DATA_INVALID', async (_, data) => {
    const answer = await call('sendMessage', { chat_id: CHAT, text: 'Pilih', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: data }]] } });
    expectError(answer, 400, 'Bad Request: BUTTON_DATA_INVALID');
  });

  it.each([
    ['not an array', { inline_keyboard: { text: 'A', callback_data: 'a' } }, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'],
    ['an array of buttons, not of rows', { inline_keyboard: [{ text: 'A', callback_data: 'a' }] }, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'],
    ['a button without an action', { inline_keyboard: [[{ text: 'A' }]] }, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"],
    ['a button without text', { inline_keyboard: [[{ callback_data: 'a' }]] }, `Bad Request: can't parse inline keyboard button: Field "text" must be of type String`],
  ])('refuses an inline keyboard that is %s', async (_, markup, description) => {
    expectError(await call('sendMessage', { chat_id: CHAT, text: 'Pilih', reply_markup: markup }), 400, description);
  });

  it.each([
    ['an unescaped "." in MarkdownV2', 'MarkdownV2', 'Gaji 15.000.000', "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"],
    ['an unescaped "-" in MarkdownV2', 'MarkdownV2', 'Hati-hati', "Bad Request: can't parse entities: Character '-' is reserved and must be escaped with the preceding '\\'"],
    ['an unclosed "*" in MarkdownV2', 'MarkdownV2', '*tebal', "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0"],
    ['badly nested entities in MarkdownV2', 'MarkdownV2', '*a _b* c_', /^Bad Request: can't parse entities: Can't find end of Italic entity/],
    ['a link without its URL in MarkdownV2', 'MarkdownV2', '[tautan]', /^Bad Request: can't parse entities: Can't find end of a URL/],
    ['an unknown HTML tag', 'HTML', '<script>x</script>', `Bad Request: can't parse entities: Unsupported start tag "script" at byte offset 0`],
    ['an unclosed HTML tag', 'HTML', '<b>tebal', `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
    ['a bare "<" in HTML', 'HTML', 'gaji < 5 juta', /^Bad Request: can't parse entities: (Unsupported start tag|Unclosed start tag)/],
    ['an unclosed "_" in Markdown', 'Markdown', 'nama_agen', "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 4"],
  ])('refuses %s: can\'t parse entities', async (_, mode, text, description) => {
    expectError(await call('sendMessage', { chat_id: CHAT, text, parse_mode: mode }), 400, description);
  });

  it('refuses a callback answer over 200 characters', async () => {
    const answer = await call('answerCallbackQuery', { callback_query_id: '1', text: 'x'.repeat(201) });
    expectError(answer, 400, 'Bad Request: MESSAGE_TOO_LONG');
  });

  it('refuses to edit a message it does not know, or one the person sent', async () => {
    expectError(await call('editMessageReplyMarkup', { chat_id: CHAT, message_id: 42 }), 400, 'Bad Request: message to edit not found');
    fake.recordUserMessage(CHAT, 5);
    expectError(await call('editMessageText', { chat_id: CHAT, message_id: 5, text: 'x' }), 400, "Bad Request: message can't be edited");
  });

  it('refuses deleteMessages without ids, with more than 100, or with a bad id', async () => {
    expectError(await call('deleteMessages', { chat_id: CHAT }), 400, 'Bad Request: message identifiers are not specified');
    expectError(await call('deleteMessages', { chat_id: CHAT, message_ids: [] }), 400, 'Bad Request: message identifiers are not specified');
    const many = Array.from({ length: 101 }, (_, i) => i + 1);
    expectError(await call('deleteMessages', { chat_id: CHAT, message_ids: many }), 400, 'Bad Request: too many message identifiers specified');
    expectError(await call('deleteMessages', { chat_id: CHAT, message_ids: [1, 0] }), 400, 'Bad Request: invalid message identifier specified');
  });

  it('refuses a webhook that is not HTTPS, on another port, or with a bad secret', async () => {
    expectError(await call('setWebhook', { url: 'http://waspada.example.org/hook' }), 400, 'Bad Request: bad webhook: HTTPS url must be provided for webhook');
    expectError(await call('setWebhook', { url: 'https://waspada.example.org:3000/hook' }), 400, 'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
    expectError(await call('setWebhook', { url: 'https://waspada.example.org/hook', secret_token: 'a+b/c=' }), 400, 'Bad Request: secret token contains unallowed characters');
    expect(fake.webhook).toBeNull();
  });

  it('refuses invalid bot commands', async () => {
    expectError(await call('setMyCommands', { commands: [{ command: 'Cek', description: 'x' }] }), 400, 'Bad Request: BOT_COMMAND_INVALID');
    expectError(await call('setMyCommands', { commands: [{ command: 'cek', description: '' }] }), 400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
  });
});

describe('injects failures', () => {
  const EXPECTED: Record<'too-many-requests' | 'blocked' | 'server', { status: number; body: BotApiErrorBody }> = {
    'too-many-requests': {
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
    },
    blocked: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
    server: { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } },
  };

  it.each(Object.entries(EXPECTED))('answers %s with Telegram’s exact body, then recovers', async (kind, expected) => {
    fake.failNext(1, kind as keyof typeof EXPECTED, { retryAfter: 7 });
    const failed = await call('sendMessage', { chat_id: CHAT, text: 'halo' });
    expect(failed).toEqual({ status: expected.status, json: expected.body });
    expect(fake.calls[0]?.outcome).toMatchObject({ kind: 'error', errorCode: expected.status, injected: kind });
    expect((await call('sendMessage', { chat_id: CHAT, text: 'halo' })).json.ok).toBe(true);
    expect(fake.textsTo(CHAT)).toEqual(['halo']);
  });

  it('defaults retry_after to 1 and fails exactly n calls', async () => {
    fake.failNext(2, 'too-many-requests');
    expect((await call('getMe')).json).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect((await call('getMe')).status).toBe(429);
    expect((await call('getMe')).status).toBe(200);
  });

  it('fails only the chosen method when one is named, letting others through', async () => {
    fake.failNext(1, 'blocked', { method: 'sendmessage' });
    expect((await call('answerCallbackQuery', { callback_query_id: '9' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: CHAT, text: 'halo' })).status).toBe(403);
    expect((await call('sendMessage', { chat_id: CHAT, text: 'halo' })).status).toBe(200);
  });

  it('drops the connection for a network failure, and records it', async () => {
    fake.failNext(1, 'network');
    await expect(call('sendMessage', { chat_id: CHAT, text: 'halo' })).rejects.toThrow();
    expect(fake.calls[0]).toMatchObject({ method: 'sendMessage', outcome: { kind: 'dropped', injected: 'network' } });
    expect((await call('sendMessage', { chat_id: CHAT, text: 'halo' })).status).toBe(200);
  });

  it('injects after the token check: a wrong token is still 401', async () => {
    fake.failNext(1, 'server');
    expect((await call('getMe', {}, { token: 'nope:nope' })).status).toBe(401);
    expect((await call('getMe')).status).toBe(500);
  });
});

describe("with grammY's Api and auto-retry (maxRetryAttempts 2, maxDelaySeconds 2)", () => {
  it('waits retry_after on a 429 and retries', async () => {
    fake.failNext(1, 'too-many-requests', { retryAfter: 1 });
    const started = Date.now();
    const sent = await grammyApi(true).sendMessage(CHAT, 'halo');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sent.text).toBe('halo');
    expect(fake.callsOf('sendMessage').map((c) => c.outcome.kind)).toEqual(['error', 'ok']);
  });

  it('surfaces a 429 whose retry_after exceeds maxDelaySeconds at once, as a GrammyError', async () => {
    fake.failNext(1, 'too-many-requests', { retryAfter: 5 });
    const error = await grammyApi(true).sendMessage(CHAT, 'halo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 5 }, method: 'sendMessage' });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('gives up after maxRetryAttempts retries of a 429 and surfaces it', async () => {
    fake.failNext(5, 'too-many-requests', { retryAfter: 1 });
    const error = await grammyApi(true).sendMessage(CHAT, 'halo').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'GrammyError', error_code: 429 });
    // One call and two retries.
    expect(fake.callsOf('sendMessage')).toHaveLength(3);
  });

  it('surfaces a 403 (blocked) at once as a GrammyError with error_code 403', async () => {
    fake.failNext(1, 'blocked');
    const error = await grammyApi(true).sendMessage(CHAT, 'halo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('surfaces 400s (a broken limit) at once, without retrying', async () => {
    const error = await grammyApi(true)
      .sendMessage(CHAT, 'halo', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'x'.repeat(65) }]] } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'GrammyError', error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('retries a 500 after its own 3-second backoff', async () => {
    fake.failNext(1, 'server');
    const started = Date.now();
    await expect(grammyApi(true).getMe()).resolves.toMatchObject({ id: 6100000001 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(fake.callsOf('getMe')).toHaveLength(2);
  });

  it('retries a dropped connection (HttpError) after 3 seconds; without auto-retry it surfaces as HttpError', async () => {
    fake.failNext(1, 'network');
    await expect(grammyApi(false).getMe()).rejects.toBeInstanceOf(HttpError);
    fake.failNext(1, 'network');
    const started = Date.now();
    await expect(grammyApi(true).getMe()).resolves.toMatchObject({ id: 6100000001 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(fake.callsOf('getMe').map((c) => c.outcome.kind)).toEqual(['dropped', 'dropped', 'ok']);
  });
});

describe('forum supergroups (the hotline staff group)', () => {
  const GROUP = -1001555000111;
  const sari = { id: 5001, first_name: 'Sari' };

  it('creates a topic whose id is its service message, and posts in it', async () => {
    fake.addForum(GROUP);
    const created = await call('createForumTopic', { chat_id: GROUP, name: '#K7M4QX urgent', icon_color: 0xfb6f5f });
    expect(created.json).toEqual({ ok: true, result: { message_thread_id: 1, name: '#K7M4QX urgent', icon_color: 0xfb6f5f } });
    const sent = await call('sendMessage', { chat_id: GROUP, message_thread_id: 1, text: 'halo' });
    expect(sent.json.result).toMatchObject({ message_thread_id: 1, is_topic_message: true, chat: { type: 'supergroup' } });
    expect(fake.textsInTopic(GROUP, 1)).toEqual(['halo']);
    expect(fake.topicsOf(GROUP)).toEqual([{ message_thread_id: 1, name: '#K7M4QX urgent', icon_color: 0xfb6f5f, closed: false }]);
  });

  it('refuses topics where Telegram does', async () => {
    expectError(await call('createForumTopic', { chat_id: -1001999000111, name: 'x' }), 400, 'Bad Request: the chat is not a forum');
    fake.addForum(GROUP, { canManageTopics: false });
    expectError(await call('createForumTopic', { chat_id: GROUP, name: 'x' }), 400, 'Bad Request: not enough rights to create a topic');
    fake.addForum(GROUP);
    expectError(await call('createForumTopic', { chat_id: GROUP, name: '' }), 400, 'Bad Request: TOPIC_TITLE_EMPTY');
    expectError(await call('createForumTopic', { chat_id: GROUP, name: 'x'.repeat(BOT_API_LIMITS.topicName + 1) }), 400, 'Bad Request: TOPIC_TITLE_TOO_LONG');
    expectError(await call('createForumTopic', { chat_id: GROUP, name: 'x', icon_color: 0x123456 }), 400, 'Bad Request: TOPIC_ICON_COLOR_INVALID');
    expectError(await call('sendMessage', { chat_id: GROUP, message_thread_id: 99, text: 'x' }), 400, 'Bad Request: message thread not found');
    expectError(await call('closeForumTopic', { chat_id: GROUP, message_thread_id: 99 }), 400, 'Bad Request: TOPIC_ID_INVALID');
  });

  it('closes, reopens, renames and deletes topics; "not modified" when nothing changes', async () => {
    fake.addForum(GROUP);
    await call('createForumTopic', { chat_id: GROUP, name: 'a' });
    expect((await call('closeForumTopic', { chat_id: GROUP, message_thread_id: 1 })).json).toEqual({ ok: true, result: true });
    expectError(await call('closeForumTopic', { chat_id: GROUP, message_thread_id: 1 }), 400, 'Bad Request: TOPIC_NOT_MODIFIED');
    // The bot manages topics, so it may still post in a closed one.
    expect((await call('sendMessage', { chat_id: GROUP, message_thread_id: 1, text: 'closed' })).status).toBe(200);
    expect((await call('reopenForumTopic', { chat_id: GROUP, message_thread_id: 1 })).status).toBe(200);
    expectError(await call('reopenForumTopic', { chat_id: GROUP, message_thread_id: 1 }), 400, 'Bad Request: TOPIC_NOT_MODIFIED');
    expect((await call('editForumTopic', { chat_id: GROUP, message_thread_id: 1, name: 'b' })).status).toBe(200);
    expectError(await call('editForumTopic', { chat_id: GROUP, message_thread_id: 1, name: 'b' }), 400, 'Bad Request: TOPIC_NOT_MODIFIED');
    expect((await call('deleteForumTopic', { chat_id: GROUP, message_thread_id: 1 })).status).toBe(200);
    expect(fake.topicsOf(GROUP)).toEqual([]);
    expect(fake.messagesIn(GROUP)).toEqual([]);
  });

  it('keeps a closed topic shut for a bot without Manage Topics, and deleting needs Delete Messages', async () => {
    fake.addForum(GROUP);
    await call('createForumTopic', { chat_id: GROUP, name: 'a' });
    await call('closeForumTopic', { chat_id: GROUP, message_thread_id: 1 });
    fake.addForum(GROUP, { canManageTopics: false, canDeleteMessages: false });
    expectError(await call('sendMessage', { chat_id: GROUP, message_thread_id: 1, text: 'x' }), 400, 'Bad Request: TOPIC_CLOSED');
    expectError(await call('deleteForumTopic', { chat_id: GROUP, message_thread_id: 1 }), 400, 'Bad Request: CHAT_ADMIN_REQUIRED');
    expect(fake.topicsOf(GROUP)).toHaveLength(1);
  });

  it('answers getChatMember from the members set, "left" for anyone else', async () => {
    fake.addForum(GROUP);
    fake.setChatMember(GROUP, sari, 'administrator');
    fake.setChatMember(GROUP, { id: 5004, first_name: 'Dian' }, 'restricted', { isMember: true });
    expect((await call('getChatMember', { chat_id: GROUP, user_id: 5001 })).json.result).toMatchObject({ status: 'administrator', user: { id: 5001, is_bot: false, first_name: 'Sari' } });
    expect((await call('getChatMember', { chat_id: GROUP, user_id: 5004 })).json.result).toMatchObject({ status: 'restricted', is_member: true });
    expect((await call('getChatMember', { chat_id: GROUP, user_id: 5009 })).json.result).toMatchObject({ status: 'left', user: { id: 5009 } });
    expectError(await call('getChatMember', { chat_id: GROUP }), 400, 'Bad Request: invalid user_id specified');
    // Through grammY, as the staff input asks.
    expect((await grammyApi().getChatMember(GROUP, 5001)).status).toBe('administrator');
  });
});
