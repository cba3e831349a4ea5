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
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), senders: { web: async () => undefined } });
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

/** A family member files a report naming the recruiter's number, as typed. */
async function report(session: string, phone: string): Promise<string> {
  await say(session, { start: 'report' });
  const answers = ['tidak', 'Pak Budi', 'tidak tahu', phone, 'tidak tahu', 'Desa Sukamaju', 'anak saya', 'Malaysia', 'pabrik'];
  for (const text of answers) await say(session, { text });
  await say(session, { choice: 'placement_fee' });
  await say(session, { text: 'diminta bayar 20 juta sebelum berangkat' });
  await say(session, { text: 'tidak' });
  const filed = await say(session, { text: 'ya' });
  const text = filed.messages.map((m) => m.text).join('\n');
  const id = /Nomor laporan Anda (R[0-9A-Z]{6})/.exec(text)?.[1];
  if (!id) throw new Error(`no report number in: ${text}`);
  await drain();
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
    const first = await report('reporter-a-0001', '0812-3456-7890');
    await report('reporter-b-0001', '+62 812 3456 7890');
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
    for (let i = 0; i < 3; i++) await report('reporter-d-0001', '081298765432');
    const told = await checkNaming('person-e-0001', '+6281298765432');
    expect(told).not.toMatch(/melaporkan perekrut ini/);
  });
});
