/**
 * Erasure (issue 10, part 4): `hapus` removes everything stored about the person, and a scan of
 * the whole Redis proves it.
 *
 * Four people use the real app (real redis-server, the fake Graph API and Bot API on loopback,
 * the staff console, the Telegram staff group, the signed case webhook): one on WhatsApp (a phone
 * number, `wamid`s that carry it in base64), one on Telegram (a user id), one on the web chat, and
 * a bystander on WhatsApp. Each forwards a job ad and checks it (typing a recruiter's number),
 * agrees to be handed to hotline staff, writes distinctive sentences to them, gets replies (from
 * the console or the staff group), leaves with `selesai`, files a family report naming a
 * recruiter, goes back to staff from the report, and writes again. Some entries of theirs are
 * given up on (dead letters) while no sender runs.
 *
 * Then three of them type `hapus` and confirm, one after the other, with a staff reply still
 * queued for them (its first send failed). After each erase, with the outbox drained, every key
 * and value in Redis is read, every sealed value opened with the data key, and none may hold
 * any of that person's data: phone numbers in any form, the Telegram id, the web session, the
 * wamids (and the number inside them), names, the sentences and their distinctive words, the
 * report, its number and its recruiter (their pseudonyms too), the person's own pseudonyms.
 * Only the keys listed in `leftovers` may remain: they hold no data and expire on their own.
 * Their cases stay, anonymised, for the statistics; the queued reply never reaches them; the
 * bystander's data is all still there.
 */
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { addStaff } from '../../src/console/staffAccounts.js';
import type { Case, TimelineEntry } from '../../src/handoff/case.js';
import { recruiterKeys } from '../../src/reports/recruiter.js';
import type { PersonRef } from '../../src/storage/keys.js';
import { createSealer } from '../../src/storage/sealer.js';
import { signWebhook } from '../channels/whatsapp/fixtures/load.js';
import { csrfOf, FORM, setCookie } from '../console/support.js';
import { TEST_DATA_KEY, testDataKeys } from '../support/dataKey.js';
import { startFakeBotApi, type FakeBotApi, type FakeUser } from '../support/fakeBotApi.js';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fakeGraphApi.js';
import { startHttpTarget, type HttpTarget } from '../support/httpTarget.js';
import { contains, phoneNeedle, wordNeedles, type Needle } from '../support/logScanner.js';
import { scanRedis, searchable, type ScannedKey } from '../support/redisScan.js';
import { startRedis, untilReady, type RedisServer } from '../support/redisServer.js';
import { until } from '../support/until.js';

const WA_TOKEN = 'EAAGerasureAccessToken4c2d';
const WA_SECRET = 'erasure-app-secret-7e1f';
const PHONE_ID = '106540352242933';
const TG_TOKEN = '7000000002:AAHerasure-token_1a2b3c';
const TG_SECRET = 'erasure-webhook-secret-5d6e';
const GROUP = -1001555000333;
const SARI: FakeUser = { id: 7310000456, first_name: 'Sari', last_name: 'Wulandari', username: 'sari_hotline_smg' };
const CONSOLE_STAFF = { username: 'petugas9', displayName: 'Ani Purnamasari' };
const PASSWORD = 'es dawet ayu di siang hari';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// ---------------------------------------------------------------------------------------------
// The people and what they tell the bot. Every name, place and number is theirs alone, so that
// finding it after their erase can only mean their data was left behind.
// ---------------------------------------------------------------------------------------------

interface Person {
  label: string;
  ref: PersonRef & { channel: 'whatsapp' | 'telegram' | 'web' };
  /** Names the channel knows them by (WhatsApp's profile name, Telegram's first and last name). */
  names: string[];
  telegramUsername?: string;
  /** Where staff answer them: the console, or the case's topic in the staff group. */
  staffVia: 'console' | 'group';
  ad: string;
  adPhone: string;
  /** The recruiter's number typed at the check's question about it. */
  checkRecruiter: string;
  report: { name: string; company: string; phone: string; social: string; place: string; destination: string; job: string; story: string; contactHow: string };
  /** Another number of the person's own (in how staff may contact them). */
  ownPhone: string;
  relay: [string, string, string];
  staffReplies: [string, string];
  /** A staff reply still in the outbox when they erase (its first send fails). */
  queuedReply: string;
  /** A sentence that ends up in the dead letters. */
  deadLetter: string;
  /** Filled in as they go. */
  messageIds: string[];
  caseIds: string[];
  reportId: string;
}

/** A job ad with the warning words the golden ad has (so the check skips the same questions), and the person's own contact. */
const adWith = (contact: string, phone: string, extra: string) =>
  `DIBUTUHKAN SEGERA!!! Admin/CS online di Kamboja gaji 15jt/bulan, tanpa pengalaman, berangkat cepat proses 3 hari, tiket & paspor dibantu, pakai visa kunjungan dulu. ${extra} Hubungi ${contact} ${phone}`;

function person(p: Omit<Person, 'messageIds' | 'caseIds' | 'reportId' | 'ad'> & { adContact: string; adExtra: string }): Person {
  const { adContact, adExtra, ...rest } = p;
  return { ...rest, ad: adWith(adContact, p.adPhone, adExtra), messageIds: [], caseIds: [], reportId: '' };
}

const RATNA = person({
  label: 'Ratna (WhatsApp)',
  ref: { channel: 'whatsapp', id: '6281234567890' },
  names: ['Ratna Sulistyowati'],
  staffVia: 'console',
  adContact: 'Bu Sumirah',
  adPhone: '0857-2233-6677',
  adExtra: 'Kantor di Ruko Pecinan Semarang.',
  checkRecruiter: '0813-7788-9900',
  report: {
    name: 'Pak Darsono Wiryoatmojo',
    company: 'PT Cahaya Samudra Lestari',
    phone: '0821-4455-6677',
    social: '@darsono.kerja.taiwan',
    place: 'Desa Kalijambe, Sragen',
    destination: 'Taiwan, Kaohsiung',
    job: 'perawat lansia',
    story: 'Kakak saya disuruh menandatangani kontrak kosong lalu ijazahnya disita di penampungan Kalijambe',
    contactHow: 'Telepon sore hari ke nomor 0877 1234 5678',
  },
  ownPhone: '0877 1234 5678',
  relay: [
    'Majikan saya di Kuching menyembunyikan paspor di lemari terkunci',
    'Gaji tiga bulan belum dibayar oleh mandor Pardede',
    'Saya bisa menelepon diam-diam setelah jam sembilan malam dari asrama Batukawa',
  ],
  staffReplies: ['Halo Bu Ratna, kami dari hotline. Apakah Ibu aman di Kuching sekarang?', 'Kami menghubungi KJRI Kuching untuk kasus Ibu Ratna'],
  queuedReply: 'Petugas konsuler menelepon Ibu Ratna besok pagi jam delapan',
  deadLetter: 'Sampaikan ke adik saya di Wonosobo bahwa saya baik-baik saja',
});

const WULAN = person({
  label: 'Wulan (Telegram)',
  ref: { channel: 'telegram', id: '7234561098' },
  names: ['Wulan', 'Kusumaningrum'],
  telegramUsername: 'wulan_kusuma_tkw',
  staffVia: 'group',
  adContact: 'Mas Hendrawan',
  adPhone: '0858-3344-7788',
  adExtra: 'Penampungan di Cilacap Tengah.',
  checkRecruiter: '0812-6655-4433',
  report: {
    name: 'Bu Sulastri Handayani',
    company: 'PT Mitra Karya Nusantara Sejati',
    phone: '0822-9988-1122',
    social: '@sulastri.loker.hongkong',
    place: 'Kecamatan Majenang, Cilacap',
    destination: 'Hong Kong, Tsuen Wan',
    job: 'penjaga toko',
    story: 'Sepupu saya dijanjikan kerja di toko tetapi dipaksa membayar dua puluh juta kepada Sulastri',
    contactHow: 'Kirim pesan ke nomor 0896 5544 3322 malam hari',
  },
  ownPhone: '0896 5544 3322',
  relay: [
    'Agen di Majenang mengambil buku tabungan saya',
    'Saya tinggal di mes dekat pelabuhan Tanjungintan',
    'Sudah dua minggu saya tidak boleh keluar dari mes Tanjungintan',
  ],
  staffReplies: ['Mbak Wulan, kami sudah membaca pesan Mbak tentang Majenang', 'Kami akan menghubungi BP3MI Jawa Tengah tentang agen Majenang'],
  queuedReply: 'Mbak Wulan, relawan kami akan datang ke mes Tanjungintan besok',
  deadLetter: 'Nomor ibu saya di Kroya sudah ganti',
});

const FITRI = person({
  label: 'Fitri (web chat)',
  ref: { channel: 'web', id: 'web-fitri-9c4e1b7a2d-sesi' },
  names: [],
  staffVia: 'console',
  adContact: 'Pak Gunadi',
  adPhone: '0819-2121-3434',
  adExtra: 'Berkumpul di Terminal Tirtonadi.',
  checkRecruiter: '0811-5050-6060',
  report: {
    name: 'Pak Kuswanto Prawiro',
    company: 'CV Bintang Timur Perkasa',
    phone: '0823-7070-8080',
    social: '@kuswanto.lowongan.jepang',
    place: 'Desa Banyudono, Boyolali',
    destination: 'Jepang, Nagoya',
    job: 'pengolahan ikan',
    story: 'Keponakan saya diminta menyerahkan sertifikat tanah sebagai jaminan kepada Kuswanto',
    contactHow: 'Lewat surel fitri.banyudono@example.org',
  },
  ownPhone: '',
  relay: [
    'Saya masih di Boyolali dan belum berangkat ke Nagoya',
    'Sertifikat tanah ayah saya sudah dibawa Kuswanto ke Solo',
    'Kuswanto bilang berangkat lewat Batam minggu depan',
  ],
  staffReplies: ['Mbak, jangan serahkan dokumen lagi kepada Kuswanto', 'Kami minta Disnaker Boyolali memeriksa CV Bintang Timur'],
  queuedReply: '',
  deadLetter: 'Saya takut Kuswanto datang ke rumah di Banyudono',
});

const YOHANA = person({
  label: 'Yohana (WhatsApp, not erased)',
  ref: { channel: 'whatsapp', id: '6285711223344' },
  names: ['Yohana Simanjuntak'],
  staffVia: 'group',
  adContact: 'Ibu Rosmawati',
  adPhone: '0852-6677-1100',
  adExtra: 'Interview di Hotel Tiara Medan.',
  checkRecruiter: '0852-1199-8877',
  report: {
    name: 'Pak Togar Panjaitan',
    company: 'PT Sumber Rezeki Toba',
    phone: '0853-4422-6688',
    social: '@togar.agen.malaysia',
    place: 'Kecamatan Balige, Toba',
    destination: 'Malaysia, Sandakan',
    job: 'buruh sawit',
    story: 'Abang saya dibawa ke kebun sawit Sandakan tanpa kontrak oleh Togar',
    contactHow: 'Telepon ke nomor 0813 9090 1212 siang hari',
  },
  ownPhone: '0813 9090 1212',
  relay: [
    'Abang saya terakhir menelepon dari kebun dekat Lahad Datu',
    'Mandor kebun bernama Simorangkir menahan gajinya',
    'Keluarga kami di Balige belum dapat kabar lagi',
  ],
  staffReplies: ['Ibu Yohana, kami mencatat kebun dekat Lahad Datu', 'Kami teruskan ke KJRI Kota Kinabalu'],
  queuedReply: '',
  deadLetter: 'Kakak ipar saya di Siantar juga mau melapor',
});

const PEOPLE = [RATNA, WULAN, FITRI, YOHANA];

// ---------------------------------------------------------------------------------------------
// The app and its fakes
// ---------------------------------------------------------------------------------------------

let redis: RedisServer;
let graph: FakeGraphApi;
let bot: FakeBotApi;
let caseWebhook: HttpTarget;
let app: FastifyInstance;
const sealer = createSealer(testDataKeys);

beforeAll(async () => {
  redis = await startRedis();
  graph = await startFakeGraphApi({ token: WA_TOKEN, phoneNumberId: PHONE_ID });
  bot = await startFakeBotApi({ token: TG_TOKEN });
  caseWebhook = await startHttpTarget();
  bot.addForum(GROUP);
  bot.setChatMember(GROUP, SARI, 'administrator');
  app = await buildApp({
    config: parseConfig({
      LOG_LEVEL: 'silent',
      REDIS_URL: redis.url,
      DATA_KEY: TEST_DATA_KEY,
      HOTLINE: 'on',
      WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'erasure-verify-token',
      WHATSAPP_GRAPH_URL: graph.url,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: bot.url,
      TELEGRAM_CHAT_MPS: '60',
      HOTLINE_TELEGRAM_CHAT_ID: String(GROUP),
      HOTLINE_WEBHOOK_URL: caseWebhook.url,
      HOTLINE_WEBHOOK_SECRET: 'erasure-case-webhook-secret',
      // A failed send is tried again after a second: the queued reply comes back while the erase is done.
      OUTBOX_RECLAIM_SECONDS: '1',
      CHAT_RATE_PER_MINUTE: '10000',
      CHAT_RATE_BURST: '1000',
    }),
  });
  await app.ready();
  await untilReady(app);
  await addStaff(app.waspada.store, { ...CONSOLE_STAFF, password: PASSWORD }, { now: Date.now() });
  await signIn();
}, 30_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([graph?.close(), bot?.close(), caseWebhook?.close()]);
  await redis?.stop();
});

/** Waits until the app's own sender has delivered everything (retries included). */
const drained = () => until(async () => (await app.waspada.store.outboxDepth()) === 0, 'an empty outbox', 30_000);

// ---------------------------------------------------------------------------------------------
// The channels, as the providers, the page and the staff call them
// ---------------------------------------------------------------------------------------------

/**
 * A WhatsApp message id as Meta makes them: base64 of a small record that holds the sender's
 * number in the clear (`HBgN` + the number…), so the id itself is personal data.
 */
function wamidOf(phone: string): string {
  const body = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    Buffer.from(phone),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(randomBytes(10).toString('hex').toUpperCase()),
    Buffer.from([0x00]),
  ]);
  return `wamid.${body.toString('base64')}`;
}

let updateId = 700_000;
let webMessage = 0;

/** What the person sees of the bot, whatever the channel: the texts they received so far. */
async function received(p: Person): Promise<string[]> {
  if (p.ref.channel === 'whatsapp') return graph.textsTo(p.ref.id);
  if (p.ref.channel === 'telegram') return bot.textsTo(Number(p.ref.id));
  return webSeen.get(p.ref.id) ?? [];
}
const webSeen = new Map<string, string[]>();

/** The person sends `text` on their channel; the answer is stored when this returns (it may still be in the outbox). */
async function post(p: Person, text: string): Promise<void> {
  if (p.ref.channel === 'whatsapp') {
    const id = wamidOf(p.ref.id);
    p.messageIds.push(id);
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '6281110002000', phone_number_id: PHONE_ID },
        contacts: [{ profile: { name: p.names[0] ?? '' }, wa_id: p.ref.id }],
        messages: [{ id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, from: p.ref.id }],
      } }] }],
    });
    const res = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(body, WA_SECRET) }, payload: body });
    expect(res.statusCode).toBe(200);
  } else if (p.ref.channel === 'telegram') {
    const update = ++updateId;
    p.messageIds.push(String(update));
    const chat = Number(p.ref.id);
    const [first = '', last = ''] = p.names;
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
      payload: JSON.stringify({
        update_id: update,
        message: {
          message_id: update % 100_000,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chat, type: 'private', first_name: first, last_name: last, username: p.telegramUsername },
          from: { id: chat, is_bot: false, first_name: first, last_name: last, username: p.telegramUsername, language_code: 'id' },
          text,
        },
      }),
    });
    expect(res.statusCode).toBe(200);
  } else {
    // As the page does: a fresh id per message, so that a retried request is answered the same.
    const id = `m${++webMessage}-${randomBytes(4).toString('hex')}`;
    p.messageIds.push(`${p.ref.id}:${id}`);
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session: p.ref.id, id, text } });
    expect(res.statusCode, res.body).toBe(200);
    const seen = webSeen.get(p.ref.id) ?? [];
    seen.push(...res.json<{ messages: Array<{ text: string }> }>().messages.map((m) => m.text));
    webSeen.set(p.ref.id, seen);
  }
}

/** The person writes and the outbox delivers everything that follows from it. */
async function say(p: Person, text: string): Promise<void> {
  await post(p, text);
  await drained();
  if (p.ref.channel === 'web') await fetchWebUpdates(p);
}

/** The web page asks for what reached the person outside an answer (staff replies). */
async function fetchWebUpdates(p: Person): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat/updates', payload: { session: p.ref.id } });
  expect(res.statusCode).toBe(200);
  const seen = webSeen.get(p.ref.id) ?? [];
  for (const m of res.json<{ messages: Array<{ text: string }> }>().messages) if (!seen.includes(m.text)) seen.push(m.text);
  webSeen.set(p.ref.id, seen);
}

/** Waits until the person was told something that matches. */
async function told(p: Person, pattern: RegExp): Promise<string> {
  let found: string | undefined;
  await until(async () => {
    if (p.ref.channel === 'web') await fetchWebUpdates(p);
    found = (await received(p)).find((t) => pattern.test(t));
    return found !== undefined;
  }, `${p.label} to be told ${pattern}`);
  return found ?? '';
}

// The console, as a browser uses it.
let cookie = '';
let csrf = '';
async function signIn(): Promise<void> {
  const form = await app.inject({ url: '/console/login' });
  const login = setCookie(form, 'wsp_console_login')?.value ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/console/login',
    headers: { ...FORM, cookie: `wsp_console_login=${login}` },
    payload: new URLSearchParams({ csrf: csrfOf(form.body), username: CONSOLE_STAFF.username, password: PASSWORD }).toString(),
  });
  expect(res.statusCode).toBe(303);
  cookie = `wsp_console=${setCookie(res, 'wsp_console')?.value ?? ''}`;
  csrf = csrfOf((await app.inject({ url: '/console', headers: { cookie } })).body);
}
async function consolePost(url: string, fields: Record<string, string> = {}): Promise<void> {
  const res = await app.inject({ method: 'POST', url, headers: { ...FORM, cookie }, payload: new URLSearchParams({ csrf, ...fields }).toString() });
  expect(res.statusCode, res.body).toBe(303);
}

/** The topic of a case in the staff group. */
async function topicOf(caseId: string): Promise<number> {
  await until(() => bot.topicsOf(GROUP).some((t) => t.name.startsWith(`#${caseId}`)), `the topic of case ${caseId}`);
  return bot.topicsOf(GROUP).find((t) => t.name.startsWith(`#${caseId}`))?.message_thread_id ?? 0;
}

let staffMessage = 0;
/** A staff member answers the person's open case, where this person's staff work: the console or the case's topic. */
async function staffReplies(p: Person, text: string): Promise<void> {
  const caseId = p.caseIds.at(-1) ?? '';
  if (p.staffVia === 'console') await consolePost(`/console/cases/${caseId}/reply`, { text });
  else {
    const topic = await topicOf(caseId);
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
      payload: JSON.stringify({
        update_id: ++updateId,
        message: { message_id: 90_000 + ++staffMessage, date: Math.floor(Date.now() / 1000), chat: { id: GROUP, type: 'supergroup', title: 'Hotline', is_forum: true }, from: { is_bot: false, ...SARI }, message_thread_id: topic, is_topic_message: true, text },
      }),
    });
    expect(res.statusCode).toBe(200);
  }
}

// ---------------------------------------------------------------------------------------------
// What each person does
// ---------------------------------------------------------------------------------------------

/** Their open case, once the desk has it. */
async function openCaseOf(p: Person): Promise<string> {
  let id: string | undefined;
  await until(async () => (id = await app.waspada.hotline.cases.caseOf(p.ref)) !== undefined, `the case of ${p.label}`);
  return id ?? '';
}

/** A forwarded ad, the check with the recruiter's number, and the hand-over to staff with consent. */
async function checkAndHandOver(p: Person): Promise<void> {
  await say(p, p.ad);
  await told(p, /tanda bahaya/);
  await say(p, 'calo');
  await say(p, p.checkRecruiter);
  for (const answer of ['tidak ada', 'tidak tahu', 'tidak', 'tidak', 'tidak']) await say(p, answer);
  await told(p, /Petugas hotline bisa membantu/);
  await say(p, 'ya');
  p.caseIds.push(await openCaseOf(p));
  await told(p, new RegExp(p.caseIds[0] ?? '-'));
}

/** A family report naming a recruiter, kept, and back to staff from it. */
async function fileReport(p: Person): Promise<void> {
  await say(p, 'menu');
  await say(p, '2');
  const r = p.report;
  for (const answer of ['tidak', r.name, r.company, r.phone, r.social, r.place, 'adik saya', r.destination, r.job, 'paspor ditahan', r.story, 'ya', r.contactHow, 'ya']) await say(p, answer);
  const number = await told(p, /Nomor laporan Anda R[0-9A-Z]{6}/);
  p.reportId = /R[0-9A-Z]{6}/.exec(number)?.[0] ?? '';
  // "Talk to staff about this report?": yes, back to the open case (or a new one after a close).
  await say(p, 'ya');
}

async function wholeStory(p: Person): Promise<void> {
  await checkAndHandOver(p);
  const firstCase = p.caseIds[0] ?? '';
  await say(p, p.relay[0]);
  await consolePost(`/console/cases/${firstCase}/claim`);
  await staffReplies(p, p.staffReplies[0]);
  await drained();
  await told(p, new RegExp(p.staffReplies[0].slice(0, 20)));
  await say(p, p.relay[1]);
  // Back to the bot; on Telegram staff close that first case meanwhile, so the report opens a second one.
  await say(p, 'selesai');
  if (p === WULAN) {
    await consolePost(`/console/cases/${firstCase}/close`, { outcome: 'referred' });
    await drained();
  }
  await fileReport(p);
  const current = await openCaseOf(p);
  if (!p.caseIds.includes(current)) p.caseIds.push(current);
  await say(p, p.relay[2]);
  if (p === WULAN) await consolePost(`/console/cases/${current}/claim`);
  await staffReplies(p, p.staffReplies[1]);
  await drained();
  await told(p, new RegExp(p.staffReplies[1].slice(0, 20)));
}

// ---------------------------------------------------------------------------------------------
// The needles: everything of a person that must be gone after their erase
// ---------------------------------------------------------------------------------------------

/**
 * Words that are no one's in particular: every word the bot itself says (its locales: a stored
 * reply of the web chat quotes them) and words every ad shares.
 */
const COMMON = new Set([
  ...['id', 'en'].flatMap((lang) => (readFileSync(`locales/${lang}.ftl`, 'utf8').match(/[\p{L}][\p{L}'-]{5,}/gu) ?? []).map((w) => w.toLowerCase())),
  ...['dibutuhkan', 'segera', 'online', 'pengalaman', 'berangkat', 'proses', 'dibantu', 'kunjungan', 'hubungi'],
]);

function wordsOf(p: Person): string[] {
  return [p.ad, ...p.relay, ...p.staffReplies, p.queuedReply, p.deadLetter, ...Object.values(p.report)].filter(Boolean);
}

/** The needles of one person; words they share with anyone else are left out (they would be found as the other's). */
function needlesOf(p: Person): Needle[] {
  const others = new Set(PEOPLE.filter((o) => o !== p).flatMap((o) => wordsOf(o).flatMap((t) => (t.match(/[\p{L}][\p{L}'-]{5,}/gu) ?? []).map((w) => w.toLowerCase()))));
  const common = new Set([...COMMON, ...others]);
  const texts: Array<[string, string]> = [
    ['the ad', p.ad],
    ...p.relay.map((t, i): [string, string] => [`what they wrote to staff (${i + 1})`, t]),
    ...p.staffReplies.map((t, i): [string, string] => [`a staff reply (${i + 1})`, t]),
    ['the reply queued when they erased', p.queuedReply],
    ['what went to the dead letters', p.deadLetter],
    ...Object.entries(p.report).map(([k, v]): [string, string] => [`the report's ${k}`, v]),
  ].filter(([, t]) => t !== '') as Array<[string, string]>;
  const phones: Array<[string, string]> = [
    ['the ad\'s number', p.adPhone],
    ['the recruiter\'s number typed in the check', p.checkRecruiter],
    ['the reported recruiter\'s number', p.report.phone],
    ...(p.ownPhone ? [['their other number', p.ownPhone] as [string, string]] : []),
    ...(p.ref.channel === 'whatsapp' ? [['their WhatsApp number', p.ref.id] as [string, string]] : []),
  ];
  const k = app.waspada.store.layout;
  const keys = recruiterKeys({ name: p.report.name, company: p.report.company, phone: p.report.phone, social: p.report.social }, { unknownPhrases: app.waspada.engine.words.unknown });
  return [
    ...phones.map(([label, phone]) => phoneNeedle(label, phone)),
    ...(p.ref.channel === 'telegram' ? [{ label: 'their Telegram id', kind: 'digits' as const, value: p.ref.id }] : []),
    ...(p.ref.channel === 'web' ? [{ label: 'their web chat session', kind: 'text' as const, value: p.ref.id }] : []),
    ...(p.telegramUsername ? [{ label: 'their Telegram username', kind: 'text' as const, value: p.telegramUsername }] : []),
    ...p.names.flatMap((n) => n.split(' ')).map((value): Needle => ({ label: `their name ${value}`, kind: 'word', value })),
    ...texts.flatMap(([label, text]): Needle[] => [{ label, kind: 'text', value: text }, ...wordNeedles(label, text, common)]),
    { label: 'their report number', kind: 'text', value: p.reportId },
    ...keys.map((key): Needle => ({ label: `the reported recruiter's key ${key}`, kind: 'text', value: key })),
    ...keys.map((key): Needle => ({ label: `the pseudonym of the reported recruiter's key ${key}`, kind: 'text', value: k.recruiter(key) })),
    // The message ids they sent (a wamid holds their number), as sent.
    ...p.messageIds.filter((id) => id.startsWith('wamid.')).map((value): Needle => ({ label: 'a wamid they sent', kind: 'text', value })),
    ...pseudonymNeedles(p),
  ];
}

/** The person's own pseudonyms: as a person (their keys), as a reporter; and their messages' (allowed only in the inbound-id keys). */
function pseudonymNeedles(p: Person): Needle[] {
  const k = app.waspada.store.layout;
  const who = `${p.ref.channel}:${p.ref.id}`;
  return [
    { label: 'their pseudonym', kind: 'text', value: k.pseudonymise('person', who) },
    // Every web report counts as one reporter ("web"): that pseudonym is nobody's in particular.
    ...(p.ref.channel === 'web' ? [] : [{ label: 'their reporter pseudonym', kind: 'text' as const, value: k.pseudonymise('reporter', who) }]),
    ...p.messageIds.map((id): Needle => ({ label: `the pseudonym of a message they sent (${id.slice(0, 12)}…)`, kind: 'text', value: k.pseudonymise('message', id) })),
  ];
}

// ---------------------------------------------------------------------------------------------
// What may remain: keys that hold no data and expire on their own
// ---------------------------------------------------------------------------------------------

interface Leftover {
  why: string;
  matches: (key: string) => boolean;
  /** The whole value: nothing but a number or a marker. */
  value: RegExp;
  /** It must expire, and within this. */
  maxTtlMs: number;
  /** The needles (by label prefix) the key may hold: a pseudonym, never content. */
  mayHold: string[];
}

/**
 * The keys of a person that may remain after their erase. Not listed, because they hold none of
 * the needles: `wsp:wa-case:<pseudonym of a wamid the bot sent>` (the case id of a staff message,
 * 7 days, for a late failed status; the case is anonymised) and the cases themselves.
 */
function leftovers(p: Person): Leftover[] {
  const k = app.waspada.store.layout;
  const personPrefix = k.session(p.ref).replace(/:session$/, '');
  const exact = (key: string) => (candidate: string) => candidate === key;
  return [
    {
      // An erase leaves the next version of the session and nothing else: a step computed before
      // the erase and committed late fails its version check instead of writing the answers back.
      why: 'the erase tombstone (a version number)',
      matches: exact(k.session(p.ref)),
      value: /^\d+:$/,
      maxTtlMs: 10 * MINUTE,
      mayHold: ['their pseudonym'],
    },
    {
      // The per-person message count, carried over the erase so that `hapus` does not reset the limit.
      why: 'the message count an erase kept (counts and times)',
      matches: exact(k.erasePace(p.ref)),
      value: /^\{"since":\d+,"count":\d+(,"quietUntil":\d+)?\}$/,
      maxTtlMs: 2 * MINUTE,
      mayHold: ['their pseudonym'],
    },
    {
      // When the person erased (ms): a message written for them before it and still queued is not sent.
      why: 'the erased-at marker (a time)',
      matches: exact(k.erasedAt(p.ref)),
      value: /^\d+$/,
      maxTtlMs: DAY,
      mayHold: ['their pseudonym'],
    },
    {
      // The hotline acted on this event of the person (their handoffs, messages, the erase itself):
      // a redelivered event is not acted on twice, which would put their words back in a case.
      why: 'a hotline event marker (`1`)',
      matches: (key) => key.startsWith(`${personPrefix}:ev:`),
      value: /^1$/,
      maxTtlMs: DAY,
      mayHold: ['their pseudonym'],
    },
    {
      // The pace of sends to a Telegram chat (the next free time, ms): the erase's own summary was
      // just sent. It lives a second past that time.
      why: 'the Telegram chat pace (a time)',
      matches: exact(k.telegramChatPace(p.ref.id)),
      value: /^\d+(\.\d+)?$/,
      maxTtlMs: 10_000,
      mayHold: ['their pseudonym'],
    },
    {
      // A handled inbound message, under a pseudonym of its id (not of the person): a provider
      // that delivers it again within 7 days (WhatsApp does) must not start the conversation over.
      // The web chat's confirmation of the erase keeps its reply (sealed) for an hour, for a page
      // that lost it; that reply quotes nothing of theirs (the needles are searched in it too).
      why: 'an inbound-id marker (`1`)',
      matches: (key) => p.messageIds.some((id) => key === k.inbound(p.ref, id)),
      value: p.ref.channel === 'web' ? /^(1|wsp1\.[\w-]+\.[\w-]+)$/ : /^1$/,
      maxTtlMs: 7 * DAY,
      mayHold: ['the pseudonym of a message they sent'],
    },
  ];
}

/** What the scan found of a person: the needles in keys and values outside the allowed leftovers, and leftovers that break their rule. */
function findings(scan: ScannedKey[], p: Person, remaining: Array<{ key: string; why: string; ttlMs: number }> = []): string[] {
  const needles = needlesOf(p);
  const allowed = leftovers(p);
  const found: string[] = [];
  for (const entry of scan) {
    const rule = allowed.find((l) => l.matches(entry.key));
    if (rule) remaining.push({ key: entry.key, why: rule.why, ttlMs: entry.ttlMs });
    const texts = [entry.key, ...entry.raw, ...entry.opened].map(searchable);
    for (const needle of needles) {
      if (rule?.mayHold.some((label) => needle.label.startsWith(label)) && contains(searchable(entry.key), needle)) continue;
      if (texts.some((t) => contains(t, needle))) found.push(`${entry.key} (${entry.type}): ${needle.label}`);
    }
    if (rule) {
      if (entry.type !== 'string' || !rule.value.test(entry.raw[0] ?? '')) found.push(`${entry.key}: ${rule.why} holds ${JSON.stringify(entry.raw).slice(0, 200)}`);
      if (!(entry.ttlMs > 0 && entry.ttlMs <= rule.maxTtlMs)) found.push(`${entry.key}: ${rule.why} expires in ${entry.ttlMs} ms, not within ${rule.maxTtlMs}`);
    }
  }
  return found;
}

/** The needles of a person found in the scan: for one not erased, all of their data should still be there. */
function present(scan: ScannedKey[], p: Person): Set<string> {
  const texts = scan.flatMap((e) => [e.key, ...e.raw, ...e.opened]).map(searchable);
  return new Set(needlesOf(p).filter((n) => texts.some((t) => contains(t, n))).map((n) => n.label));
}

const scanAll = () => scanRedis(redis.url, sealer);

// ---------------------------------------------------------------------------------------------
// The erase, and the anonymised cases
// ---------------------------------------------------------------------------------------------

/**
 * A staff reply goes out while the person's channel fails, so that it is still in the outbox
 * (waiting for its retry) when they type `hapus` and confirm.
 */
async function eraseWithReplyQueued(p: Person): Promise<number> {
  if (p.queuedReply) {
    if (p.ref.channel === 'whatsapp') graph.failNext(5, 'server');
    else bot.failNext(3, 'network', { method: 'sendMessage' });
    await staffReplies(p, p.queuedReply);
  }
  await post(p, 'hapus');
  await post(p, 'ya');
  const erasedAt = Date.now();
  await drained();
  await told(p, /sudah dihapus|dihapus/);
  return erasedAt;
}

const AUDIT_TEXTS = new Set(['high_risk', 'asked_for_person', 'abroad', 'report', 'emergency', 'referred', 'resolved', 'no_response', 'duplicate', 'spam', 'erased']);

/** Every case of the person is kept for the statistics, with nothing of theirs in it. */
async function expectAnonymised(p: Person): Promise<void> {
  const desk = app.waspada.hotline;
  const closed = new Set((await desk.cases.list({ status: 'closed', limit: 1000 })).map((c) => c.id));
  for (const id of p.caseIds) {
    const c = (await desk.cases.get(id)) as Case;
    expect(c, `case ${id} of ${p.label} is kept`).toBeDefined();
    expect(closed.has(id), `case ${id} is listed among the closed cases`).toBe(true);
    expect(c).toMatchObject({ id, status: 'closed', personPresent: false, summary: { answers: {}, channel: p.ref.channel } });
    expect(c.person).toBeUndefined();
    expect(c.outcome).toBe(p === WULAN && id === p.caseIds[0] ? 'referred' : 'erased');
    expect(typeof c.openedAt).toBe('number');
    expect(typeof c.closedAt).toBe('number');
    expect(['normal', 'high', 'urgent']).toContain(c.priority);
    // The check's result stays for the statistics: its level and signs (no words of the person).
    if (id === p.caseIds[0]) expect(c.summary).toMatchObject({ reason: 'high_risk', level: 'high', signs: expect.arrayContaining(['scam_hub_offer']) as unknown });
    const timeline: TimelineEntry[] = await desk.cases.timeline(id);
    expect(timeline.some((e) => e.type === 'erased')).toBe(true);
    expect(timeline.filter((e) => e.type === 'message')).toEqual([]);
    for (const e of timeline) if (e.text !== undefined) expect(AUDIT_TEXTS.has(e.text), `timeline text "${e.text}"`).toBe(true);
    // Staff actions stay in the audit, with who and when.
    expect(timeline.some((e) => e.type === 'claimed' && e.by.kind === 'staff')).toBe(true);
    // The case system heard of it, without the answers; the staff group's topic went with their words.
    const told = (caseWebhook.received as Array<{ type: string; case: Case; entry?: TimelineEntry }>).filter((e) => e.case.id === id && e.type === 'case.closed' && e.entry?.type === 'erased');
    expect(told.length, `case.closed (erased) of ${id} reached the case webhook`).toBeGreaterThan(0);
    expect(told.every((e) => Object.keys(e.case.summary.answers).length === 0 && e.case.person === undefined)).toBe(true);
    expect(bot.topicsOf(GROUP).some((t) => t.name.startsWith(`#${id}`))).toBe(false);
  }
}

/** A person who has not erased still has all of it: conversation, cases with their address and words, report. */
async function expectIntact(scan: ScannedKey[], p: Person): Promise<void> {
  const found = present(scan, p);
  for (const label of [
    'the recruiter\'s number typed in the check',
    ...p.relay.map((_, i) => `what they wrote to staff (${i + 1})`),
    ...p.staffReplies.map((_, i) => `a staff reply (${i + 1})`),
    'what went to the dead letters',
    'the report\'s story',
    'the reported recruiter\'s number',
    'their report number',
    'their pseudonym',
    ...(p.ref.channel === 'whatsapp' ? ['their WhatsApp number'] : []),
  ]) {
    expect(found.has(label), `${p.label}: ${label} is still stored`).toBe(true);
  }
  const c = await app.waspada.hotline.cases.get(p.caseIds.at(-1) ?? '');
  expect(c?.person).toEqual({ channel: p.ref.channel, id: p.ref.id });
  expect(JSON.stringify(await app.waspada.hotline.cases.timeline(c?.id ?? ''))).toContain(p.relay[2]);
  expect((await app.waspada.reports.get(p.reportId))?.content.happened.text).toBe(p.report.story);
  expect(await app.waspada.pipeline.connectedToStaff(p.ref)).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe('erasure', () => {
  it('four people check an ad, reach staff, write to them, report a recruiter and write again', async () => {
    for (const p of PEOPLE) await wholeStory(p);
    expect(PEOPLE.map((p) => p.reportId).every((id) => /^R[0-9A-Z]{6}$/.test(id))).toBe(true);
    expect(WULAN.caseIds).toHaveLength(2);
  }, 180_000);

  it('some of their entries are given up on while no sender runs: the dead letters hold their words', async () => {
    const sender = app.waspada.sender;
    if (!sender) throw new Error('the app runs its own sender');
    await sender.stop();
    try {
      // What they write now goes into the outbox and stays there: nobody sends it.
      for (const p of PEOPLE) {
        await post(p, p.deadLetter);
        if (p.staffVia === 'console') await consolePost(`/console/cases/${p.caseIds.at(-1) ?? ''}/reply`, { text: `${p.deadLetter.split(' ').slice(-3).join(' ')}? Kami catat.` });
      }
      // A sender that gives up on them does what this does: it claims them and moves them to the dead letters.
      const store = app.waspada.store;
      const items = await store.claimOutbox('erasure-test', 1000);
      expect(items.length).toBeGreaterThanOrEqual(PEOPLE.length);
      await store.deadLetterOutbox(items);
      expect(await store.outboxDepth()).toBe(0);
      expect(await store.deadLetterDepth()).toBe(items.length);
    } finally {
      sender.start();
    }
  });

  it('the scan sees everything of everyone before anyone erases', async () => {
    const scan = await scanAll();
    for (const p of PEOPLE) await expectIntact(scan, p);
    // The scan opened the sealed values: the words are nowhere in the clear.
    const clear = scan.flatMap((e) => [e.key, ...e.raw]).join('\n');
    for (const p of PEOPLE) expect(clear).not.toContain(p.relay[0]);
  });

  for (const [p, others] of [
    [RATNA, [WULAN, FITRI, YOHANA]],
    [WULAN, [FITRI, YOHANA]],
    [FITRI, [YOHANA]],
  ] as const) {
    it(`${p.label} erases: nothing of theirs is left in Redis, their cases stay anonymised, the others keep their data`, async () => {
      const before = await received(p);
      await eraseWithReplyQueued(p);
      // The reply that was queued before the erase never reached them.
      if (p.queuedReply) {
        expect(before.some((t) => t.includes(p.queuedReply))).toBe(false);
        expect((await received(p)).some((t) => t.includes(p.queuedReply)), 'the queued reply was not delivered').toBe(false);
      }
      const scan = await scanAll();
      const remaining: Array<{ key: string; why: string; ttlMs: number }> = [];
      expect(findings(scan, p, remaining)).toEqual([]);
      // The allowed leftovers are really there (the rules are not idle), each expiring on its own.
      const kinds = new Set(remaining.map((r) => r.why));
      for (const why of ['the erase tombstone (a version number)', 'the erased-at marker (a time)', 'a hotline event marker (`1`)', 'an inbound-id marker (`1`)']) expect(kinds.has(why), why).toBe(true);
      console.info(`erasure scan, ${p.label}: ${scan.length} keys read; left: ${[...kinds].map((why) => `${why} ×${remaining.filter((r) => r.why === why).length} (≤ ${Math.ceil(Math.max(...remaining.filter((r) => r.why === why).map((r) => r.ttlMs)) / 1000)} s)`).join(', ')}`);
      await expectAnonymised(p);
      expect(await app.waspada.reports.get(p.reportId)).toBeUndefined();
      for (const other of others) await expectIntact(scan, other);
    }, 60_000);
  }

  it('would catch data left behind: a sealed sentence, a wamid, the person\'s pseudonym in a key, a pace key that never expires', async () => {
    const store = app.waspada.store;
    const k = store.layout;
    const stray = [
      ['wsp:test:sealed', sealer.seal(JSON.stringify({ note: `kept: ${RATNA.relay[1]}` }))],
      ['wsp:test:wamid', `{"id":"${wamidOf(RATNA.ref.id)}"}`],
      [`wsp:test:${k.pseudonymise('person', `whatsapp:${RATNA.ref.id}`)}:notes`, '1'],
    ] as const;
    for (const [key, value] of stray) await store.set(key, value, 60_000);
    redis.cli('SET', k.telegramChatPace(WULAN.ref.id), '12.5');
    try {
      const found = findings(await scanAll(), RATNA).join('\n') + findings(await scanAll(), WULAN).join('\n');
      expect(found).toContain('wsp:test:sealed (string): what they wrote to staff (2)');
      expect(found).toContain('wsp:test:wamid (string): their WhatsApp number');
      expect(found).toContain(':notes (string): their pseudonym');
      expect(found).toMatch(/the Telegram chat pace \(a time\) expires in -1 ms/);
    } finally {
      await store.delete(...stray.map(([key]) => key), k.telegramChatPace(WULAN.ref.id));
    }
  });

  it('Yohana, who did not erase, still has everything, and the erased people are gone from the reports', async () => {
    const scan = await scanAll();
    await expectIntact(scan, YOHANA);
    const exported = await app.waspada.reports.exportAll();
    expect(exported.map((r) => r.id)).toEqual([YOHANA.reportId]);
    for (const p of [RATNA, WULAN, FITRI]) expect(findings(scan, p)).toEqual([]);
  });
});
