/**
 * Fuzzing the Telegram webhook (`POST /webhooks/telegram`) with the real app on a real Redis,
 * with the right `X-Telegram-Bot-Api-Secret-Token` (and every kind of wrong one).
 *
 * What the route must do (README, "Telegram"; src/http/telegramRoutes.ts):
 * - a missing or wrong secret: 401, whatever the body and its type, nothing stored;
 * - another content type: 415; no JSON, a key that would pollute a prototype, or no update
 *   (`update_id` not a non-negative integer, a known part of the wrong shape): 400; over
 *   64 KiB: 413; nothing stored;
 * - an update with nothing for the bot (another kind of update, a group or a channel, a button
 *   without data): 200 `{"ok": true}`, nothing stored;
 * - a private message, edit, button press or block (with edge numbers for ids and dates, long
 *   texts, odd language codes, unknown fields): 200 `{"ok": true}`.
 * Never a 5xx, an error log line, an unhandled rejection or a polluted prototype; a normal
 * message is still handled afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectKeyspaceUnchanged, expectNoHarm, expectRefusal, fuzz, JSON_TYPE, post, PROPERTY_TIMEOUT_MS, send, TELEGRAM, useRig, type Post } from './harness.js';
import {
  EDGE_NUMBERS, EDGE_STRINGS, fromJs, hostile, mutate, mutations, nonJsonBody, notNumber, notObject, notString, Obj, PROTO_KEYS, Raw, set, toText, WRONG_CONTENT_TYPES, type J,
} from './payloads.js';

const URL = '/webhooks/telegram';
/** The route's body limit: 64 KiB. */
const LIMIT = 64 * 1024;
const SIZES = { longString: 50_000, nesting: 30_000 };

const rig = useRig();

const withSecret = (label: string, body: Buffer | string, headers: Post['headers'] = JSON_TYPE): Post => post(label, URL, body, { ...headers, 'x-telegram-bot-api-secret-token': TELEGRAM.secret });
/** 400 for a broken update, 413 when it is also over the limit (the size is checked first). */
const statusFor = (body: Buffer | string, otherwise: number): number => (Buffer.byteLength(body) > LIMIT ? 413 : otherwise);

// ---------------------------------------------------------------------------------------------
// The parts of an update
// ---------------------------------------------------------------------------------------------

/** Numbers JSON.parse reads as finite: ordinary ids, negative zero, 2^53 + 1, 2^64, 1e308, fractions. */
const finiteNumber: fc.Arbitrary<J> = fc.oneof(
  fc.integer({ min: -2_000_000_000_000, max: 2_000_000_000_000 }),
  fc.constantFrom(...EDGE_NUMBERS.filter((n) => Number.isFinite(Number(n)))).map((n) => new Raw(n)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** What `update_id` takes: a non-negative safe integer (zod 4's `.int()`), written as JSON may write it. */
const updateId: fc.Arbitrary<J> = fc.oneof(fc.nat(), fc.constantFrom('0', '-0', '1E3', '9007199254740991', '1e-400', '2147483648').map((n) => new Raw(n)));
/** Integers past 2^53 and 1e308: not safe integers, refused like any id that is no id. */
const unsafeUpdateId = fc.constantFrom('9007199254740993', '18446744073709551616', '1e308', `1${'0'.repeat(300)}`).map((n) => new Raw(n));
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom(...EDGE_STRINGS));
/** Texts: commands and deep links (also to prototype keys), everyday words, any text, long ones. */
const text = fc.oneof(
  anyString,
  fc.constantFrom('/start', '/start check', '/start __proto__', '/start constructor', '/hapus', '/menu@WaspadaTestBot', '/toString', 'tolong', 'hapus', 'ya', 'halo'),
  fc.integer({ min: 1000, max: SIZES.longString }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 3000 }),
);
const languageCode = fc.oneof(fc.constantFrom('id', 'en', 'ms', 'jv', 'en-US', 'pt-br', ...PROTO_KEYS, 'constructor-x', '__proto__-id', ''), anyString);
const user = fc.tuple(finiteNumber, fc.option(languageCode, { nil: undefined }), fc.option(anyString, { nil: undefined })).map(([id, lang, name]) =>
  new Obj([['id', id], ['is_bot', false], ...(name !== undefined ? ([['first_name', name]] as Array<[string, J]>) : []), ...(lang !== undefined ? ([['language_code', lang]] as Array<[string, J]>) : [])]),
);
const chat = (type: fc.Arbitrary<string>): fc.Arbitrary<Obj> => fc.tuple(finiteNumber, type).map(([id, t]) => new Obj([['id', id], ['type', t], ['first_name', 'x']]));
const privateChat = chat(fc.constant('private'));
const otherChat = chat(fc.oneof(fc.constantFrom('group', 'supergroup', 'channel'), anyString.filter((t) => t !== 'private')));
/** Fields Telegram may add one day, and hostile ones: the schema drops them (never a key Fastify's parser refuses). */
const unknownFields = fc.array(fc.tuple(fc.constantFrom('entities', 'reply_to_message', 'forward_origin', 'via_bot', 'x', 'hasOwnProperty', 'toString', 'prototype'), hostile(SIZES, false)), { maxLength: 2 });
const media = fc.constantFrom<Array<[string, J]>>(
  [['photo', [fromJs({ file_id: 'x', width: 1, height: 1 })]]], [['voice', fromJs({ file_id: 'x' })]], [['sticker', fromJs({ file_id: 'x' })]], [['location', fromJs({ latitude: 1, longitude: 2 })]],
  [['contact', fromJs({ phone_number: '+6281234567890' })]], [['document', fromJs({ file_id: 'x' })]], [['video_note', fromJs({ file_id: 'x' })]], [],
);

/** A message in a chat: a text, or media with an optional caption, with unknown fields. */
const message = (inChat: fc.Arbitrary<Obj>): fc.Arbitrary<Obj> =>
  fc
    .tuple(finiteNumber, finiteNumber, inChat, fc.option(user, { nil: undefined }), fc.oneof(text.map((t): Array<[string, J]> => [['text', t]]), fc.tuple(media, fc.option(anyString, { nil: undefined })).map(([m, c]): Array<[string, J]> => [...m, ...(c !== undefined ? ([['caption', c]] as Array<[string, J]>) : [])])), unknownFields)
    .map(([id, date, c, from, content, more]) => new Obj([['message_id', id], ['date', date], ['chat', c], ...(from ? ([['from', from]] as Array<[string, J]>) : []), ...content, ...more]));

const update = (parts: fc.Arbitrary<Array<[string, J]>>): fc.Arbitrary<Obj> => fc.tuple(updateId, parts).map(([id, p]) => new Obj([['update_id', id], ...p]));

/** Updates the bot acts on: a private message, an edit, a button press with data, a block or unblock. */
const handledUpdate: fc.Arbitrary<Obj> = update(
  fc.oneof(
    message(privateChat).map((m): Array<[string, J]> => [['message', m]]),
    message(privateChat).map((m): Array<[string, J]> => [['edited_message', m]]),
    fc
      .tuple(anyString, user, fc.oneof(anyString.filter((d) => d !== ''), fc.constantFrom('menu.choose|check', 'menu.choose|__proto__', '__proto__|constructor', 'check.visa|toString', '|')), fc.option(fc.tuple(finiteNumber, privateChat), { nil: undefined }))
      .map(([id, from, data, m]): Array<[string, J]> => [['callback_query', new Obj([['id', id], ['from', from], ['data', data], ...(m ? ([['message', new Obj([['message_id', m[0]], ['chat', m[1]]])]] as Array<[string, J]>) : [])])]]),
    fc.tuple(privateChat, fc.oneof(fc.constantFrom('kicked', 'member'), anyString)).map(([c, status]): Array<[string, J]> => [['my_chat_member', new Obj([['chat', c], ['new_chat_member', fromJs({ status })]])]]),
  ),
);

/** Updates with nothing for the bot: another kind, a group or channel, a button press without data. */
const ignoredUpdate: fc.Arbitrary<Obj> = update(
  fc.oneof(
    fc.array(fc.tuple(fc.constantFrom('channel_post', 'edited_channel_post', 'poll', 'poll_answer', 'chat_join_request', 'inline_query', 'message_reaction', 'chat_boost', 'x'), hostile(SIZES, false)), { maxLength: 3 }),
    fc.tuple(fc.constantFrom('message', 'edited_message'), message(otherChat)).map(([k, m]): Array<[string, J]> => [[k, m]]),
    fc.tuple(otherChat, anyString).map(([c, status]): Array<[string, J]> => [['my_chat_member', new Obj([['chat', c], ['new_chat_member', fromJs({ status })]])]]),
    fc
      .tuple(anyString, user, fc.oneof(fc.tuple(finiteNumber, otherChat, fc.option(anyString, { nil: undefined })), fc.tuple(finiteNumber, privateChat, fc.constantFrom(undefined, ''))))
      .map(([id, from, [mid, c, data]]): Array<[string, J]> => [['callback_query', new Obj([['id', id], ['from', from], ['message', new Obj([['message_id', mid], ['chat', c]])], ...(data !== undefined ? ([['data', data]] as Array<[string, J]>) : [])])]]),
  ),
);

/** A value of the wrong kind for a field that wants `kind`. */
function wrong(kind: 'number' | 'string' | 'object' | 'boolean' | 'array'): fc.Arbitrary<J | undefined> {
  switch (kind) {
    case 'number':
      return notNumber(SIZES);
    case 'string':
      return notString(SIZES);
    case 'object':
      return notObject(SIZES);
    case 'boolean':
      return hostile(SIZES).filter((v) => typeof v !== 'boolean');
    case 'array':
      return hostile(SIZES).filter((v) => !Array.isArray(v) && !(v instanceof Raw && v.text.startsWith('[')));
  }
}

/** Where each part of an update is checked, and what it must be. */
const MESSAGE_FIELDS: Array<[string, 'number' | 'string' | 'object' | 'boolean' | 'array', boolean]> = [
  ['message_id', 'number', true], ['date', 'number', true], ['chat', 'object', true], ['from', 'object', false], ['message_thread_id', 'number', false],
  ['is_topic_message', 'boolean', false], ['text', 'string', false], ['caption', 'string', false], ['photo', 'array', false],
];

/** Updates the schema refuses: one checked field missing (when required) or of the wrong kind. */
const brokenUpdate: fc.Arbitrary<J> = fc.oneof(
  notObject(SIZES),
  fc.tuple(handledUpdate, fc.oneof(fc.constant(undefined), notNumber(SIZES), fc.constantFrom(-1, 1.5, -0.5).map((n): J => n), fc.constantFrom('-1', '1e309', '-1e-1', '0.5').map((n) => new Raw(n)), unsafeUpdateId)).map(([u, id]) => set(u, 'update_id', id)),
  fc.tuple(handledUpdate, fc.constantFrom('message', 'edited_message', 'callback_query', 'my_chat_member'), notObject(SIZES)).map(([u, k, v]) => set(u, k, v)),
  fc.tuple(message(privateChat), fc.constantFrom(...MESSAGE_FIELDS), fc.boolean(), fc.constantFrom('message', 'edited_message'), updateId).chain(([m, [field, kind, required], drop, k, id]) =>
    (drop && required ? fc.constant(undefined) : wrong(kind)).map((v) => new Obj([['update_id', id], [k, set(m, field, v)]])),
  ),
  fc.tuple(message(privateChat), fc.constantFrom<[string, 'number' | 'string']>(['id', 'number'], ['type', 'string']), updateId).chain(([m, [field, kind], id]) =>
    fc.oneof(fc.constant(undefined), wrong(kind)).map((v) => new Obj([['update_id', id], ['message', set(m, 'chat', set(new Obj([['id', 1], ['type', 'private']]), field, v))]])),
  ),
  fc.tuple(message(privateChat), updateId, user).chain(([m, id, u]) =>
    fc.oneof(fc.constant(undefined), notNumber(SIZES)).map((v) => new Obj([['update_id', id], ['message', set(m, 'from', set(u, 'id', v))]])),
  ),
  fc.tuple(updateId, user, fc.constantFrom('id', 'from', 'data'), fc.boolean()).chain(([id, u, field, drop]) => {
    const q = new Obj([['id', 'cb1'], ['from', u], ['data', 'menu.choose|check']]);
    const bad = field === 'data' ? notString(SIZES) : drop ? fc.constant(undefined) : field === 'id' ? notString(SIZES) : notObject(SIZES);
    return bad.map((v) => new Obj([['update_id', id], ['callback_query', set(q, field, v)]]));
  }),
  fc.tuple(updateId, privateChat, fc.boolean()).chain(([id, c, drop]) =>
    (drop ? fc.constant(undefined) : fc.oneof(notObject(SIZES), notString(SIZES).map((s) => fromJs({ status: s } as never)))).map((v) => new Obj([['update_id', id], ['my_chat_member', set(new Obj([['chat', c]]), 'new_chat_member', v)]])),
  ),
);

// ---------------------------------------------------------------------------------------------
// Requests that must be refused or ignored
// ---------------------------------------------------------------------------------------------

interface Expected {
  post: Post;
  status: number;
}

const anyBody: fc.Arbitrary<Buffer> = fc.oneof(handledUpdate.map((u) => Buffer.from(toText(u))), hostile(SIZES).map((v) => Buffer.from(toText(v))), fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a)));

/** Every kind of wrong secret, with any body and any content type: the secret is checked first. */
const badSecret: fc.Arbitrary<Expected> = fc
  .tuple(anyBody, fc.constantFrom<Array<string | string[] | undefined>>(undefined, '', 'wrong-secret', `${TELEGRAM.secret}x`, TELEGRAM.secret.slice(0, -1), TELEGRAM.secret.toUpperCase(), [TELEGRAM.secret, TELEGRAM.secret], `${TELEGRAM.secret}\u0000`), fc.constantFrom(...WRONG_CONTENT_TYPES, 'application/json'))
  .map(([body, secret, type]) => ({ post: post(`secret ${JSON.stringify(secret)}`, URL, body, { 'content-type': type, ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) }), status: 401 }));

/** A key Fastify's parser refuses, at the top or deeper down. */
const poisoned: fc.Arbitrary<Expected> = fc.tuple(handledUpdate, fc.constantFrom('__proto__', 'constructor'), hostile(SIZES, false), fc.boolean()).map(([u, key, v, deep]) => {
  const poison: Array<[string, J]> = [[key, key === 'constructor' ? new Obj([['prototype', new Obj([['polluted', v]])]]) : new Obj([['polluted', v]])]];
  const body = toText(deep ? set(u, 'x', [new Obj(poison)]) : new Obj([...u.entries, ...poison]));
  return { post: withSecret(`poisoned ${key}`, body), status: statusFor(body, 400) };
});

const mustBeRefused: fc.Arbitrary<Expected> = fc.oneof(
  { arbitrary: badSecret, weight: 2 },
  { arbitrary: fc.tuple(handledUpdate, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([u, type]) => ({ post: withSecret(`content type ${String(type)}`, toText(u), { 'content-type': type }), status: 415 })), weight: 1 },
  { arbitrary: nonJsonBody(handledUpdate.map(toText)).map((body) => ({ post: withSecret('not JSON', body), status: statusFor(body, 400) })), weight: 2 },
  { arbitrary: poisoned, weight: 1 },
  { arbitrary: brokenUpdate.map((u) => toText(u)).map((body) => ({ post: withSecret('no update', body), status: statusFor(body, 400) })), weight: 3 },
  { arbitrary: ignoredUpdate.map((u) => toText(u)).map((body) => ({ post: withSecret('nothing for the bot', body), status: statusFor(body, 200) })), weight: 3 },
);

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

let healthyId = 990_000_000;
/** The app is fine: no crash, no error logged, and a normal message is still handled. */
async function expectHealthy(): Promise<void> {
  const id = ++healthyId;
  const body = JSON.stringify({ update_id: id, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 700000999, type: 'private' }, from: { id: 700000999, is_bot: false, first_name: 'T' }, text: 'halo' } });
  const { res, writes } = await rig.observe(() => send(rig, withSecret('a normal message', body)));
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ ok: true });
  expect(writes.map((w) => w.event)).toContain('xadd');
  expectNoHarm(rig);
}

describe('POST /webhooks/telegram under fuzzing', () => {
  it('refuses bad secrets, types, bodies and updates, ignores what is not for the bot, and stores nothing (1,000 cases)', async () => {
    await expectKeyspaceUnchanged(rig, () =>
      fuzz('telegram, refused or ignored', mustBeRefused, 1000, async ({ post: p, status }) => {
        const { res, writes } = await rig.observe(() => send(rig, p));
        if (status === 200) {
          expect(res.statusCode, `${p.label}: ${res.body.slice(0, 300)}`).toBe(200);
          expect(res.json(), p.label).toEqual({ ok: true });
        } else {
          expectRefusal(res, status, p.label);
        }
        expect(rig.junk(writes), `${p.label}: nothing stored`).toEqual([]);
      }, 21),
    );
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('refuses an update that is not UTF-8 with 400 and stores nothing (found by fuzzing: bad bytes were read as U+FFFD)', async () => {
    const [head, tail] = JSON.stringify({ update_id: 42, message: { message_id: 1, date: 1, chat: { id: 700000998, type: 'private' }, text: 'hal@o' } }).split('@');
    const body = Buffer.concat([Buffer.from(head ?? ''), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(tail ?? '')]);
    const { res, writes } = await rig.observe(() => send(rig, withSecret('not UTF-8', body)));
    expectRefusal(res, 400, 'not UTF-8');
    expect(rig.junk(writes)).toEqual([]);
  });

  it('handles private messages, edits, button presses and blocks with edge values (300 cases)', async () => {
    let steps = 0;
    let saved = 0;
    await fuzz('telegram, handled updates', handledUpdate, 300, async (u) => {
      const body = toText(u);
      const { res, writes } = await rig.observe(() => send(rig, withSecret('handled', body)));
      if (Buffer.byteLength(body) > LIMIT) return expectRefusal(res, 413, 'handled but too large');
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json()).toEqual({ ok: true });
      // A message, an edit or a button press is a conversation step that saves the session, unless
      // it repeats an update id of the same chat (ids and chats repeat among the edge values) or
      // the person is over their per-minute limit.
      if (!u.entries.some(([k]) => k === 'my_chat_member')) {
        steps += 1;
        if (writes.some((w) => w.event === 'set')) saved += 1;
      }
    }, 22);
    expect(saved, `${saved} of ${steps} steps saved a session`).toBeGreaterThan(steps / 2);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);

  it('answers mutated updates with 200 or a 4xx catalogue error; a refused one stores nothing (300 cases)', async () => {
    await fuzz('telegram, mutated', fc.tuple(handledUpdate, mutations(SIZES)), 300, async ([u, ms]) => {
      const body = toText(ms.reduce<J>(mutate, u));
      const { res, writes } = await rig.observe(() => send(rig, withSecret('mutated', body)));
      expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
      if (res.statusCode !== 200) {
        expectRefusal(res, res.statusCode, 'mutated');
        expect(rig.junk(writes), 'a refused update stores nothing').toEqual([]);
      }
    }, 23);
    await expectHealthy();
  }, PROPERTY_TIMEOUT_MS);
});
