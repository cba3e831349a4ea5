/**
 * Families protect the next person: two different reporters name a recruiter's number, and a
 * person who later types that number (written another way) during a job-offer check is warned,
 * with the warning counted as a major sign. One reporter sending the same report three times is
 * no warning. The whole way runs through the app: the web chat, the outbox, the desk, the store.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

let app: FastifyInstance;

beforeEach(async () => {
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), senders: { web: async () => undefined, whatsapp: async (to, m) => void whatsappTexts.push({ to, text: m.text }) } });
  whatsappTexts = [];
  await app.ready();
});
afterEach(() => app.close());

type Answer = { messages: Array<{ text: string; choices?: Array<{ id: string }> }> };
const say = async (session: string, body: Record<string, unknown>): Promise<Answer> => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session, ...body } });
  expect(res.statusCode).toBe(200);
  return res.json<Answer>();
};
const drain = async () => {
  for (let i = 0; i < 400 && (await app.waspada.store.outboxDepth()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
};

let waId = 0;
/** What the bot sent on WhatsApp, by person. */
let whatsappTexts: Array<{ to: string; text: string }> = [];

/**
 * A family member files a report naming the recruiter's number, as typed: on WhatsApp (a real
 * number is a real reporter), or on the web chat, whose session ids anyone can make up.
 */
async function report(who: string, phone: string, channel: 'whatsapp' | 'web' = 'whatsapp', company = 'tidak tahu'): Promise<string> {
  const inputs = [
    { kind: 'start' as const, payload: 'report' },
    ...['tidak', 'Pak Budi', company, phone, 'tidak tahu', 'Desa Sukamaju', 'anak saya', 'Malaysia', 'pabrik'].map((text) => ({ kind: 'text' as const, text })),
    { kind: 'choice' as const, id: 'placement_fee' },
    ...['diminta bayar 20 juta sebelum berangkat', 'tidak', 'ya'].map((text) => ({ kind: 'text' as const, text })),
  ];
  let said = '';
  for (const input of inputs) {
    if (channel === 'web') {
      const body = input.kind === 'text' ? { text: input.text } : input.kind === 'start' ? { start: input.payload } : { choice: input.id };
      said += (await say(who, body)).messages.map((m) => m.text).join('\n') + '\n';
    } else await app.waspada.pipeline.handle({ channel: 'whatsapp', userId: who, messageId: `wamid.${waId++}`, input });
  }
  await drain();
  if (channel === 'whatsapp') said = whatsappTexts.filter((m) => m.to === who).map((m) => m.text).join('\n');
  const id = /Nomor laporan Anda (R[0-9A-Z]{6})/.exec(said)?.[1];
  if (!id) throw new Error('no report number was told');
  return id;
}

/** A person checks an offer and types the recruiter's number at the question about it. */
async function checkNaming(session: string, phone: string): Promise<string> {
  await say(session, { start: 'check' });
  await say(session, { choice: 'malaysia_singapore' });
  await say(session, { choice: 'factory_construction' });
  await say(session, { choice: 'individual' });
  const told = await say(session, { text: phone });
  return told.messages.map((m) => m.text).join('\n');
}

describe('warnings from family reports', () => {
  it('warns the next person after two different reporters, whatever way the number is written', async () => {
    const first = await report('6281100000001', '0812-3456-7890');
    await report('6281100000002', '+62 812 3456 7890');
    expect(first).toMatch(/^R/);
    const told = await checkNaming('person-c-0001', 'wa.me/6281234567890');
    expect(told).toContain('2 orang sudah melaporkan perekrut ini');
    // Nothing of who reported, or what they wrote.
    expect(told).not.toMatch(/Budi|Sukamaju|20 juta/);
    // The warning is a major sign of the result.
    const answers = ['tidak', 'tidak', 'tidak', 'tidak', 'tidak', 'tidak', 'tidak', 'tidak', 'tidak'];
    let last: Answer = { messages: [] };
    for (const text of answers) {
      last = await say('person-c-0001', { text });
      if (last.messages.some((m) => /Perekrut dilaporkan orang lain/.test(m.text))) break;
    }
    expect(last.messages.map((m) => m.text).join('\n')).toContain('Perekrut dilaporkan orang lain');
  });

  it('does not warn after one reporter, even one who sent the same report three times', async () => {
    for (let i = 0; i < 3; i++) await report('6281100000003', '081298765432');
    const told = await checkNaming('person-e-0001', '+6281298765432');
    expect(told).not.toMatch(/melaporkan perekrut ini/);
  });

  it('counts every web chat report as one reporter: made-up session ids are no people', async () => {
    await report('web-reporter-0001', '081277776666', 'web');
    await report('web-reporter-0002', '081277776666', 'web');
    expect(await checkNaming('person-f-0001', '081277776666')).not.toMatch(/melaporkan perekrut ini/);
    // A real second reporter makes it two.
    await report('6281100000004', '0812 7777 6666');
    expect(await checkNaming('person-g-0001', '081277776666')).toContain('2 orang sudah melaporkan perekrut ini');
  });

  it('never warns on a single common word that two reporters gave as the company', async () => {
    await report('6281100000006', 'tidak tahu', 'whatsapp', 'calo');
    await report('6281100000007', 'tidak tahu', 'whatsapp', 'calo');
    expect(await checkNaming('person-h-0001', 'calo')).not.toMatch(/melaporkan perekrut ini/);
    // Two words or more identify a company: reported twice, it warns.
    await report('6281100000008', 'tidak tahu', 'whatsapp', 'PT Cahaya Rezeki Abadi');
    await report('6281100000009', 'tidak tahu', 'whatsapp', 'Cahaya Rezeki Abadi');
    expect(await checkNaming('person-i-0001', 'pt. cahaya rezeki abadi')).toContain('2 orang sudah melaporkan perekrut ini');
  });
});

describe('erasing', () => {
  it('deletes the reports of a reporter who types hapus, and their count with them', async () => {
    await report('6281100000011', '0812 5555 4444');
    await report('6281100000012', '0812 5555 4444');
    expect(await checkNaming('person-j-0001', '081255554444')).toContain('2 orang sudah melaporkan perekrut ini');
    for (const text of ['hapus', 'ya']) await app.waspada.pipeline.handle({ channel: 'whatsapp', userId: '6281100000012', messageId: `wamid.${waId++}`, input: { kind: 'text', text } });
    await drain();
    expect(await checkNaming('person-k-0001', '081255554444')).not.toMatch(/melaporkan perekrut ini/);
    const left = JSON.stringify(await app.waspada.reports.exportAll());
    expect((await app.waspada.reports.exportAll()).length).toBe(1);
    expect(left).toContain('Sukamaju');
  });
});
