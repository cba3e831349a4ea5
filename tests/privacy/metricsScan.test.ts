/**
 * The metrics scan: whole conversations through the real app on a real redis-server, then
 * `GET /metrics`, which must hold none of the test's personal data and whose `waspada_` labels
 * must all come from bounded sets.
 *
 * - WhatsApp (signed webhooks, the fake Graph API), a person identified by phone number with a
 *   profile name: a forwarded job ad naming a recruiter, the whole job-offer check (a high
 *   result), the request for a person with consent, a message to staff, a claim, a staff reply,
 *   a reply WhatsApp refuses (131047: the window is closed), the close, and `hapus`;
 * - Telegram (the fake Bot API): a send that fails with a network error and is retried, and a
 *   person who blocked the bot (403);
 * - the web chat (a pasted ad, `hapus`), the public ad check, and requests whose URLs hold a case
 *   number or a phone number.
 */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { loadAdModel } from '../../src/content/adModel.js';
import { CASE_OUTCOMES, CASE_REASONS, CHANNELS, INPUT_TYPES, LEVELS, PRIORITIES } from '../../src/metrics/labels.js';
import { signWebhook } from '../channels/whatsapp/fixtures/load.js';
import { FLOWS_DIR } from '../support/content.js';
import { TEST_DATA_KEY } from '../support/dataKey.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { findLeaks, phoneNeedle, wordNeedles, type Needle } from '../support/logScanner.js';
import { startRedis, untilReady, type RedisServer } from '../support/redisServer.js';
import { until } from '../support/until.js';

const WA_TOKEN = 'EAAGmetricsAccessToken3c9d';
const WA_SECRET = 'metrics-app-secret-7a2e41';
const PHONE_ID = '106540352242922';
const TG_TOKEN = '7000000002:AAHmetrics-token_1a2b3c4d';
const TG_SECRET = 'metrics-webhook-secret-9c1d';
const METRICS_TOKEN = 'metrics-scan-token-0b8e6f2d';

const WA_PHONE = '6281322445566';
const WA_NAME = 'Rina Kusumawati';
const TG_PERSON = { id: 7223344556, first_name: 'Wulan', last_name: 'Sulistyowati', username: 'wulan_sulis_tkw' };
const TG_BLOCKER = { id: 7334455667, first_name: 'Yanti', last_name: 'Permatasari', username: 'yanti_permata' };
const WEB_SESSION = 'web-3f9e1c7a-metrik-sesi-8d2b';
const STAFF = { name: 'Lestari Handayani', via: 'console' as const };

const WA_AD =
  'LOWONGAN KILAT!!! Admin judi online di Poipet Kamboja, gaji 20jt/bulan, tanpa ijazah, tiket dan paspor ditanggung, ' +
  'berangkat lusa pakai visa turis. Hubungi Mas Suprapto 0857-4411-8899';
const WA_TO_STAFF = 'Saya sekarang di Sihanoukville, penampungan menahan paspor saya di kantornya';
const STAFF_REPLY = 'Halo Bu Rina, saya Lestari dari hotline. Apakah Ibu aman sekarang?';
const REFUSED_REPLY = 'Kami sudah menghubungi KBRI Phnom Penh untuk Ibu, mohon tunggu kabar';
const WEB_AD = 'Dicari pengasuh Hongkong langsung kerja, potong gaji tujuh bulan, paspor dipegang majikan. WA 0838-7766-5544';
const ASSESS_AD = 'Kerja pabrik Taiwan tanpa biaya, tapi bayar dulu 35 juta ke rekening Bu Sumarni 0812-9988-7766, visa kunjungan saja';

let redis: RedisServer;
let graph: FakeGraphApi;
let bot: FakeBotApi;
let app: FastifyInstance;
let caseId = '';

beforeAll(async () => {
  redis = await startRedis();
  graph = await startFakeGraphApi({ token: WA_TOKEN, phoneNumberId: PHONE_ID });
  bot = await startFakeBotApi({ token: TG_TOKEN });
  app = await buildApp({
    config: parseConfig({
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      DATA_KEY: TEST_DATA_KEY,
      HOTLINE: 'on',
      METRICS_TOKEN,
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'metrics-verify-token',
      WHATSAPP_GRAPH_URL: graph.url,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: bot.url,
      TELEGRAM_CHAT_MPS: '60',
      // A failed send is tried again after a second.
      OUTBOX_RECLAIM_SECONDS: '1',
    }),
  });
  await app.ready();
  await untilReady(app);
}, 30_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([graph?.close(), bot?.close()]);
  await redis?.stop();
});

const drained = () => until(async () => (await app.waspada.store.outboxDepth()) === 0, 'an empty outbox');

let waMessage = 0;
/** The person writes on WhatsApp (by phone number, with a profile name); waits for `replies` more messages. */
async function wa(text: string, replies = 1): Promise<void> {
  const before = graph.textsTo(WA_PHONE).length;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
      contacts: [{ profile: { name: WA_NAME }, wa_id: WA_PHONE }],
      messages: [{ id: `wamid.metrics-${++waMessage}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, from: WA_PHONE }],
    } }] }],
  });
  const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, WA_SECRET) }, payload: body });
  expect(res.statusCode).toBe(200);
  if (replies > 0) await until(() => graph.textsTo(WA_PHONE).length >= before + replies, `a WhatsApp reply to "${text}"`);
}

let updateId = 700_000;
/** A Telegram person writes in their private chat. */
async function tg(person: typeof TG_PERSON, text: string): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
    payload: JSON.stringify({
      update_id: ++updateId,
      message: { message_id: updateId % 100_000, date: Math.floor(Date.now() / 1000), chat: { id: person.id, type: 'private', first_name: person.first_name, last_name: person.last_name, username: person.username }, from: { ...person, is_bot: false, language_code: 'id' }, text },
    }),
  });
  expect(res.statusCode).toBe(200);
}

/** The inputs of a golden conversation (kept in step with the flows by whoever changes them). */
function goldenInputs(name: string): string[] {
  const golden = JSON.parse(readFileSync(new URL(`../golden/${name}.json`, import.meta.url), 'utf8')) as { steps: Array<{ in: string }> };
  return golden.steps.map((s) => s.in);
}

/** The metrics as Prometheus scrapes them. */
async function scrape(): Promise<string> {
  const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

describe('whole conversations, then the metrics', () => {
  it('WhatsApp: an ad, the check, a person with consent, staff, a refused reply, erase', async () => {
    await wa(WA_AD, 2);
    for (const input of goldenInputs('check.documents-held')) await wa(input);
    await wa('menu');
    await wa('4');
    await until(() => graph.textsTo(WA_PHONE).some((t) => /tidak melihat nomor HP/.test(t)), 'the consent question');
    await wa('ya');
    await until(async () => (await app.waspada.hotline.cases.list({})).length > 0, 'the case');
    caseId = (await app.waspada.hotline.cases.list({}))[0]?.id ?? '';
    await wa(WA_TO_STAFF, 0);
    await drained();
    await app.waspada.hotline.claim(caseId, STAFF);
    await app.waspada.hotline.reply(caseId, STAFF_REPLY, STAFF);
    await until(() => graph.textsTo(WA_PHONE).some((t) => t.includes('saya Lestari dari hotline')), 'the staff reply');
    graph.closeWindow(WA_PHONE);
    await app.waspada.hotline.reply(caseId, REFUSED_REPLY, STAFF);
    await until(() => graph.requests.some((r) => r.outcome.kind === 'rejected' && r.outcome.code === 131047), 'the refusal');
    await drained();
    graph.openWindow(WA_PHONE);
    await app.waspada.hotline.close(caseId, 'referred', STAFF);
    await drained();
    await wa('hapus');
    await wa('ya');
    await drained();
  }, 90_000);

  it('Telegram: a send that fails and is retried, a person who blocked the bot', async () => {
    bot.failNext(1, 'network', { method: 'sendMessage' });
    await tg(TG_PERSON, '/start');
    await until(() => bot.textsTo(TG_PERSON.id).length > 0, 'the retried welcome', 30_000);
    bot.failNext(1, 'blocked', { method: 'sendMessage' });
    await tg(TG_BLOCKER, '/start');
    await drained();
  }, 60_000);

  it('the web chat, the ad check, and URLs that hold a case number or a phone number', async () => {
    const web = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: WEB_SESSION, ...body } });
    for (const body of [{ start: '' }, { text: WEB_AD }, { text: 'hapus' }, { text: 'ya' }]) expect((await web(body)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/assess', payload: { text: ASSESS_AD } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/console/cases/${caseId}` })).statusCode).toBe(303);
    expect((await app.inject({ url: `/console/cases/0${WA_PHONE.slice(2)}` })).statusCode).toBe(303);
    expect((await app.inject({ url: `/wa.me/${WA_PHONE}?text=${encodeURIComponent(WA_TO_STAFF)}` })).statusCode).toBe(404);
  });
});

/** The `waspada_` samples: metric name and labels. */
function samples(body: string): Array<{ name: string; labels: Record<string, string> }> {
  return body
    .split('\n')
    .filter((l) => l.startsWith('waspada_'))
    .map((line) => {
      const m = /^(\w+)(?:\{(.*)\})? \S+$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((p) => [p[1] ?? '', p[2] ?? '']));
      return { name: m[1] ?? '', labels };
    });
}

describe('the metrics', () => {
  /** Words of the messages that are also words of the metrics' help texts. */
  const COMMON = new Set<string>(['hotline']);

  function needles(): Needle[] {
    const texts = [WA_AD, WA_TO_STAFF, STAFF_REPLY, REFUSED_REPLY, WEB_AD, ASSESS_AD];
    return [
      ...[WA_PHONE, '0857-4411-8899', '0838-7766-5544', '0812-9988-7766'].map((p) => phoneNeedle(`the number ${p}`, p)),
      ...[TG_PERSON, TG_BLOCKER].flatMap((p): Needle[] => [
        { label: `Telegram id ${p.id}`, kind: 'digits', value: String(p.id) },
        { label: `Telegram username ${p.username}`, kind: 'text', value: p.username },
      ]),
      ...['Rina', 'Kusumawati', 'Wulan', 'Sulistyowati', 'Yanti', 'Permatasari', 'Lestari', 'Handayani', 'Suprapto', 'Sumarni'].map((value): Needle => ({ label: `the name ${value}`, kind: 'word', value })),
      ...texts.flatMap((text, i): Needle[] => [{ label: `message ${i}`, kind: 'text', value: text }, ...wordNeedles(`message ${i}`, text, COMMON)]),
      { label: 'the web chat session', kind: 'text', value: WEB_SESSION },
      { label: 'the case number', kind: 'word', value: caseId },
      ...[WA_TOKEN, WA_SECRET, TG_TOKEN, TG_SECRET, METRICS_TOKEN, TEST_DATA_KEY].map((value, i): Needle => ({ label: `secret ${i}`, kind: 'text', value })),
    ];
  }

  it('count what happened', async () => {
    await drained();
    const body = await scrape();
    const value = (series: string) => Number(body.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? Number.NaN);
    console.info(`metrics scan: a scrape of ${body.length} bytes, ${body.split('\n').filter((l) => l && !l.startsWith('#')).length} samples`);
    expect(value('waspada_inbound_messages_total{channel="whatsapp",type="text",outcome="handled"}')).toBeGreaterThan(15);
    expect(value('waspada_checks_total{source="chat",level="high"}')).toBeGreaterThanOrEqual(1);
    expect(value('waspada_signs_found_total{source="chat",sign="scam_hub_offer"}')).toBeGreaterThanOrEqual(1);
    expect(value('waspada_checks_total{source="api",level="high"}')).toBe(1);
    expect(value('waspada_ads_analysed_total{source="chat"}')).toBeGreaterThanOrEqual(2);
    expect(value('waspada_sends_total{kind="message",channel="whatsapp",result="sent",code="none"}')).toBeGreaterThan(15);
    expect(value('waspada_sends_total{kind="message",channel="whatsapp",result="refused",code="131047"}')).toBe(1);
    expect(value('waspada_sends_total{kind="message",channel="telegram",result="failed",code="network"}')).toBe(1);
    expect(value('waspada_sends_total{kind="message",channel="telegram",result="refused",code="403"}')).toBe(1);
    expect(value('waspada_handoffs_opened_total{reason="asked_for_person",priority="normal"}')).toBe(1);
    expect(value('waspada_handoffs_claimed_total{priority="normal"}')).toBe(1);
    expect(value('waspada_handoffs_closed_total{outcome="referred"}')).toBe(1);
    expect(value('waspada_handoff_time_to_claim_seconds_count{priority="normal"}')).toBe(1);
    expect(value('waspada_outbox_lag_seconds_count{kind="message"}')).toBeGreaterThan(15);
    expect(value('waspada_outbox_depth')).toBe(0);
    expect(value('waspada_store_up')).toBe(1);
  });

  it('hold none of the personal data, tokens or secrets', async () => {
    const body = await scrape();
    expect(findLeaks(body.split('\n'), needles())).toEqual([]);
    // The scan would see a label that held a number, a name or a case number.
    for (const line of [`waspada_x{to="+62 813-2244-5566"} 1`, `waspada_x{name="rina"} 1`, `waspada_x{case="${caseId}"} 1`]) expect(findLeaks([line], needles())).not.toEqual([]);
  });

  it('take every label of their own from a bounded set', async () => {
    const signs = new Set(loadAdModel(FLOWS_DIR).catalogue.signs.map((s) => s.id));
    const codes = /^(none|network|timeout|store|error|other|\d{1,6})$/;
    const allowed: Record<string, (v: string, name: string) => boolean> = {
      channel: (v) => CHANNELS.has(v),
      type: (v) => INPUT_TYPES.has(v),
      outcome: (v, name) => (name.startsWith('waspada_inbound') ? ['handled', 'duplicate', 'failed'].includes(v) : CASE_OUTCOMES.has(v)),
      source: (v) => v === 'chat' || v === 'api',
      level: (v) => LEVELS.has(v),
      sign: (v) => signs.has(v) || v === 'other',
      kind: (v) => v === 'message' || v === 'event',
      result: (v) => ['sent', 'refused', 'skipped', 'failed'].includes(v),
      code: (v) => codes.test(v),
      reason: (v, name) => (name.startsWith('waspada_store') ? v === 'timeout' || v === 'unavailable' : CASE_REASONS.has(v)),
      priority: (v) => PRIORITIES.has(v),
      method: (v) => ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other'].includes(v),
      route: (v) => v === 'unmatched' || ['GET', 'POST'].some((method) => app.hasRoute({ method, url: v })),
      status_class: (v) => /^[1-5]xx$/.test(v),
      le: (v) => v === '+Inf' || Number.isFinite(Number(v)),
    };
    const found = samples(await scrape());
    expect(found.length).toBeGreaterThan(50);
    const bad = found.flatMap(({ name, labels }) =>
      Object.entries(labels)
        .filter(([label, v]) => !(allowed[label]?.(v, name) ?? false))
        .map(([label, v]) => `${name} ${label}="${v}"`),
    );
    expect(bad).toEqual([]);
  });
});
