/**
 * The log scan (issue 10, part 5): whole conversations through the real app at LOG_LEVEL `trace`
 * (every line any level writes), on a real redis-server, with every line captured:
 *
 * - WhatsApp (signed webhooks, the fake Graph API): a forwarded job ad naming a recruiter's
 *   number, the request for a person with consent, a case in the staff group, staff replies from
 *   the Telegram staff group and from the console, a reply WhatsApp refuses (131047, the window is
 *   closed), a send that fails until the outbox retries it, and `hapus`;
 * - Telegram (the secret header, the fake Bot API): a family report naming a recruiter's name and
 *   number and the reporter's own number, a button press whose answer fails, a send that fails
 *   with a network error, and `hapus` (the messages and the report deleted);
 * - the web chat: a pasted ad, and `hapus`;
 * - the console: sign-in (once with a wrong password), the case and its actions, the reports,
 *   each recruiter's page (its URL holds the recruiter's number or name), the export;
 * - errors: a bad signature, a body that is not JSON, a wrong Telegram secret, the verify
 *   handshake with its token in the query, a case URL that is a phone number.
 *
 * Then no line may hold any of the test's personal data (phone numbers in any format, the
 * Telegram and WhatsApp ids, the names, each message or a distinctive word of it, the web session)
 * or any token or secret, and every line must carry a request id or a background job id. The last
 * test shows that the scan would catch a line that did log a phone number.
 */
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import { signWebhook } from '../channels/whatsapp/fixtures/load.js';
import { csrfOf, FORM, setCookie } from '../console/support.js';
import { startFakeBotApi, type FakeBotApi, type FakeUser } from '../support/fakeBotApi.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { startHttpTarget, type HttpTarget } from '../support/httpTarget.js';
import { findLeaks, phoneNeedle, wordNeedles, type Needle } from '../support/logScanner.js';
import { startRedis, untilReady, type RedisServer } from '../support/redisServer.js';

// Secrets and tokens, each distinctive.
const WA_TOKEN = 'EAAGlogscanAccessToken7f3b9c';
const WA_SECRET = 'logscan-app-secret-51d2e8';
const WA_VERIFY = 'logscan-verify-token-0c4a1f';
const PHONE_ID = '106540352242922';
const TG_TOKEN = '7000000001:AAHlogscan-token_9f8e7d6c5b';
const TG_SECRET = 'logscan-webhook-secret-2b7e';
const CASE_WEBHOOK_SECRET = 'logscan-case-webhook-secret-8a1f';
const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'teh manis hangat di sore hari';
const GROUP = -1001555000222;

// People.
const WA_PHONE = '6281311224455';
const WA_NAME = 'Siti Rahmawati';
const TG_PERSON = { id: 7123450987, first_name: 'Dewi', last_name: 'Anggraini', username: 'dewi_anggraini_tki' };
const SARI: FakeUser = { id: 7310000123, first_name: 'Sari', last_name: 'Wulandari', username: 'sari_hotline_jkt' };
const CONSOLE_STAFF = { username: 'petugas7', displayName: 'Ani Purnamasari' };
const WEB_SESSION = 'web-7c1e9f3a-rahasia-sesi-4d2b';

// What they write.
const WA_AD =
  'LOWONGAN CEPAT!!! Operator chat online di Kamboja, gaji 18jt/bulan, tanpa pengalaman, tiket dan paspor ditanggung, ' +
  'berangkat minggu depan pakai visa turis. Minat hubungi Bu Marni 0857-2233-6677';
const WA_TO_STAFF = 'Saya sekarang di Johor Bahru, majikan menyimpan paspor saya di lemarinya';
const WA_AFTER_REFUSAL = 'Maaf baru balas, sinyal di asrama pabrik sangat jelek';
const STAFF_GROUP_REPLY = 'Halo Bu Siti, saya Sari dari hotline. Apakah Ibu aman sekarang?';
const CONSOLE_REPLY = 'Kami sudah menghubungi KBRI Kuala Lumpur untuk Ibu, mohon tunggu kabar';
const CONSOLE_REPLY_2 = 'Petugas konsuler akan menelepon besok pagi';
const REPORT = {
  name: 'Pak Bambang Hartono',
  company: 'PT Sinar Harapan Jayakarta',
  phone: '0821-4455-6677',
  social: '@bambang.kerja.luarnegeri',
  place: 'Desa Cikarang Kidul, Bekasi',
  destination: 'Taiwan, Taichung',
  job: 'perawat lansia',
  story: 'Adik saya disuruh tanda tangan kontrak kosong lalu ijazahnya disita oleh Pak Bambang',
  contactHow: 'Telepon sore hari ke nomor 0877 1234 5678',
};
const WEB_AD = 'Dicari pramuniaga Malaysia langsung kerja, potong gaji untuk biaya, paspor dipegang agen sampai kontrak habis. WA 0838-9911-2244';

let redis: RedisServer;
let graph: FakeGraphApi;
let bot: FakeBotApi;
let caseWebhook: HttpTarget;
let app: FastifyInstance;
const lines: string[] = [];
/** Values the test saw go over the wire that are secret too: signatures, cookies, form tokens. */
const seenSecrets = new Set<string>();

beforeAll(async () => {
  redis = await startRedis();
  graph = await startFakeGraphApi({ token: WA_TOKEN, phoneNumberId: PHONE_ID });
  bot = await startFakeBotApi({ token: TG_TOKEN });
  caseWebhook = await startHttpTarget();
  bot.addForum(GROUP);
  bot.setChatMember(GROUP, SARI, 'administrator');
  app = await buildApp({
    config: parseConfig({
      LOG_LEVEL: 'trace',
      REDIS_URL: redis.url,
      DATA_KEY,
      HOTLINE: 'on',
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: WA_VERIFY,
      WHATSAPP_GRAPH_URL: graph.url,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: bot.url,
      TELEGRAM_CHAT_MPS: '60',
      HOTLINE_TELEGRAM_CHAT_ID: String(GROUP),
      HOTLINE_WEBHOOK_URL: caseWebhook.url,
      HOTLINE_WEBHOOK_SECRET: CASE_WEBHOOK_SECRET,
      // A failed delivery is tried again after a second, so the test sees the retry succeed.
      OUTBOX_RECLAIM_SECONDS: '1',
    }),
    logStream: { write: (line) => void lines.push(line) },
  });
  await app.ready();
  await untilReady(app);
  await addStaff(app.waspada.store, { ...CONSOLE_STAFF, password: PASSWORD }, { now: Date.now() });
}, 30_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([graph?.close(), bot?.close(), caseWebhook?.close()]);
  await redis?.stop();
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the app's own sender has delivered everything. */
const drained = () => until(async () => (await app.waspada.store.outboxDepth()) === 0, 'an empty outbox');

// ---------------------------------------------------------------------------------------------
// The channels, as the providers and the browser call them
// ---------------------------------------------------------------------------------------------

let waMessage = 0;
/** A WhatsApp webhook body with one text message from the person (identified by their phone, with a profile name). */
function waBody(text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
      contacts: [{ profile: { name: WA_NAME }, wa_id: WA_PHONE }],
      messages: [{ id: `wamid.logscan-${++waMessage}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, from: WA_PHONE }],
    } }] }],
  });
}

/** Posts a WhatsApp webhook body, signed unless another signature is given. */
async function postWhatsApp(body: string, signature = signWebhook(body, WA_SECRET)) {
  seenSecrets.add(signature);
  return app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, payload: body });
}

/** The person writes on WhatsApp; waits until the bot has sent `replies` more messages (0: none expected). */
async function wa(text: string, replies = 1): Promise<void> {
  const before = graph.textsTo(WA_PHONE).length;
  expect((await postWhatsApp(waBody(text))).statusCode).toBe(200);
  if (replies > 0) await until(() => graph.textsTo(WA_PHONE).length >= before + replies, `a WhatsApp reply to "${text}"`);
}

let updateId = 500_000;
/** Posts a Telegram update with the secret header (or another secret). */
async function postTelegram(update: Record<string, unknown>, secret = TG_SECRET) {
  return app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, payload: JSON.stringify({ update_id: ++updateId, ...update }) });
}

/** The Telegram person writes in their private chat; waits for a reply. */
async function tg(text: string): Promise<void> {
  const before = bot.textsTo(TG_PERSON.id).length;
  const res = await postTelegram({
    message: { message_id: updateId % 100_000, date: Math.floor(Date.now() / 1000), chat: { id: TG_PERSON.id, type: 'private', first_name: TG_PERSON.first_name, last_name: TG_PERSON.last_name, username: TG_PERSON.username }, from: { ...TG_PERSON, is_bot: false, language_code: 'id' }, text },
  });
  expect(res.statusCode).toBe(200);
  await until(() => bot.textsTo(TG_PERSON.id).length > before, `a Telegram reply to "${text}"`);
}

/** The Telegram person presses the button of the last keyboard whose data ends with `|option`. */
async function tgPress(option: string): Promise<void> {
  const find = () => (bot.keyboardOf(TG_PERSON.id) ?? []).flat().find((b) => b.callback_data?.endsWith(`|${option}`));
  await until(() => find() !== undefined, `the button "${option}"`);
  const keyboard = bot.keyboardOf(TG_PERSON.id) ?? [];
  const button = find();
  if (!button?.callback_data) throw new Error(`no button "${option}" in ${JSON.stringify(keyboard)}`);
  const message = bot.messagesIn(TG_PERSON.id).filter((m) => m.reply_markup).at(-1);
  const before = bot.textsTo(TG_PERSON.id).length;
  const res = await postTelegram({
    callback_query: { id: `cb${updateId}`, from: { ...TG_PERSON, is_bot: false }, chat_instance: '1', data: button.callback_data, message: { message_id: message?.message_id ?? 1, date: message?.date ?? 0, chat: { id: TG_PERSON.id, type: 'private' } } },
  });
  expect(res.statusCode).toBe(200);
  await until(() => bot.textsTo(TG_PERSON.id).length > before, `a Telegram reply to the button "${option}"`);
}

/** Sari writes in a topic of the staff group. */
async function staffGroupSays(text: string, topic: number): Promise<void> {
  const res = await postTelegram({
    message: { message_id: 90_000 + updateId, date: Math.floor(Date.now() / 1000), chat: { id: GROUP, type: 'supergroup', title: 'Hotline', is_forum: true }, from: { is_bot: false, ...SARI }, message_thread_id: topic, is_topic_message: true, text },
  });
  expect(res.statusCode).toBe(200);
}

/** The web chat page sends a message. */
async function web(body: Record<string, unknown>): Promise<Array<{ text: string }>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: WEB_SESSION, ...body } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ messages: Array<{ text: string }> }>().messages;
}

// The console, as a browser uses it.
let cookie = '';
let csrf = '';
const consolePost = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { ...FORM, cookie }, payload: new URLSearchParams({ csrf, ...fields }).toString() });

async function signIn(password: string): Promise<number> {
  const form = await app.inject({ url: '/console/login' });
  const login = setCookie(form, 'wsp_console_login')?.value ?? '';
  const formCsrf = csrfOf(form.body);
  [login, formCsrf].forEach((v) => seenSecrets.add(v));
  const res = await app.inject({
    method: 'POST',
    url: '/console/login',
    headers: { ...FORM, cookie: `wsp_console_login=${login}` },
    payload: new URLSearchParams({ csrf: formCsrf, username: CONSOLE_STAFF.username, password }).toString(),
  });
  const session = setCookie(res, 'wsp_console')?.value;
  if (session) {
    seenSecrets.add(session);
    cookie = `wsp_console=${session}`;
    csrf = csrfOf((await app.inject({ url: '/console', headers: { cookie } })).body);
    seenSecrets.add(csrf);
  }
  return res.statusCode;
}

/** Staff read the reports: the list, the recruiter's page (its URL holds the recruiter's number), the export. */
async function recruiterPages(): Promise<void> {
  const reports = await app.inject({ url: '/console/reports', headers: { cookie } });
  expect(reports.statusCode).toBe(200);
  const hrefs = [...reports.body.matchAll(/href="(\/console\/reports\/recruiters\/[^"]+)"/g)].map((m) => m[1] ?? '');
  expect(hrefs.some((h) => h.includes('phone')), 'a link to the recruiter\'s number').toBe(true);
  for (const href of hrefs) expect((await app.inject({ url: href, headers: { cookie } })).statusCode).toBe(200);
  expect((await app.inject({ url: '/console/reports/export.json', headers: { cookie } })).statusCode).toBe(200);
}

// ---------------------------------------------------------------------------------------------
// The conversations
// ---------------------------------------------------------------------------------------------

let caseId = '';
let topic = 0;

describe('whole conversations at LOG_LEVEL trace', () => {
  it('WhatsApp: a forwarded ad, a person with consent, staff replies from the group and the console, failed sends, erase', async () => {
    await wa(WA_AD, 2);
    await wa('menu');
    await wa('4');
    await until(() => graph.textsTo(WA_PHONE).some((t) => /tidak melihat nomor HP/.test(t)), 'the consent question');
    await wa('ya');
    await until(async () => (await app.waspada.hotline.cases.list({})).length > 0, 'the case');
    caseId = (await app.waspada.hotline.cases.list({}))[0]?.id ?? '';
    await until(() => bot.topicsOf(GROUP).some((t) => t.name.startsWith(`#${caseId}`)), 'the case topic');
    topic = bot.topicsOf(GROUP).find((t) => t.name.startsWith(`#${caseId}`))?.message_thread_id ?? 0;
    await wa(WA_TO_STAFF, 0);
    await until(() => bot.textsInTopic(GROUP, topic).some((t) => t.includes('Johor Bahru')), 'the person in the topic');

    // The console: a wrong password, then signed in; the staff member claims the case.
    expect(await signIn('not the password at all')).not.toBe(303);
    expect(await signIn(PASSWORD)).toBe(303);
    expect((await app.inject({ url: `/console/cases/${caseId}`, headers: { cookie } })).statusCode).toBe(200);
    expect((await consolePost(`/console/cases/${caseId}/claim`, {})).statusCode).toBe(303);

    // A reply from the staff group reaches the person.
    await staffGroupSays(STAFF_GROUP_REPLY, topic);
    await until(() => graph.textsTo(WA_PHONE).some((t) => t.includes('saya Sari dari hotline')), 'the group reply on WhatsApp');

    // The window is closed: WhatsApp refuses the console's reply (131047), which the case records.
    graph.closeWindow(WA_PHONE);
    expect((await consolePost(`/console/cases/${caseId}/reply`, { text: CONSOLE_REPLY })).statusCode).toBe(303);
    await until(() => graph.requests.some((r) => r.outcome.kind === 'rejected' && r.outcome.code === 131047), 'the refusal');
    await drained();
    graph.openWindow(WA_PHONE);
    await wa(WA_AFTER_REFUSAL, 0);

    // Graph answers 500 until the sender gives the message back to the outbox; the retry goes through.
    graph.failNext(5, 'server');
    expect((await consolePost(`/console/cases/${caseId}/reply`, { text: CONSOLE_REPLY_2 })).statusCode).toBe(303);
    await until(() => graph.textsTo(WA_PHONE).some((t) => t.includes('Petugas konsuler akan menelepon')), 'the retried reply', 30_000);

    expect((await consolePost(`/console/cases/${caseId}/close`, { outcome: 'referred' })).statusCode).toBe(303);
    await until(() => graph.textsTo(WA_PHONE).some((t) => /menutup kasus Anda/.test(t)), 'the closing message');

    await wa('hapus');
    await wa('ya');
    await drained();
  }, 90_000);

  it('Telegram: a family report naming a recruiter, a failed button answer, a failed send, erase', async () => {
    await tg('/start');
    // The button press: answering it fails once (a network error), which is logged and not retried.
    bot.failNext(1, 'network', { method: 'answerCallbackQuery' });
    await tgPress('report');
    for (const answer of ['tidak', REPORT.name, REPORT.company, REPORT.phone, REPORT.social, REPORT.place, 'adik saya', REPORT.destination, REPORT.job, 'paspor ditahan', REPORT.story, 'ya', REPORT.contactHow]) {
      await tg(answer);
    }
    // One send fails with a network error (grammY's HttpError): the outbox tries it again.
    bot.failNext(1, 'network', { method: 'sendMessage' });
    await tg('ya');
    await until(() => bot.textsTo(TG_PERSON.id).some((t) => t.includes('Nomor laporan Anda')), 'the report number', 30_000);
    await drained();
    await tg('tidak');
    await recruiterPages();
    // Erasing deletes the person's reports too.
    await tg('hapus');
    await tg('ya');
    await drained();
    expect(bot.callsOf('deleteMessage').length).toBeGreaterThan(0);
  }, 90_000);

  it('the web chat: a pasted ad, erase', async () => {
    await web({ start: '' });
    await web({ text: WEB_AD });
    await web({ text: 'hapus' });
    await web({ text: 'ya' });
  });

  it('error paths: bad signature, not JSON, wrong secret, the verify handshake, a phone number as a case id', async () => {
    expect((await postWhatsApp(waBody('halo dari penipu'), `sha256=${'0'.repeat(64)}`)).statusCode).toBe(401);
    const notJson = `{"object":"whatsapp_business_account","entry":[{"from":"${WA_PHONE}"`;
    expect((await postWhatsApp(notJson)).statusCode).toBe(400);
    expect((await postTelegram({ message: { text: 'halo' } }, 'wrong-secret')).statusCode).toBe(401);
    const badChat = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: `{"session":"${WEB_SESSION}","text":` });
    expect(badChat.statusCode).toBe(400);
    const verify = await app.inject({ url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WA_VERIFY}&hub.challenge=8812` });
    expect(verify.statusCode).toBe(200);
    expect((await app.inject({ url: '/console/cases/081311224455', headers: { cookie } })).statusCode).toBe(404);
    await drained();
  });
});

// ---------------------------------------------------------------------------------------------
// The scan
// ---------------------------------------------------------------------------------------------

/** Words of the messages that also name things the log may say (none of them personal). */
const COMMON = new Set(['hotline', 'online', 'operator', 'minggu', 'sekarang', 'petugas']);

function needles(): Needle[] {
  const phones: Array<[string, string]> = [
    ['the WhatsApp person', WA_PHONE],
    ['the recruiter in the ad', '0857-2233-6677'],
    ['the recruiter in the report', REPORT.phone],
    ['the reporter\'s own number', '0877 1234 5678'],
    ['the number in the web ad', '0838-9911-2244'],
  ];
  const texts: Array<[string, string]> = [
    ['the WhatsApp ad', WA_AD],
    ['the message to staff', WA_TO_STAFF],
    ['the message after the refusal', WA_AFTER_REFUSAL],
    ['the staff group reply', STAFF_GROUP_REPLY],
    ['the console reply', CONSOLE_REPLY],
    ['the second console reply', CONSOLE_REPLY_2],
    ['the web ad', WEB_AD],
    ...Object.entries(REPORT).map(([k, v]): [string, string] => [`the report's ${k}`, v]),
  ];
  const secrets: Array<[string, string]> = [
    ['the WhatsApp access token', WA_TOKEN],
    ['the WhatsApp app secret', WA_SECRET],
    ['the WhatsApp verify token', WA_VERIFY],
    ['the Telegram bot token', TG_TOKEN],
    ['the secret part of the bot token', TG_TOKEN.split(':')[1] ?? ''],
    ['the Telegram webhook secret', TG_SECRET],
    ['the case webhook secret', CASE_WEBHOOK_SECRET],
    ['DATA_KEY', DATA_KEY],
    ['the console password', PASSWORD],
    ['the web chat session', WEB_SESSION],
    ...[...seenSecrets].filter((s) => s.length >= 8).map((s, i): [string, string] => [`a signature, cookie or form token (#${i})`, s]),
  ];
  return [
    ...phones.map(([label, phone]) => phoneNeedle(label, phone)),
    { label: 'the Telegram person\'s id', kind: 'digits', value: String(TG_PERSON.id) },
    { label: 'Sari\'s Telegram id', kind: 'digits', value: String(SARI.id) },
    { label: 'the staff group\'s chat id', kind: 'digits', value: String(-GROUP) },
    ...['Siti', 'Rahmawati', 'Dewi', 'Anggraini', 'Wulandari', 'Purnamasari', 'Bambang', 'Hartono', 'Marni'].map((value): Needle => ({ label: `the name ${value}`, kind: 'word', value })),
    // A name as the reports fold it into a recruiter's key (`name:bambanghartono`).
    ...[WA_NAME, REPORT.name.replace(/^Pak /, ''), REPORT.company.replace(/^PT /, ''), `${TG_PERSON.first_name} ${TG_PERSON.last_name}`].map((name): Needle => ({ label: `the folded name ${name}`, kind: 'text', value: name.toLowerCase().replace(/\s+/g, '') })),
    ...[TG_PERSON.username, SARI.username ?? ''].map((value): Needle => ({ label: `the Telegram username ${value}`, kind: 'text', value })),
    ...texts.flatMap(([label, text]): Needle[] => [{ label, kind: 'text', value: text }, ...wordNeedles(label, text, COMMON)]),
    ...secrets.map(([label, value]): Needle => ({ label, kind: 'text', value })),
  ];
}

describe('the log', () => {
  it('holds none of the personal data, tokens or secrets of the conversations, at any level', () => {
    const byLevel = new Map<number, number>();
    for (const line of lines) {
      const level = (JSON.parse(line) as { level: number }).level;
      byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
    }
    const names: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
    console.info(`log scan: ${lines.length} lines (${[...byLevel].sort(([a], [b]) => a - b).map(([l, n]) => `${names[l] ?? l} ${n}`).join(', ')}), ${needles().length} needles`);
    // The failures above were logged, so the scan read the error lines too.
    expect(byLevel.get(40) ?? 0).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(100);
    expect(findLeaks(lines, needles())).toEqual([]);
  });

  it('gives every line a request id or a background job id', () => {
    const parsed = lines.map((line) => JSON.parse(line) as { reqId?: unknown; job?: unknown; msg?: string });
    const without = parsed.filter((l) => typeof l.reqId !== 'string' && typeof l.job !== 'string');
    expect(without).toEqual([]);
    // Both kinds are there: the requests, and the outbox's deliveries (one id per entry, kept across its retries).
    expect(parsed.some((l) => typeof l.reqId === 'string')).toBe(true);
    expect(parsed.some((l) => typeof l.job === 'string' && l.job.startsWith('outbox:'))).toBe(true);
    const retried = parsed.find((l) => l.msg === 'delivery failed; will retry');
    expect(retried?.job).toMatch(/^outbox:/);
  });

  it('names, on a delivery’s lines, the request that wrote it, through the hotline desk too', () => {
    const parsed = lines.map((line) => JSON.parse(line) as { reqId?: string; job?: string; msg?: string; type?: string; action?: string; event?: string });
    // The person's "ya" (a webhook) asked for a person; delivering that event opened the case.
    const asked = parsed.find((l) => l.msg === 'conversation event' && l.type === 'handoff_requested');
    const opened = parsed.find((l) => l.msg === 'case opened');
    expect(asked?.reqId).toBeDefined();
    expect(opened).toMatchObject({ reqId: asked?.reqId, job: expect.stringMatching(/^outbox:/) as unknown });
    // The case webhook's delivery of the opening (written by the desk while it delivered the event) names the same request.
    expect(parsed.some((l) => l.msg === 'case webhook delivered' && l.event === 'case.opened' && l.reqId === asked?.reqId)).toBe(true);
    // A console action: its request id reaches the case webhook's delivery of it.
    const claimed = parsed.find((l) => l.msg === 'console action' && l.action === 'claimed');
    expect(parsed.some((l) => l.msg === 'case webhook delivered' && l.event === 'case.claimed' && l.reqId === claimed?.reqId)).toBe(true);
  });

  it('would catch a line that logs a phone number, and the redaction hides the keys that hold one', () => {
    const caught: string[] = [];
    const before = lines.length;
    app.log.info({ text: WA_PHONE, to: WA_PHONE, headers: { 'x-hub-signature-256': [...seenSecrets][0] } }, 'redacted');
    app.log.info({ note: '+62 813-1122-4455' }, 'a careless line');
    caught.push(...lines.splice(before));
    expect(caught).toHaveLength(2);
    expect(findLeaks([caught[0] ?? ''], needles())).toEqual([]);
    expect(findLeaks([caught[1] ?? ''], needles()).map((l) => l.label)).toEqual(['the WhatsApp person']);
  });
});
