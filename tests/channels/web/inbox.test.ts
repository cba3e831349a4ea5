/**
 * The web chat's inbox and `POST /api/v1/chat/updates`: what hotline staff write reaches a person
 * on the (synchronous) web chat. The sender on its own, then the whole app: a person connects to
 * staff, the staff reply, the page fetches it, the case closes; and the erase takes the inbox
 * with it. Against the in-memory store and a real redis-server.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createWebInbox, INBOX_MAX_ITEMS, INBOX_TTL_MS } from '../../../src/channels/web/inbox.js';
import { parseConfig } from '../../../src/config.js';
import { createMemoryStore } from '../../../src/storage/memory.js';
import type { Store } from '../../../src/storage/store.js';
import { useRedisStore } from '../../support/redisServer.js';

type Item = { id: string; at: number; from: 'staff' | 'bot'; text: string; choices?: Array<{ id: string; label: string }> };
type Updates = { messages: Item[]; staff: boolean };

const staff = { name: 'Sari', via: 'console' as const };

/** The tests every store passes. `store` is called inside the tests (Redis starts in beforeAll). */
function inboxSuite(store: () => Store, opts: { ttl: (key: string) => Promise<number> }): void {
  describe('the web sender', () => {
    it('keeps messages in order, each with its own id, and answers what came after an id', async () => {
      const inbox = createWebInbox({ store: store() });
      await inbox.send('inbox-order-01', { text: 'Nomor kasus Anda #ABC123.' }, { at: 1, caseId: 'ABC123' });
      await inbox.send('inbox-order-01', { text: '👤 Petugas hotline:\nHalo' }, { at: 2, caseId: 'ABC123', from: 'staff' });
      await inbox.send('inbox-order-01', { text: 'Menu', choices: [{ id: 'check', label: 'Cek tawaran kerja' }] }, { at: 3 });

      const all = await inbox.read('inbox-order-01');
      expect(all.map((i) => [i.text, i.from, i.at])).toEqual([
        ['Nomor kasus Anda #ABC123.', 'bot', 1],
        ['👤 Petugas hotline:\nHalo', 'staff', 2],
        ['Menu', 'bot', 3],
      ]);
      expect(all[2]?.choices).toEqual([{ id: 'check', label: 'Cek tawaran kerja' }]);
      expect(all[0]).not.toHaveProperty('choices');
      expect(new Set(all.map((i) => i.id)).size).toBe(3);
      for (const i of all) expect(i.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      expect((await inbox.read('inbox-order-01', all[0]?.id)).map((i) => i.at)).toEqual([2, 3]);
      expect(await inbox.read('inbox-order-01', all[2]?.id)).toEqual([]);
      // An id that is not there (too old, or from another session) gets everything there is.
      expect(await inbox.read('inbox-order-01', 'a-gone-id')).toEqual(all);
      // Each person has their own inbox.
      expect(await inbox.read('inbox-order-02')).toEqual([]);
    });

    it('keeps only the newest messages, for a day after the last one', async () => {
      const inbox = createWebInbox({ store: store() });
      for (let n = 1; n <= INBOX_MAX_ITEMS + 5; n++) await inbox.send('inbox-cap-0001', { text: `pesan ${n}` }, { at: n });
      const kept = await inbox.read('inbox-cap-0001');
      expect(kept).toHaveLength(INBOX_MAX_ITEMS);
      expect(kept[0]?.text).toBe('pesan 6');
      expect(kept.at(-1)?.text).toBe(`pesan ${INBOX_MAX_ITEMS + 5}`);
      const ttl = await opts.ttl(store().layout.webInbox({ channel: 'web', id: 'inbox-cap-0001' }));
      expect(ttl).toBeGreaterThan(INBOX_TTL_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(INBOX_TTL_MS);
    });

    it('drops what was still queued when the person erased, and removes what came in between', async () => {
      const inbox = createWebInbox({ store: store() });
      await inbox.send('inbox-erase-01', { text: 'sebelum' }, { at: 100 });
      await inbox.onEvent({ kind: 'event', channel: 'web', to: 'inbox-erase-01', at: 200, event: { type: 'erase_requested', lang: 'id' } });
      expect(await inbox.read('inbox-erase-01')).toEqual([]);
      await inbox.send('inbox-erase-01', { text: 'antre sebelum hapus' }, { at: 150 });
      expect(await inbox.read('inbox-erase-01')).toEqual([]);
      await inbox.send('inbox-erase-01', { text: 'sesudah' }, { at: 300 });
      expect((await inbox.read('inbox-erase-01')).map((i) => i.text)).toEqual(['sesudah']);
    });

    it('skips an unreadable item instead of failing the page', async () => {
      const s = store();
      const inbox = createWebInbox({ store: s });
      const key = s.layout.webInbox({ channel: 'web', id: 'inbox-broken-1' });
      await s.listPush(key, ['not json', JSON.stringify({ id: 'x' }), 'null'], 60_000, 10);
      await inbox.send('inbox-broken-1', { text: 'baik' }, { at: 1 });
      expect((await inbox.read('inbox-broken-1')).map((i) => i.text)).toEqual(['baik']);
    });
  });

  describe('POST /api/v1/chat/updates through the app', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', HOTLINE: 'on' }), store: store() });
      await app.ready();
    });
    afterAll(() => app.close());

    const chat = async (session: string, body: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: { session, ...body } });
      expect(res.statusCode).toBe(200);
      return res.json<{ messages: Array<{ text: string; choices?: Array<{ id: string }> }>; staff?: boolean }>();
    };
    const updates = async (payload: unknown) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/chat/updates', payload: payload as Record<string, unknown> });
      expect(res.statusCode).toBe(200);
      return res.json<Updates>();
    };
    /** Lets the app's sender drain the outbox (cases open, staff words reach the inbox). */
    const drain = async () => {
      for (let i = 0; i < 20; i++) await app.waspada.sender?.drainOnce();
    };
    /** Asks for updates until `enough` holds: the app's own sender loop may hold an entry a moment longer. */
    const updatesUntil = async (payload: Record<string, unknown>, enough: (u: Updates) => boolean) => {
      for (let i = 0; i < 100; i++) {
        await drain();
        const u = await updates(payload);
        if (enough(u)) return u;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the updates never arrived');
    };
    async function connect(session: string) {
      const welcome = await chat(session, { start: '' });
      expect(welcome).not.toHaveProperty('staff');
      await chat(session, { choice: 'person' });
      const agreed = await chat(session, { text: 'ya' });
      expect(agreed.staff).toBe(true);
      // The case opens when the sender takes the handoff event; its number reaches the inbox.
      await updatesUntil({ session }, (u) => u.messages.length > 0);
      const c = (await app.waspada.hotline.cases.list({ status: 'open', limit: 500 })).find((x) => x.person?.id === session);
      if (!c) throw new Error('no case opened');
      return c;
    }

    it('hands the page the case number and the staff reply, in order, and says when staff have gone', async () => {
      const s = 'updates-flow-0001';
      expect(await updates({ session: s })).toEqual({ messages: [], staff: false });
      const c = await connect(s);

      const opened = await updates({ session: s });
      expect(opened.staff).toBe(true);
      expect(opened.messages[0]).toMatchObject({ from: 'bot', text: expect.stringContaining(`#${c.id}`) });
      expect(opened.messages.every((m) => m.from === 'bot')).toBe(true);
      const last = opened.messages.at(-1)?.id;

      // What the person writes meanwhile answers nothing, and says staff are still there.
      expect(await chat(s, { text: 'Saya di Kamboja' })).toEqual({ messages: [], staff: true });

      await app.waspada.hotline.claim(c.id, staff);
      await app.waspada.hotline.reply(c.id, 'Halo dari petugas', staff);
      const replied = await updatesUntil({ session: s, after: last }, (u) => u.messages.length >= 2);
      expect(replied.staff).toBe(true);
      expect(replied.messages.map((m) => [m.from, m.text])).toEqual([
        ['bot', expect.stringMatching(/sedang menangani kasus Anda/)],
        ['staff', expect.stringMatching(/Petugas hotline:\nHalo dari petugas$/)],
      ]);
      // Nothing new after the newest id.
      expect(await updates({ session: s, after: replied.messages.at(-1)?.id })).toEqual({ messages: [], staff: true });

      await app.waspada.hotline.close(c.id, 'resolved', staff);
      const closed = await updatesUntil({ session: s, after: replied.messages.at(-1)?.id }, (u) => u.messages.some((m) => m.choices));
      expect(closed.staff).toBe(false);
      expect(closed.messages[0]?.text).toMatch(/sudah menutup kasus Anda/);
      // Back with the bot: the menu came too, as buttons.
      expect(closed.messages.at(-1)?.choices?.map((ch) => ch.id)).toContain('check');
      expect(await chat(s, { text: 'menu' })).not.toHaveProperty('staff');
    });

    it('says staff are there again on a retried message', async () => {
      const s = 'updates-retry-001';
      await connect(s);
      const first = await chat(s, { id: 'm1', text: 'halo' });
      const again = await chat(s, { id: 'm1', text: 'halo' });
      expect(first).toEqual({ messages: [], staff: true });
      expect(again).toEqual({ messages: [], staff: true, duplicate: true });
    });

    it('removes the inbox when the person erases their data', async () => {
      const s = 'updates-erase-001';
      const c = await connect(s);
      await app.waspada.hotline.reply(c.id, 'Boleh cerita?', staff);
      const key = app.waspada.store.layout.webInbox({ channel: 'web', id: s });
      await updatesUntil({ session: s }, (u) => u.messages.some((m) => m.from === 'staff'));
      await chat(s, { text: 'hapus' });
      const erased = await chat(s, { text: 'ya' });
      expect(erased.messages[0]?.text).toMatch(/dihapus/);
      expect(await app.waspada.store.listRead(key)).toEqual([]);
      await drain();
      expect(await updates({ session: s })).toEqual({ messages: [], staff: false });
      expect(await app.waspada.store.listRead(key)).toEqual([]);
    });

    describe('bad input gets a 4xx with a JSON error', () => {
      const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
        app.inject({ method: 'POST', url: '/api/v1/chat/updates', headers, payload });

      it.each([
        ['a missing session', {}, 'session: expected string'],
        ['a short session', { session: 'abc' }, 'session: must be 8 to 64 letters, digits, _ or -'],
        ['a session with a slash', { session: '../../etc/passwd' }, 'session: must be 8 to 64 letters, digits, _ or -'],
        ['a number as after', { session: 'updates-bad-0001', after: 7 }, 'after: expected string'],
        ['an after that is no message id', { session: 'updates-bad-0001', after: '<script>' }, 'after: must be a message id from an earlier answer'],
        ['an array body', [1, 2], 'expected object'],
        ['a null body', null, 'expected object'],
      ])('%s', async (_name, payload, message) => {
        const res = await post(JSON.stringify(payload));
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message } });
      });

      it('invalid JSON, a body that is not JSON, a body over the limit', async () => {
        const broken = await post('{"session": ');
        expect(broken.statusCode).toBe(400);
        expect(broken.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message: 'The body is not valid JSON.' } });
        const text = await post('session=updates-bad-0001', { 'content-type': 'application/x-www-form-urlencoded' });
        expect(text.statusCode).toBe(415);
        expect(text.json()).toMatchObject({ error: { code: 'WSP_UNSUPPORTED_MEDIA_TYPE' } });
        const large = await post(JSON.stringify({ session: 'updates-bad-0001', after: 'a'.repeat(20_000) }));
        expect(large.statusCode).toBe(413);
        expect(large.json()).toMatchObject({ error: { code: 'WSP_BODY_TOO_LARGE' } });
      });

      it('never takes the session from the URL', async () => {
        const res = await app.inject({ method: 'GET', url: '/api/v1/chat/updates?session=updates-bad-0001' });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'WSP_NOT_FOUND' } });
      });
    });
  });
}

describe('web inbox with the in-memory store', () => {
  let clock = Date.now();
  const memory = createMemoryStore({ now: () => clock });
  inboxSuite(() => memory, {
    ttl: async (key) => {
      // The memory store has no TTL command: move its clock and see when the list goes.
      const start = clock;
      clock = start + INBOX_TTL_MS - 1000;
      const before = (await memory.listRead(key)).length;
      clock = start + INBOX_TTL_MS + 1;
      const after = (await memory.listRead(key)).length;
      clock = start;
      return before > 0 && after === 0 ? INBOX_TTL_MS : -1;
    },
  });
});

describe('web inbox with Redis', () => {
  const redis = useRedisStore();
  inboxSuite(() => redis.store(), { ttl: async (key) => Number(redis.server().cli('PTTL', key)) });
});
