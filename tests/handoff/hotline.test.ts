/**
 * The hotline desk through the whole app: a person on the web chat asks for a person, agrees to
 * what is shared, and a case opens; staff claim, reply, mute and close it; the person hears each
 * step in their language. The outbox is drained by the app's own sender into a collecting web
 * sender, so what the person receives is what really left the outbox.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { IllegalTransition } from '../../src/handoff/case.js';

let app: FastifyInstance;
let clock: number;
let received: Array<{ to: string; text: string; caseId?: string }>;

beforeEach(async () => {
  clock = Date.parse('2026-03-02T03:00:00Z'); // a Monday, 10:00 in Jakarta
  received = [];
  app = await buildApp({
    config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on', HOTLINE_HOURS: 'Mon-Fri 08:00-20:00 Asia/Jakarta' }),
    now: () => clock,
    senders: {
      web: async (to, message, meta) => {
        received.push({ to, text: message.text, ...(meta?.caseId ? { caseId: meta.caseId } : {}) });
      },
    },
  });
  await app.ready();
});
afterEach(() => app.close());

const say = async (session: string, body: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session, ...body } });
  expect(res.statusCode).toBe(200);
  return res.json<{ messages: Array<{ text: string; choices?: Array<{ id: string }> }> }>();
};
/** Waits until the app's own running sender has delivered everything in the outbox. */
const drain = async () => {
  for (let i = 0; i < 400 && (await app.waspada.store.outboxDepth()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await app.waspada.store.outboxDepth()).toBe(0);
};
const staff = { name: 'Sari', via: 'console' as const };

async function connect(session: string) {
  await say(session, { start: '' });
  const offer = await say(session, { choice: 'person' });
  expect(offer.messages.at(-1)?.choices?.map((c) => c.id)).toEqual(['yes', 'no']);
  expect(offer.messages.at(-1)?.text).toMatch(/tidak melihat nomor HP/);
  const agreed = await say(session, { text: 'ya' });
  expect(agreed.messages.map((m) => m.text).join('\n')).toMatch(/diteruskan ke petugas hotline/);
  await drain();
  const [c] = await app.waspada.hotline.cases.list({ status: 'open' });
  if (!c) throw new Error('no case opened');
  return c;
}

describe('hotline desk', () => {
  it('opens a case after consent, tells the person its number, and relays both ways until staff close it', async () => {
    const c = await connect('web-person-0001');
    expect(c.id).toMatch(/^[346789ABCDEFGHJKMNPQRTWXY]{6}$/);
    expect(c.priority).toBe('normal');
    expect(c.summary).toMatchObject({ reason: 'asked_for_person', lang: 'id', channel: 'web' });
    expect(received.map((r) => r.text).join('\n')).toContain(`#${c.id}`);
    expect(received.every((r) => r.to === 'web-person-0001' && r.caseId === c.id)).toBe(true);

    // The person writes; nothing comes back from the bot, the words reach the case.
    const quiet = await say('web-person-0001', { text: 'Saya ditawari kerja di Kamboja' });
    expect(quiet.messages).toEqual([]);
    await drain();
    const timeline = await app.waspada.hotline.cases.timeline(c.id);
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'message']);
    expect(timeline[1]).toMatchObject({ by: { kind: 'person' }, text: 'Saya ditawari kerja di Kamboja' });

    received = [];
    await app.waspada.hotline.claim(c.id, staff);
    await app.waspada.hotline.reply(c.id, 'Halo, saya Sari dari hotline. Boleh cerita?', staff);
    await drain();
    expect(received.map((r) => r.text)).toEqual([expect.stringMatching(/sedang menangani kasus Anda/), expect.stringMatching(/Petugas hotline:\nHalo, saya Sari/)]);

    received = [];
    await app.waspada.hotline.close(c.id, 'referred', staff);
    await drain();
    expect(received.map((r) => r.text).join('\n')).toMatch(/sudah menutup kasus Anda/);
    // Back with the bot: the menu answers again.
    const back = await say('web-person-0001', { text: 'menu' });
    expect(back.messages.at(-1)?.choices?.map((ch) => ch.id)).toContain('check');

    const closed = await app.waspada.hotline.cases.get(c.id);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', claimedBy: 'Sari' });
    expect(closed?.person).toBeUndefined();
    const audit = (await app.waspada.hotline.cases.timeline(c.id)).filter((e) => e.by.kind === 'staff');
    expect(audit.map((e) => [e.type, e.by])).toEqual([
      ['claimed', { kind: 'staff', name: 'Sari', via: 'console' }],
      ['message', { kind: 'staff', name: 'Sari', via: 'console' }],
      ['closed', { kind: 'staff', name: 'Sari', via: 'console' }],
    ]);
  });

  it('refuses illegal staff actions with a clear error', async () => {
    const c = await connect('web-person-0002');
    await app.waspada.hotline.claim(c.id, staff);
    await expect(app.waspada.hotline.claim(c.id, { name: 'Budi', via: 'telegram' })).rejects.toThrow(/already claimed by Sari/);
    await app.waspada.hotline.close(c.id, 'resolved', staff);
    await expect(app.waspada.hotline.reply(c.id, 'masih di sana?', staff)).rejects.toBeInstanceOf(IllegalTransition);
    await expect(app.waspada.hotline.close(c.id, 'spam', staff)).rejects.toThrow(/already closed/);
  });

  it('opens an urgent case at once on an emergency word, without asking consent', async () => {
    await say('web-person-0003', { start: '' });
    const sos = await say('web-person-0003', { text: 'tolong saya dikurung' });
    expect(sos.messages.some((m) => m.choices)).toBe(false);
    expect(sos.messages.at(-1)?.text).toMatch(/sudah diberi tahu/);
    await drain();
    const [c] = await app.waspada.hotline.cases.list({});
    expect(c).toMatchObject({ priority: 'urgent', status: 'open', summary: { reason: 'emergency' } });
  });

  it('lets the person leave with "selesai" and tells staff', async () => {
    const c = await connect('web-person-0004');
    const left = await say('web-person-0004', { text: 'selesai' });
    expect(left.messages.at(-1)?.choices?.map((ch) => ch.id)).toContain('check');
    await drain();
    expect((await app.waspada.hotline.cases.get(c.id))?.personPresent).toBe(false);
    await expect(app.waspada.hotline.reply(c.id, 'halo?', staff)).rejects.toThrow(/left the conversation/);
  });

  it('anonymises the case when the person erases their data', async () => {
    const c = await connect('web-person-0005');
    await say('web-person-0005', { text: 'nama agen saya Pak Joko' });
    await say('web-person-0005', { text: 'hapus' });
    await say('web-person-0005', { text: 'ya' });
    await drain();
    const after = await app.waspada.hotline.cases.get(c.id);
    expect(after).toMatchObject({ status: 'closed', outcome: 'erased', personPresent: false });
    expect(after?.summary.answers).toEqual({});
    expect(after?.person).toBeUndefined();
    const timeline = await app.waspada.hotline.cases.timeline(c.id);
    // The bot's note that it opened the case stays (the reason only), the person's words do not.
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'erased']);
    expect(JSON.stringify(timeline)).not.toContain('Joko');
  });

  it('announces an unclaimed urgent case again after the claim time, once per claim time', async () => {
    await say('web-person-0006', { text: 'sos' });
    await drain();
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(0);
    clock += 11 * 60_000;
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(1);
    expect(await app.waspada.hotline.remindUnclaimed()).toBe(0);
  });

  it('says when staff are on duty, outside the hours, and gives the 24-hour numbers', async () => {
    clock = Date.parse('2026-03-07T03:00:00Z'); // a Saturday
    await connect('web-person-0007');
    const text = received.map((r) => r.text).join('\n');
    expect(text).toMatch(/Mon-Fri 08:00-20:00 Asia\/Jakarta/);
    expect(text).toContain('0800-1000');
  });

  it('acts once on an event delivered twice: one case, one message in the timeline, the number told once', async () => {
    await say('web-person-0008', { start: '' });
    await say('web-person-0008', { choice: 'person' });
    await say('web-person-0008', { text: 'ya' });
    await say('web-person-0008', { text: 'pesan pertama' });
    // Take the entries before the running sender does, and deliver each of them twice.
    await app.waspada.sender?.stop();
    const items = await app.waspada.store.claimOutbox('test', 50);
    const events = items.map((i) => i.entry).filter((e) => e.kind === 'event');
    for (const e of [...events, ...events]) if (e.kind === 'event') await app.waspada.hotline.onPersonEvent(e);
    const all = await app.waspada.hotline.cases.list({});
    expect(all).toHaveLength(1);
    const timeline = await app.waspada.hotline.cases.timeline(all[0]?.id ?? '');
    expect(timeline.map((e) => e.type)).toEqual(['opened', 'message']);
  });

  it('tells staff a reply did not go out when the person left before the desk knew', async () => {
    const c = await connect('web-person-0009');
    // "selesai" is stored at once; the desk learns of it only when the sender gets there.
    await app.waspada.sender?.stop();
    await say('web-person-0009', { text: 'selesai' });
    await expect(app.waspada.hotline.reply(c.id, 'Halo?', staff)).rejects.toThrow(/no longer connected/);
    const timeline = await app.waspada.hotline.cases.timeline(c.id);
    expect(timeline.map((e) => e.type)).toContain('delivery_failed');
    expect(timeline.some((e) => e.type === 'message' && e.by.kind === 'staff')).toBe(false);
  });

  it('anonymises a closed case too when the person erases later', async () => {
    const c = await connect('web-person-0010');
    await say('web-person-0010', { text: 'agennya bernama Pak Slamet' });
    await drain();
    await app.waspada.hotline.claim(c.id, staff);
    await app.waspada.hotline.close(c.id, 'referred', staff);
    await drain();
    await say('web-person-0010', { text: 'hapus' });
    await say('web-person-0010', { text: 'ya' });
    await drain();
    const after = await app.waspada.hotline.cases.get(c.id);
    expect(after).toMatchObject({ status: 'closed', outcome: 'referred', summary: { answers: {} } });
    const timeline = await app.waspada.hotline.cases.timeline(c.id);
    expect(JSON.stringify(timeline)).not.toContain('Slamet');
    // The audit stays: who claimed and closed, and when.
    expect(timeline.filter((e) => e.by.kind === 'staff').map((e) => e.type)).toEqual(['claimed', 'closed']);
  });

  it('keeps a message that overtook the opening of its case, and returns a person whose case is gone', async () => {
    const message = { kind: 'event' as const, channel: 'web', to: 'web-person-0011', seq: '9.0', event: { type: 'relay_message', text: 'halo' } };
    await expect(app.waspada.hotline.onPersonEvent({ ...message, at: clock })).rejects.toThrow(/not open yet/);
    // Long after, with still no case: the person is told and back with the bot (here: no session, nothing sent).
    clock += 5 * 60_000;
    await expect(app.waspada.hotline.onPersonEvent({ ...message, at: clock - 5 * 60_000 })).resolves.toBeUndefined();
    expect(await app.waspada.hotline.cases.list({})).toEqual([]);
  });

  it('opens a new case for an emergency after the last one was closed', async () => {
    const c = await connect('web-person-0012');
    await app.waspada.hotline.close(c.id, 'resolved', staff);
    await drain();
    await say('web-person-0012', { text: 'tolong' });
    await drain();
    const open = await app.waspada.hotline.cases.list({ status: 'open' });
    expect(open.map((x) => [x.priority, x.id === c.id])).toEqual([['urgent', false]]);
    expect((await app.waspada.hotline.cases.get(c.id))?.status).toBe('closed');
  });

  it('lists the longest-waiting open cases first, however many newer ones there are', async () => {
    for (let i = 0; i < 6; i++) {
      await say(`web-queue-${i}-000`, { text: 'sos' });
      clock += 60_000;
    }
    await drain();
    const first = await app.waspada.hotline.cases.list({ status: 'open', limit: 2 });
    const all = await app.waspada.hotline.cases.list({ status: 'open', limit: 10 });
    expect(all).toHaveLength(6);
    expect(first.map((x) => x.id)).toEqual(all.slice(0, 2).map((x) => x.id));
    expect(all.map((x) => x.openedAt)).toEqual([...all.map((x) => x.openedAt)].sort((a, b) => a - b));
  });
});
