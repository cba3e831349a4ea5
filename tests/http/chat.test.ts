import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

let app: FastifyInstance;
let clock = Date.parse('2026-03-01T08:00:00Z');

beforeAll(async () => {
  // Idle after 12 hours, kept for the default 24 (PRIVACY.md): a person back within the day is told their check expired.
  app = await buildApp({ config: parseConfig({ LOG_LEVEL: 'silent', SESSION_IDLE_HOURS: '12' }), now: () => clock });
});
afterAll(() => app.close());

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/chat/messages',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

type Answer = { messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }> };

describe('POST /api/v1/chat/messages', () => {
  it('greets a new person with the welcome and the menu', async () => {
    const res = await post({ session: 'web-session-01', start: '' });
    expect(res.statusCode).toBe(200);
    const body = res.json<Answer>();
    expect(body.messages[0]?.text).toMatch(/Waspada/);
    expect(body.messages.at(-1)?.choices?.map((c) => c.id)).toEqual(['check', 'report', 'abroad', 'person', 'language']);
  });

  it('walks a check by button presses and by typed answers', async () => {
    const s = 'web-session-02';
    await post({ session: s, start: 'check' });
    const job = (await post({ session: s, choice: 'mekong' })).json<Answer>();
    expect(job.messages.at(-1)?.choices?.map((c) => c.id)).toContain('online_office');
    const next = (await post({ session: s, text: '2' })).json<Answer>();
    expect(next.messages.at(-1)?.choices?.map((c) => c.id)).toContain('licensed_checked');
  });

  it('keeps each session separate', async () => {
    await post({ session: 'web-session-03', start: 'check' });
    const other = (await post({ session: 'web-session-04', text: 'halo' })).json<Answer>();
    expect(other.messages[0]?.text).toMatch(/Waspada/);
  });

  it('handles a retried message id once', async () => {
    const s = 'web-session-05';
    await post({ session: s, start: 'check' });
    const first = await post({ session: s, id: 'm1', choice: 'saudi' });
    const again = await post({ session: s, id: 'm1', choice: 'saudi' });
    expect(first.json<Answer>().messages).toHaveLength(1);
    expect(again.statusCode).toBe(200);
    // The retry is not handled again, but gets the same reply, in case the first one was lost.
    expect(again.json()).toEqual({ ...first.json(), duplicate: true });
    // The conversation moved on once: the next question is the job, not the destination again.
    const job = (await post({ session: s, id: 'm2', choice: 'domestic' })).json<Answer>();
    expect(job.messages.at(-1)?.choices?.map((c) => c.id)).toEqual(['private_household', 'spsk_company', 'unknown']);
  });

  it('tells a person who comes back after the idle time that the old check expired, and keeps nothing after a day', async () => {
    const s = 'web-session-06';
    await post({ session: s, start: 'check' });
    clock += 13 * 60 * 60 * 1000;
    const back = (await post({ session: s, text: '1' })).json<Answer>();
    expect(back.messages[0]?.text).toMatch(/lewat waktunya/);
    expect(back.messages.at(-1)?.choices?.[0]?.id).toBe('check');
    // 24 hours after the last message the session is gone from the store.
    clock += 24 * 60 * 60 * 1000 + 1000;
    expect((await app.waspada.store.loadConversation({ channel: 'web', id: s })).session).toBeUndefined();
  });

  it('erases the session after hapus and a confirmation', async () => {
    const s = 'web-session-07';
    await post({ session: s, start: 'check' });
    await post({ session: s, text: 'hapus' });
    const done = (await post({ session: s, text: 'ya' })).json<Answer>();
    expect(done.messages[0]?.text).toMatch(/dihapus/);
    expect((await app.waspada.store.loadConversation({ channel: 'web', id: s })).session).toBeUndefined();
  });

  describe('bad input gets a 4xx with a JSON error', () => {
    it.each([
      ['a missing session', { text: 'halo' }, 'session: expected string'],
      ['a short session', { session: 'abc', text: 'halo' }, 'session: must be 8 to 64 letters, digits, _ or -'],
      ['a session with a slash', { session: '../../etc/passwd', text: 'x' }, 'session: must be 8 to 64 letters, digits, _ or -'],
      ['no text, choice or start', { session: 'web-session-08' }, 'send exactly one of text, choice or start'],
      ['both text and choice', { session: 'web-session-08', text: 'a', choice: 'b' }, 'send exactly one of text, choice or start'],
      ['a number as text', { session: 'web-session-08', text: 42 }, 'text: expected string'],
      ['empty text', { session: 'web-session-08', text: '   ' }, 'text: must not be empty'],
      ['text over 4096 characters', { session: 'web-session-08', text: 'a'.repeat(4097) }, 'text: must be at most 4096 characters'],
      ['a choice that is no option id', { session: 'web-session-08', choice: 'DROP TABLE' }, 'choice: must be an option id'],
      ['an array body', [1, 2], 'expected object'],
      ['a null body', 'null', 'expected object'],
    ])('%s', async (_name, payload, message) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message } });
    });

    it('invalid JSON', async () => {
      const res = await post('{"session": ');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'WSP_BAD_REQUEST', message: 'The body is not valid JSON.' } });
    });

    it('a body over the limit', async () => {
      const res = await post({ session: 'web-session-09', text: 'a'.repeat(20_000) });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_BODY_TOO_LARGE' } });
    });

    it('a body that is not JSON', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'text/plain' }, payload: 'halo' });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_UNSUPPORTED_MEDIA_TYPE' } });
    });

    it('a missing content type', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', payload: Buffer.from('{}') });
      expect(res.statusCode).toBe(415);
    });

    it('an empty body', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'WSP_BAD_REQUEST' } });
    });

    it('an unknown route', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'WSP_NOT_FOUND', message: 'Not found.' } });
    });

    it('a bad request never stores anything', async () => {
      await post({ session: 'web-session-10', text: 42 });
      expect(await app.waspada.store.loadConversation({ channel: 'web', id: 'web-session-10' })).toEqual({ session: undefined, version: 0, seen: false });
    });
  });
});

describe('pages and health', () => {
  it('serves the chat page and its assets', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('chat.js');
    const script = await app.inject({ method: 'GET', url: '/chat.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers /healthz and /readyz', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});
